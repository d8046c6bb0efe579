"""SIGKILL `newsmark import` and `preannotate --all` mid-run: a rerun completes, no duplicates."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DISTINCT = 290  # .txt articles with distinct texts
REPEATS = 10  # .txt files repeating one of those texts (must not add documents)
ANNOTATED = 10  # records of one JSONL file with spans (each must become one set, once)
PEOPLE = ("Olena Petrenko", "Jonas Weber", "Amira Haddad", "Kenji Sato", "Maria Silva")
PLACES = ("Kyiv", "Berlin", "Cairo", "Osaka", "Lisbon", "Quito")


def article(n: int) -> str:
    who, where = PEOPLE[n % len(PEOPLE)], PLACES[n % len(PLACES)]
    return (
        f"Report {n}: {who} arrived in {where} on Monday.\n\n"
        f'"We expect talks to continue," {who} told reporters in {where} (item {n}).\n'
    )


def make_corpus(folder: Path) -> int:
    """300 .txt files and one annotated JSONL; returns the number of distinct texts."""
    folder.mkdir()
    for n in range(DISTINCT):
        (folder / f"a{n:03d}.txt").write_text(article(n), encoding="utf-8")
    for n in range(REPEATS):
        (folder / f"repeat{n:02d}.txt").write_text(article(n * 7), encoding="utf-8")
    with (folder / "tasks.jsonl").open("w", encoding="utf-8") as fh:
        for n in range(ANNOTATED):
            text = f"Annotated {n}: Jonas Weber met Kenji Sato in Berlin."
            start = text.index("Jonas")
            spans = [{"start": start, "end": start + 11, "label": "PERSON"}]
            fh.write(json.dumps({"text": text, "spans": spans}) + "\n")
    return DISTINCT + ANNOTATED


def newsmark(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args]


def count(db: Path, sql: str) -> int:
    """A read in a separate connection; 0 while the database does not exist yet."""
    if not db.exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return int(con.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        con.close()


def kill_mid_run(argv: list[str], db: Path, progress_sql: str, target: int) -> int:
    """Start the command; SIGKILL it as soon as another connection sees `target` rows.

    The kill lands wherever the command is then (mid-file, mid-transaction, between two),
    but always after a progress point the test has seen, never after a guessed delay: a
    delay long enough on a busy machine let a rerun finish first. Returns the rows then.
    """
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while count(db, progress_sql) < target:
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline, f"fewer than {target} rows in 2 minutes"
            time.sleep(0.005)
        assert child.poll() is None, "finished before the kill: give it more work"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return count(db, progress_sql)


def integrity(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def test_killed_import_reruns_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    distinct = make_corpus(corpus)
    data = tmp_path / "data"
    db = data / "newsmark.sqlite3"
    rng = random.Random(300)
    argv = newsmark(data, "import", str(corpus))
    seen = [kill_mid_run(argv, db, DOCS, rng.randint(30, 100))]
    assert integrity(db) == ["ok"]
    # The rerun first skips what was committed, then is killed 50-100 files further on:
    # ~90 files of room remain, of which the child commits a few between read and signal.
    seen.append(kill_mid_run(argv, db, DOCS, seen[0] + rng.randint(50, 100)))
    assert integrity(db) == ["ok"]
    assert 0 < seen[-1] < distinct, f"kills did not land mid-import: {seen}"
    done = subprocess.run(
        newsmark(data, "import", str(corpus)), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert integrity(db) == ["ok"]
    assert count(db, DOCS) == distinct
    assert count(db, "SELECT count(DISTINCT sha256) FROM documents") == distinct
    # Each annotated record became one set with its one span, however often it was read.
    assert count(db, "SELECT count(*) FROM annotation_sets") == ANNOTATED
    assert count(db, "SELECT count(*) FROM spans") == ANNOTATED
    assert count(db, "SELECT count(*) FROM edit_log WHERE op = 'import'") == ANNOTATED


DOCS = "SELECT count(*) FROM documents"
PREANNOTATED = "SELECT count(*) FROM annotation_sets WHERE status = 'preannotated'"


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    folder = tmp_path / "sixty"
    folder.mkdir()
    for n in range(60):
        (folder / f"a{n:02d}.txt").write_text(article(n), encoding="utf-8")
    data = tmp_path / "data"
    subprocess.run(newsmark(data, "import", str(folder)), check=True, capture_output=True)
    return data


def test_killed_preannotate_reruns_without_duplicates(imported: Path) -> None:
    db = imported / "newsmark.sqlite3"
    argv = newsmark(imported, "preannotate", "--all", "--batch-size", "4")
    rng = random.Random(60)
    # Batches of 4 commit together: kill after the 2nd-6th batch, then 2-4 batches later.
    done_at_kill = [kill_mid_run(argv, db, PREANNOTATED, rng.randrange(8, 25, 4))]
    target = done_at_kill[0] + rng.randrange(8, 17, 4)
    done_at_kill.append(kill_mid_run(argv, db, PREANNOTATED, target))
    assert integrity(db) == ["ok"]
    assert 0 < done_at_kill[-1] < 60, f"kills did not land mid-run: {done_at_kill}"
    rerun = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert integrity(db) == ["ok"]
    # One model set per document, every one pre-annotated exactly once per batch commit.
    assert count(db, "SELECT count(*) FROM annotation_sets") == 60
    assert count(db, PREANNOTATED) == 60
    assert count(db, "SELECT count(DISTINCT document_id) FROM annotation_sets") == 60
    assert count(db, "SELECT count(*) FROM edit_log WHERE op = 'save_predictions'") == 60
    spans = count(db, "SELECT count(*) FROM spans")
    assert spans > 60, "the model found (almost) nothing: the check proves little"
    distinct = count(
        db, 'SELECT count(*) FROM (SELECT DISTINCT set_id, start, "end", label FROM spans)'
    )
    assert distinct == spans, "a span was stored twice"
    overlapping = count(
        db,
        "SELECT count(*) FROM spans a JOIN spans b ON a.set_id = b.set_id AND a.id < b.id "
        'AND a.start < b."end" AND b.start < a."end"',
    )
    assert overlapping == 0
    quotes = count(db, "SELECT count(*) FROM quotes")
    assert quotes == count(db, "SELECT count(*) FROM (SELECT DISTINCT set_id, parts FROM quotes)")
