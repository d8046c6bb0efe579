"""Annotation progress from the edit log: documents accepted per day and seconds per document."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from newsmark.domain.status import Status
from newsmark.storage.records import EditLogEntry

# A gap between two log rows of a set longer than this counts as this long: the annotator
# was away (lunch, another document); we cannot tell how long they read before leaving.
IDLE_CAP_SECONDS = 300.0

# Rows a model or an import wrote: they neither start the clock nor are a person's work.
_MACHINE_OPS = frozenset({"import", "save_predictions", "undo_predictions", "redo_predictions"})


@dataclass(frozen=True, slots=True)
class SetTiming:
    """One accepted set: when it was (last) accepted and how long a person worked on it.

    `seconds` is None when the log shows no person's edit before the accept (the set was
    accepted as the model left it, or arrived accepted from an import): the log records
    no reading time, so such sets stay out of the median.
    """

    annotator: str
    accepted_at: datetime | None
    seconds: float | None


def _is_accept(entry: EditLogEntry) -> bool:
    return (
        entry.op == "set_status"
        and isinstance(entry.after, dict)
        and entry.after.get("status") == Status.ACCEPTED.value
    )


def _person(entry: EditLogEntry) -> bool:
    return entry.op not in _MACHINE_OPS


def set_timing(annotator: str, entries: Sequence[EditLogEntry]) -> SetTiming:
    """The timing of one set from its log rows (in id order).

    Seconds per document: from the set's first person's row (a span, quote or status
    edit; not an import or a model run) to its last accept, the sum of the gaps between
    consecutive rows in that window, each gap capped at IDLE_CAP_SECONDS.
    """
    accepts = [i for i, e in enumerate(entries) if _is_accept(e)]
    if not accepts:
        return SetTiming(annotator, None, None)
    last = accepts[-1]
    accepted_at = datetime.fromisoformat(entries[last].at)
    first = next((i for i, e in enumerate(entries[:last]) if _person(e)), None)
    if first is None:
        return SetTiming(annotator, accepted_at, None)
    times = [datetime.fromisoformat(e.at) for e in entries[first : last + 1]]
    seconds = sum(
        min(max((b - a).total_seconds(), 0.0), IDLE_CAP_SECONDS) for a, b in pairwise(times)
    )
    return SetTiming(annotator, accepted_at, seconds)


def _summary(timings: Sequence[SetTiming]) -> dict[str, Any]:
    timed = [t.seconds for t in timings if t.seconds is not None]
    days = Counter(t.accepted_at.date().isoformat() for t in timings if t.accepted_at)
    return {
        "accepted": len(timings),
        "accepted_per_day": dict(sorted(days.items())),
        "not_in_log": sum(1 for t in timings if t.accepted_at is None),
        "timed": len(timed),
        "median_seconds": round(statistics.median(timed), 1) if timed else None,
    }


def progress(timings: Iterable[SetTiming]) -> dict[str, Any]:
    """Accepted sets per day (UTC, by their last accept) and the median seconds per
    document, overall and per annotator; `not_in_log` counts sets accepted with no
    accept row (imported as accepted), `timed` those with a measurable time."""
    items = list(timings)
    by_annotator: Mapping[str, list[SetTiming]] = defaultdict(list)
    for t in items:
        by_annotator[t.annotator].append(t)
    return {
        "idle_cap_seconds": IDLE_CAP_SECONDS,
        **_summary(items),
        "annotators": {name: _summary(ts) for name, ts in sorted(by_annotator.items())},
    }
