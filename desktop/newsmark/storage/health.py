"""`db check`: everything SQLite can check, and what it cannot (text that is not UTF-8)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from newsmark.storage.preflight import describe_sqlite_error, readonly_uri

# integrity_check stops after this many problems: enough to see the extent of damage.
MAX_PROBLEMS = 100


def deep_check(path: Path) -> list[str]:
    """Problems of the database file, or [] when it is sound.

    `integrity_check` (pages, and indexes against their tables), `foreign_key_check`,
    and a read of every text column as bytes: a flipped byte in a text passes SQLite's
    checks, yet every read of that row fails.
    """
    try:
        return _check(path)
    except sqlite3.Error as exc:
        return [describe_sqlite_error(path, exc)]


def _check(path: Path) -> list[str]:
    con = sqlite3.connect(readonly_uri(path), uri=True)
    with closing(con):
        rows = con.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
        if problems:  # the rest reads through the same damaged structures
            return problems
        problems += [
            f"{table} row {rowid}: no {parent} row for its foreign key"
            for table, rowid, parent, _ in con.execute("PRAGMA foreign_key_check")
        ]
        con.text_factory = bytes
        for table, columns in _text_columns(con):
            problems += _undecodable(con, table, columns)
    return problems[:MAX_PROBLEMS]


def _text_columns(con: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    tables = [
        r[0].decode()
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found = []
    for table in tables:
        columns = [
            row[1].decode()
            for row in con.execute(f'PRAGMA table_info("{table}")')
            if row[2].decode().upper() in ("TEXT", "JSON") or b"CHAR" in row[2].upper()
        ]
        if columns:
            found.append((table, columns))
    return found


def _undecodable(con: sqlite3.Connection, table: str, columns: list[str]) -> list[str]:
    names = ", ".join(f'"{c}"' for c in columns)
    problems = []
    for row in con.execute(f'SELECT rowid, {names} FROM "{table}"'):
        for column, value in zip(columns, row[1:], strict=True):
            if isinstance(value, bytes):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError as exc:
                    problems.append(
                        f"{table} row {row[0]}: column {column} is not valid UTF-8 "
                        f"(byte {exc.start + 1})"
                    )
    return problems
