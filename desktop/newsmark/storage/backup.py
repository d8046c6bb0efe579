"""Consistent copies with SQLite's backup API, rotated, and restore from such a copy."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from newsmark.domain.errors import StorageError
from newsmark.storage.preflight import describe_sqlite_error, readonly_uri

DAY_SECONDS = 24 * 3600


def _fsync_dir(folder: Path) -> None:
    # A rename is durable only once the directory entry is flushed too.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. platforms that cannot open directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_database(src: Path, dest: Path, *, busy_timeout_ms: int = 5000) -> Path:
    """Copy `src` to `dest` (a new file) page by page; readers and writers may continue.

    The copy is written to `dest.part` and renamed, so a crash never leaves half a backup
    under the final name; a failure (a full disk) removes the part, its journal and a
    folder made for it.
    """
    made_folder = not dest.parent.exists()
    part = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _remove_part(part)
        source = sqlite3.connect(readonly_uri(src), uri=True, timeout=busy_timeout_ms / 1000)
        with closing(source):
            target = sqlite3.connect(part)
            with closing(target):
                source.backup(target)
                # The copy is a standalone file: no -wal beside it.
                target.execute("PRAGMA journal_mode = DELETE")
        with part.open("rb+") as fh:
            os.fsync(fh.fileno())
        part.replace(dest)
        _fsync_dir(dest.parent)
    except (sqlite3.Error, OSError) as exc:
        _remove_part(part)
        if made_folder:
            with contextlib.suppress(OSError):
                dest.parent.rmdir()  # only when empty
        if isinstance(exc, sqlite3.Error):
            raise StorageError(describe_sqlite_error(src, exc)) from exc
        raise StorageError(f"cannot write the backup {dest}: {exc.strerror or exc}") from exc
    return dest


def _remove_part(part: Path) -> None:
    for leftover in (part, *(part.with_name(part.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def backup_name(db_path: Path, reason: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{db_path.stem}-{stamp}-{reason}.sqlite3"


def list_backups(db_path: Path, backup_dir: Path) -> list[Path]:
    """Automatic backups of `db_path`, oldest first (the timestamp sorts by name)."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob(f"{db_path.stem}-*.sqlite3"))


MANUAL = "manual"  # the reason of copies a person asked for (`db backup`): never rotated


def rotate(db_path: Path, backup_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups; return what was deleted."""
    backups = [p for p in list_backups(db_path, backup_dir) if not p.stem.endswith(f"-{MANUAL}")]
    doomed = backups[: max(0, len(backups) - max(keep, 1))]
    for old in doomed:
        old.unlink(missing_ok=True)
    return doomed


class DamagedDatabase(StorageError):
    """The copy a backup made fails the full integrity check: the database is damaged."""


def auto_backup(
    db_path: Path, backup_dir: Path, reason: str, *, keep: int, busy_timeout_ms: int = 5000
) -> Path:
    """A rotated copy, checked in full before any older one is rotated away.

    Rotating good backups out for copies of a damaged database would, a few days later,
    leave nothing to restore: a copy that fails `integrity_check` is kept aside as
    `*.sqlite3.damaged`, nothing is rotated, and DamagedDatabase says so.
    """
    dest = copy_database(
        db_path, backup_dir / backup_name(db_path, reason), busy_timeout_ms=busy_timeout_ms
    )
    problem = _first_problem(dest)
    if problem is not None:
        aside = dest.with_name(dest.name + ".damaged")
        dest.replace(aside)
        raise DamagedDatabase(
            f"{db_path} fails its integrity check ({problem}); the copy was kept as {aside} "
            "and no older backup was removed: run `newsmark db check`, then restore one "
            "with `newsmark db restore FILE`"
        )
    rotate(db_path, backup_dir, keep)
    return dest


def _first_problem(path: Path) -> str | None:
    con = sqlite3.connect(readonly_uri(path), uri=True)
    with closing(con):
        result = str(con.execute("PRAGMA integrity_check(1)").fetchone()[0])
    return None if result == "ok" else result


def has_recent_backup(db_path: Path, backup_dir: Path, seconds: float = DAY_SECONDS) -> bool:
    now = time.time()
    return any(now - p.stat().st_mtime < seconds for p in list_backups(db_path, backup_dir))


def is_intact(db_path: Path) -> bool:
    """Whether the file is a SQLite database that passes `quick_check` (read-only)."""
    try:
        with db_path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        con = sqlite3.connect(readonly_uri(db_path), uri=True)
        with closing(con):
            return [row[0] for row in con.execute("PRAGMA quick_check(1)")] == ["ok"]
    except (OSError, sqlite3.Error):
        return False


def move_aside(db_path: Path, what: str) -> Path:
    """Rename the database and its -wal/-shm/-journal to `<name>.<what>-<stamp>[-wal...]`.

    The files keep their bytes; the database path is free for a restored copy, and no
    old -wal is left to be replayed into it.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    dest = db_path.with_name(f"{db_path.name}.{what}-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = db_path.with_name(f"{db_path.name}.{what}-{stamp}-{n}")
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                side.replace(dest.with_name(dest.name + suffix))
        db_path.replace(dest)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        raise StorageError(f"cannot move {db_path} aside: {exc.strerror or exc}") from exc
    return dest


def make_standalone(db_path: Path) -> None:
    """Fold the -wal into the file and leave it in rollback mode, synced: one file to move."""
    con = sqlite3.connect(db_path)
    with closing(con):
        con.execute("PRAGMA journal_mode = DELETE")
    with db_path.open("rb+") as fh:
        os.fsync(fh.fileno())


def copy_into(src: Path, db_path: Path, *, busy_timeout_ms: int = 5000) -> None:
    """Overwrite the live database `db_path` with the content of `src`, in one transaction.

    The backup API writes through SQLite's own locking and journal, so a crash midway
    leaves the old content rather than a mixture.
    """
    try:
        source = sqlite3.connect(readonly_uri(src), uri=True, timeout=busy_timeout_ms / 1000)
        with closing(source):
            target = sqlite3.connect(db_path, timeout=busy_timeout_ms / 1000)
            with closing(target):
                source.backup(target)
                target.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raise StorageError(describe_sqlite_error(db_path, exc)) from exc
