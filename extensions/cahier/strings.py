"""Interface strings of the browser scripts, translated through Sphinx's message catalogs.

The scripts receive them, already translated, in a ``data-cahier-strings`` attribute: no UI text
is written in JavaScript. French is the workbook's language; English is complete too.
"""

from __future__ import annotations

from sphinx.locale import get_translation

MESSAGE_CATALOG = "cahier"

_ = get_translation(MESSAGE_CATALOG)


def ui_strings() -> dict[str, str]:
    """The strings of the browser scripts, in the build's language (call after locale init)."""
    return {
        "saved": _("Saved"),
        "not_saved": _("Not saved"),
        "storage_unavailable": _(
            "This browser does not let the workbook save: your answers are kept only while this "
            "page stays open. Copy your text into a document before you close it, or allow this "
            "site to store data (cookies and site data) and reload the page."
        ),
        "storage_full": _(
            "This browser's storage is full: your latest changes are not saved. Your text is "
            "still on the screen: copy it into a document, then free some space (site data) "
            "before you go on."
        ),
        "storage_error": _(
            "Your latest changes could not be saved in this browser. Your text is still on the "
            "screen: copy it into a document before you close this page."
        ),
        "newer_version": _(
            "This answer was saved by a newer version of the workbook: it is kept as it is and "
            "cannot be changed here."
        ),
        "unreadable": _(
            "The answer saved for this box cannot be read: it is kept as it is and cannot be "
            "changed here."
        ),
        "conflict": _(
            "This answer was changed in another tab. The text above is not saved: choose the "
            "version to keep."
        ),
        "conflict_keep_mine": _("Keep this text"),
        "conflict_take_theirs": _("Use the other tab's version"),
        "carry_over_region": _("Answers from an earlier edition"),
        "carry_over_offer": _("Bring back my answers from the {edition} edition?"),
        "carry_over_detail": _(
            "This browser keeps your answers of the {edition} edition for {count} question(s) "
            "still empty here. Bringing them back fills only the empty boxes: nothing you wrote "
            "here is replaced."
        ),
        "carry_over_accept": _("Bring back my answers"),
        "carry_over_decline": _("No, thanks"),
        "carry_over_failed": _(
            "Some answers could not be brought back (storage full or blocked). Nothing was "
            "replaced."
        ),
        "sketch_label": _("Your drawing"),
        "sketch_tools": _("Drawing tools"),
        "sketch_tool": _("Tool"),
        "sketch_pen": _("Pen"),
        "sketch_eraser": _("Eraser (removes a whole stroke)"),
        "sketch_colour": _("Colour"),
        "sketch_colour_black": _("Black"),
        "sketch_colour_blue": _("Blue"),
        "sketch_colour_red": _("Red"),
        "sketch_colour_green": _("Green"),
        "sketch_colour_orange": _("Orange"),
        "sketch_colour_purple": _("Purple"),
        "sketch_width": _("Line width"),
        "sketch_width_fine": _("Fine"),
        "sketch_width_medium": _("Medium"),
        "sketch_width_thick": _("Thick"),
        "sketch_undo": _("Undo"),
        "sketch_redo": _("Redo"),
        "sketch_clear": _("Clear the drawing"),
        "sketch_clear_confirm": _(
            "Clear the whole drawing? You can still bring it back with “Undo”."
        ),
        "sketch_clear_yes": _("Yes, clear it"),
        "sketch_clear_no": _("Keep the drawing"),
        "sketch_storage_full": _(
            "This browser's storage is full: your latest strokes are not saved. Your drawing is "
            "still on the screen: free some space (site data), then draw a stroke to save it "
            "again."
        ),
        "sketch_storage_error": _(
            "Your latest strokes could not be saved in this browser. Your drawing is still on the "
            "screen: keep this page open and try again."
        ),
        "sketch_newer_version": _(
            "This drawing was saved by a newer version of the workbook: it is kept as it is and "
            "cannot be changed here."
        ),
        "sketch_unreadable": _(
            "The drawing saved here cannot be read: it is kept as it is and cannot be changed here."
        ),
        "sketch_conflict": _(
            "This drawing was changed in another tab. The drawing above is not saved: choose the "
            "version to keep."
        ),
        "sketch_keep_mine": _("Keep this drawing"),
        "sketch_take_theirs": _("Use the other tab's drawing"),
    }
