"""A PostgreSQL server database with the interface `Repository` uses (as `db.Database`).

No file lock, no backups, no file checks: concurrent writers are normal on a server,
which backs itself up (pg_dump). Transactions are READ COMMITTED; a write session locks
the set rows it reads (`edits.load_set`: SELECT ... FOR UPDATE), so the optimistic
version check of every edit sees the latest committed version and two writers of one set
get a ConflictError rather than a lost update. The URL never carries a password (libpq
reads ~/.pgpass or PGPASSFILE); `where` is the URL as messages show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from newsmark.domain.db_target import PASSWORD_HELP, check_target, mask
from newsmark.domain.errors import StorageError
from newsmark.storage import migrate, roles

CONNECT_TIMEOUT_S = 5
# One upgrade at a time when several clients open an old database together.
_UPGRADE_LOCK = 0x6E65_7773  # "news"
LOCK_ROWS = "newsmark_lock_rows"  # Session.info key: write sessions lock what they read
# Where `Repository.path` points: a name in the local data dir (models, exports' guard)
# that is never created; the data is on the server.
SERVER_MARK = "server-database"


def describe_error(where: str, exc: BaseException | None) -> str:
    """One line for a server error: what happened and what to do, no password, no traceback."""
    raw = str(exc or "").strip()
    # libpq's messages run over several lines ("connection to server ... failed: ...").
    line = " ".join(part.strip() for part in raw.splitlines() if part.strip())
    low = line.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return f"{where}: the server refused the login ({line}); {PASSWORD_HELP}"
    if "does not exist" in low and "database" in low:
        return f"{where}: {line}; create it first (createdb), nothing was changed"
    if "connection" in low and ("refused" in low or "timeout" in low or "failed" in low):
        return f"cannot reach the database server {where} ({line}); nothing was changed"
    if "read-only transaction" in low:
        return f"{where} is open read-only; reopen it to edit"
    return f"{where}: {line}"


class ServerDatabase:
    """One PostgreSQL database. Build with `ServerDatabase.open`; pass to `Repository`."""

    def __init__(self, url: str, *, readonly: bool, local_dir: Path) -> None:
        self.url = url
        self.where = mask(url)
        self.readonly = readonly
        self.path = local_dir / SERVER_MARK
        self.engine = self._make_engine()
        self.write_engine = self.engine

    @classmethod
    def open(
        cls,
        url: str,
        *,
        local_dir: Path,
        readonly: bool = False,
        upgrade: bool = True,
    ) -> ServerDatabase:
        """Connect, check the schema and upgrade an older one.

        Raises StorageError (one line, nothing changed) for an unreachable server, a
        refused login, a missing database, a newer schema or a non-Newsmark database.
        """
        check_target(url, "database URL")  # no password, a PostgreSQL URL
        db = cls(url, readonly=readonly, local_dir=local_dir)
        try:
            revision, tables = db._probe()
            if revision is not None and not migrate.is_known(revision):
                raise StorageError(
                    f"{db.where} has schema revision {revision}, newer than this Newsmark "
                    f"knows (up to {migrate.head_revision()}); upgrade Newsmark to open it "
                    "(nothing was changed)"
                )
            if revision is None and tables:
                raise StorageError(
                    f"{db.where} is a PostgreSQL database but not a Newsmark one "
                    f"(tables: {', '.join(tables[:5])}); choose another database"
                )
            if upgrade and not readonly and revision != db.head_revision():
                db.upgrade()
        except BaseException:
            db.close()
            raise
        return db

    def _make_engine(self) -> Engine:
        try:
            url = make_url(self.url)
        except ArgumentError as exc:
            raise StorageError(f"{self.where} is not a database URL ({exc})") from None
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        try:
            engine = create_engine(
                url,
                isolation_level="READ COMMITTED",
                pool_pre_ping=True,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "newsmark"},
            )
        except (ModuleNotFoundError, NoSuchModuleError) as exc:
            raise StorageError(
                f"{self.where}: PostgreSQL needs the psycopg package ({exc}); "
                'install it with pip install "newsmark[postgres]"'
            ) from None
        if self.readonly:

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                # Belt and braces, as SQLite's query_only: the server refuses writes too.
                with dbapi_conn.cursor() as cur:
                    cur.execute("SET default_transaction_read_only = on")
                dbapi_conn.commit()

        return engine

    def _probe(self) -> tuple[str | None, list[str]]:
        """(schema revision, table names) in one connection: the first contact."""
        try:
            with self.engine.connect() as conn:
                tables = sorted(inspect(conn).get_table_names())
                return migrate.current_revision(conn), tables
        except DBAPIError as exc:
            raise StorageError(describe_error(self.where, exc.orig)) from None

    @contextmanager
    def session(self, *, write: bool = True, guard: roles.Guard | None = None) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        A write session first checks the login's role against `guard` (what it is about
        to write; None: an admin's write), in the same transaction (ADR 0013)."""
        if write and self.readonly:
            raise StorageError(f"{self.where} is open read-only; reopen it to edit")
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                session.info[LOCK_ROWS] = write
                if write:
                    roles.check(session, guard)
                yield session
        except DBAPIError as exc:
            raise StorageError(describe_error(self.where, exc.orig)) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ServerDatabase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                return migrate.current_revision(conn)
        except DBAPIError as exc:
            raise StorageError(describe_error(self.where, exc.orig)) from None

    def head_revision(self) -> str:
        return migrate.head_revision()

    @property
    def is_current(self) -> bool:
        return self.revision() == self.head_revision()

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate to head in one transaction (PostgreSQL's DDL is transactional: a failed
        migration leaves nothing); returns (from, to)."""
        head = self.head_revision()
        if self.readonly:
            raise StorageError(f"{self.where} needs schema {head}; it is open read-only")
        try:
            with self.engine.begin() as conn:
                # Two clients opening an old database at once: the second waits, then
                # finds it current.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
                current = migrate.current_revision(conn)
                if current is not None and not migrate.is_known(current):
                    raise StorageError(f"{self.where} has an unknown schema revision {current}")
                if current != head:
                    migrate.upgrade(conn)
        except DBAPIError as exc:
            raise StorageError(describe_error(self.where, exc.orig)) from None
        return current, head

    # -- what a file database has and a server does not -------------------------------------

    def daily_backup(self) -> None:
        """Nothing: a server is backed up with pg_dump, by whoever runs it."""
        return None

    def backups(self) -> list[Path]:
        return []
