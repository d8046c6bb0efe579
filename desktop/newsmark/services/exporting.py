"""Export use case: stream annotation sets through a format writer, atomically to a file."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsmark.domain.errors import InputError
from newsmark.domain.status import STATUS_FILTERS
from newsmark.formats import get_format
from newsmark.formats.newsmark_jsonl import export_record, misaligned_spans
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress
from newsmark.storage import Repository


@dataclass
class ExportReport:
    records: int = 0
    destination: str = "-"
    misaligned: list[str] = field(default_factory=list)  # "doc 3: 10..14 PERSON"

    def summary(self) -> str:
        text = f"exported {self.records} annotation set(s) to {self.destination}"
        if self.misaligned:
            text += f"; {len(self.misaligned)} span(s) not aligned to tokens (kept by character)"
        return text


@contextlib.contextmanager
def atomic_writer(dest: Path, *, force: bool) -> Iterator[IO[str]]:
    """A text stream that becomes `dest` only when the block finishes without error."""
    if dest.is_dir():
        raise InputError(dest, None, "is a directory; give a file name")
    if dest.exists() and not force:
        raise InputError(dest, None, "file exists; use --force to overwrite it")
    parent = dest.parent if str(dest.parent) else Path()
    if not parent.is_dir():
        raise InputError(dest, None, f"directory {parent} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise InputError(dest, None, f"cannot write here: {exc.strerror}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export(
    repo: Repository,
    dest: Path | None,
    *,
    fmt: str = "newsmark",
    status: str = "accepted",
    annotator: str | None = None,
    force: bool = False,
    progress: Progress = no_progress,
    cancel: Cancel = never_cancel,
    stdout: IO[str] | None = None,
) -> ExportReport:
    """Export matching annotation sets; `dest` None writes to `stdout` (default sys.stdout)."""
    if status not in STATUS_FILTERS:
        raise InputError(
            None, None, f"unknown status {status!r}; one of {', '.join(STATUS_FILTERS)}"
        )
    writer = get_format(fmt)
    if writer.write is None:
        raise InputError(None, None, f"format {fmt!r} cannot be exported")
    report = ExportReport(destination=str(dest) if dest else "-")

    def records() -> Iterator[dict[str, Any]]:
        for n, (doc, aset, entities) in enumerate(
            repo.iter_export(status=status, annotator=annotator), start=1
        ):
            if cancel():
                raise Cancelled()
            record = export_record(doc, aset, entities)
            for span in misaligned_spans(record):
                report.misaligned.append(
                    f"doc {doc.id}: {span['start']}..{span['end']} {span['label']}"
                )
            report.records = n
            if n % 100 == 0:
                progress(n, None, f"{n} exported")
            yield record

    if dest is None:
        writer.write(records(), stdout or sys.stdout)
    else:
        with atomic_writer(dest, force=force) as stream:
            writer.write(records(), stream)
    progress(report.records, report.records, "export done")
    return report
