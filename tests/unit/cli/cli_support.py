"""Helpers the CLI tests import (a uniquely named module, not `conftest`): run the CLI in
process, and fingerprint the database to prove a refused command wrote nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from newsmark.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`newsmark ARGV...` in process: exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(data_dir: Path) -> str:
    """The database's content (not its bytes: WAL checkpoints may move pages)."""
    con = sqlite3.connect(data_dir / "newsmark.sqlite3")
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()
