extensions = ["myst_parser", "sphinx_cahier"]
myst_enable_extensions = ["colon_fence"]
language = "fr"
smartquotes = False
cahier_book = "test-levels"
cahier_edition = "2025"
cahier_levels = [
    {"id": "quoi", "name": "Quoi ?", "description": "Ce qui s'est passé."},
    {"id": "et-alors", "name": "Et alors ?", "description": "Ce que cela veut dire."},
    {"id": "et-maintenant", "name": "Et maintenant ?", "description": "Ce que je ferai."},
    {"id": "pour-aller-plus-loin", "name": "Pour aller plus loin", "optional": True},
]
