"""The start-up preview: the window's frame with the first document's text, painted
before SQLAlchemy and the window's modules load (app.run shows it, then the window)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsmark.ui.appearance import (
    ARTICLE_POINT_SIZE,
    PAGE_MARGIN,
    apply_appearance,
    article_font,
    style_page,
)

if TYPE_CHECKING:
    from newsmark.services.settings import Settings
    from newsmark.storage.peek import FirstDocument

# ArticleView's look (ui/views/article_view.py), repeated so the preview paints before
# that module and its imports load; a test keeps the two equal.
MEASURE_CHARS = 72


class PreviewArticle(QPlainTextEdit):
    """Read-only text that looks like ArticleView: font, page colour, margins, measure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_page(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        measure = self.fontMetrics().horizontalAdvance("n") * MEASURE_CHARS
        side = max(0, (self.width() - measure) // 2 - PAGE_MARGIN)
        self.setViewportMargins(side, 0, side, 0)


class Preview(QMainWindow):
    """The first document's text, read-only, shown while the real window loads.

    Painted before SQLAlchemy and the window's modules are imported (storage.peek reads
    it with sqlite3). It is the real window's frame with empty docks: the same geometry
    and dock layout (window.ini or the default), menu and status bar, and the article
    in the window's look, theme and font (newsmark.ini), so the article does not move
    when the real window replaces it (tests/gui/test_app.py compares the two).
    """

    def __init__(
        self,
        document: FirstDocument,
        window_settings: Path | None = None,
        settings: Settings | None = None,
    ) -> None:
        from newsmark.ui.window_state import (
            BOTTOM_DOCKS,
            CENTRAL_MIN_WIDTH,
            SIDE_DOCKS,
            WindowState,
            set_corners,
        )

        super().__init__()
        self.setObjectName("preview_window")
        title = document.title or "Newsmark"
        self.setWindowTitle(f"{title} — Newsmark" if document.title else title)
        for menu in ("&File", "&Edit", "&Label", "&Quote", "&Document", "&View", "&Help"):
            self.menuBar().addMenu(menu)
        self.setStatusBar(self._status_bar())
        self.article = PreviewArticle(self)
        self._text: str | None = document.text  # set once shown, at the article's width
        if settings is not None:
            family, size = settings.font
            base = article_font()
            apply_appearance(settings.theme, family, size, self.article, base, ARTICLE_POINT_SIZE)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.article)
        central.setMinimumWidth(CENTRAL_MIN_WIDTH)
        self.setCentralWidget(central)
        area = Qt.DockWidgetArea
        docks = {}
        sides = (area.LeftDockWidgetArea, area.RightDockWidgetArea)
        for (name, title_), where in zip(SIDE_DOCKS, sides, strict=True):
            docks[name] = self._dock(name, title_, where)
        for name, title_ in BOTTOM_DOCKS:
            docks[name] = self._dock(name, title_, area.BottomDockWidgetArea)
        first = docks[BOTTOM_DOCKS[0][0]]
        for name, _ in BOTTOM_DOCKS[1:]:
            self.tabifyDockWidget(first, docks[name])
        first.raise_()
        set_corners(self)
        self.resize(1280, 800)
        self._docks = docks
        self._default_layout = not WindowState(window_settings).restore(self)

    def _status_bar(self) -> QStatusBar:
        # As ui/views/status_bar.py lays it out (its icons would load the icon font).
        status = QStatusBar(self)
        status.setSizeGripEnabled(True)
        for stretch in (0, 0, 1):
            status.addWidget(QLabel(status), stretch)
        task = QProgressBar(status)
        task.setMaximumSize(180, 14)
        cancel = QToolButton(status)
        cancel.setAutoRaise(True)
        cancel.setIconSize(QSize(16, 16))
        for widget in (task, cancel):
            status.addPermanentWidget(widget)
            widget.setVisible(False)
        status.addPermanentWidget(QLabel(status))
        status.addPermanentWidget(QLabel("Model: not loaded", status))
        return status

    def _dock(self, name: str, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}_dock")
        dock.setWidget(QWidget(dock))
        self.addDockWidget(area, dock)
        return dock

    def showEvent(self, event: QShowEvent) -> None:
        from newsmark.ui.window_state import BOTTOM_DOCKS, SIDE_DOCKS, apply_default_layout

        super().showEvent(event)
        if self._default_layout:
            self._default_layout = False
            left, right = (self._docks[name] for name, _ in SIDE_DOCKS)
            apply_default_layout(self, left, right, self._docks[BOTTOM_DOCKS[0][0]])
        if self._text is not None:
            # As the window does (its list opens the document after show): a text laid
            # out before the window has its size can keep a stale horizontal scroll bar.
            self.article.setPlainText(self._text)
            self._text = None
