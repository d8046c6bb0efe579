"""`newsmark merge` on the command line: files that are no Newsmark database (or a newer
one) refused in one line with exit 2, the target untouched; a refused merge lists its
conflicts; no Qt."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_without_qt import BLOCKER  # the CLI with every Qt import refused

from newsmark.cli import main

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _newsmark_db(tmp_path: Path, name: str, *files: Path) -> Path:
    """A data dir with `files` imported through the CLI; its database file."""
    data = tmp_path / name
    assert main(["--data-dir", str(data), "import", *map(str, files)]) == 0
    return data / "newsmark.sqlite3"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return _newsmark_db(tmp_path, "good", SEEDS / "2024-03-18-harbour-bridge-vote.md")


def _garbage(tmp_path: Path, good: Path, kind: str) -> Path:
    path = tmp_path / "inputs" / f"{kind}.sqlite3"
    path.parent.mkdir(exist_ok=True)
    if kind == "text":
        path.write_text("Notes from Tuesday: nothing to merge here.\n", encoding="utf-8")
    elif kind == "truncated":
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "foreign":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.close()
    else:  # newer: a schema revision this Newsmark does not know
        shutil.copyfile(good, path)
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.close()
    return path


REASONS = {
    "text": "is not a SQLite database",
    "truncated": "corrupt",
    "empty": "is empty (0 bytes)",
    "foreign": "not a Newsmark one",
    "newer": "newer than this Newsmark knows",
}


@pytest.mark.parametrize("kind", sorted(REASONS))
@pytest.mark.parametrize("target_exists", [False, True])
def test_a_file_that_is_no_newsmark_database_is_refused_in_one_line(
    tmp_path: Path,
    good: Path,
    kind: str,
    target_exists: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = _garbage(tmp_path, good, kind)
    target = tmp_path / "review" / "review.sqlite3"
    if target_exists:
        assert main(["merge", str(good), "--into", str(target)]) == 0
    before_inputs = _fingerprint(bad.parent)
    before_target = _fingerprint(target.parent) if target_exists else None
    capsys.readouterr()

    code = main(["merge", str(good), str(bad), "--into", str(target)])

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith(f"newsmark: error: {bad}")
    assert REASONS[kind] in err[0] and "input-" not in err[0]  # the user's path, not the copy's
    assert _fingerprint(bad.parent) == before_inputs
    if target_exists:
        assert _fingerprint(target.parent) == before_target
    else:
        assert not target.parent.exists()


def test_a_missing_file_is_refused(tmp_path: Path, good: Path) -> None:
    target = tmp_path / "review.sqlite3"
    assert main(["merge", str(good), str(tmp_path / "nope.sqlite3"), "--into", str(target)]) == 2
    assert not target.exists()


def test_conflicts_are_listed_one_per_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = SEEDS / "2024-05-02-river-water-report.txt"
    changed = tmp_path / "bob-copy" / seed.name
    changed.parent.mkdir()
    changed.write_text(
        seed.read_text(encoding="utf-8").replace("in 1998", "in 1989"), encoding="utf-8"
    )
    a = _newsmark_db(tmp_path, "alice", seed)
    b = _newsmark_db(tmp_path, "bob", changed)
    target = tmp_path / "review" / "review.sqlite3"
    capsys.readouterr()

    assert main(["merge", str(a), str(b), "--into", str(target)]) == 2

    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"newsmark: error: merge refused, {target} was not changed: 1 conflict(s):"
    assert err[1].startswith("  text differs: 'Report finds farm run-off behind river algae")
    assert f"({seed.name}): {a} has " in err[1] and f", {b} has " in err[1]
    assert not target.exists()


def test_merge_runs_without_qt_into_the_data_dirs_database(tmp_path: Path, good: Path) -> None:
    other = _newsmark_db(tmp_path, "other", SEEDS / "2023-12-10-netanyahu-putin-call.txt")
    data = tmp_path / "reviewer"
    env = {**os.environ, "NEWSMARK_HOME": str(data)}
    env.pop("NEWSMARK_MODEL", None)
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER, "merge", str(good), str(other)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"created {data / 'newsmark.sqlite3'} from 2 file(s): 2 new")
    with sqlite3.connect(data / "newsmark.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    conn.close()
