"""File › Open and drag & drop: imports in a task, good files land, bad ones are listed."""

from __future__ import annotations

import json
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


def test_open_dialog_offers_every_readable_extension():
    from newsmark.formats import known_extensions
    from newsmark.ui.import_controller import file_filter

    patterns = file_filter().split("(", 1)[1].split(")", 1)[0].split()
    for ext in (*known_extensions(), ".spacy", ".json", ".ann", ".conll"):
        assert f"*{ext}" in patterns


def test_files_with_unsupported_content_can_be_imported_without_it(qtbot, empty_window, tmp_path):
    win, ws = empty_window
    task = {
        "data": {"text": "Olaf Scholz spoke in Berlin."},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a", "from_name": "label", "to_name": "text", "type": "labels",
                        "value": {"start": 0, "end": 11, "text": "Olaf Scholz",
                                  "labels": ["PERSON"]},
                    },
                    {
                        "id": "b", "from_name": "topic", "to_name": "text", "type": "choices",
                        "value": {"choices": ["Politics"]},
                    },
                ]
            }
        ],
    }  # fmt: skip
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with qtbot.waitSignal(win.importer.imported, timeout=60_000):
        win.importer.import_paths([path])
    assert ws.repo.document_ids() == []
    (box,) = [w for w in win.findChildren(QMessageBox) if w.isVisible()]
    assert 'result type "choices" is not supported' in box.detailedText()
    (rest,) = [b for b in box.buttons() if b.text() == "Import the rest"]
    with qtbot.waitSignal(win.importer.imported, timeout=60_000) as imported:
        rest.click()
    (doc_id,) = imported.args[0]
    # The imported set (the window opens the document with the annotator's own set too).
    (aset,) = [s for s in ws.repo.sets_for_document(doc_id) if s.annotator.startswith("import:")]
    assert [(s.start, s.end, s.label) for s in aset.spans] == [(0, 11, "PERSON")]
    assert "not imported: 1 Label Studio choices result" in win.status.saved_label.text()
