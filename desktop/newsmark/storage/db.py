"""The SQLite database: pragmas, checks on open, migrations after a backup, sessions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from newsmark.domain.errors import StorageError
from newsmark.storage import backup as backup_files
from newsmark.storage import clean_close, migrate, preflight, roles
from newsmark.storage.lock import WriterLock

SYNCHRONOUS_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else None


class Restored(NamedTuple):
    """What `Database.restore` did with the database it replaced."""

    kept: Path | None  # a backup of the intact database it replaced
    damaged: Path | None  # where the damaged database (and its -wal) now lie


class Database:
    """One SQLite file. Build with `Database.open`; pass to `Repository`."""

    def __init__(
        self,
        path: Path,
        *,
        readonly: bool,
        backup_dir: Path,
        keep_backups: int,
        busy_timeout_ms: int,
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.backup_dir = backup_dir
        self.keep_backups = keep_backups
        self.busy_timeout_ms = busy_timeout_ms
        self.engine = self._make_engine()
        # Writers start with BEGIN IMMEDIATE: in WAL a deferred transaction that later
        # writes fails at once with SQLITE_BUSY when another writer got in first,
        # ignoring busy_timeout. Taking the write lock up front makes it wait instead.
        self.write_engine = self.engine.execution_options(newsmark_write=True)

    @property
    def where(self) -> str:
        """The database as messages name it."""
        return str(self.path)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        readonly: bool = False,
        upgrade: bool = True,
        backup_dir: Path | None = None,
        keep_backups: int = 10,
        busy_timeout_ms: int = 5000,
        quick_checked: bool = False,
    ) -> Database:
        """Open (creating if missing, unless readonly) and upgrade an older schema.

        Raises StorageError for a non-SQLite or corrupt file, a newer schema, a
        read-only file or folder (when writing), a locked database.
        """
        path = Path(path).expanduser().absolute()
        if not preflight.check_location(path, readonly=readonly):
            cls._create(path)
        preflight.check_wal(path)
        full = not readonly and path.stat().st_size <= preflight.FULL_CHECK_BYTES
        # Above the full check's size, quick_check reads the whole file (seconds at
        # 200,000 articles): not twice when the window's preview just ran it, and not
        # when the file is as its last writer left it on a clean close.
        quick = not quick_checked and preflight.quick_check_needed(path)
        info = preflight.inspect(path, busy_timeout_ms, full=full, check=full or quick)
        if info.revision is not None and not migrate.is_known(info.revision):
            raise StorageError(
                f"{path} has schema revision {info.revision}, newer than this Newsmark knows "
                f"(up to {migrate.head_revision()}); upgrade Newsmark to open it "
                "(the file was not modified)"
            )
        if not info.has_alembic_table and info.tables:
            raise StorageError(
                f"{path} is a SQLite database but not a Newsmark one "
                f"(tables: {', '.join(info.tables[:5])}); choose another file"
            )
        if not readonly:
            clean_close.forget(path)  # unchecked from the first write until a clean close
        db = cls(
            path,
            readonly=readonly,
            backup_dir=backup_dir or path.parent / "backups",
            keep_backups=keep_backups,
            busy_timeout_ms=busy_timeout_ms,
        )
        try:
            if upgrade and not readonly and db.revision() != db.head_revision():
                db.upgrade()
        except BaseException:
            db.close()
            raise
        return db

    @classmethod
    def _create(cls, path: Path) -> None:
        """A new database at `path`, built under a temporary name and renamed when complete.

        So a crash while creating leaves no empty or half-made file at `path`, and an
        empty file there is always damage (see preflight.check_location).
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the folder {path.parent}: {exc.strerror or exc}; "
                "choose another data directory"
            ) from exc
        tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
        try:
            db = cls(tmp, readonly=False, backup_dir=path.parent, keep_backups=0,
                     busy_timeout_ms=5000)  # fmt: skip
            try:
                db.upgrade()
            finally:
                db.close()
            backup_files.make_standalone(tmp)
            tmp.replace(path)
        except sqlite3.Error as exc:
            raise StorageError(preflight.describe_sqlite_error(path, exc)) from exc
        except OSError as exc:
            raise StorageError(f"cannot create {path}: {exc.strerror or exc}") from exc
        finally:
            suffixes = ("-wal", "-shm", clean_close.SUFFIX)
            for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in suffixes)):
                leftover.unlink(missing_ok=True)

    # -- engine -----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        target = preflight.readonly_uri(self.path) if self.readonly else str(self.path)
        # isolation_level=None: the driver never opens transactions by itself; the
        # "begin" listener below emits BEGIN (SQLAlchemy's recipe for sane SQLite
        # transactions). check_same_thread=False: the pool hands connections to workers.
        return sqlite3.connect(
            target,
            uri=self.readonly,
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )

    def _make_engine(self) -> Engine:
        # QueuePool explicitly: for a URL without a file name SQLAlchemy would assume
        # :memory: and share one connection per thread, which breaks nested sessions.
        engine = create_engine("sqlite+pysqlite://", creator=self._connect, poolclass=QueuePool)
        busy = int(self.busy_timeout_ms)
        readonly = self.readonly

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {busy}")
            if not readonly:
                cur.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit survives power loss too, not just a process crash.
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            if readonly:
                # Belt and braces: refuse writes even where file permissions would allow.
                cur.execute("PRAGMA query_only = ON")
            cur.close()
            # SQLite's lower()/LIKE fold ASCII only; search must fold "Ä" too.
            dbapi_conn.create_function("nm_casefold", 1, _casefold, deterministic=True)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            write = conn.get_execution_options().get("newsmark_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    @contextmanager
    def session(self, *, write: bool = True, guard: roles.Guard | None = None) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        `guard` (what a write needs, storage.roles) is a server's: a file is single-user."""
        if write and self.readonly:
            raise StorageError(
                f"{self.path} is open read-only (another window may be editing it); "
                "close the other window and reopen to edit"
            )
        bind = self.write_engine if write else self.engine
        try:
            with Session(bind, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as exc:
            raise StorageError(preflight.describe_sqlite_error(self.path, exc.orig)) from exc

    def close(self) -> None:
        self.engine.dispose()
        if not self.readonly:  # archive-sized: the next open may skip its quick_check
            clean_close.record(self.path, larger_than=preflight.FULL_CHECK_BYTES)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                return migrate.current_revision(conn)
        except DBAPIError as exc:
            raise StorageError(preflight.describe_sqlite_error(self.path, exc.orig)) from exc

    def head_revision(self) -> str:
        return migrate.head_revision()

    @property
    def is_current(self) -> bool:
        return self.revision() == self.head_revision()

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate to head after a backup of any existing data; returns (from, to)."""
        current, head = self.revision(), self.head_revision()
        if current == head:
            return current, head
        if self.readonly:
            raise StorageError(
                f"{self.path} has schema {current or 'none'} and needs {head}; "
                "it cannot be upgraded while open read-only"
            )
        if current is not None and not migrate.is_known(current):
            raise StorageError(f"{self.path} has an unknown schema revision {current}")
        if self._has_tables():
            self.auto_backup(f"before-{head}")
        try:
            with self.write_engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None  # a live pool connection always has one
                # Batch migrations copy and drop tables; with foreign keys on, dropping a
                # parent table would cascade-delete children. The pragma only changes
                # outside a transaction, so it is set before BEGIN and checked at the end.
                raw.execute("PRAGMA foreign_keys = OFF")
                try:
                    with conn.begin():
                        migrate.upgrade(conn)
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise StorageError(
                                f"{self.path}: migration to {head} broke {len(broken)} foreign "
                                "keys; nothing was changed (please report this)"
                            )
                finally:
                    raw.execute("PRAGMA foreign_keys = ON")
        except DBAPIError as exc:
            raise StorageError(preflight.describe_sqlite_error(self.path, exc.orig)) from exc
        return current, head

    def _has_tables(self) -> bool:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).scalar_one()
        return bool(row)

    # -- checks and copies ------------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """["ok"] when the file is sound, else SQLite's list of problems."""
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        except DBAPIError as exc:
            return [preflight.describe_sqlite_error(self.path, exc.orig)]
        return [str(r[0]) for r in rows]

    def pragmas(self) -> dict[str, object]:
        """journal_mode ("wal"), synchronous ("FULL"), foreign_keys (bool), busy_timeout (ms)."""
        with self.engine.connect() as conn:

            def one(name: str) -> Any:
                return conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()

            sync = int(one("synchronous"))
            return {
                "journal_mode": str(one("journal_mode")).lower(),
                "synchronous": SYNCHRONOUS_NAMES.get(sync, str(sync)),
                "foreign_keys": bool(one("foreign_keys")),
                "busy_timeout": int(one("busy_timeout")),
            }

    def backup(self, dest: Path, *, overwrite: bool = False) -> Path:
        """A consistent copy at `dest` (a file, or a folder to put a dated copy in)."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / backup_files.backup_name(self.path, "manual")
        if dest.exists() and not overwrite:
            raise StorageError(f"{dest} already exists; choose another name")
        if dest.absolute() == self.path:
            raise StorageError(f"{dest} is the database itself; choose another path")
        if dest.exists():
            # Renaming a fresh file over a database could meet a stale -wal beside it, which
            # SQLite would replay onto the new content; writing through SQLite cannot.
            backup_files.copy_into(self.path, dest, busy_timeout_ms=self.busy_timeout_ms)
            return dest
        return backup_files.copy_database(self.path, dest, busy_timeout_ms=self.busy_timeout_ms)

    def auto_backup(self, reason: str) -> Path:
        """A dated copy into backup_dir, keeping the newest `keep_backups`."""
        return backup_files.auto_backup(
            self.path,
            self.backup_dir,
            reason,
            keep=self.keep_backups,
            busy_timeout_ms=self.busy_timeout_ms,
        )

    def daily_backup(self) -> Path | None:
        """At start-up: a backup unless one was taken in the last 24 hours."""
        if backup_files.has_recent_backup(self.path, self.backup_dir):
            return None
        return self.auto_backup("daily")

    def backups(self) -> list[Path]:
        return backup_files.list_backups(self.path, self.backup_dir)

    @staticmethod
    def restore(
        path: Path, src: Path, *, backup_dir: Path | None = None, keep_backups: int = 10
    ) -> Restored:
        """Replace the database at `path` with the copy `src`; refuse while it is in use.

        An intact current database is backed up first (`Restored.kept`). A damaged one,
        which cannot be copied page by page, is renamed aside with its -wal and -shm
        (`Restored.damaged`): restore is what every corruption message points to, so it
        must work on exactly those files, and it never deletes them.
        """
        path = Path(path).expanduser().absolute()
        src = Path(src).expanduser().absolute()
        if not src.is_file():
            raise StorageError(f"{src} does not exist; choose a backup file")
        info = preflight.inspect(src)
        if info.revision is None or not migrate.is_known(info.revision):
            raise StorageError(
                f"{src} is not a Newsmark database this version can open "
                f"(schema {info.revision or 'none'}); choose another backup"
            )
        with WriterLock(path):
            saved = damaged = None
            if path.exists() and backup_files.is_intact(path):
                try:
                    saved = backup_files.auto_backup(
                        path,
                        backup_dir or path.parent / "backups",
                        "before-restore",
                        keep=keep_backups,
                    )
                except backup_files.DamagedDatabase:
                    damaged = backup_files.move_aside(path, "damaged")
            elif path.exists():
                damaged = backup_files.move_aside(path, "damaged")
            backup_files.copy_into(src, path)
        return Restored(saved, damaged)
