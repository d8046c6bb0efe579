"""The document list's controller: listing, moving between documents, decisions."""

from __future__ import annotations

from PySide6.QtCore import QObject

from newsmark.domain.status import Status
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.document_panel import DocumentPanel
from newsmark.ui.views.status_bar import StatusBar

DECISIONS = ("accept", "reject", "skip")


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
        actions.bind("find_document", panel.focus_search)
        actions.bind("next_document", lambda: self.step(+1))
        actions.bind("previous_document", lambda: self.step(-1))
        actions.bind("next_unfinished", self.next_unfinished)
        actions.bind("accept", lambda: self.decide(Status.ACCEPTED))
        actions.bind("reject", lambda: self.decide(Status.REJECTED))
        actions.bind("skip", lambda: self.decide(Status.SKIPPED))
        self._update_actions()

    def load(self, select_first: bool = True) -> None:
        """List the documents and open the first one (or keep the current one)."""
        self.relist()
        if select_first and self.panel.current_id is None:
            first = self.panel.model.doc_id_at(0)
            if first is not None:
                self.panel.select(first)

    def relist(self) -> None:
        self.session.list_documents(self.panel.status, self.panel.search_text)

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
        if self.session.set_status(status):
            self.step(+1)

    def show_imported(self, ids: list[int]) -> None:
        """After an import: list again and open the first document it added or found."""
        self.session.refresh_list()
        if ids:
            self.panel.select(ids[0])

    def _update_actions(self, *_: object) -> None:
        writable = not self.session.readonly and self.session.annotations is not None
        self.actions.set_enabled(DECISIONS, writable)
