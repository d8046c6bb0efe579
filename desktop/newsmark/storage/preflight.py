"""Checks run before a database is opened for real, through a read-only connection.

Opening with SQLAlchemy sets WAL mode, which rewrites the file header; a file Newsmark
must refuse (not SQLite, corrupt, newer schema) therefore has to be refused before that.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from newsmark.domain.errors import StorageError
from newsmark.storage import clean_close

SQLITE_HEADER = b"SQLite format 3\x00"
# Writers run the full integrity_check (indexes against tables) at open up to this size:
# about 0.15 s per 100 MB here; beyond it, quick_check at open unless the file is as its
# last writer left it on a clean close (clean_close.py), and the full check in `db check`
# and on every backup's copy (the day's first start makes one).
FULL_CHECK_BYTES = 256 * 1024 * 1024
_RESTORE_HINT = (
    "restore a backup with `newsmark db restore FILE` (backups are in the backups/ folder "
    "next to it)"
)


@dataclass(frozen=True, slots=True)
class Inspection:
    """What a read-only look at an existing file found."""

    revision: str | None
    has_alembic_table: bool
    tables: tuple[str, ...]


def readonly_uri(path: Path) -> str:
    uri = f"{path.absolute().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and not wal.exists():
        # A WAL database needs its -shm file, which a read-only folder cannot hold. With no
        # -wal beside it nobody can be writing (a writer needs to create one), so reading
        # the file as immutable is safe, and it is the only way to read it at all.
        uri += "&immutable=1"
    return uri


def describe_sqlite_error(path: Path, exc: BaseException | None) -> str:
    """One line saying what happened to `path` and what to do about it."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return (
            f"{path}: database is locked by another program; close other Newsmark windows "
            "or commands using it and try again"
        )
    if "readonly" in low or "read-only" in low:
        return (
            f"{path}: cannot write, the file or its folder is read-only ({text}); fix the "
            "permissions or open it read-only"
        )
    if "full" in low or "i/o error" in low:
        # A full disk or a file size limit shows up as either SQLITE_FULL or SQLITE_IOERR.
        return (
            f"{path}: could not write to the disk ({text}); it may be full or failing. "
            "This change was not saved: free some space and retry"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return f"{path} is corrupt ({text}); {_RESTORE_HINT}"
    if "could not decode to utf-8" in low:
        # sqlite3 quotes the damaged text itself: name only the column.
        column = text.split("column ", 1)[-1].split(" with text", 1)[0]
        return (
            f"{path} is damaged: a stored text is not valid UTF-8 (column {column}); "
            f"`newsmark db check` lists the rows; {_RESTORE_HINT}"
        )
    if "unable to open" in low:
        return f"{path}: cannot open the database file ({text}); check the path and permissions"
    return f"{path}: database error: {text}"


def check_location(path: Path, *, readonly: bool) -> bool:
    """Refuse paths that cannot work; return whether the database file exists.

    An empty file is refused: Newsmark creates databases complete (under a temporary name,
    then renamed), so zero bytes at the path mean a truncated database, not a new one.
    """
    if path.exists() and not path.is_file():
        raise StorageError(f"{path} is not a file; choose a database file path")
    exists = path.exists()
    if exists and path.stat().st_size == 0:
        raise StorageError(
            f"{path} is empty (0 bytes), not a Newsmark database: it was probably truncated; "
            f"{_RESTORE_HINT}, or move it away to start a new database"
        )
    if readonly:
        if not path.exists():
            raise StorageError(f"{path} does not exist; nothing to open read-only")
        return exists
    folder = path.parent
    # SQLite in WAL mode creates -wal and -shm files next to the database, so the folder
    # must be writable as well as the file.
    if folder.exists() and not os.access(folder, os.W_OK):
        raise StorageError(
            f"{folder} is not writable (SQLite needs to create files next to the database); "
            "fix its permissions or open the database read-only"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            f"{path} is read-only; fix its permissions or open the database read-only"
        )
    return exists


# The -shm file starts with the wal-index header twice (SQLite's wal.c, WalIndexHdr, 48
# bytes, native byte order; mxFrame, the last valid frame of the -wal, at byte 16), then
# the checkpoint info (nBackfill, the frames already copied into the database, at 96).
_SHM_HEADER = struct.Struct("=IIIBBHI")
_HEADER_COPY = 48
_BACKFILL = struct.Struct("=I")
_BACKFILL_AT = 96
_WAL_HEADER_BYTES = 32
_FRAME_HEADER_BYTES = 24


def check_wal(path: Path) -> None:
    """Refuse a database whose -wal was deleted (or cut) while it held committed changes.

    After a kill, committed transactions live in the -wal until a checkpoint; SQLite opens
    the database without them if the -wal is gone, and the next writer resets the -shm,
    which is the only trace. So: refuse, and leave every file as it is.
    """
    shm = path.with_name(path.name + "-shm")
    wal = path.with_name(path.name + "-wal")
    try:
        with shm.open("rb") as fh:
            head = fh.read(_BACKFILL_AT + _BACKFILL.size)
    except OSError:
        return  # no -shm: a clean close (SQLite removes both), or never opened in WAL mode
    if len(head) < _BACKFILL_AT + _BACKFILL.size or head[:_HEADER_COPY] != head[_HEADER_COPY:96]:
        return  # short, or a writer is updating it right now: not a leftover
    _version, _unused, _change, is_init, _big_endian, page, frames = _SHM_HEADER.unpack_from(head)
    (copied,) = _BACKFILL.unpack_from(head, _BACKFILL_AT)
    if not is_init or frames <= copied:
        return  # every committed frame is in the database file already
    page_size = 65536 if page == 1 else page
    needed = _WAL_HEADER_BYTES + frames * (_FRAME_HEADER_BYTES + page_size)
    size = wal.stat().st_size if wal.exists() else None
    if size is not None and size >= needed:
        return
    what = f"{wal} is missing" if size is None else f"{wal} is cut short ({size} of {needed} bytes)"
    raise StorageError(
        f"{what}, but {shm.name} says it held {frames - copied} page(s) of committed changes "
        f"that are not in {path.name} yet: put the -wal file back if you can (nothing was "
        f"changed), or {_RESTORE_HINT}; to go on without those changes, delete {shm}"
    )


def quick_check_needed(path: Path) -> bool:
    """Whether an open must quick_check the file: always up to FULL_CHECK_BYTES (writers
    run the full check there anyway), above it only when the file is not as its last
    writer left it on a clean close."""
    size = path.stat().st_size
    return size <= FULL_CHECK_BYTES or not clean_close.unchanged_since_clean_close(path)


def check_header(path: Path) -> None:
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StorageError(
            f"{path} is not a SQLite database (wrong file header); "
            "choose a Newsmark database file or move this file away"
        )


def inspect(
    path: Path, busy_timeout_ms: int = 5000, *, full: bool = False, check: bool = True
) -> Inspection:
    """Header check, an integrity check and the Alembic revision, without writing.

    `quick_check` checks pages only; `full` (writers, on files up to FULL_CHECK_BYTES)
    runs `integrity_check`, which also finds indexes that disagree with their tables:
    writing through such an index spreads the damage. `check=False` skips it (the caller
    has just run quick_check on the file: the window's first paint).
    """
    check_header(path)
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=busy_timeout_ms / 1000)
        with closing(conn):
            pragma = "integrity_check(1)" if full else "quick_check(1)"
            result = [row[0] for row in conn.execute(f"PRAGMA {pragma}")] if check else ["ok"]
            if result != ["ok"]:
                raise StorageError(describe_sqlite_error(path, Exception(f"corrupt: {result[0]}")))
            tables = tuple(
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            )
            revision: str | None = None
            has_alembic = "alembic_version" in tables
            if has_alembic:
                rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
                if len(rows) > 1:
                    raise StorageError(
                        f"{path} has several schema revisions ({', '.join(r[0] for r in rows)});"
                        " it was not made by this Newsmark, so it is left untouched"
                    )
                revision = rows[0][0] if rows else None
    except sqlite3.Error as exc:
        raise StorageError(describe_sqlite_error(path, exc)) from exc
    return Inspection(revision, has_alembic, tables)
