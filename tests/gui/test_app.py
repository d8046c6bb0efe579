"""The composition root: logging, crash handler, refusing a bad database, first-run seeding."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from gui_support import MODEL_TIMEOUT_MS, save_shot

from newsmark import app as app_module
from newsmark.resources import seed_files
from newsmark.services.workspace import open_workspace


@pytest.fixture
def log_path(tmp_path: Path):
    root = logging.getLogger()
    before = list(root.handlers), root.level
    path = app_module.setup_logging(tmp_path, debug=False)
    yield path
    for handler in root.handlers[:]:
        if handler not in before[0]:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(before[1])


def test_logs_go_to_a_rotating_file_in_the_data_dir(log_path, tmp_path):
    assert log_path == tmp_path / "logs" / "newsmark.log"
    logging.getLogger("newsmark.test").info("hello from the test")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "hello from the test" in log_path.read_text()


def test_an_uncaught_exception_is_logged_and_shown_and_the_app_goes_on(qtbot, log_path):
    handler = app_module.CrashHandler(log_path)
    shown: list[tuple[str, str]] = []
    handler.show_dialog = lambda summary, details: shown.append((summary, details))
    handler.install()
    try:
        assert sys.excepthook is handler
        try:
            raise ValueError("span 3..1 is reversed")
        except ValueError:
            with qtbot.waitSignal(handler.crashed):
                sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: bool(shown))
    finally:
        handler.uninstall()
    summary, details = shown[0]
    assert summary == "ValueError: span 3..1 is reversed"
    assert "Traceback" in details
    for h in logging.getLogger().handlers:
        h.flush()
    assert "span 3..1 is reversed" in log_path.read_text()


def test_a_corrupt_database_is_refused_and_left_untouched(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "newsmark.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    messages: list[str] = []
    monkeypatch.setattr(app_module, "refuse", lambda message, parent=None: messages.append(message))
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        code = app_module.run(data, None, False, [])
    finally:
        for h in root.handlers[:]:
            if h not in handlers:
                h.close()
                root.removeHandler(h)
    assert code == 1
    assert len(messages) == 1 and str(db) in messages[0], messages
    assert db.read_bytes() == before


def test_first_run_seeds_in_a_task_and_opens_the_seed(qtbot, tmp_path):
    ws = open_workspace(tmp_path / "data", take_lock=True)
    backups = tmp_path / "data" / "backups"
    assert not backups.exists()  # opening takes no backup on the GUI thread
    root = app_module.Application(ws, None)
    qtbot.addWidget(root.window)
    try:
        with qtbot.waitSignal(root.seeded, timeout=MODEL_TIMEOUT_MS) as seeded:
            root.start()
        assert root.window.isVisible()
        assert seeded.args[0], "nothing was seeded"
        # The day's backup, taken by the start-up task after the first paint.
        assert [p.name.endswith("-daily.sqlite3") for p in backups.iterdir()] == [True]
        assert root.window.documents.model.rowCount() >= 1
        qtbot.waitUntil(
            lambda: "Model:" in root.window.status.model_label.text(), timeout=MODEL_TIMEOUT_MS
        )
        qtbot.waitUntil(lambda: bool(root.window.article.spans), timeout=MODEL_TIMEOUT_MS)
    finally:
        root.shutdown()
    assert (tmp_path / "data" / app_module.WINDOW_SETTINGS).is_file()


def test_a_second_instance_opens_read_only_with_a_banner(qtbot, tmp_path):
    from newsmark.services.workspace import seed_if_empty

    first = open_workspace(tmp_path / "data", take_lock=True)
    seed_if_empty(first)
    second = open_workspace(tmp_path / "data", take_lock=True)
    assert second.readonly
    root = app_module.Application(second, None)
    qtbot.addWidget(root.window)
    try:
        root.start()
        win = root.window
        assert win.banner.isVisible() and "another Newsmark" in win.banner.text()
        assert not win.window_actions["open"].isEnabled()
        assert win.documents.model.rowCount() == len(seed_files())
        # The model's prediction is shown but not written: nothing is touched.
        qtbot.waitUntil(lambda: bool(win.article.spans), timeout=MODEL_TIMEOUT_MS)
        doc_id = win.article.current_document.id
        assert first.repo.annotation_set(doc_id, second.annotator, create=False) is None
    finally:
        root.shutdown()
        first.close()


def _run_quietly(data: Path) -> int:
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        return app_module.run(data, None, False, [])
    finally:
        for h in root.handlers[:]:
            if h not in handlers:
                h.close()
                root.removeHandler(h)


def article_place(window) -> tuple[object, ...]:
    """Where and how a window shows its article: what the preview and the window share."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QFontInfo, QPalette

    article = window.article
    viewport = article.viewport()
    font = QFontInfo(article.font())
    return (
        window.geometry().getRect(),
        viewport.mapTo(window, QPoint(0, 0)).toTuple(),
        viewport.size().toTuple(),
        (font.family(), font.pointSize()),
        article.document().documentMargin(),
        article.palette().color(QPalette.ColorRole.Base).name(),
        article.palette().color(QPalette.ColorRole.Text).name(),
    )


