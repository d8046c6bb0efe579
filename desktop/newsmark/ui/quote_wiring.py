"""Wires quote attribution and entity tools into the window (keeps main_window short)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from newsmark.ui.entity_tools import EntityTools
from newsmark.ui.quote_editor import QuoteEditor
from newsmark.ui.views.entity_panel import EntityPanel

if TYPE_CHECKING:
    from newsmark.ui.main_window import MainWindow


@dataclass(frozen=True, slots=True)
class AnnotationTools:
    """What `install_quote_and_entity_tools` added to the window."""

    entity_panel: EntityPanel
    entities_dock: QDockWidget
    quote_editor: QuoteEditor
    entity_tools: EntityTools


def install_quote_and_entity_tools(window: MainWindow) -> AnnotationTools:
    """Adds the Entities dock, the QuoteEditor and EntityTools, and connects them.

    Call before build_menus (the View menu lists the Entities dock).
    """
    a, s = window.window_actions, window.session
    panel = EntityPanel(window)
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    # Beside the quotes under the article: the table needs the width for its counts.
    dock = window._dock("entities", "Entities", panel, bottom)
    window.tabifyDockWidget(window.quotes_dock, dock)
    window.quotes_dock.raise_()
    editor = QuoteEditor(window.article, s, window)
    tools = EntityTools(s, lambda: window.article.selected_span, window)
    hint = lambda text: window.status.showMessage(text, 4000)  # noqa: E731 - a tiny slot
    editor.hint_given.connect(hint)
    tools.hint_given.connect(hint)
    window.article.mention_clicked.connect(editor.attribute_to_mention)
    a["speaker_by_click"].triggered.connect(lambda: editor.attribute_to_mention(None))
    a["mark_cue"].triggered.connect(editor.mark_cue)
    a["cycle_kind"].triggered.connect(editor.cycle_kind)
    a["next_unattributed"].triggered.connect(editor.next_unattributed)
    a["apply_all"].triggered.connect(tools.apply_to_all)
    window.quotes.entity_chosen.connect(editor.attribute_to_entity)
    panel.edit_requested.connect(tools.edit)
    panel.merge_requested.connect(tools.merge)

    def show_entities(entities: object, counts: object) -> None:
        panel.set_entities(entities, counts)  # type: ignore[arg-type] # Signal(object)
        window.quotes.set_entities(entities)  # type: ignore[arg-type] # Signal(object)
        window.quotes.refresh_roster_soon()  # linked mentions show their entity's name

    tools.entities_changed.connect(show_entities)
    # Counts change with links and merges: re-read after the document or its quotes change.
    for changed in (s.document_opened, s.annotations_changed, s.quotes_changed, s.spans_changed):
        changed.connect(tools.refresh_soon)
    return AnnotationTools(panel, dock, editor, tools)
