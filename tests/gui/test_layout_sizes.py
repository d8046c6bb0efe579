"""The default layout at small and large window sizes, and dock states of older layouts."""

from __future__ import annotations

from pathlib import Path

from gui_support import MODEL_TIMEOUT_MS, save_shot
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtTest import QTest

from newsmark.services.workspace import Workspace
from newsmark.ui.main_window import MainWindow
from newsmark.ui.window_state import LAYOUT_VERSION
from newsmark.workers.nlp_worker import NlpWorker

SHOTS = Path("/tmp/shots")
MIN_DOCK_WIDTH, MIN_DOCK_HEIGHT = 140, 120
MIN_QUOTE_COLUMN = 300


def shown(qtbot, workspace: Workspace, width: int, height: int, **kwargs) -> MainWindow:
    win = MainWindow(
        workspace.repo,
        workspace.annotator,
        settings_path=workspace.data_dir / "window.ini",
        **kwargs,
    )
    qtbot.addWidget(win)
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    QTest.qWait(50)  # the dock layout settles after the first show
    return win


def with_quotes(qtbot, win: MainWindow, worker: NlpWorker) -> None:
    worker.start()  # the open document is predicted: its quotes fill the table
    qtbot.waitUntil(lambda: win.quotes.model.rowCount() > 0, timeout=MODEL_TIMEOUT_MS)


def assert_usable(win: MainWindow) -> None:
    for dock in (win.documents_dock, win.labels_dock, win.quotes_dock):
        assert dock.isVisible(), dock.objectName()
        assert dock.width() >= MIN_DOCK_WIDTH, (dock.objectName(), dock.size())
        assert dock.height() >= MIN_DOCK_HEIGHT, (dock.objectName(), dock.size())
    for dock in (win.history_dock, win.entities_dock):  # tabbed with the quotes
        dock.raise_()
        QTest.qWait(20)
        assert dock.width() >= MIN_DOCK_WIDTH and dock.height() >= MIN_DOCK_HEIGHT
    win.quotes_dock.raise_()
    QTest.qWait(20)
    quote_column = win.quotes.table.horizontalHeader().sectionSize(0)
    assert quote_column >= MIN_QUOTE_COLUMN, quote_column
    assert win.article.width() >= 300


def rows_that_fit(win: MainWindow) -> float:
    table = win.quotes.table
    return table.viewport().height() / table.verticalHeader().defaultSectionSize()


def test_every_panel_is_usable_at_1024x700(qtbot, workspace, worker):
    win = shown(qtbot, workspace, 1024, 700, worker=worker)
    assert_usable(win)
    with_quotes(qtbot, win, worker)
    save_shot(win, SHOTS / "layout-1024x700.png")
    win.close()


def test_a_window_shrunk_after_showing_keeps_the_quote_column(qtbot, window):
    window.resize(1024, 700)
    QTest.qWait(50)
    assert_usable(window)


def test_the_quote_table_shows_eight_rows_at_1600x1000(qtbot, workspace, worker):
    win = shown(qtbot, workspace, 1600, 1000, worker=worker)
    assert rows_that_fit(win) >= 8
    assert_usable(win)
    with_quotes(qtbot, win, worker)
    save_shot(win, SHOTS / "layout-1600x1000.png")
    win.close()


def test_a_dock_state_from_an_older_layout_is_not_restored(qtbot, workspace):
    ini = workspace.data_dir / "window.ini"
    old = MainWindow(workspace.repo, workspace.annotator)  # no settings file: not saved
    qtbot.addWidget(old)
    # The old default: side docks over the full height, the quotes under the article only.
    old.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    old.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    old.resize(1024, 700)
    old.show()
    old.resizeDocks([old.documents_dock, old.labels_dock], [300, 190], Qt.Orientation.Horizontal)
    QTest.qWait(50)
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", old.saveGeometry())
    settings.setValue("window/state", old.saveState())  # what the old version wrote
    settings.sync()
    old.close()

    win = shown(qtbot, workspace, 1024, 700)
    assert win.size().width() == 1024  # the geometry is kept
    assert win.quotes_dock.width() == win.width()  # the new layout, not the old state
    assert_usable(win)

    win.close()  # saves the new layout, with its version
    saved = QSettings(str(ini), QSettings.Format.IniFormat)
    assert int(saved.value("window/layout_version")) == LAYOUT_VERSION
    again = shown(qtbot, workspace, 1024, 700)
    assert isinstance(
        QSettings(str(ini), QSettings.Format.IniFormat).value("window/state"), QByteArray
    )
    assert again.quotes_dock.width() == again.width()
    assert_usable(again)
    again.close()


def test_the_start_preview_takes_a_saved_dock_layout_as_the_window_does(qtbot, workspace):
    from PySide6.QtCore import QPoint

    from newsmark.storage.peek import FirstDocument
    from newsmark.ui.start_preview import Preview

    ini = workspace.data_dir / "window.ini"
    first = shown(qtbot, workspace, 1400, 900)
    first.resizeDocks([first.documents_dock], [360], Qt.Orientation.Horizontal)
    first.resizeDocks([first.quotes_dock], [300], Qt.Orientation.Vertical)
    QTest.qWait(50)
    first.close()  # saves the user's layout

    doc = first.session.document
    preview = Preview(FirstDocument(doc.id, doc.title, doc.text), ini, workspace.settings)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    again = shown(qtbot, workspace, 1400, 900)
    again.restoreGeometry(preview.saveGeometry())
    QTest.qWait(50)
    assert again.documents_dock.width() > 300  # the saved layout, not the default

    def place(win):
        viewport = win.article.viewport()
        return viewport.mapTo(win, QPoint(0, 0)).toTuple(), viewport.size().toTuple()

    assert place(preview) == place(again)
    again.close()