def test_the_peeked_text_is_painted_first_then_the_real_window_opens_it(
    qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from newsmark.services.workspace import seed_if_empty

    data = tmp_path / "data"
    ws = open_workspace(data)
    ws.settings.set("annotator", "tester")
    seed_if_empty(ws)
    first_text = ws.repo.get_document(ws.repo.list_documents()[0].id).text
    ws.close()
    opened: list[app_module.Application] = []
    real_open = app_module._open

    def spy(*args, **kwargs):
        preview = args[3]
        assert preview is not None and preview.isVisible(), "the preview shows first"
        assert preview.article.toPlainText() == first_text
        placed.append(article_place(preview))
        save_shot(preview, Path("/tmp/shots/layout-first-paint.png"))
        root = real_open(*args, **kwargs)
        # Where the real window first paints its article, with the text in it.
        app_module.AfterFirstPaint(
            root.window.article,
            lambda: placed.append(article_place(root.window)),
            needs_text=True,
            fallback_ms=None,
        )
        opened.append(root)
        root.seeded.connect(lambda _: seeded.append(True))  # the NLP thread is started then
        return root

    class LoopApp(QObject):  # run()'s app.exec as a nested loop: the real app never quits
        def __init__(self) -> None:
            super().__init__()
            self.loop = QEventLoop()

        def exec(self) -> int:
            return self.loop.exec()

        def exit(self, code: int) -> None:
            self.loop.exit(code)

    app = LoopApp()
    monkeypatch.setattr(app_module, "_open", spy)
    monkeypatch.setattr(app_module, "make_application", lambda: app)
    seen: list[str] = []
    seeded: list[bool] = []
    placed: list[tuple[object, ...]] = []

    def poll() -> None:
        if opened and opened[0].window.isVisible() and not seen:
            seen.append(opened[0].window.article.text)
            save_shot(opened[0].window, Path("/tmp/shots/layout-real-window.png"))
        if seen and seeded:
            app.exit(0)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    code = _run_quietly(data)
    root = opened[0]
    QApplication.instance().aboutToQuit.disconnect(root.shutdown)
    root.shutdown()  # stops the NLP thread, as on quit
    qtbot.addWidget(root.window)
    assert code == 0
    assert seen == [first_text]  # the same document, now in the real window
    # In the same place, size, font and colours: nothing jumps when the window replaces it.
    assert placed[0] == placed[1]
    assert root.window.documents.model.rowCount() == len(seed_files())
    previews = [w for w in QApplication.topLevelWidgets() if w.objectName() == "preview_window"]
    assert not any(w.isVisible() for w in previews)


def test_a_newer_database_is_refused_without_a_preview(qtbot, tmp_path, monkeypatch):
    import sqlite3

    from newsmark.services.workspace import seed_if_empty

    data = tmp_path / "data"
    ws = open_workspace(data)
    seed_if_empty(ws)
    ws.close()
    db = data / "newsmark.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = db.read_bytes()
    messages: list[str] = []
    monkeypatch.setattr(app_module, "refuse", lambda message, parent=None: messages.append(message))
    assert _run_quietly(data) == 1
    assert len(messages) == 1 and "newer" in messages[0], messages
    assert db.read_bytes() == before


def test_the_preview_takes_the_saved_window_geometry(qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    from newsmark.storage.peek import FirstDocument

    saved = QMainWindow()
    qtbot.addWidget(saved)
    saved.resize(900, 600)
    path = tmp_path / app_module.WINDOW_SETTINGS
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", saved.saveGeometry())
    settings.sync()
    preview = app_module.Preview(FirstDocument(1, "Title", "Some text."), path)
    qtbot.addWidget(preview)
    assert (preview.width(), preview.height()) == (900, 600)
    assert preview.windowTitle() == "Title — Newsmark"
    preview.show()  # the text goes in once the preview has its size
    assert preview.article.isReadOnly() and preview.article.toPlainText() == "Some text."
    default = app_module.Preview(FirstDocument(1, None, "x"), tmp_path / "missing.ini")
    qtbot.addWidget(default)
    assert (default.width(), default.height()) == (1280, 800)


def test_a_database_failing_quick_check_is_refused_before_any_preview(qtbot, tmp_path, monkeypatch):
    from newsmark.services.workspace import seed_if_empty

    data = tmp_path / "data"
    ws = open_workspace(data)
    seed_if_empty(ws)
    ws.close()
    db = data / "newsmark.sqlite3"
    raw = bytearray(db.read_bytes())
    middle = (len(raw) // 4096 // 2) * 4096
    raw[middle : middle + 4096] = b"\x0d" + b"\xab" * 4095  # a broken b-tree page
    db.write_bytes(bytes(raw))
    messages: list[str] = []
    previews: list[object] = []
    monkeypatch.setattr(app_module, "refuse", lambda message, parent=None: messages.append(message))
    monkeypatch.setattr(app_module, "Preview", lambda *a: previews.append(a))
    assert _run_quietly(data) == 1
    assert len(messages) == 1 and "corrupt" in messages[0], messages
    assert previews == []
    assert db.read_bytes() == bytes(raw)


def test_the_preview_article_looks_like_the_article_view(qtbot):
    from newsmark.domain.labels import LabelSet
    from newsmark.ui import start_preview
    from newsmark.ui.views import article_view

    assert start_preview.MEASURE_CHARS == article_view.MEASURE_CHARS
    preview, real = start_preview.PreviewArticle(), article_view.ArticleView(LabelSet())
    for view in (preview, real):
        qtbot.addWidget(view)
        view.setPlainText("Some text.")
        view.resize(900, 500)
    assert preview.font() == real.font()
    assert preview.document().documentMargin() == real.document().documentMargin()
    assert preview.viewportMargins() == real.viewportMargins()
    assert preview.palette() == real.palette()
    assert preview.wordWrapMode() == real.wordWrapMode()
    assert preview.frameShape() == real.frameShape()
