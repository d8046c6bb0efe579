"""File › Open Recent: the documents opened last, kept in the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from newsmark.domain.document import Document
from newsmark.services.settings import Settings
from newsmark.ui.document_navigator import DocumentNavigator
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.import_controller import ImportController
from newsmark.ui.views.status_bar import StatusBar

RECENT_MAX = 10


class RecentDocuments(QObject):
    """Remembers each document the session opens and lists them in `menu`; no signals.

    A listed document opens through the list; one no longer stored is imported again
    from its file when that still exists.
    """

    def __init__(
        self,
        settings: Settings,
        session: DocumentSession,
        navigator: DocumentNavigator,
        importer: ImportController,
        status: StatusBar,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.settings, self.navigator, self.importer = settings, navigator, importer
        self.status = status
        self.menu = QMenu("Open &Recent", parent)
        self.menu.setObjectName("recent_menu")
        self._rebuild()
        session.document_opened.connect(self._remember)

    def _remember(self, document: Document, _aset: object) -> None:
        source = str(document.meta.get("source") or "") if document.meta else ""
        entry = {"doc_id": document.id, "title": document.title, "source": source}
        items = [r for r in self.settings.recent if r.get("doc_id") != document.id]
        self.settings.set_recent([entry, *items][:RECENT_MAX])
        self._rebuild()

    def _rebuild(self) -> None:
        self.menu.clear()
        items = self.settings.recent
        for n, item in enumerate(items, start=1):
            title = str(item.get("title") or f"Document {item.get('doc_id')}")
            action = QAction(f"&{n % 10} {title}" if n <= 10 else title, self.menu)
            action.setStatusTip(str(item.get("source") or ""))
            action.triggered.connect(lambda _=False, it=item: self.open(it))
            self.menu.addAction(action)
        if items:
            self.menu.addSeparator()
            clear = self.menu.addAction("&Clear the list")
            clear.triggered.connect(self.clear)
        self.menu.setEnabled(bool(items))

    def clear(self) -> None:
        self.settings.set_recent([])
        self._rebuild()

    def open(self, item: dict[str, Any]) -> None:
        """Select the document if it is stored; else import its file again if it exists."""
        doc_id = item.get("doc_id")
        if isinstance(doc_id, int) and self.navigator.is_listed(doc_id):
            self.navigator.select(doc_id)
            return
        source = Path(str(item.get("source") or ""))
        if item.get("source") and source.is_file():
            self.importer.import_paths([source])
        else:
            self.status.show_error(f"“{item.get('title')}” is no longer listed or on disk")
