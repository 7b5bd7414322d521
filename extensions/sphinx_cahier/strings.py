"""Interface strings of the browser scripts, translated through Sphinx's message catalogs.

The scripts receive them, already translated, in the edition's book file (``progress.py``,
``keep.js``): fetched once and cached, not repeated in every page; no UI text is written in
JavaScript. French is the workbook's language; English is complete too.
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
        "words_one": _("{n} word"),
        "words_other": _("{n} words"),
        "saved_at": _("at {time}"),  # after « Saved »
        "time_hm": _("{h}:{m}"),
        "focus_open": _("Full screen"),
        "focus_close": _("Back to the page (Esc)"),
        "storage_unavailable": _(
            "This browser does not let the workbook save: your answers are kept only while this "
            "page stays open. Before you close it, export them (the « Export » button at the top of"
            " the page) or copy your text into a document; or allow this site to store data "
            "(cookies and site data) and reload the page."
        ),
        "storage_full": _(
            "This browser's storage is full: your latest changes are not saved. Your text is still "
            "on the screen: export your answers (the « Export » button at the top of the page) or "
            "copy your text into a document, then free some space (site data) before you go on."
        ),
        "storage_error": _(
            "Your latest changes could not be saved in this browser. Your text is still on the "
            "screen: export your answers (the « Export » button at the top of the page) or copy "
            "your text into a document before you close this page."
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
        "conflict_keep_both": _("Keep both (mine, then the other tab's)"),
        "conflict_theirs_label": _("The other tab's version:"),
        "conflict_theirs_empty": _("(empty: the answer was erased there)"),
        "conflict_separator": _("——— The other tab's version ———"),
        "update_ready": _("A new version of the workbook is ready. Your answers stay as they are."),
        "update_reload": _("Reload"),
        "update_unsaved": _(
            "Some answers are not saved: export them (« Export ») or copy your text before "
            "you reload."
        ),
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
        "sketch_keep_both": _("Keep both (the two drawings together)"),
        "sketch_theirs_label": _("The other tab's drawing"),
        # « Mon cahier », export, import, erase, reminders (summary.py, keep.js, …)
        "nav_label": _("My workbook"),
        "resume_start": _("Start the workbook"),
        "resume_last": _("Resume where I left off"),
        "progress": _("{written} of {total} boxes written"),
        "page_done": _("(completed)"),
        "actions_label": _("Keep my work"),
        "export_html": _("Export (HTML, to read and print)"),
        # The bar's button (its accessible name is export_html, which starts with it).
        "export_short": _("Export"),
        "export_json": _("Export (JSON)"),
        "export_md": _("Export (Markdown)"),
        "export_done": _(
            "{count} answer(s) exported to {file}. Keep this file: it can be imported again."
        ),
        "export_failed": _(
            "The export could not be made. Your answers are not lost: keep this page open, check "
            "your connection and try again, or copy your answers into a document."
        ),
        "export_intro": _(
            "Your answers, exported from the workbook. To bring them back: « My workbook », « "
            "Import a file… »."
        ),
        "exported_on": _("Exported on {date}"),
        "export_incomplete": _(
            "{file} holds all your answers, but without the questions (no connection). It can be "
            "imported. For a complete file, reconnect, then export again."
        ),
        "export_by_box": _("Your answers, box by box"),
        "export_file_incomplete": _(
            "Made without the list of questions (no connection): the answers are listed by box."
        ),
        "export_kept_newer": _(
            "Saved by a newer version of the workbook: kept as it is in this file."
        ),
        "export_kept_unreadable": _("Unreadable: kept as it is in this file."),
        "mc_kept_newer": _(
            "Saved by a newer version of the workbook: kept as it is in this browser and in your "
            "exports."
        ),
        "mc_kept_unreadable": _(
            "Unreadable here: kept as it is in this browser and in your exports."
        ),
        "mc_export_kept": _(
            "{n} answer(s) saved by a newer version of the workbook or unreadable here are in it "
            "as they are."
        ),
        "mc_share": _("Send my workbook…"),
        "import": _("Import a file…"),
        "print": _("Print"),
        "erase": _("Erase my answers"),
        "no_answer": _("No answer yet"),
        "other_answers": _("Other answers kept in this browser"),
        "last_export": _("Last export: {date}."),
        "never_exported": _("Your answers have never been exported."),
        "persisted_yes": _(
            "This browser agreed to keep your answers even when it runs out of space (clearing "
            "the site's data still deletes them)."
        ),
        "persisted_no": _(
            "This browser has not promised to keep your answers: it may delete them when it runs "
            "out of space. Export them regularly."
        ),
        "persisted_unknown": _(
            "This browser does not say whether it will keep your answers. Export them regularly."
        ),
        "home_title": _("Keep my workbook on an iPhone or iPad"),
        "home_why": _(
            "On iPhone and iPad, Safari deletes what a site saved when it has not been opened "
            "for 7 days of use. A workbook added to the Home Screen keeps its answers, and "
            "opens without network."
        ),
        "home_step_safari": _("Open this workbook in Safari."),
        "home_step_share": _("Touch the Share button (the square with an arrow pointing up)."),
        "home_step_add": _("Choose « Add to Home Screen », then « Add »."),
        "home_step_move": _(
            "The workbook opened from its icon keeps its own answers: export your answers "
            "here first (« Export »), then import the file in the workbook opened from the "
            "icon."
        ),
        "home_installed": _(
            "This workbook is open as an app from the Home Screen: its answers are kept here, "
            "even offline."
        ),
        "safari_note": _(
            "Safari deletes a site's data after 7 days of use without a visit to it: export your "
            "answers regularly and keep the file."
        ),
        "reminder": _(
            "Your answers have changed since your last export. Keep a copy in a file: browsers "
            "can delete them."
        ),
        "reminder_export": _("Export now"),
        "reminder_dismiss": _("Later"),
        "import_title": _("Import answers"),
        "import_too_large": _(
            "This file is too large to import: more than {limit}, the size of the largest export "
            "a full browser storage can give. Nothing was changed."
        ),
        "import_size_mb": _("{n} MB"),
        "import_not_ours": _(
            "This file is not a workbook export (the HTML or JSON file made by « Export »). "
            "Nothing was changed."
        ),
        "import_damaged": _(
            "This file looks like a workbook export but it is damaged or incomplete. Nothing was "
            "changed."
        ),
        "import_newer": _(
            "This file was made by a newer version of the workbook: reload this page and try "
            "again. Nothing was changed."
        ),
        "import_other_book": _(
            "This file belongs to another workbook ({book}). Nothing was changed."
        ),
        "import_read_failed": _("This file could not be read. Nothing was changed."),
        "import_summary": _(
            "This file ({edition} edition, exported {date}) holds {count} answer(s)."
        ),
        "import_other_edition": _(
            "It comes from the {edition} edition; this workbook is the {current} edition: only "
            "the boxes both editions have are imported."
        ),
        "import_new": _("{n} new answer(s)."),
        "import_different": _(
            "{n} answer(s) different from this browser's, which will be replaced:"
        ),
        "import_same": _("{n} answer(s) already identical."),
        "import_unknown": _("{n} box(es) this edition does not have, not imported:"),
        "import_wrong_kind": _(
            "{n} answer(s) of the wrong kind (a drawing for a text box, or text for a "
            "drawing), not imported:"
        ),
        "import_protected": _(
            "{n} answer(s) saved by a newer version or unreadable here, kept as they are:"
        ),
        "import_raw": _(
            "{n} answer(s) that the exporting browser could not read (newer version or "
            "damaged), kept in the file, not imported:"
        ),
        "import_changed": _(
            "Answers changed in another tab while this window was open: nothing was imported. "
            "Here is what the import would do now."
        ),
        "import_confirm": _("Import"),
        "cancel": _("Cancel"),
        "import_nothing": _("Nothing to import: this browser already holds these answers."),
        "import_done": _("{count} answer(s) imported."),
        "import_failed": _(
            "The import failed (storage full or blocked): every answer was put back as it was; "
            "nothing was imported."
        ),
        "import_failed_restore": _(
            "The import failed and some answers could not be put back as they were: reload the "
            "page and check your answers."
        ),
        "erase_title": _("Erase my answers?"),
        "erase_detail": _(
            "This erases for good the {count} answer(s) of this workbook ({edition} edition) kept"
            " in this browser. Other workbooks and editions are not touched. Export them first if"
            " you want to keep them."
        ),
        "erase_kept": _(
            "{n} answer(s) saved by a newer version of the workbook or unreadable here, which this"
            " page cannot show, are erased too (an export keeps them as they are):"
        ),
        "erase_export_first": _("Export first (HTML)"),
        "erase_confirm": _("Erase for good"),
        "erase_done": _("Your answers were erased from this browser."),
        "erase_failed": _("Some answers could not be erased. Reload the page and try again."),
    }


def build_strings() -> dict[str, str]:
    """Strings the build writes into pages (« Mon cahier » fallbacks), in its language."""
    return {
        "summary_needs_js": _(
            "This page shows your answers when JavaScript is enabled in your browser."
        ),
        "summary_paper": _("In the web workbook, this page gathers all your answers."),
        # After a level's name when participants may leave it empty (``optional: true``).
        "level_optional": _("optional"),
    }
