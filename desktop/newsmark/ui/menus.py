"""The menu bar, built from the window's actions (every action appears with its shortcut)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsmark.ui.main_window import MainWindow

DECISIONS = ("accept", "reject", "skip")
EDGE_ACTIONS = ("grow_span_end", "shrink_span_end", "grow_span_start", "shrink_span_start")


def build_menus(window: MainWindow) -> None:
    a = window.window_actions
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(a["open"])
    file_menu.addMenu(window.preferences.recent_menu)
    file_menu.addAction(a["find_document"])
    file_menu.addAction(a["export"])
    file_menu.addSeparator()
    file_menu.addAction(a["preferences"])
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])

    edit_menu = bar.addMenu("&Edit")
    for name in ("undo", "redo", "delete_span"):
        edit_menu.addAction(a[name])
    edit_menu.addSeparator()
    for name in ("next_span", "previous_span"):
        edit_menu.addAction(a[name])
    edges = edit_menu.addMenu("Span &edges")
    for name in EDGE_ACTIONS:
        edges.addAction(a[name])
    edit_menu.addSeparator()
    history = window.history_dock.toggleViewAction()
    history.setText("&History")
    edit_menu.addAction(history)

    label_menu = bar.addMenu("&Label")  # doubles as the label hotkey cheat-sheet
    label_menu.addActions(window.label_actions)
    label_menu.addSeparator()
    label_menu.addAction(a["apply_all"])

    quote_menu = bar.addMenu("&Quote")
    quote_menu.addAction(a["mark_quote"])
    quote_menu.addAction(a["same_speaker"])
    for name in ("speaker_by_click", "mark_cue", "cycle_kind", "next_unattributed"):
        quote_menu.addAction(a[name])
    speakers = quote_menu.addMenu("&Speaker")
    for n in range(1, 10):
        speakers.addAction(a[f"speaker_{n}"])

    doc_menu = bar.addMenu("&Document")
    for name in ("previous_document", "next_document", "next_unfinished"):
        doc_menu.addAction(a[name])
    doc_menu.addSeparator()
    for name in DECISIONS:
        doc_menu.addAction(a[name])
    doc_menu.addSeparator()
    doc_menu.addAction(a["rerun_model"])

    view_menu = bar.addMenu("&View")
    view_menu.addAction(window.documents_dock.toggleViewAction())
    view_menu.addAction(window.labels_dock.toggleViewAction())
    view_menu.addAction(window.quotes_dock.toggleViewAction())
    view_menu.addAction(window.entities_dock.toggleViewAction())
    view_menu.addAction(window.history_dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a["shortcuts"])
    help_menu.addAction(a["about"])
