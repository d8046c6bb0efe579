"""The main window: wires the document list, label palette and article view together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from newsmark import __version__
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.services.settings import Settings
from newsmark.ui.actions import Actions, label_actions
from newsmark.ui.dialogs.save_failed_dialog import SaveFailures
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.import_controller import ImportController
from newsmark.ui.menus import DECISIONS, EDGE_ACTIONS, build_menus
from newsmark.ui.preferences_controller import PreferencesController
from newsmark.ui.quote_wiring import install_quote_and_entity_tools
from newsmark.ui.span_editor import SpanEditor
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.banner import Banner
from newsmark.ui.views.document_panel import DocumentPanel
from newsmark.ui.views.label_palette import LabelPalette
from newsmark.ui.views.pending_banner import PendingBanner
from newsmark.ui.views.quote_panel import QuotePanel
from newsmark.ui.views.status_bar import StatusBar
from newsmark.ui.window_state import WindowState
from newsmark.workers.nlp_worker import NlpWorker
from newsmark.workers.task_runner import TaskRunner

ABOUT = (
    "<h3>Newsmark {version}</h3><p>Annotate entities and quotations in news articles, "
    "pre-annotated by spaCy, saved as you go.</p>"
)


class MainWindow(QMainWindow):
    """Newsmark's window. Panels own their widgets; this class only connects them.

    No signals of its own: panels and the DocumentSession carry them.
    """

    def __init__(
        self,
        repo: Any,
        annotator: str,
        *,
        labels: LabelSet | None = None,
        worker: NlpWorker | None = None,
        settings_path: Path | None = None,
        readonly_reason: str | None = None,
        tasks: TaskRunner | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("Newsmark")
        self.labels = labels or LabelSet()
        self.session = DocumentSession(
            repo, annotator, worker, readonly=readonly_reason is not None, parent=self
        )
        self.window_actions = Actions(self)
        self.label_actions = label_actions(self.labels, self)
        self.article = ArticleView(self.labels, self)
        self.editor = SpanEditor(self.article, self.session, self)
        self.documents = DocumentPanel(self)
        self.label_palette = LabelPalette(self.labels, self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.tasks = tasks or TaskRunner(self)
        self.importer = ImportController(repo, self.tasks, self.status, self)
        self.setAcceptDrops(not self.session.readonly)
        self._state = WindowState(settings_path)

        self._build_central(readonly_reason)
        self.quotes = QuotePanel(self)
        self.history = QUndoView(self.session.undo_group, self)
        self.history.setEmptyLabel("Opened")
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.documents_dock = self._dock("documents", "Documents", self.documents, left)
        self.labels_dock = self._dock("labels", "Labels", self.label_palette, right)
        self.quotes_dock = self._dock("quotes", "Quotes", self.quotes, bottom)
        self.history_dock = self._dock("history", "History", self.history, bottom)
        self.tabifyDockWidget(self.quotes_dock, self.history_dock)
        self.quotes_dock.raise_()
        self.tools = install_quote_and_entity_tools(self)  # Entities dock, quote/entity tools
        self.entities_dock = self.tools.entities_dock
        if settings is None:  # newsmark.ini beside window.ini; in memory without a data dir
            settings = Settings(settings_path.with_name("newsmark.ini") if settings_path else None)
        self.preferences = PreferencesController(self, settings)
        build_menus(self)
        self._connect(worker)
        self._update_actions()
        self.resize(1280, 800)
        # Side docks run the full height; quotes and history sit under the article.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks(
            [self.documents_dock, self.labels_dock], [300, 190], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.quotes_dock], [190], Qt.Orientation.Vertical)
        self._state.restore(self)

    def _build_central(self, readonly_reason: str | None) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = Banner(central)
        self.banner.set_message(f"Read-only: {readonly_reason}" if readonly_reason else None)
        layout.addWidget(self.banner)
        self.pending_banner = PendingBanner(central)  # edits the database refused to store
        layout.addWidget(self.pending_banner)
        layout.addWidget(self.article, 1)
        self.setCentralWidget(central)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}_dock")  # saveState keys docks by object name
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _connect(self, worker: NlpWorker | None) -> None:
        a, s = self.window_actions, self.session
        a["quit"].triggered.connect(self.close)
        a["open"].triggered.connect(self.importer.ask)
        a["open"].setEnabled(not s.readonly)
        self.importer.imported.connect(self._on_imported)
        a["about"].triggered.connect(self._about)
        a["find_document"].triggered.connect(self.documents.focus_search)
        a["next_document"].triggered.connect(lambda: self.step(+1))
        a["previous_document"].triggered.connect(lambda: self.step(-1))
        a["accept"].triggered.connect(lambda: self.decide(Status.ACCEPTED))
        a["reject"].triggered.connect(lambda: self.decide(Status.REJECTED))
        a["skip"].triggered.connect(lambda: self.decide(Status.SKIPPED))
        a["undo"].triggered.connect(s.undo_group.undo)
        a["redo"].triggered.connect(s.undo_group.redo)
        e = self.editor
        a["delete_span"].triggered.connect(e.delete_selected)
        a["next_span"].triggered.connect(lambda: e.select_next(True))
        a["previous_span"].triggered.connect(lambda: e.select_next(False))
        a["grow_span_end"].triggered.connect(lambda: e.resize_selected("end", True))
        a["shrink_span_end"].triggered.connect(lambda: e.resize_selected("end", False))
        a["grow_span_start"].triggered.connect(lambda: e.resize_selected("start", False))
        a["shrink_span_start"].triggered.connect(lambda: e.resize_selected("start", True))
        e.span_selected.connect(self._update_actions)
        a["mark_quote"].triggered.connect(e.mark_quote)
        a["same_speaker"].triggered.connect(e.same_speaker_as_previous)
        for n in range(1, 10):
            a[f"speaker_{n}"].triggered.connect(lambda _=False, n=n: e.attribute_speaker(n))
        s.quotes_changed.connect(self._show_quote_changes)
        e.hint_given.connect(lambda text: self.status.showMessage(text, 4000))
        a["next_unfinished"].triggered.connect(self.next_unfinished)
        a["shortcuts"].triggered.connect(self.preferences.show_shortcuts)
        s.undo_group.canUndoChanged.connect(a["undo"].setEnabled)
        s.undo_group.canRedoChanged.connect(a["redo"].setEnabled)
        for action in self.label_actions:
            name = str(action.data())
            action.triggered.connect(lambda _=False, n=name: e.label_selection(n))
        self.label_palette.label_clicked.connect(e.label_selection)
        self.article.span_clicked.connect(e.select_span)
        self.quotes.quote_selected.connect(self.editor.select_quote)
        self.quotes.set_roster_source(
            lambda: (self.article.text, s.annotations.spans if s.annotations else [])
        )
        for changed in (s.document_opened, s.annotations_changed, s.spans_changed):
            changed.connect(self.quotes.refresh_roster_soon)
        self.documents.document_selected.connect(s.open)
        self.documents.filter_changed.connect(
            lambda: s.list_documents(self.documents.status, self.documents.search_text)
        )
        s.documents_listed.connect(self.documents.set_rows)
        s.counts_changed.connect(self.documents.set_counts)
        s.summary_changed.connect(self.documents.update_row)
        s.document_opened.connect(self._show_document)
        s.annotations_changed.connect(self._show_annotations)
        s.spans_changed.connect(self._show_span_changes)
        s.prediction_requested.connect(lambda *_: self.status.show_busy("Pre-annotating…"))
        s.saved.connect(self.status.show_saved)
        s.failed.connect(self.status.show_error)
        self.save_failures = SaveFailures(s, self.pending_banner, self)  # dialog and banner
        if worker is not None:
            self.importer.set_ready(False)  # until spaCy is imported (see ImportController)
            worker.model_loaded.connect(lambda *_: self.importer.set_ready(True))
            worker.model_failed.connect(lambda *_: self.importer.set_ready(True))
            worker.model_loading.connect(self.status.show_model_loading)
            worker.model_loaded.connect(self.status.show_model_loaded)
            worker.model_failed.connect(self.status.show_model_failed)

    # -- reacting ---------------------------------------------------------------------
    def _show_document(self, document: Document, aset: AnnotationSet | None) -> None:
        self.setWindowTitle(f"{document.title} — Newsmark")
        spans = aset.spans if aset else []
        quotes = aset.quotes if aset else []
        accepted = aset is not None and aset.status is Status.ACCEPTED
        self.article.set_document(document, spans, quotes, confirmed=accepted)
        self.quotes.set_quotes(document.text, quotes)
        self._show_counts(aset)
        self._update_actions()

    def _show_annotations(self, aset: AnnotationSet) -> None:
        self.article.set_confirmed(aset.status is Status.ACCEPTED)
        self.article.set_annotations(aset.spans, aset.quotes)
        self.quotes.set_quotes(self.article.text, aset.quotes)
        self.editor.follow(aset)
        self._show_counts(aset)
        self.status.show_document_status(aset.status, len(aset.spans), len(aset.quotes))

    def _show_span_changes(self, removed: list[Span], added: list[Span]) -> None:
        self.article.update_spans(removed, added)
        self.editor.follow_change(removed, added)
        self._show_counts(self.session.annotations)

    def _show_quote_changes(self, removed: list[Quote], added: list[Quote]) -> None:
        aset = self.session.annotations
        quotes = aset.quotes if aset else []
        self.article.set_quotes(quotes)
        self.quotes.set_quotes(self.article.text, quotes)
        self.editor.follow_quote_change(removed, added)
        self._show_counts(aset)

    def _show_counts(self, aset: AnnotationSet | None) -> None:
        counts: dict[str, int] = {}
        for span in aset.spans if aset else []:
            counts[span.label] = counts.get(span.label, 0) + 1
        self.label_palette.set_counts(counts)
        if aset is not None:
            self.status.show_document_status(aset.status, len(aset.spans), len(aset.quotes))

    def _update_actions(self, *_: object) -> None:
        a = self.window_actions
        writable = not self.session.readonly and self.session.annotations is not None
        a.set_enabled(DECISIONS, writable)
        has_span = writable and self.article.selected_span is not None
        a.set_enabled(EDGE_ACTIONS, has_span)
        a["delete_span"].setEnabled(writable)  # the span, else the quote, selected
        a["undo"].setEnabled(self.session.undo_group.canUndo())
        a["redo"].setEnabled(self.session.undo_group.canRedo())
        for action in self.label_actions:
            action.setEnabled(writable)

    # -- commands ---------------------------------------------------------------------
    def load(self, select_first: bool = True) -> None:
        """List the documents and open the first one (or keep the current one)."""
        self.session.list_documents(self.documents.status, self.documents.search_text)
        if select_first and self.documents.current_id is None:
            first = self.documents.model.doc_id_at(0)
            if first is not None:
                self.documents.select(first)

    def step(self, delta: int) -> None:
        doc_id = self.documents.step(delta)
        if doc_id is not None:
            self.documents.select(doc_id)

    def _on_imported(self, ids: list[int]) -> None:
        self.session.refresh_list()
        if ids:
            self.documents.select(ids[0])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importer.import_paths(paths)

    def next_unfinished(self) -> None:
        doc_id = self.documents.next_unfinished()
        if doc_id is None:
            self.status.showMessage("Every listed document is decided", 4000)
        else:
            self.documents.select(doc_id)

    def all_actions(self) -> list[QAction]:
        return [*self.window_actions, *self.label_actions]

    def decide(self, status: Status) -> None:
        if self.session.set_status(status):
            self.step(+1)

    def _about(self) -> None:
        QMessageBox.about(self, "About Newsmark", ABOUT.format(version=__version__))

    def save_settings(self) -> None:
        self._state.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
