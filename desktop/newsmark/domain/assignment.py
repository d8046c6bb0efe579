"""Who annotates which document: the assignment plan (seeded, balanced, with an overlap
share for agreement) and an annotator's progress through their queue. Pure, stdlib only."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsmark.domain.errors import UsageError

MAX_NAME = 200  # annotation_sets.annotator and assignments.annotator hold this many


def parse_annotators(text: str) -> list[str]:
    """`a,b,c` -> ["a", "b", "c"]; refuses empty, duplicate and unprintable names."""
    names = [n.strip() for n in text.split(",")]
    if not text.strip() or any(not n for n in names):
        raise UsageError(f"--annotators: empty annotator name in {text!r} (give a,b,c)")
    for name in names:
        if len(name) > MAX_NAME:
            raise UsageError(f"--annotators: name longer than {MAX_NAME} characters")
        if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
            raise UsageError(f"--annotators: {name!r} holds a control character")
    twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if twice is not None:
        raise UsageError(f"--annotators: {twice!r} is named twice")
    return names


def check_overlap(overlap: float, per_doc: int, annotators: Sequence[str]) -> None:
    """The overlap share is in [0, 1]; an overlapping document needs `per_doc` (>= 2)
    different annotators."""
    if not 0.0 <= overlap <= 1.0:  # NaN fails this too
        raise UsageError(f"--overlap must be between 0 and 1, not {overlap}")
    if per_doc < 2:
        raise UsageError(f"--per-overlap-doc must be 2 or more, not {per_doc}")
    if overlap > 0 and per_doc > len(annotators):
        raise UsageError(
            f"--per-overlap-doc {per_doc} needs at least {per_doc} annotators, "
            f"--annotators names {len(annotators)}"
        )


def plan(
    doc_ids: Iterable[int],
    annotators: Sequence[str],
    *,
    overlap: float,
    seed: int,
    per_overlap_doc: int = 2,
    existing: Mapping[int, Sequence[str]] | None = None,
    overlap_of: Iterable[int] | None = None,
) -> dict[int, tuple[str, ...]]:
    """New assignments: document id -> its annotators, for the documents of `doc_ids`
    not in `existing` (those keep theirs).

    The documents are shuffled with `seed` (after sorting: the same ids give the same
    plan whatever order they come in); the first round(overlap * n) of them go to
    `per_overlap_doc` annotators each, the rest to one. Each slot goes to the least
    loaded annotator, ties broken round robin, counting the loads `existing` already
    gives them: annotators end within one document of each other when they start level.
    `overlap_of` (default: the planned documents) are the documents the overlap share
    is of; those already overlapping in `existing` count toward it.
    """
    check_overlap(overlap, per_overlap_doc, annotators)
    if not annotators:
        raise UsageError("--annotators: no annotator named")
    existing = existing or {}
    todo = sorted(set(doc_ids) - set(existing))
    random.Random(seed).shuffle(todo)
    scope = set(todo) if overlap_of is None else set(overlap_of)
    already = sum(1 for d in scope if len(existing.get(d, ())) >= 2)
    n_overlap = max(0, min(len(todo), round(overlap * len(scope)) - already))

    # Loads and the round robin's order: least loaded first, then longest since chosen.
    load = dict.fromkeys(annotators, 0)
    for names in existing.values():
        for name in names:
            if name in load:
                load[name] += 1
    last = {name: -len(annotators) + i for i, name in enumerate(annotators)}
    tick = 0
    out: dict[int, tuple[str, ...]] = {}
    for i, doc in enumerate(todo):
        k = per_overlap_doc if i < n_overlap else 1
        chosen = sorted(annotators, key=lambda a: (load[a], last[a]))[:k]
        for name in chosen:
            load[name] += 1
            last[name] = tick
            tick += 1
        out[doc] = tuple(chosen)
    return out


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's queue: documents assigned (of them, shared with others), started
    (a person worked on or decided the set), accepted, and decided (accepted, rejected,
    skipped)."""

    annotator: str
    assigned: int
    overlapping: int
    started: int
    accepted: int
    decided: int

    @property
    def remaining(self) -> int:
        return self.assigned - self.decided
