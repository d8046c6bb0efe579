"""A writer lock file beside the database, so only one process at a time edits it.

A second window opens the database read-only when it cannot take the lock, and
`db restore` refuses while the lock is held. flock locks die with their process, so a
crashed window never leaves a stale lock behind (the file itself stays; its content is
only informative).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from newsmark.domain.errors import StorageError


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class WriterLock:
    """Non-blocking exclusive `fcntl.flock` on `<db>.lock`, holding the holder's pid."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._fh: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> bool:
        """Take the lock if free; False if another process (or handle) holds it."""
        if self._fh is not None:
            return True
        try:
            # The data dir may not exist yet (e.g. `db restore` into a fresh one).
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise StorageError(
                f"cannot create the lock file {self.path}: {exc.strerror or exc}; "
                "fix the folder's permissions or open the database read-only"
            ) from exc
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        info = {
            "pid": os.getpid(),
            "command": " ".join(sys.argv) or sys.executable,
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(info))
        fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            # Clear the holder info first so a reader never sees a stale pid as current.
            self._fh.seek(0)
            self._fh.truncate()
            self._fh.flush()
        except OSError:
            pass  # the lock still goes away with the close below
        fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None

    def holder(self) -> dict[str, Any] | None:
        """{"pid", "command", "since"} of the process holding the lock, or None if free."""
        if self._fh is not None:
            return self._read()
        if not self.path.exists():
            return None
        try:
            probe = self.path.open("r", encoding="utf-8")
        except OSError:
            return None
        with probe:
            try:
                fcntl.flock(probe.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return self._read() or {"pid": None, "command": "unknown", "since": None}
            fcntl.flock(probe.fileno(), fcntl.LOCK_UN)
            return None

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
