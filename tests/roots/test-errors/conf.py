extensions = ["myst_parser", "sphinx_cahier"]
myst_enable_extensions = ["colon_fence"]
language = "fr"
smartquotes = False
cahier_book = "test-errors"
cahier_edition = "2025"
