"""Export use case: stream annotation sets through a format writer, atomically to a file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsmark.domain.alignment import AlignmentReport, Misaligned
from newsmark.domain.annotations import ExportSet
from newsmark.domain.errors import InputError, UsageError
from newsmark.domain.offsets import Alignment
from newsmark.domain.status import STATUS_FILTERS, Status
from newsmark.formats import Output, files, get_format
from newsmark.formats.newsmark_jsonl import (
    export_line,
    set_record,
    write_lines,
)
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
    # When nothing matched: which statuses (and annotators) do have sets (see `empty_hint`).
    hint: str | None = None

    def summary(self) -> str:
        text = f"exported {self.records} annotation set(s) to {self.destination}"
        if self.misaligned:
            text += f"; {len(self.misaligned)} span(s) not aligned to tokens (see warnings)"
        return text


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in counts.items())


def empty_hint(counts: dict[tuple[str, str], int], status: str, annotator: str | None) -> str:
    """Why an export matched nothing, from the sets by (status, annotator) that exist.

    "nothing to export with status accepted; sets by status: preannotated 3,
    in_progress 1 (use --status any)"; with an annotator, that annotator's sets and
    every annotator's count.
    """
    what = f"status {status}" + (f" by annotator {annotator}" if annotator is not None else "")
    if not counts:
        return f"nothing to export with {what}: there are no annotation sets yet"
    order = {s.value: i for i, s in enumerate(Status)}

    def by_status(ann: str | None) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (st, who), n in counts.items():
            if ann is None or who == ann:
                totals[st] = totals.get(st, 0) + n
        return dict(sorted(totals.items(), key=lambda kv: order.get(kv[0], len(order))))

    any_status = " (use --status any)" if status != "any" else ""
    if annotator is None:
        totals = _counted(by_status(None))
        return f"nothing to export with {what}; sets by status: {totals}{any_status}"
    people: dict[str, int] = {}
    for (_, who), n in sorted(counts.items(), key=lambda kv: kv[0][1]):
        people[who] = people.get(who, 0) + n
    everyone = f"sets by annotator: {_counted(people)}"
    mine = by_status(annotator)
    if not mine:
        return f"nothing to export with {what}: {annotator} has no annotation sets; {everyone}"
    return (
        f"nothing to export with {what}; {annotator}'s sets by status: "
        f"{_counted(mine)}{any_status}; {everyone}"
    )


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
        align = AlignmentReport(Alignment(alignment))
    except ValueError:
        raise UsageError(f"unknown alignment {alignment!r}") from None
    target = get_format(fmt)
    name = target.name
    if split is not None and not target.splits:
        raise UsageError(f"--split is not for the {name} format (try spacy)")
    output = target.target(split is not None)
    if output is None:
        raise UsageError(f"format {name!r} cannot be exported, only read")
    if dest is None and output is not Output.STREAM:
        raise UsageError(f"the {name} format writes files: give -o PATH")
    if dest is not None:
        files.check_target(
            dest, folder=output is Output.FOLDER, force=force, protected=repo.path.parent
        )
    report = ExportReport(destination=str(dest) if dest else "-")

    def sets() -> Iterator[ExportSet]:
        for n, item in enumerate(
            repo.iter_export_sets(status=status, annotator=annotator), start=1
        ):
            if cancel():
                raise Cancelled()
            report.records = n
            if n % 100 == 0:
                progress(n, None, f"{n} exported")
            yield item

    def records() -> Iterator[dict[str, Any]]:
        return map(set_record, sets())

    off_tokens: list[Misaligned] = []  # token-aligned writers report through `align`

    def write(stream: IO[str]) -> int:
        if name == "newsmark":  # straight from storage to the line, records never built
            return write_lines((export_line(item, off_tokens) for item in sets()), stream)
        assert target.write is not None
        return target.write(records(), stream, report=align)

    if output is not Output.STREAM:
        assert dest is not None and target.write_to is not None
        target.write_to(records(), dest, report=align, split=split, seed=seed)
    elif dest is None:
        write(stdout or sys.stdout)
    else:
        with files.atomic_text(dest) as stream:
            write(stream)
    report.misaligned += [str(item) for item in off_tokens]
    if not report.records:
        report.hint = empty_hint(repo.set_counts(), status, annotator)
    report.misaligned += [str(item) for item in align.items]
    report.notes += align.notes
    progress(report.records, report.records, "export done")
    return report
