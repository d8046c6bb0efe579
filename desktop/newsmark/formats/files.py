"""Where an export may write, and writing it so that it appears whole or not at all.

An export never replaces what it should not: a path inside Newsmark's data dir (the
database, its -wal), any SQLite database, a symbolic link, or a folder Newsmark did not
write (`--force` replaces only folders that carry the export marker). A file or folder is
built under a hidden `.NAME.PID.XXXX.part` name beside the destination and renamed into
place; the parts a killed export left behind are removed at the next export to the same
place. Files get the permissions the user's umask gives, as any program's output.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from newsmark.domain.errors import InputError

# In every folder export: what lets `--force` replace it later (and nothing else).
EXPORT_MARKER = ".newsmark-export"
_SQLITE_HEADER = b"SQLite format 3\x00"


def check_target(dest: Path, *, folder: bool, force: bool, protected: Path | None) -> None:
    """Refuse a destination an export must not write; InputError saying why.

    `protected` is the data dir: nothing inside it is an export's to replace.
    """
    if dest.is_symlink():
        raise InputError(
            dest, None, "is a symbolic link; give the path it points to if you mean it"
        )
    if protected is not None and _inside(dest, protected):
        raise InputError(
            dest, None, f"is inside Newsmark's data directory {protected}; export elsewhere"
        )
    parent = dest.parent if str(dest.parent) else Path()
    if not parent.is_dir():
        raise InputError(dest, None, f"directory {parent} does not exist")
    if not dest.exists():
        return
    if dest.is_file() and _is_sqlite(dest):
        raise InputError(dest, None, "is a SQLite database; an export never replaces one")
    if not folder:
        if dest.is_dir():
            raise InputError(dest, None, "is a directory; give a file name")
        if not force:
            raise InputError(dest, None, "file exists; use --force to overwrite it")
        return
    if not dest.is_dir():
        raise InputError(dest, None, "is a file; this format writes a folder")
    if not force:
        raise InputError(dest, None, "exists; use --force to replace it")
    if not (dest / EXPORT_MARKER).is_file():
        n = sum(1 for _ in dest.iterdir())
        raise InputError(
            dest,
            None,
            f"is a folder Newsmark did not write ({n} entries); --force replaces only "
            "earlier exports: choose a new folder",
        )


@contextlib.contextmanager
def atomic_text(dest: Path) -> Iterator[IO[str]]:
    """A text stream that becomes `dest` only when the block finishes without error.

    Call `check_target` first: this only writes.
    """
    clean_leftovers(dest)
    try:
        fd, name = tempfile.mkstemp(prefix=_part_prefix(dest), suffix=".part", dir=_parent(dest))
    except OSError as exc:
        raise InputError(dest, None, f"cannot write here: {exc.strerror or exc}") from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _publish(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(dest, None, f"cannot write the export: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(dest: Path, data: bytes) -> None:
    """Write `dest` whole or not at all (see `atomic_text`)."""
    clean_leftovers(dest)
    tmp = None
    try:
        fd, name = tempfile.mkstemp(prefix=_part_prefix(dest), suffix=".part", dir=_parent(dest))
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, dest)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise InputError(dest, None, f"cannot write the export: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def atomic_folder(dest: Path) -> Iterator[Path]:
    """A new folder to fill; it replaces `dest` (an earlier export) when the block ends.

    Call `check_target(..., folder=True)` first: this only writes.
    """
    clean_leftovers(dest)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_part_prefix(dest), suffix=".part", dir=_parent(dest)))
    except OSError as exc:
        raise InputError(dest, None, f"cannot write here: {exc.strerror or exc}") from exc
    try:
        yield tmp
        (tmp / EXPORT_MARKER).write_text("written by newsmark export\n", encoding="utf-8")
        tmp.chmod(0o777 & ~_umask())
        if dest.exists():
            old = Path(
                tempfile.mkdtemp(prefix=_part_prefix(dest), suffix=".part", dir=_parent(dest))
            )
            old.rmdir()
            dest.replace(old)
            tmp.replace(dest)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.replace(dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(dest, None, f"cannot write the export: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def clean_leftovers(dest: Path) -> list[Path]:
    """Remove the parts that earlier exports to `dest` left when they were killed.

    Only `.NAME.PID.*.part` entries whose process is gone (a running export's part
    stays), and the `.NAME.old` folders of older brat exports.
    """
    parent = _parent(dest)
    pattern = re.compile(rf"\.{re.escape(dest.name)}\.(\d+)\.[^/]*\.part")
    removed: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        stale = (match and not _alive(int(match.group(1)))) or entry.name == f".{dest.name}.old"
        if not stale or entry.is_symlink():
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _publish(tmp: Path, dest: Path) -> None:
    # mkstemp makes 0600 files; an export is the user's file like any other.
    tmp.chmod(0o666 & ~_umask())
    tmp.replace(dest)
    with contextlib.suppress(OSError):
        fd = os.open(_parent(dest), os.O_RDONLY)
        try:
            os.fsync(fd)  # the rename is durable once the folder entry is
        finally:
            os.close(fd)


def _part_prefix(dest: Path) -> str:
    return f".{dest.name}.{os.getpid()}."


def _parent(dest: Path) -> Path:
    return dest.parent if str(dest.parent) else Path()


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    """The process umask, read without changing it (other threads may create files)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: the only other way is to set it and put it back
    os.umask(mask)
    return mask
