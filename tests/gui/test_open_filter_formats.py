"""File › Open offers every format the CLI imports, each by name, from the format table."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from newsmark.formats import known_extensions
from newsmark.services.catalog import formats

# Written by hand from docs/formats.md ("Import: Detection"): what `newsmark import` reads.
DOCUMENTED = {
    ".txt": "plain text",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".html": "web page",
    ".htm": "web page",
    ".jsonl": "Newsmark JSONL",
    ".json": "Label Studio",
    ".ann": "brat",
    ".conll": "CoNLL",
    ".iob": "CoNLL",
    ".spacy": "spaCy DocBin",
}
JSONL_TOOLS = ("Newsmark JSONL", "Prodigy", "doccano")


def offered(qtbot, window, monkeypatch) -> list[str]:
    """The filters File › Open hands the file dialog (which is answered with no files)."""
    seen: list[str] = []

    def answer(parent, caption, directory, filters):
        seen.append(filters)
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", answer)
    window.window_actions["open"].trigger()
    assert len(seen) == 1
    return seen[0].split(";;")


def patterns(entry: str) -> list[str]:
    return entry.rsplit("(", 1)[1].rstrip(")").split()


def test_file_open_lists_every_documented_format_by_name(qtbot, window, monkeypatch):
    entries = offered(qtbot, window, monkeypatch)
    assert entries[0].startswith("Articles and annotated files")
    assert entries[-1] == "All files (*)"
    for ext, name in DOCUMENTED.items():
        assert f"*{ext}" in patterns(entries[0]), ext
        assert any(name in e and f"*{ext}" in patterns(e) for e in entries[1:-1]), (ext, name)
    for tool in JSONL_TOOLS:
        assert any(tool in e and "*.jsonl" in patterns(e) for e in entries), tool


def test_file_open_follows_the_format_table(qtbot, window, monkeypatch):
    entries = offered(qtbot, window, monkeypatch)
    readable = [f for f in formats() if f.read is not None]
    assert len(entries) == len(readable) + 2  # all importable, one per format, all files
    for fmt, entry in zip(readable, entries[1:-1], strict=True):
        assert patterns(entry) == [f"*{e}" for e in fmt.extensions], fmt.name
    assert set(patterns(entries[0])) == {f"*{e}" for e in known_extensions()} | {"*.spacy"}
    assert set(DOCUMENTED) == {e for f in readable for e in f.extensions}  # docs == table
