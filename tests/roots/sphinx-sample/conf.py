# A plain Sphinx project (no Jupyter Book) for the `cahier` command's tests (tests/test_hosts.py):
# MyST and reStructuredText pages, the extension in `extensions`.
project = "Carnet de stage"
copyright = "2025"
language = "fr"
extensions = ["myst_parser", "sphinx_cahier"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
smartquotes = False
cahier_book = "carnet-de-stage"
cahier_edition = "2025"
cahier_dates = "Printemps 2025"
cahier_place = "Lyon"
cahier_levels = [
    {"id": "vecu", "name": "Ce que j'ai vécu", "description": "Les faits, sans les juger."},
    {"id": "appris", "name": "Ce que j'en apprends"},
]
