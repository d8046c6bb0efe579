"""The main window: composes the panels, their controllers, the docks and the menus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from newsmark import __version__
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document
from newsmark.domain.labels import LabelSet
from newsmark.services.settings import Settings
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.dialogs.agreement_controller import AgreementController
from newsmark.ui.dialogs.conflict_dialog import ConflictNotice
from newsmark.ui.dialogs.dashboard_controller import DashboardController
from newsmark.ui.dialogs.guidelines_dialog import show_guidelines
from newsmark.ui.dialogs.save_failed_dialog import SaveFailures
from newsmark.ui.document_navigator import DocumentNavigator
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.entity_tools import EntityTools
from newsmark.ui.export_controller import ExportController
from newsmark.ui.import_controller import ImportController
from newsmark.ui.menus import build_menus
from newsmark.ui.models_menu import ModelsMenu
from newsmark.ui.preferences_controller import PreferencesController
from newsmark.ui.quote_editor import QuoteEditor
from newsmark.ui.quote_shaper import QuoteShaper
from newsmark.ui.recent_documents import RecentDocuments
from newsmark.ui.review_controller import ReviewController
from newsmark.ui.span_editor import SpanEditor
from newsmark.ui.undo_history import UndoHistory
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.banner import Banner
from newsmark.ui.views.document_panel import DocumentPanel
from newsmark.ui.views.entity_panel import EntityPanel
from newsmark.ui.views.label_palette import LabelPalette
from newsmark.ui.views.overlay import KIND_LEGEND
from newsmark.ui.views.pending_banner import PendingBanner
from newsmark.ui.views.quote_panel import QuotePanel
from newsmark.ui.views.status_bar import StatusBar
from newsmark.ui.views.table_fit import StretchGuard
from newsmark.ui.window_state import (
    CENTRAL_MIN_WIDTH,
    WindowState,
    apply_default_layout,
    set_corners,
)
from newsmark.workers.nlp_worker import NlpWorker
from newsmark.workers.task_runner import TaskRunner

if TYPE_CHECKING:
    from newsmark.storage.repository import Repository

ABOUT = (
    "<h3>Newsmark {version}</h3><p>Annotate entities and quotations in news articles, "
    "pre-annotated by spaCy, saved as you go.</p>"
)


class MainWindow(QMainWindow):
    """Newsmark's window: builds the panels, hands each controller the panels it drives,
    the session, the status bar and the action registry, and lays out docks and menus.

    Controllers bind their own actions and follow the session themselves; the window
    owns Quit and About, its title, and drops. No signals of its own.
    """

    def __init__(
        self,
        repo: Repository,
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
        labels = labels or LabelSet()
        if settings is None:  # newsmark.ini beside window.ini; in memory without a data dir
            settings = Settings(settings_path.with_name("newsmark.ini") if settings_path else None)
        self.session = s = DocumentSession(
            repo, annotator, worker, readonly=readonly_reason is not None, parent=self
        )
        self.window_actions = a = ActionRegistry(labels, self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.follow(s, worker)
        self.tasks = tasks or TaskRunner(self)
        self._state = WindowState(settings_path)

        # Panels (widgets only) and where they sit.
        self.article = ArticleView(labels, self)
        self.documents = DocumentPanel(self)
        self.label_palette = LabelPalette(labels, self)
        self.quotes = QuotePanel(self)
        self.entity_panel = EntityPanel(self)
        self.history = UndoHistory(s, a, self)
        self._build_central(readonly_reason)
        self._build_docks()

        # Controllers: each binds its actions and follows the session.
        self.navigator = DocumentNavigator(self.documents, s, self.status, a, self)
        self.editor = SpanEditor(self.article, self.label_palette, s, self.status, a, self)
        self.quote_editor = QuoteEditor(self.article, self.quotes, s, self.status, a, self)
        self.quote_shaper = QuoteShaper(self.article, self.quotes, s, self.status, a, self)
        self.entity_tools = EntityTools(self.entity_panel, self.article, s, self.status, a, self)
        self.importer = ImportController(s, self.tasks, self.status, a, worker, self)
        self.exporter = ExportController(s, self.tasks, self.status, a, self)
        self.dashboard = DashboardController(s, self.tasks, worker, a, self)
        self.agreement = AgreementController(s, self.tasks, a, self)
        self.review = ReviewController(s, self.tasks, a, self)
        self.recent = RecentDocuments(settings, s, self.navigator, self.importer, self.status, self)
        self.preferences = PreferencesController(
            settings, s, self.status, a, self.article, self, worker=worker
        )
        self.navigator.auto_advance = settings.auto_advance
        self.preferences.preferences_changed.connect(self.navigator.use_preferences)
        self.save_failures = SaveFailures(s, self.pending_banner, self)  # dialog and banner
        self.conflicts = ConflictNotice(s, self.status, self)  # changed elsewhere: reloaded
        # Between controllers: one selection (the span editor's), entities as speakers.
        self.quotes.quote_selected.connect(self.editor.select_quote)
        self.article.quote_clicked.connect(self.editor.select_quote)
        self.editor.quote_edge_requested.connect(self.quote_shaper.move_edge)
        self.entity_tools.entities_changed.connect(self.quote_editor.show_entities)
        self.importer.imported.connect(self.navigator.show_imported)
        s.document_opened.connect(self._show_title)
        a.bind("quit", self.close)
        a.bind("about", self._about)
        a.bind("guidelines", lambda: show_guidelines(self))
        self._bind_show_attributions()
        self.setAcceptDrops(not s.readonly)
        docks = (
            self.documents_dock,
            self.labels_dock,
            self.quotes_dock,
            self.entities_dock,
            self.history_dock,
        )
        build_menus(self.menuBar(), a, self.recent.menu, docks, self.history_dock)
        # The Model menu (registered models, Train a model…) sits before Help.
        self.models_menu = ModelsMenu(
            repo, settings, worker, self.status, a, self, readonly=s.readonly
        )
        help_menu = next(m for m in self.menuBar().actions() if m.text() == "&Help")
        self.menuBar().insertMenu(help_menu, self.models_menu.menu)
        self.dashboard.train_and_score = self.models_menu.train_and_score  # learning curve
        self.resize(1280, 800)
        # The default dock sizes follow the window's size when it is first shown, unless
        # a dock state of this layout version was restored.
        self._default_layout_pending = not self._state.restore(self)

    def _bind_show_attributions(self) -> None:
        # A view toggle kept in window.ini beside the layout.
        action = self.window_actions["show_attributions"]
        action.setCheckable(True)
        action.setToolTip(f"{action.toolTip()}. {KIND_LEGEND}")
        action.setChecked(self._state.flag("show_attributions"))
        self.article.show_attributions(action.isChecked())

        def toggled() -> None:
            self.article.show_attributions(action.isChecked())
            self._state.set_flag("show_attributions", action.isChecked())

        self.window_actions.bind("show_attributions", toggled)

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
        central.setMinimumWidth(CENTRAL_MIN_WIDTH)  # narrow windows shrink the docks first
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.documents_dock = self._dock("documents", "Documents", self.documents, left)
        self.labels_dock = self._dock("labels", "Labels", self.label_palette, right)
        # Under the article, tabbed: quotes, history, and the entities (whose table needs
        # the width for its counts).
        self.quotes_dock = self._dock("quotes", "Quotes", self.quotes, bottom)
        self.history_dock = self._dock("history", "History", self.history, bottom)
        self.entities_dock = self._dock("entities", "Entities", self.entity_panel, bottom)
        self.tabifyDockWidget(self.quotes_dock, self.history_dock)
        self.tabifyDockWidget(self.quotes_dock, self.entities_dock)
        self.quotes_dock.raise_()
        set_corners(self)  # the bottom docks span the window: the quote text gets the width
        self.quote_columns = StretchGuard(self.quotes.table, stretch=0, share=0.55)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._default_layout_pending:
            self._default_layout_pending = False
            apply_default_layout(self, self.documents_dock, self.labels_dock, self.quotes_dock)

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

    def _show_title(self, document: Document, _aset: AnnotationSet | None) -> None:
        self.setWindowTitle(f"{document.title} — Newsmark")

    def load(self, select_first: bool = True) -> None:
        """List the documents and open the first one (or keep the current one)."""
        self.navigator.load(select_first)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importer.import_paths(paths)

    def _about(self) -> None:
        QMessageBox.about(self, "About Newsmark", ABOUT.format(version=__version__))

    def save_settings(self) -> None:
        self._state.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.models_menu.shutdown()  # a training run in progress ends first
        super().closeEvent(event)
