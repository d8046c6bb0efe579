"""Whether a database is exactly as its last writer left it on a clean close.

A database too large for the full check at open (archive-sized: `quick_check` alone reads
the whole file, over a second at 200,000 articles) is checked at open only after an
unclean shutdown or a change Newsmark did not make. A writer that closes cleanly leaves a
stamp beside the file (`NAME.clean`: its size, modification time, inode and device); a
writer removes the stamp before its first write, so a crash or kill leaves none; a file
changed since (by another program, a restore, a copy) no longer matches its stamp. Damage
that changes none of these (a disk flipping bits) is found by the daily backup's
`integrity_check` and by `newsmark db check` (docs/reliability.md).
Stdlib only: the window's first paint (storage.peek) reads it.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

SUFFIX = ".clean"


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def _identity(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "dev": st.st_dev}


def unchanged_since_clean_close(path: Path) -> bool:
    """True when the stamp matches the file and no write-ahead log holds changes."""
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return False
        stamp = json.loads(stamp_path(path).read_text(encoding="utf-8"))
        return isinstance(stamp, dict) and stamp == _identity(path)
    except (OSError, ValueError):
        return False


def forget(path: Path) -> None:
    """Before a writer's first write: until its clean close the file is unchecked."""
    with contextlib.suppress(OSError):  # a read-only folder: the writer's open fails anyway
        stamp_path(path).unlink(missing_ok=True)


def record(path: Path, *, larger_than: int) -> None:
    """After a writer's clean close (the log checkpointed into the file, the file closed),
    for a file larger than `larger_than` bytes (smaller ones are checked at every open)."""
    stamp = stamp_path(path)
    tmp = stamp.with_name(f".{stamp.name}.{os.getpid()}")
    try:
        if path.stat().st_size <= larger_than:
            return
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # another connection still holds changes in the log: no stamp
        tmp.write_text(json.dumps(_identity(path)), encoding="utf-8")
        tmp.replace(stamp)
    except OSError:  # no stamp: the next open checks, as after a crash
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
