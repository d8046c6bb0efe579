"""A writer lock file beside the database, so only one process at a time edits it.

A second window opens the database read-only when it cannot take the lock, and
`db restore` refuses while the lock is held. flock locks die with their process, so a
crashed window never leaves a stale lock behind (the file itself stays; its content is
only informative). A forked child (spaCy's `n_process` workers) closes its copy of the
descriptor at once: an flock belongs to the open file, which a child would otherwise
keep locked after its parent died.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from weakref import WeakSet

from newsmark.domain.errors import StorageError

_HELD: WeakSet[WriterLock] = WeakSet()


def _forget_in_child() -> None:
    """After fork, in the child: drop (not unlock) every lock the parent holds."""
    for lock in list(_HELD):
        lock._drop_inherited()


os.register_at_fork(after_in_child=_forget_in_child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


def _processes_with(path: Path) -> set[int]:
    """Pids of processes that have `path` open (Linux /proc; empty elsewhere)."""
    try:
        target = path.stat()
    except OSError:
        return set()
    found: set[int] = set()
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                st = fd.stat()
                if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
                    found.add(int(entry.name))
                    break
        except OSError:
            continue  # gone, or not ours to look at
    return found


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class WriterLock:
    """Non-blocking exclusive `fcntl.flock` on `<db>.lock`, holding the holder's pid."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if free; False if another process (or handle) holds it."""
        if self._fd is not None:
            return True
        try:
            # The data dir may not exist yet (e.g. `db restore` into a fresh one).
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StorageError(
                f"cannot create the lock file {self.path}: {exc.strerror or exc}; "
                "fix the folder's permissions or open the database read-only"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        info = {
            "pid": os.getpid(),
            "command": " ".join(sys.argv) or sys.executable,
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        except OSError:
            pass  # the content is only informative; the flock is what counts
        self._fd = fd
        _HELD.add(self)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _HELD.discard(self)
        # Clear the holder info first so a reader never sees a stale pid as current (if
        # that fails, the lock still goes away with the close below).
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def _drop_inherited(self) -> None:
        """In a forked child: close the inherited descriptor without unlocking the parent's."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)

    def holder(self) -> dict[str, Any] | None:
        """{"pid", "command", "since"} of the process holding the lock, or None if free.

        When the recorded pid has exited but the lock is still held, processes it left
        behind hold it: their pids are under "leftover" (Linux: found through /proc).
        """
        if self._fd is not None:
            return self._read()
        if not self.path.exists():
            return None
        try:
            probe = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            try:
                fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                info = self._read() or {"pid": None, "command": "unknown", "since": None}
                pid = info.get("pid")
                if isinstance(pid, int) and not _alive(pid):
                    info["leftover"] = sorted(_processes_with(self.path) - {os.getpid()})
                return info
            fcntl.flock(probe, fcntl.LOCK_UN)
            return None
        finally:
            os.close(probe)

    def _read(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def __enter__(self) -> WriterLock:
        if not self.acquire():
            holder = self.holder() or {}
            raise StorageError(
                f"{self.db_path} is in use by another Newsmark process "
                f"(pid {holder.get('pid')}: {holder.get('command')}); close it and try again"
            )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
