"""Assigning documents to annotators (`newsmark assign`) and a coordinator's view of
their progress (`newsmark assignments`), for the CLI and the window."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from newsmark.domain import assignment
from newsmark.domain.assignment import AnnotatorProgress
from newsmark.domain.errors import UsageError
from newsmark.storage import Repository

DOCUMENT_CHOICES = ("all", "unassigned")


@dataclass(frozen=True)
class AnnotatorLoad:
    """An annotator's queue after `assign`: documents, of them shared, of them new."""

    annotator: str
    documents: int
    overlapping: int
    new: int


@dataclass(frozen=True)
class AssignReport:
    planned: dict[int, tuple[str, ...]]  # this run's new assignments
    kept: int  # documents that kept the annotators they had
    loads: list[AnnotatorLoad]


def assign(
    repo: Repository,
    annotators: str,
    *,
    overlap: float,
    seed: int,
    per_overlap_doc: int = 2,
    documents: str = "all",
    reassign: bool = False,
    by: str,
) -> AssignReport:
    """Plan and store assignments in one transaction; refused before anything is written
    for bad names, an overlap outside [0, 1] or an empty database.

    `documents`="all": the overlap share is of every document; "unassigned": of the
    documents nobody has yet (a new batch gets its own share). Assigned documents keep
    their annotators unless `reassign` (then every document in scope is planned afresh).
    """
    names = assignment.parse_annotators(annotators)
    assignment.check_overlap(overlap, per_overlap_doc, names)
    if documents not in DOCUMENT_CHOICES:
        raise UsageError(f"--documents must be one of {', '.join(DOCUMENT_CHOICES)}")
    known = repo.users()
    unknown = [n for n in names if known and n not in known]
    if unknown:
        raise UsageError(
            f"--annotators: unknown user {unknown[0]!r} (this database has users: "
            f"{', '.join(sorted(known))})"
        )
    doc_ids = repo.document_ids()
    if not doc_ids:
        raise UsageError("no documents to assign: the database is empty (newsmark import first)")
    existing = repo.assignments()
    unassigned = [d for d in doc_ids if d not in existing]
    scope = doc_ids if documents == "all" else unassigned
    if reassign and documents == "all":
        existing_kept: dict[int, tuple[str, ...]] = {}
    else:
        existing_kept = existing
    planned = assignment.plan(
        scope,
        names,
        overlap=overlap,
        seed=seed,
        per_overlap_doc=per_overlap_doc,
        existing=existing_kept,
        overlap_of=scope,
    )
    if planned:
        repo.assign(planned, by, replace=reassign)
    after = {**existing_kept, **planned} if reassign else {**existing, **planned}
    kept = sum(1 for d in scope if d in existing_kept)
    return AssignReport(planned, kept, _loads(after, planned, names))


def _loads(
    after: dict[int, tuple[str, ...]], planned: dict[int, tuple[str, ...]], names: list[str]
) -> list[AnnotatorLoad]:
    docs, shared, new = Counter[str](), Counter[str](), Counter[str]()
    for doc, who in after.items():
        for name in who:
            docs[name] += 1
            shared[name] += len(who) > 1
            new[name] += doc in planned
    order = names + sorted(set(docs) - set(names))
    return [AnnotatorLoad(n, docs[n], shared[n], new[n]) for n in order]


def format_assign(report: AssignReport) -> str:
    lines = [f"{'annotator':<24} {'documents':>9} {'overlapping':>11} {'new':>6}"]
    for load in report.loads:
        lines.append(
            f"{load.annotator:<24} {load.documents:>9,} {load.overlapping:>11,} {load.new:>6,}"
        )
    n_shared = sum(1 for who in report.planned.values() if len(who) > 1)
    lines.append(
        f"assigned {len(report.planned):,} documents ({n_shared:,} to several annotators); "
        f"{report.kept:,} kept their annotators"
    )
    return "\n".join(lines)


def progress(repo: Repository, annotator: str | None = None) -> list[AnnotatorProgress]:
    """Per annotator: assigned, overlapping, started, accepted, decided (remaining)."""
    if annotator is not None:
        if not annotator.strip():
            raise UsageError("--annotator: empty name")
        found = repo.assignment_progress(annotator)
        if not found:
            others = ", ".join(p.annotator for p in repo.assignment_progress()) or "nobody"
            raise UsageError(
                f"--annotator: nothing is assigned to {annotator!r} (assigned: {others})"
            )
        return found
    return repo.assignment_progress()


PROGRESS_COLUMNS = ("assigned", "overlapping", "started", "accepted", "remaining")


def progress_rows(found: list[AnnotatorProgress]) -> list[dict[str, Any]]:
    return [
        {"annotator": p.annotator, **{c: getattr(p, c) for c in PROGRESS_COLUMNS}} for p in found
    ]


def format_progress(found: list[AnnotatorProgress]) -> str:
    if not found:
        return "nothing is assigned yet (newsmark assign --annotators a,b --overlap 0.2 --seed 1)"
    head = f"{'annotator':<24}" + "".join(f" {c:>11}" for c in PROGRESS_COLUMNS)
    lines = [head]
    for row in progress_rows(found):
        lines.append(
            f"{row['annotator']:<24}" + "".join(f" {row[c]:>11,}" for c in PROGRESS_COLUMNS)
        )
    return "\n".join(lines)
