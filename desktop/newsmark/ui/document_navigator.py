"""The document list's controller: listing, moving between documents, decisions."""

from __future__ import annotations

from PySide6.QtCore import QObject

from newsmark.domain.status import Status
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.dialogs.preferences_dialog import Preferences
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.document_panel import DocumentPanel
from newsmark.ui.views.status_bar import StatusBar

DECISIONS = ("accept", "reject", "skip")
DONE_WORDS = {Status.ACCEPTED: "Accepted", Status.REJECTED: "Rejected", Status.SKIPPED: "Skipped"}


class DocumentNavigator(QObject):
    """Keeps the Documents panel in step with the session; owns the document actions
    (next, previous, next unfinished, find, accept, reject, skip). No signals."""

    def __init__(
        self,
        panel: DocumentPanel,
        session: DocumentSession,
        status: StatusBar,
        actions: ActionRegistry,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.panel, self.session, self.status, self.actions = panel, session, status, actions
        panel.document_selected.connect(session.open)
        panel.filter_changed.connect(self.relist)
        session.documents_listed.connect(panel.set_rows)
        session.counts_changed.connect(panel.set_counts)
        session.summary_changed.connect(panel.update_row)
        session.document_opened.connect(self._update_actions)
        session.document_opened.connect(self._forget_back)
        actions.bind("find_document", panel.focus_search)
        actions.bind("next_document", lambda: self.step(+1))
        actions.bind("previous_document", lambda: self.step(-1))
        actions.bind("next_unfinished", self.next_unfinished)
        actions.bind("accept", lambda: self.decide(Status.ACCEPTED))
        actions.bind("reject", lambda: self.decide(Status.REJECTED))
        actions.bind("skip", lambda: self.decide(Status.SKIPPED))
        self.auto_advance = True  # after a decision, open the next unfinished document
        # (decided doc id, the doc opened after it, that doc's undo index on arrival)
        self._back: tuple[int, int, int] | None = None
        session.before_undo = self._undo_decision
        self._update_actions()

    def load(self, select_first: bool = True) -> None:
        """List the documents and open the first one (or keep the current one); with
        assignments in the database, the annotator's queue first."""
        self.panel.show_queue_choice(self.session.has_assignments())
        self.relist()
        if select_first and self.panel.current_id is None:
            first = self.panel.model.doc_id_at(0)
            if first is not None:
                self.panel.select(first)

    def relist(self) -> None:
        panel = self.panel
        panel_filter = (panel.status, panel.search_text, panel.sort)
        self.session.list_documents(*panel_filter, queue_only=panel.queue_only)

    def is_listed(self, doc_id: int) -> bool:
        """Whether the list holds the document among the rows fetched so far."""
        return self.panel.model.row_of(doc_id) is not None

    def select(self, doc_id: int) -> bool:
        """Open the document through the list (selected there); False if it is not listed."""
        return self.panel.select(doc_id)

    def step(self, delta: int) -> None:
        doc_id = self.panel.step(delta)
        if doc_id is not None:
            self.panel.select(doc_id)

    def next_unfinished(self) -> None:
        doc_id = self.panel.next_unfinished()
        if doc_id is None:
            self.status.showMessage("Every listed document is decided", 4000)
        else:
            self.panel.select(doc_id)

    def decide(self, status: Status) -> None:
        """Store the decision (an undo step); with auto-advance on, open the next
        unfinished document, and say in the status bar where it went."""
        self._back = None
        decided = self.session.document
        if decided is None or not self.session.set_status(status):
            return
        said = DONE_WORDS.get(status, status.value.replace("_", " ").capitalize())
        if not self.auto_advance:
            self.status.showMessage(f"{said} · stayed on this document (auto-advance is off)", 6000)
            return
        target = self.panel.next_unfinished()
        if target is None or target == decided.id or not self.panel.select(target):
            self.status.showMessage(f"{said} · every listed document is decided", 6000)
            return
        opened = self.session.document
        title = opened.title if opened is not None else "?"
        self.status.showMessage(f"{said} · opened “{title}” (next unfinished)", 6000)
        stack = self.session.undo_group.activeStack()
        self._back = (decided.id, target, stack.index() if stack is not None else 0)
        self.actions["undo"].setEnabled(True)  # Ctrl+Z takes the decision back

    def use_preferences(self, prefs: Preferences) -> None:
        self.auto_advance = prefs.auto_advance

    def _forget_back(self, *_: object) -> None:
        self._back = None  # another document opened: Ctrl+Z is an ordinary undo again

    def _undo_decision(self) -> bool:
        """Ctrl+Z right after an auto-advance (nothing done here since): go back to the
        decided document and undo the decision there. False: an ordinary undo."""
        back, self._back = self._back, None
        doc = self.session.document
        stack = self.session.undo_group.activeStack()
        if back is None or doc is None or doc.id != back[1]:
            return False
        if stack is not None and stack.index() != back[2]:
            return False  # edited here since: Ctrl+Z undoes that edit
        if not self.panel.select(back[0]):
            return False
        decided = self.session.undo_group.activeStack()
        if decided is None or not decided.canUndo():
            return True
        title = self.session.document.title if self.session.document else "?"
        what = decided.undoText()
        decided.undo()
        self.status.showMessage(f"Undid {what} · back to “{title}”", 6000)
        return True

    def show_imported(self, ids: list[int]) -> None:
        """After an import: list again and open the first document it added or found."""
        self.session.refresh_list()
        if ids:
            self.panel.select(ids[0])

    def _update_actions(self, *_: object) -> None:
        writable = not self.session.readonly and self.session.annotations is not None
        self.actions.set_enabled(DECISIONS, writable)
