"""Entity work in the window: the Entities panel, its edits and merges, "Apply to all mentions"."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from newsmark.commands.entity_commands import MergeEntitiesCommand, UpdateEntityCommand
from newsmark.commands.macro_command import MacroCommand
from newsmark.commands.span_commands import AddSpanCommand, SpanCommand, UpdateSpanCommand
from newsmark.domain.entities import Entity
from newsmark.domain.errors import NewsmarkError
from newsmark.domain.spans import Origin, Span
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.dialogs.apply_all_dialog import ApplyAllDialog, Occurrence
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.entity_panel import EntityPanel
from newsmark.ui.views.status_bar import StatusBar

REFRESH_DELAY_MS = 200


def occurrences(text: str, selected: Span, spans: list[Span]) -> list[Occurrence]:
    """Every other whole-word occurrence of the selected span's text, with what is there."""
    needle = text[selected.start : selected.end]
    out: list[Occurrence] = []
    if not needle.strip():
        return out
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    for m in pattern.finditer(text):
        start, end = m.span()
        if (start, end) == (selected.start, selected.end):
            continue
        same = next((s for s in spans if (s.start, s.end) == (start, end)), None)
        if same is not None:
            if same.label != selected.label:
                out.append(Occurrence(start, end, current=same.label))
            continue  # already labelled the same way
        clash = next((s for s in spans if s.start < end and start < s.end), None)
        blocked = f"overlaps {text[clash.start : clash.end]} ({clash.label})" if clash else None
        out.append(Occurrence(start, end, blocked=blocked))
    return out


class EntityTools(QObject):
    """Keeps the Entities panel current and turns its requests and "Apply to all
    mentions" (the action it owns) into undoable commands.

    Signals:
        entities_changed(object, object): the corpus entities and their counts, re-read.
        hint_given(str): a short message for the status bar.
    """

    entities_changed = Signal(object, object)
    hint_given = Signal(str)

    def __init__(
        self,
        panel: EntityPanel,
        article: ArticleView,
        session: DocumentSession,
        status: StatusBar,
        actions: ActionRegistry,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.session = session
        self._article = article
        self._parent = parent
        self.confirm: Callable[[ApplyAllDialog], bool] = lambda d: (
            d.exec() == QDialog.DialogCode.Accepted
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)  # once after a burst of edits
        self._timer.timeout.connect(self.refresh)
        self.hint_given.connect(status.show_hint)
        self.entities_changed.connect(panel.set_entities)
        panel.edit_requested.connect(self.edit)
        panel.merge_requested.connect(self.merge)
        actions.bind("apply_all", self.apply_to_all)
        actions.bind("merge_entities", self.merge_chosen)
        # Counts change with links and merges: re-read after the document or its quotes change.
        for changed in (
            session.document_opened,
            session.annotations_changed,
            session.quotes_changed,
            session.spans_changed,
        ):
            changed.connect(self.refresh_soon)

    def refresh_soon(self) -> None:
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        try:
            repo = self.session.repo
            entities, counts = repo.entities(), repo.entity_counts()
            labels = repo.entity_mention_labels()
        except NewsmarkError as exc:
            self.session.failed.emit(str(exc))
            return
        self.panel.model.set_mention_labels(labels)
        self.entities_changed.emit(entities, counts)

    def merge_chosen(self) -> None:
        """Ctrl+M: merge the two selected entities, else the proposed duplicate."""
        if not self.panel.merge_chosen():
            self.hint_given.emit(
                "Nothing to merge: select two entities, or pick a possible duplicate"
            )

    def _after_entity_edit(self) -> None:
        self.refresh()
        self.session.reload_annotations()  # quotes carry the entity's name too

    def _writable(self) -> bool:
        if self.session.readonly or self.session.document is None:
            self.hint_given.emit("Entities can be changed with a document open, not read-only")
            return False
        return True

    def edit(self, entity: Entity, changes: dict[str, str | None]) -> None:
        if not self._writable():
            self.refresh()  # put the table's old value back
            return
        command = UpdateEntityCommand(
            self.session.repo, entity, self.session.who, self._after_entity_edit, **changes
        )
        self.session.push(command)

    def merge(self, keep: Entity, drop: Entity) -> None:
        if not self._writable():
            return
        command = MergeEntitiesCommand(
            self.session.repo, keep, drop, self.session.who, self._after_entity_edit
        )
        if self.session.push(command):
            self.hint_given.emit(f"Merged “{drop.name}” into “{keep.name}” (Ctrl+Z undoes it)")

    def apply_to_all(self) -> bool:
        """Preview the other occurrences of the selected span's text; label the checked
        ones (relabel where a span already covers exactly that range) as ONE undo step."""
        s, span, doc = self.session, self._article.selected_span, self.session.document
        aset = s.annotations
        if span is None or aset is None or aset.id is None or doc is None or s.readonly:
            self.hint_given.emit("Select a labelled span first (click it, or Tab)")
            return False
        found = occurrences(doc.text, span, aset.spans)
        if not found:
            self.hint_given.emit(f"No other “{doc.text[span.start : span.end]}” to label")
            return False
        dialog = ApplyAllDialog(doc.text, span.label, found, self._parent)
        if not self.confirm(dialog):
            return False
        steps: list[SpanCommand] = []
        for occ in dialog.chosen():
            existing = next(
                (x for x in aset.spans if (x.start, x.end) == (occ.start, occ.end)), None
            )
            if existing is not None:
                steps.append(
                    UpdateSpanCommand(
                        s.repo, aset.id, existing, s.who, s.apply_changes, label=span.label
                    )
                )
            else:
                new = Span(occ.start, occ.end, span.label, Origin.HUMAN, entity_id=span.entity_id)
                steps.append(AddSpanCommand(s.repo, aset.id, new, s.who, s.apply_changes))
        if not steps:
            return False
        name = doc.text[span.start : span.end]
        return s.push(MacroCommand(f"Label all {len(steps)} “{name}” {span.label}", steps))
