"""File › Open and drag & drop: imports in a task, good files land, bad ones are listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from newsmark.services.workspace import open_workspace
from newsmark.ui.main_window import MainWindow


@pytest.fixture
def empty_window(qtbot, tmp_path: Path):
    ws = open_workspace(tmp_path / "data", take_lock=True)
    win = MainWindow(ws.repo, ws.annotator)
    qtbot.addWidget(win)
    win.show()
    win.load()
    yield win, ws
    win.tasks.wait()
    win.close()
    ws.close()


def test_import_lists_good_files_and_reports_bad_ones(qtbot, empty_window, tmp_path):
    win, _ = empty_window
    good = tmp_path / "in" / "scholz.txt"
    good.parent.mkdir()
    good.write_text("Olaf Scholz spoke in Berlin on Monday.\n", encoding="utf-8")
    bad = tmp_path / "in" / "picture.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)

    with qtbot.waitSignal(win.importer.imported, timeout=60_000) as imported:
        win.importer.import_paths([good, bad])
    assert len(imported.args[0]) == 1
    assert win.documents.model.rowCount() == 1
    assert win.article.current_document.text.startswith("Olaf Scholz")
    boxes = [w for w in win.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "1 file(s) were refused" in boxes[0].text()
    assert "picture.txt" in boxes[0].detailedText()
    for box in boxes:
        box.close()
    assert win.status.saved_label.text().startswith("Saved")


def test_dropping_files_on_the_window_imports_them(qtbot, empty_window, tmp_path):
    win, _ = empty_window
    article = tmp_path / "merkel.md"
    article.write_text("---\ntitle: Merkel\n---\nAngela Merkel visited Paris.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    drop = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(win.importer.imported, timeout=60_000):
        win.dropEvent(drop)
    assert [r.title for r in win.documents.model.rows] == ["Merkel"]
