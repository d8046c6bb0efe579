"""File › Export: the dialog writes what `newsmark export` writes, asks before overwriting."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from gui_support import save_shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from newsmark import cli
from newsmark.domain.document import DocumentInput
from newsmark.domain.status import Status
from newsmark.nlp.tokens import tokenize_many
from newsmark.ui.dialogs.export_dialog import ExportDialog
from newsmark.ui.main_window import MainWindow
from newsmark.workers.task_runner import TaskRunner

TEXT = 'Vladimir Putin called Benjamin Netanyahu. "We will not stop," Putin said.\n'
OTHER = "Olaf Scholz spoke in Berlin on Monday.\n"


@pytest.fixture
def annotated(qtbot, tmp_path: Path):
    """A window on two documents; the first labelled, with a quote, and accepted."""
    from newsmark.services.workspace import open_workspace

    data = tmp_path / "data"
    ws = open_workspace(data, take_lock=True)
    ws.settings.set("annotator", "ann1")
    items = [
        (DocumentInput(text, {"title": title}), tokens)
        for text, title, tokens in zip(
            [TEXT, OTHER], ["Call", "Scholz"], tokenize_many([TEXT, OTHER]), strict=True
        )
    ]
    ws.repo.add_documents(items, "import:test")
    win = MainWindow(ws.repo, "ann1", settings_path=data / "window.ini")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    session = win.session
    assert session.label_range(0, 14, "PERSON")
    assert session.label_range(22, 40, "PERSON")
    quote_start = TEXT.index('"')
    assert session.mark_quote(quote_start, TEXT.index("Putin said") - 1)
    session.set_status(Status.ACCEPTED)
    yield win, ws, data
    win.tasks.wait()
    win.close()
    ws.close()


def shot_with_dialog(win, dialog, path: Path) -> Path:
    """The window with the dialog drawn over its centre, as a user sees them."""
    from PySide6.QtGui import QPainter

    image = win.grab()
    painter = QPainter(image)
    picture = dialog.grab()
    x = (image.width() - picture.width()) // 2
    y = (image.height() - picture.height()) // 2
    painter.fillRect(x - 1, y - 1, picture.width() + 2, picture.height() + 2, Qt.GlobalColor.gray)
    painter.drawPixmap(x, y, picture)
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path)), path
    return path


def cli_export(data: Path, out: Path, *options: str) -> str:
    code = cli.main(["--data-dir", str(data), "export", "-o", str(out), *options])
    assert code == 0
    return out.read_text(encoding="utf-8") if out.is_file() else ""


def run_dialog(qtbot, dialog: ExportDialog, dest: Path) -> None:
    dialog.destination.clear()
    QTest.keyClicks(dialog.destination, str(dest))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)


def choose(combo, data: str) -> None:
    """Pick an entry the way a user does: focus the combo and type/arrow to it."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setFocus()
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        QTest.keyClick(combo, key)


def test_ctrl_e_opens_the_dialog_and_its_file_matches_the_cli(qtbot, annotated, tmp_path):
    win, _, data = annotated
    win.activateWindow()
    QTest.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = win.exporter.dialog
    assert dialog is not None and dialog.isVisible()
    assert "Ctrl+E" in win.window_actions["export"].toolTip()
    save_shot(win, tmp_path / "shots" / "export_dialog_window.png")
    save_shot(dialog, tmp_path / "shots" / "export_dialog.png")

    run_dialog(qtbot, dialog, tmp_path / "gui.jsonl")
    assert dialog.report.records == 1
    expected = cli_export(data, tmp_path / "cli.jsonl")
    assert (tmp_path / "gui.jsonl").read_text(encoding="utf-8") == expected
    assert "exported 1 annotation set" in dialog.message.text().lower()

    # Another annotator, typed: nothing of theirs, as the CLI says.
    dialog.annotator.setFocus()
    dialog.annotator.lineEdit().selectAll()
    QTest.keyClicks(dialog.annotator, "someone-else")
    assert dialog.options()["annotator"] == "someone-else"
    dialog.confirm_overwrite = lambda path: True
    run_dialog(qtbot, dialog, tmp_path / "gui.jsonl")
    assert dialog.report.records == 0
    other = cli_export(data, tmp_path / "cli_other.jsonl", "--annotator", "someone-else")
    assert (tmp_path / "gui.jsonl").read_text(encoding="utf-8") == other == ""
    # And says why, as the CLI does on stderr.
    assert dialog.details.toPlainText().startswith(
        "Nothing to export with status accepted by annotator someone-else: someone-else has "
        "no annotation sets; sets by annotator: ann1 1."
    )


def test_conll_from_the_dialog_matches_the_cli_and_shows_the_notes(qtbot, annotated, tmp_path):
    win, _, data = annotated
    dialog = win.exporter.show()
    choose(dialog.format, "conll")
    assert dialog.alignment.isEnabled() and not dialog.split.isEnabled()
    choose(dialog.alignment, "expand")
    choose(dialog.status_filter, "any")
    run_dialog(qtbot, dialog, tmp_path / "gui.conll")
    assert dialog.report.records == 1  # the unopened document has no annotation set
    expected = cli_export(
        data,
        tmp_path / "cli.conll",
        "--format",
        "conll",
        "--status",
        "any",
        "--alignment",
        "expand",
    )
    assert (tmp_path / "gui.conll").read_text(encoding="utf-8") == expected
    assert dialog.report.notes, "CoNLL drops quotes: the report says so"
    assert "Note:" in dialog.details.toPlainText()
    save_shot(dialog, tmp_path / "shots" / "export_dialog_done.png")
    shot_with_dialog(win, dialog, tmp_path / "shots" / "window_with_export_dialog.png")


