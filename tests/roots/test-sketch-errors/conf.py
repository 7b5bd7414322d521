extensions = ["myst_parser", "sphinx_cahier"]
myst_enable_extensions = ["colon_fence"]
language = "fr"
cahier_book = "test-book"
cahier_edition = "2025"
smartquotes = False
