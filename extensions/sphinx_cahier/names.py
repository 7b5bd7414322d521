"""The extension's names: the one organizers write in ``extensions`` and the distribution to
install. Both follow the import package, so that renaming the package renames them."""

from __future__ import annotations

from importlib import metadata

#: What ``extensions`` names to load the workbook's extension: this import package.
EXTENSION = __name__.rpartition(".")[0]
#: Every name the extension is known by, to recognise a book written for another one.
EXTENSION_NAMES = ("sphinx_cahier", "cahier")


def distribution() -> str:
    """The distribution that provides this package (what ``pip install`` takes)."""
    try:
        names = metadata.packages_distributions().get(EXTENSION) or []
    except Exception:  # a broken installation elsewhere must not stop the command
        names = []
    return names[0] if names else EXTENSION.replace("_", "-")


def version() -> str:
    try:
        return metadata.version(distribution())
    except metadata.PackageNotFoundError:
        from . import __version__

        return __version__
