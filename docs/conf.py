# The organizer's guide to Cahier, a Sphinx site built with the extension itself:
#     sphinx-build -W docs docs/_build/html
# (tests/test_docs_site.py builds it so, tests/browser/test_docs_site.py writes in its example).
# The example page's boxes are real: they save in the reader's browser like a workbook's.
project = "Cahier — the organizer's guide"
author = "The Cahier team"
copyright = "2025"
language = "en"
extensions = ["myst_parser", "sphinx_cahier"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
smartquotes = False
html_theme = "furo"
html_title = "Cahier — the organizer's guide"
html_show_sourcelink = False
html_show_sphinx = False
html_copy_source = False

# The guide's own example workbook: its answers stay apart from any workbook's.
cahier_book = "cahier-guide"
cahier_edition = "guide"
cahier_levels = [
    {"id": "what", "name": "What?", "description": "What happened: the facts."},
    {"id": "so-what", "name": "So what?", "description": "What it means for you."},
    {"id": "now-what", "name": "Now what?", "description": "What you will do next."},
    {
        "id": "further",
        "name": "Going further",
        "description": "A reading, a person to ask.",
        "optional": True,
    },
]
cahier_accent_color = "#1d4e74"
