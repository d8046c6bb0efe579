"""Bad text and HTML files through the import service into a real database: one line each,
nothing stored; the good file beside them still lands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsmark.services.importing import import_paths
from newsmark.services.workspace import open_workspace

GOOD = "Olena Petrenko met Jonas Weber in Kyiv on Monday to discuss the harvest and prices.\n"

BAD: dict[str, tuple[bytes, str]] = {
    "photo.html": (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4,
        "binary file, not text (looks like a JPEG image)",
    ),
    "dump.html": (bytes(range(256)) * 16, "binary file, not text (contains NUL bytes)"),
    "controls.txt": (
        b"Headline\n" + bytes(range(1, 9)) * 100 + b"\x0b\x0c" * 50,
        "binary file, not text (too many control characters)",
    ),
    "nav.html": (
        b'<html><head><title>Example News</title></head><body><nav><a href="/">Home</a> '
        b'<a href="/world">World</a> <a href="/sport">Sport</a></nav>'
        b"<footer>\xc2\xa9 2024 Example News</footer></body></html>",
        "no article text found in this HTML page",
    ),
    "stub.html": (
        b'<meta http-equiv="refresh" content="0;URL=\'https://news.example/a\'">',
        "a redirect page to https://news.example/a, no article text: save that page",
    ),
    "noise.txt": (
        bytes(range(128, 256)) * 4,
        "undecodable bytes: not UTF-8, and no encoding reads it cleanly (best guess cp1252): "
        "save it as UTF-8",
    ),
}


def counts(db_path: Path) -> list[int]:
    """Rows of the tables an import writes, read straight from the SQLite file."""
    con = sqlite3.connect(db_path)
    try:
        return [
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "annotation_sets", "spans")
        ]
    finally:
        con.close()


def test_each_bad_file_gets_one_line_and_stores_nothing(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    ws = open_workspace()
    try:
        report = import_paths(ws.repo, [folder])
        refused = {Path(str(err.path)).name: err for err in report.refused}
        assert sorted(refused) == sorted(BAD)
        for name, (_, reason) in BAD.items():
            err = refused[name]
            assert (err.line, err.reason) == (None, reason), name
            assert str(err) == f"{folder / name}: {reason}"
        assert report.added == [] and report.files == 0
        assert ws.repo.document_ids() == []
        db_path = ws.db.path
    finally:
        ws.close()
    assert counts(db_path) == [0, 0, 0]


def test_bad_files_beside_a_good_one_leave_only_the_good_one(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_bytes(("Caf\xe9 talks\n\n" + GOOD).encode("cp1252"))
    for name in ("nav.html", "controls.txt", "photo.html"):
        (folder / name).write_bytes(BAD[name][0])
    ws = open_workspace()
    try:
        report = import_paths(ws.repo, [folder])
        assert len(report.refused) == 3 and report.exit_code == 2
        (doc_id,) = report.added
        doc = ws.repo.get_document(doc_id)
        assert doc.text == "Café talks\n\n" + GOOD
        assert doc.meta["title"] == "Café talks"
        assert ws.repo.document_ids() == [doc_id]
    finally:
        ws.close()
