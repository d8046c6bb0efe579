"""`newsmark merge`: annotators' own Newsmark files into one database for review.

Every file is read through a private copy (the files themselves are only read, byte for
byte; an older schema is upgraded in the copy). Conflicts are found before anything is
written: then the merge is refused with their list. Otherwise everything is copied into
the target in one transaction, under the target's writer lock.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, fields
from pathlib import Path

from newsmark.domain.errors import InputError, StorageError, UsageError, printable
from newsmark.services.progress import Progress, no_progress
from newsmark.services.workspace import describe_holder
from newsmark.storage import Database, WriterLock, clean_close
from newsmark.storage.lock import lock_path
from newsmark.storage.merge import Copied, Ids, copy_file
from newsmark.storage.merge_plan import (
    Snapshot,
    entity_conflicts,
    plan_sets,
    read_snapshot,
    text_conflicts,
)

_SIDE_FILES = ("-wal", "-shm", clean_close.SUFFIX)


class MergeRefused(InputError):
    """What cannot be merged, one line each (`lines`); nothing was written."""

    def __init__(self, target: Path, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(
            target,
            None,
            f"merge refused, nothing was written: {len(lines)} conflict(s): " + "; ".join(lines),
        )


@dataclass(slots=True)
class MergeReport:
    target: Path
    files: int
    created: bool
    copied: Copied = field(default_factory=Copied)
    kept_once: int = 0  # copies left out: a set identical to one in another file or the target

    def summary(self) -> str:
        c = self.copied
        what = "created" if self.created else "merged into"
        kept = f"; {self.kept_once} identical copy(ies) of a set left out" if self.kept_once else ""
        assigned = f", {c.assignments} new assignment(s)" if c.assignments else ""
        return (
            f"{what} {self.target} from {self.files} file(s): {c.documents} new document(s), "
            f"{c.sets} annotation set(s) with {c.spans} span(s), {c.quotes} quote(s) and "
            f"{c.log_rows} edit log row(s), {c.entities} new entit(y/ies){assigned}{kept}"
        )


class InputRefused(InputError):
    """A file Newsmark refuses to open, in the words of that refusal (exit 2)."""

    def __str__(self) -> str:
        return printable(self.reason)


def _input_error(path: Path, copy: Path, exc: StorageError) -> InputError:
    """The refusal of a private copy, told about the user's file."""
    return InputRefused(path, None, str(exc).replace(str(copy), str(path)))


def _private_copy(path: Path, folder: Path, n: int, *, ours: bool = False) -> Database:
    """`path` copied into `folder` and opened there (upgraded if older): the merge reads
    only that, so nothing is ever created or changed beside the user's file."""
    if not path.is_file():
        raise InputError(path, None, "no such file" if not path.exists() else "not a file")
    holder = None if ours else WriterLock(path).holder()  # ours: the target, locked
    if holder:
        raise InputError(
            path,
            None,
            f"is being edited by another Newsmark ({describe_holder(holder)}); close it first",
        )
    copy = folder / f"input-{n}.sqlite3"
    try:
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():  # changes not checked into the file yet (a crash, a reader)
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    except OSError as exc:
        raise InputError(path, None, f"cannot read it: {exc.strerror or exc}") from exc
    try:
        return Database.open(copy, backup_dir=folder / "backups", keep_backups=1)
    except StorageError as exc:
        raise _input_error(path, copy, exc) from exc


def _check_paths(inputs: Sequence[Path], into: Path) -> None:
    if not inputs:
        raise UsageError("give the files to merge")
    seen: list[Path] = []
    for path in inputs:
        for other in [*seen, into]:
            same = path == other or (path.exists() and other.exists() and path.samefile(other))
            if same:
                what = "the target" if other == into else "given twice"
                raise UsageError(f"{path} is {what}; each file is merged once, into another")
        seen.append(path)


@contextmanager
def _locked(into: Path) -> Iterator[None]:
    """The target's writer lock (no window writes while the merge runs); a lock file (and
    folder) made for a target that is not there afterwards is removed again."""
    lock_file = lock_path(into)
    made, made_folder = not lock_file.exists(), not into.parent.exists()
    lock = WriterLock(into)
    if not lock.acquire():
        raise StorageError(
            f"{into} is being edited by another Newsmark ({describe_holder(lock.holder())}); "
            "close it and try again (nothing was changed)"
        )
    try:
        yield
    finally:
        lock.release()
        if made and not into.exists():
            lock_file.unlink(missing_ok=True)
            if made_folder:
                with suppress(OSError):  # only when empty
                    into.parent.rmdir()


def merge_files(
    inputs: Sequence[Path],
    into: Path,
    *,
    who: str,
    progress: Progress = no_progress,
) -> MergeReport:
    """Merge `inputs` into `into` (created when missing); `who` signs the log rows that
    say where each set came from. Raises MergeRefused (nothing written) on conflicts."""
    into = Path(into).expanduser().absolute()
    paths = [Path(p).expanduser().absolute() for p in inputs]
    _check_paths(paths, into)
    folder = into.parent if into.parent.is_dir() else None
    with ExitStack() as stack:
        # Beside the target (the same disk, space for the copies), removed at the end.
        temp = tempfile.TemporaryDirectory(prefix=".newsmark-merge-", dir=folder)
        scratch = Path(stack.enter_context(temp))
        stack.enter_context(_locked(into))
        snaps: list[Snapshot] = []
        if into.exists():  # its sets take part in the checks, and are kept as they are
            db = _private_copy(into, scratch, 0, ours=True)
            stack.callback(db.close)
            snaps.append(read_snapshot(str(into), db))
        first_input = len(snaps)
        for n, path in enumerate(paths, start=1):
            progress(n - 1, len(paths), f"reading {path.name}")
            db = _private_copy(path, scratch, n)
            stack.callback(db.close)
            snaps.append(read_snapshot(str(path), db))
        plan = plan_sets(snaps)
        conflicts = text_conflicts(snaps) + entity_conflicts(snaps) + plan.conflicts
        if conflicts:
            raise MergeRefused(into, conflicts)
        report = MergeReport(into, len(paths), created=not into.exists(), kept_once=plan.kept_once)
        todo = [(snap, plan.copies(i, snap)) for i, snap in enumerate(snaps) if i >= first_input]
        _write(into, todo, who, report, progress)
        return report
    raise AssertionError("unreachable")  # pragma: no cover (mypy: ExitStack may swallow)


def _write(
    into: Path,
    todo: list[tuple[Snapshot, list[int]]],
    who: str,
    report: MergeReport,
    progress: Progress,
) -> None:
    """Everything in one transaction on the target; a target this merge created is
    removed again when that fails."""
    total = sum(len(ids) for _snap, ids in todo)
    done = 0
    try:
        db = Database.open(into)
        try:
            with db.session() as s:
                ids = Ids.of(s)
                for snap, set_ids in todo:
                    name = Path(snap.name).name

                    def step(n: int, name: str = name) -> None:
                        nonlocal done
                        done += n
                        progress(done, total, f"merging {name}")

                    progress(done, total, f"merging {name}")
                    got = copy_file(s, snap, set_ids, ids, who, step)
                    for f in fields(Copied):
                        total_so_far = getattr(report.copied, f.name)
                        setattr(report.copied, f.name, total_so_far + getattr(got, f.name))
        finally:
            db.close()
    except BaseException:
        if report.created:
            for leftover in (into, *(into.with_name(into.name + s) for s in _SIDE_FILES)):
                leftover.unlink(missing_ok=True)
        raise
    progress(total, total, "merge done")