def test_doccano_formats_name_the_project_setting_they_need(qtbot, annotated, tmp_path):
    win, _, data = annotated
    dialog = win.exporter.show()
    assert not dialog.tool_note.isVisible()  # newsmark JSONL needs no other tool
    choose(dialog.format, "doccano")
    assert dialog.tool_note.isVisible()
    note = dialog.tool_note.text()
    assert '"Allow overlapping spans" on' in note and "doccano-flat" in note
    assert '"Count grapheme clusters as one character" off' in note
    save_shot(dialog, tmp_path / "shots" / "export_dialog_doccano.png")
    run_dialog(qtbot, dialog, tmp_path / "gui.jsonl")
    expected = cli_export(data, tmp_path / "cli.jsonl", "--format", "doccano")
    assert (tmp_path / "gui.jsonl").read_text(encoding="utf-8") == expected
    choose(dialog.format, "doccano-flat")
    assert '"Allow overlapping spans" may stay off' in dialog.tool_note.text()
    run_dialog(qtbot, dialog, tmp_path / "flat.jsonl")
    expected = cli_export(data, tmp_path / "cli_flat.jsonl", "--format", "doccano-flat")
    assert (tmp_path / "flat.jsonl").read_text(encoding="utf-8") == expected
    # The quote holds no entity here, so nothing is left out; the setting is repeated.
    assert "may stay off" in dialog.details.toPlainText()
    choose(dialog.format, "conll")
    assert not dialog.tool_note.isVisible()


def test_spacy_split_writes_a_folder_like_the_cli(qtbot, annotated, tmp_path):
    win, _, data = annotated
    dialog = win.exporter.show()
    choose(dialog.format, "spacy")
    choose(dialog.status_filter, "any")
    QTest.mouseClick(dialog.split, Qt.MouseButton.LeftButton)
    assert dialog.split.isChecked()
    assert dialog.destination.placeholderText() == "Choose a folder…"
    assert dialog.options()["split"] == 0.8
    run_dialog(qtbot, dialog, tmp_path / "gui_split")
    cli_export(
        data, tmp_path / "cli_split", "--format", "spacy", "--status", "any", "--split", "0.8"
    )
    for name in ("train.spacy", "dev.spacy"):
        gui, ref = tmp_path / "gui_split" / name, tmp_path / "cli_split" / name
        assert gui.read_bytes() == ref.read_bytes(), name


def test_an_existing_file_is_replaced_only_after_asking(qtbot, annotated, tmp_path):
    win, _, data = annotated
    dialog = win.exporter.show()
    dest = tmp_path / "out.jsonl"
    dest.write_text("keep me\n", encoding="utf-8")
    asked: list[Path] = []
    dialog.confirm_overwrite = lambda path: asked.append(path) or False
    dialog.destination.setText(str(dest))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked == [dest] and dialog.task is None
    assert dest.read_text(encoding="utf-8") == "keep me\n"

    dialog.confirm_overwrite = lambda path: True
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dest.read_text(encoding="utf-8") == cli_export(data, tmp_path / "cli.jsonl")


class SlowRepo:
    """Yields nothing until released, so Cancel lands while the export runs."""

    def __init__(self, repo) -> None:
        self.repo = repo
        self.path = repo.path
        self.started = threading.Event()
        self.release = threading.Event()

    def iter_export_sets(self, **kwargs):
        self.started.set()
        self.release.wait(10)
        yield from self.repo.iter_export_sets(**kwargs)


def test_cancel_stops_the_export_and_writes_nothing(qtbot, annotated, tmp_path):
    win, ws, _ = annotated
    slow = SlowRepo(ws.repo)
    tasks = TaskRunner()
    dialog = ExportDialog(slow, tasks, ["ann1"], win)
    qtbot.addWidget(dialog)
    dialog.show()
    dest = tmp_path / "cancelled.jsonl"
    dialog.destination.setText(str(dest))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.text() == "Cancel"
    assert slow.started.wait(10)
    with qtbot.waitSignal(dialog.task.signals.cancelled, timeout=10_000):
        QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        slow.release.set()
    assert "cancelled" in dialog.message.text()
    assert not dest.exists()
    assert not list(tmp_path.glob(".cancelled.jsonl.*"))
    tasks.wait()


def test_a_folder_export_replaces_a_folder_only_after_asking(qtbot, annotated, tmp_path):
    win, _, data = annotated
    dialog = win.exporter.show()
    choose(dialog.format, "brat")
    assert dialog.destination.placeholderText() == "Choose a folder…"
    dest = tmp_path / "brat"
    cli_export(data, dest, "--format", "brat")  # an earlier export: --force may replace it
    (dest / "keep.txt").write_text("mine\n", encoding="utf-8")
    asked: list[Path] = []
    dialog.confirm_overwrite = lambda path: asked.append(path) or False
    dialog.destination.setText(str(dest))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked == [dest] and (dest / "keep.txt").exists()

    dialog.confirm_overwrite = lambda path: True
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    cli_export(data, tmp_path / "cli_brat", "--format", "brat")
    ours = {p.name: p.read_bytes() for p in dest.iterdir()}
    theirs = {p.name: p.read_bytes() for p in (tmp_path / "cli_brat").iterdir()}
    assert ours == theirs and "keep.txt" not in ours

    # A folder Newsmark did not write is never replaced, even after asking.
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    dialog.destination.setText(str(other))
    asked.clear()
    dialog.confirm_overwrite = lambda path: asked.append(path) or True
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked == [] and dialog.task is None  # refused before asking
    assert "did not write" in dialog.message.text()
    assert [p.name for p in other.iterdir()] == ["holiday.jpg"]

    dialog.destination.setText(str(Path.home()))
    assert dialog.start() is None  # never replace the home folder whole
    assert "new folder" in dialog.message.text()
