"""Opens the data dir: database, repository, writer lock and settings, for CLI and window."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from newsmark import paths
from newsmark.domain.errors import StorageError
from newsmark.services.db_choice import choose
from newsmark.services.progress import Progress, no_progress
from newsmark.services.settings import Settings
from newsmark.storage import Database, Repository, ServerDatabase, WriterLock

log = logging.getLogger(__name__)


@dataclass
class Workspace:
    """An open data dir. `readonly_reason` says why writing is off (the window's banner)."""

    data_dir: Path
    db: Database | ServerDatabase
    repo: Repository
    settings: Settings
    readonly: bool = False
    readonly_reason: str | None = None
    lock: WriterLock | None = field(default=None, repr=False)

    @property
    def annotator(self) -> str:
        return self.settings.annotator

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()

    def daily_backup(self) -> str | None:
        """A rotated copy once a day (the window's, in a background task after its first
        paint: at 200,000 articles it takes seconds); a message when it failed."""
        if self.readonly:
            return None
        try:
            self.db.daily_backup()
        except (OSError, StorageError) as exc:
            log.warning("daily backup failed: %s", exc)
            return f"Daily backup failed: {exc}"
        return None


def describe_holder(holder: dict[str, object] | None) -> str:
    """The lock holder as people read it: "pid 4242, newsmark gui, since 12:01"."""
    if not holder:
        return "an unknown process"
    parts = [f"pid {holder.get('pid')}"] if holder.get("pid") else []
    if holder.get("command"):
        parts.append(str(holder["command"]))
    if holder.get("since"):
        parts.append(f"since {holder['since']}")
    leftover = holder.get("leftover")
    if isinstance(leftover, list):
        # The recorded holder exited: whatever still holds the lock is what it left behind.
        pids = " ".join(map(str, leftover))
        parts.append(
            f"which has exited; processes it left behind hold the lock: end them with `kill {pids}`"
            if leftover
            else "which has exited; a process it left behind holds the lock"
        )
    return ", ".join(parts) or "an unknown process"


def open_workspace(
    data_dir: str | Path | None = None,
    *,
    readonly: bool = False,
    take_lock: bool = False,
    busy_timeout_ms: int = 5000,
    quick_checked: bool = False,
    db: str | None = None,
) -> Workspace:
    """Open (creating if needed) the database in the data dir.

    Every writable open takes the writer lock, so one process at a time writes. With
    `take_lock` (the window) a lock held elsewhere opens the database read-only and
    `readonly_reason` says who has it; without it (CLI commands that write) a held lock
    is a StorageError naming the holder, before anything is touched. `busy_timeout_ms`
    is how long a write waits for another program's lock before it is refused.
    `quick_checked`: the caller ran quick_check on the file just now (the window's
    preview), so a file too large for the full check is not checked twice.
    `db` (`--db`): a SQLite path or a PostgreSQL URL instead of NEWSMARK_DB, the
    settings' choice or the data dir's file (services.db_choice); a server database
    takes no lock: concurrent writers are normal there.
    """
    directory = paths.data_dir(data_dir)
    settings = Settings(paths.settings_path(directory))
    choice = choose(directory, db, settings)
    if choice.server:
        return _open_server(directory, choice.target, settings, readonly)
    db_path = choice.path
    if not readonly:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the data directory {directory}: {exc.strerror}"
            ) from exc
    elif not db_path.exists():
        raise StorageError(f"no Newsmark database at {db_path}")
    reason: str | None = None
    lock: WriterLock | None = None
    if not readonly and not os.access(directory, os.W_OK):
        # Checked before the lock, whose file could not be created here either.
        if not take_lock:
            raise StorageError(
                f"the data directory {directory} is not writable (read-only file system or "
                "permissions); nothing was changed: fix it or use another --data-dir"
            )
        reason, readonly = f"the data directory {directory} is not writable", True
    if not readonly:
        lock = WriterLock(db_path)
        if not lock.acquire():
            holder = lock.holder() or {}
            if not take_lock:
                # The window edits without re-reading the set before each edit, so a second
                # writer's changes could land unseen beside its edits: refuse instead.
                raise StorageError(
                    f"{db_path} is being edited by another Newsmark ({describe_holder(holder)});"
                    " close it, or import from its window, and try again (nothing was changed)"
                )
            reason = (
                f"another Newsmark ({describe_holder(holder)}) is editing this database; "
                "this window is read-only until it closes"
            )
            readonly, lock = True, None
    try:
        database = Database.open(
            db_path,
            readonly=readonly,
            backup_dir=paths.backups_dir(directory),
            busy_timeout_ms=busy_timeout_ms,
            quick_checked=quick_checked,
        )
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    # The label set edited in Preferences is the one edits are checked against.
    repo = Repository(database, labels=settings.labels)
    return Workspace(directory, database, repo, settings, readonly, reason, lock)


def _open_server(directory: Path, url: str, settings: Settings, readonly: bool) -> Workspace:
    """A PostgreSQL database: the data dir keeps only settings, logs and models (made
    once the server answered: a refusal changes nothing locally)."""
    database = ServerDatabase.open(url, local_dir=directory, readonly=readonly)
    try:
        if not readonly:
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create the data directory {directory}: {exc.strerror}"
                ) from exc
        repo = Repository(database, labels=settings.labels)
    except BaseException:
        database.close()
        raise
    return Workspace(directory, database, repo, settings, readonly)


def seed_if_empty(ws: Workspace, progress: Progress = no_progress) -> list[int]:
    """First run: import the bundled sample articles into an empty database."""
    if ws.repo.count_documents(cap=0):
        # Not a first run: the import module (spaCy's tokenizer) is not loaded at all. At
        # start-up a worker thread loading spaCy took the GIL from the window being built.
        return []
    from newsmark.services.importing import seed_if_empty as seed

    return seed(ws.repo, progress)
