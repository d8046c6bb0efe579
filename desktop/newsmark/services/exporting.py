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
from newsmark.formats.newsmark_jsonl import describe_misaligned, export_record, misaligned_spans
from newsmark.formats.tools_registry import FOLDER_WRITERS, new_report, stream_writer
from newsmark.nlp.docbin import write_docbin
from newsmark.services import catalog  # noqa: F401 - registers the spacy format
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress
from newsmark.storage import Repository


@dataclass
class ExportReport:
    records: int = 0
    destination: str = "-"
    # Spans not on token boundaries ("document 3: span PERSON 10..14 ...: expanded to ...").
    misaligned: list[str] = field(default_factory=list)
    # What the format left out by design (e.g. quotes in CoNLL), one line each.
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"exported {self.records} annotation set(s) to {self.destination}"
        if self.misaligned:
            text += f"; {len(self.misaligned)} span(s) not aligned to tokens (see warnings)"
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
    alignment: str = "strict",
    split: float | None = None,
    seed: int = 0,
    progress: Progress = no_progress,
    cancel: Cancel = never_cancel,
    stdout: IO[str] | None = None,
) -> ExportReport:
    """Export matching annotation sets in `fmt`; `dest` None writes to `stdout`.

    Token-based formats (prodigy, conll, spacy) apply `alignment` (strict refuses the
    export and lists every misaligned span). `split` (spacy only) writes a folder with
    train.spacy and dev.spacy. Nothing is left behind when an export fails.
    """
    if status not in STATUS_FILTERS:
        raise InputError(
            None, None, f"unknown status {status!r}; one of {', '.join(STATUS_FILTERS)}"
        )
    try:
        align = new_report(alignment)
    except ValueError:
        raise InputError(None, None, f"unknown alignment {alignment!r}") from None
    target = get_format(fmt)
    name = target.name
    if split is not None and name != "spacy":
        raise InputError(None, None, "--split is for the spacy format (train/dev DocBin files)")
    if dest is None and (name == "spacy" or name in FOLDER_WRITERS):
        raise InputError(None, None, f"the {name} format writes files: give -o PATH")
    report = ExportReport(destination=str(dest) if dest else "-")

    def records() -> Iterator[dict[str, Any]]:
        for n, (doc, aset, entities) in enumerate(
            repo.iter_export(status=status, annotator=annotator), start=1
        ):
            if cancel():
                raise Cancelled()
            record = export_record(doc, aset, entities)
            if name == "newsmark":  # token-based writers report through `align`
                for item in misaligned_spans(record):
                    report.misaligned.append(describe_misaligned(item))
            report.records = n
            if n % 100 == 0:
                progress(n, None, f"{n} exported")
            yield record

    if name == "spacy":
        assert dest is not None
        write_docbin(
            records(), dest, split=split, seed=seed, alignment=align.mode, report=align, force=force
        )
    elif name in FOLDER_WRITERS:
        assert dest is not None
        FOLDER_WRITERS[name](records(), dest, force=force)
    else:
        if target.write is None:
            raise InputError(None, None, f"format {fmt!r} cannot be exported")
        writer = stream_writer(name, align)
        if dest is None:
            writer(records(), stdout or sys.stdout)
        else:
            with atomic_writer(dest, force=force) as stream:
                writer(records(), stream)
    report.misaligned += [str(item) for item in align.items]
    report.notes += align.notes
    progress(report.records, report.records, "export done")
    return report
