"""The CLI end to end on the seed: import -> preannotate -> export, predict, stats, db."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import run

import postgres_support
from newsmark.formats import get_format
from newsmark.resources import seed_files
from newsmark.storage.migrate import head_revision


def spans_by_text(record: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for span in record["spans"]:
        found.setdefault(record["text"][span["start"] : span["end"]], set()).add(span["label"])
    return found


def check_record(record: dict) -> None:
    text, tokens = record["text"], record["tokens"]
    for i, tok in enumerate(tokens):
        assert tok["id"] == i
        assert text[tok["start"] : tok["end"]] == tok["text"]
    for span in record["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text)
        if span["token_start"] is not None:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
    for rel in record["relations"]:
        assert rel["head"] == rel["head_span"]["token_end"]
        assert rel["child"] == rel["child_span"]["token_end"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(
    request: pytest.FixtureRequest, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The data dir's SQLite file, or (NEWSMARK_DB) a fresh database on the test server."""
    monkeypatch.delenv("NEWSMARK_DB", raising=False)
    if request.param == "sqlite":
        yield "sqlite"
        return
    with postgres_support.fresh_database(tmp_path, migrated=False) as url:
        monkeypatch.setenv("NEWSMARK_DB", url)
        yield url


def test_import_preannotate_export_seed(
    capsys: pytest.CaptureFixture[str], database: str, seed_path: Path, tmp_path: Path
) -> None:
    n_seeds = len(seed_files())
    code, out, _ = run(capsys, "import", str(seed_path.parent))
    assert code == 0 and f"imported {n_seeds} new document" in out
    code, out, _ = run(capsys, "import", str(seed_path))  # same text again: nothing added
    assert code == 0 and "imported 0 new document" in out and "1 already present" in out

    code, out, _ = run(capsys, "preannotate", "--all")
    assert code == 0 and f"pre-annotated {n_seeds} document" in out

    out_file = tmp_path / "gold.jsonl"
    code, _, _ = run(capsys, "export", "-o", str(out_file), "--status", "any")
    assert code == 0
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(records) == n_seeds
    for other in records:
        check_record(other)
    (record,) = [r for r in records if r["meta"]["source"].endswith(seed_path.name)]
    labels = spans_by_text(record)
    assert {"Netanyahu", "Putin"} <= {t for t, ls in labels.items() if "PERSON" in ls}
    assert {"Russia"} <= {t for t, ls in labels.items() if "GPE" in ls}
    assert record["text"].startswith("The two leaders accused")  # metadata line moved to meta
    assert record["meta"]["date"] == "2023-12-10"
    assert record["status"] == "preannotated" and record["answer"] == "ignore"
    assert all(s["origin"] == "model" for s in record["spans"])
    assert isinstance(record["_input_hash"], int) and -(2**31) <= record["_input_hash"] < 2**31

    # The default export is accepted only: nothing is accepted yet.
    code, out, _ = run(capsys, "export")
    assert code == 0 and out == ""

    # Exported JSONL loads back with the JSONL importer into the same spans.
    reader = get_format("jsonl").read
    assert reader is not None
    (back,) = [d for d in reader(out_file) if d.text == record["text"]]
    assert sorted((s.start, s.end, s.label) for s in back.spans) == sorted(
        (s["start"], s["end"], s["label"]) for s in record["spans"]
    )

    # An existing file is not overwritten without --force.
    code, _, err = run(capsys, "export", "-o", str(out_file), "--status", "any")
    assert code != 0 and "--force" in err
    code, _, _ = run(capsys, "export", "-o", str(out_file), "--status", "any", "--force")
    assert code == 0

    code, out, _ = run(capsys, "stats")
    assert code == 0 and f"documents: {n_seeds}" in out and "PERSON" in out and "model" in out


def test_predict_is_stateless_and_ordered(
    capsys: pytest.CaptureFixture[str], data_dir: Path, seed_path: Path, tmp_path: Path
) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Angela Merkel visited Paris.", encoding="utf-8")
    b = tmp_path / "b.md"
    b.write_text("---\ntitle: B\n---\nJoe Biden said: \u201cWe will win.\u201d\n", encoding="utf-8")
    code, out, _ = run(capsys, "predict", str(a), str(seed_path), str(b))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["text"].split()[0] for r in records] == ["Angela", "The", "Joe"]
    for record in records:
        check_record(record)
    assert "Angela Merkel" in spans_by_text(records[0])
    assert not data_dir.exists()  # no database touched


def test_global_options_before_or_after_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path
) -> None:
    d1, d2 = tmp_path / "one", tmp_path / "two"
    assert run(capsys, "--data-dir", str(d1), "import", str(seed_path))[0] == 0
    assert run(capsys, "import", str(seed_path), "--data-dir", str(d2))[0] == 0
    for d in (d1, d2):
        code, out, _ = run(capsys, "db", "info", "--data-dir", str(d))
        assert code == 0 and str(d / "newsmark.sqlite3") in out


def test_db_commands(
    capsys: pytest.CaptureFixture[str], data_dir: Path, seed_path: Path, tmp_path: Path
) -> None:
    assert run(capsys, "import", str(seed_path))[0] == 0
    code, out, _ = run(capsys, "db", "check")
    assert code == 0 and "ok" in out
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "already" in out
    copy = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, "db", "backup", str(copy))
    assert code == 0 and copy.exists()
    # The copy is a working database with the same document.
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "other"), "db", "restore", str(copy))
    assert code == 0
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "other"), "stats")
    assert code == 0 and "documents: 1" in out


def test_formats_lists_readers_and_writers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formats")
    assert code == 0
    names = {line.split()[0] for line in out.splitlines()}
    assert {"txt", "md", "html", "newsmark", "prodigy"} <= names


@pytest.mark.postgres
def test_db_commands_on_a_server(
    capsys: pytest.CaptureFixture[str], data_dir: Path, pg_url: str
) -> None:
    code, out, _ = run(capsys, "--db", pg_url, "db", "info")
    assert (
        code == 0
        and f"database: {pg_url} (from --db)" in out
        and f"schema:   {head_revision()}" in out
    )
    code, _, err = run(capsys, "--db", pg_url, "db", "backup")
    assert code == 2 and "is a PostgreSQL database; back it up with pg_dump" in err
    code, _, err = run(capsys, "--db", pg_url.replace("@", ":hunter2@"), "stats")
    assert code == 2 and "carries a password" in err and "hunter2" not in err
