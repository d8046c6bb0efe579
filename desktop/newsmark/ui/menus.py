"""The menu bar, built from the action registry (every action appears with its shortcut)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

from newsmark.domain.labels import LabelSet
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_navigator import DECISIONS
from newsmark.ui.quote_shaper import QUOTE_SHAPER_ACTIONS
from newsmark.ui.span_editor import EDGE_ACTIONS


def build_menus(
    bar: QMenuBar,
    actions: ActionRegistry,
    recent: QMenu,
    docks: Sequence[QDockWidget],
    history: QDockWidget,
) -> None:
    """Fill `bar`: `recent` goes under File, the View menu shows or hides each of `docks`,
    and the History dock's toggle also sits in Edit."""
    a = actions
    file_menu = bar.addMenu("&File")
    file_menu.addAction(a["open"])
    file_menu.addMenu(recent)
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
    history_toggle = history.toggleViewAction()
    history_toggle.setText("&History")
    edit_menu.addAction(history_toggle)

    label_menu = bar.addMenu("&Label")  # doubles as the label hotkey cheat-sheet
    label_menu.addActions(a.label_actions)
    after_labels = label_menu.addSeparator()
    label_menu.addAction(a["apply_all"])
    label_menu.addAction(a["merge_entities"])

    def relist_labels(_labels: LabelSet) -> None:
        for action in label_menu.actions():
            if action is after_labels:
                break
            label_menu.removeAction(action)
        label_menu.insertActions(after_labels, a.label_actions)

    a.labels_changed.connect(relist_labels)

    quote_menu = bar.addMenu("&Quote")
    quote_menu.addAction(a["mark_quote"])
    quote_menu.addAction(a["same_speaker"])
    for name in ("speaker_by_click", "mark_cue", "cue_by_click", "cycle_kind", "next_unattributed"):
        quote_menu.addAction(a[name])
    quote_menu.addAction(a["mark_speaker"])
    speakers = quote_menu.addMenu("&Speaker")
    for n in range(1, 10):
        speakers.addAction(a[f"speaker_{n}"])
    shape = quote_menu.addMenu("&Edit quote")
    shape.addActions([a[name] for name in QUOTE_SHAPER_ACTIONS])

    doc_menu = bar.addMenu("&Document")
    for name in ("previous_document", "next_document", "next_unfinished"):
        doc_menu.addAction(a[name])
    doc_menu.addSeparator()
    for name in DECISIONS:
        doc_menu.addAction(a[name])
    doc_menu.addSeparator()
    doc_menu.addAction(a["rerun_model"])

    view_menu = bar.addMenu("&View")
    view_menu.addActions([dock.toggleViewAction() for dock in docks])
    view_menu.addSeparator()
    view_menu.addAction(a["show_attributions"])
    view_menu.addSeparator()
    view_menu.addAction(a["model_vs_gold"])
    view_menu.addAction(a["agreement"])
    view_menu.addAction(a["review"])

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a["shortcuts"])
    help_menu.addAction(a["guidelines"])
    help_menu.addAction(a["about"])
