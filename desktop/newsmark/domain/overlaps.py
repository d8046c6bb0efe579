"""Entity spans may not overlap: which of several overlapping ones an import keeps."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def keep_first(
    items: Iterable[T], bounds: Callable[[T], tuple[int, int]]
) -> tuple[list[T], list[T]]:
    """(kept, dropped): walking `items` in order, keep each that overlaps none kept before.

    The caller's order decides who wins: text order keeps the first of each overlapping
    run (the longest when several start together, if sorted so).
    """
    kept: list[T] = []
    dropped: list[T] = []
    starts: list[int] = []
    ends: list[int] = []  # kept ranges do not overlap, so both lists stay sorted alike
    for item in items:
        start, end = bounds(item)
        i = bisect_left(starts, end)
        # Only the kept range that starts last before `end` can reach past `start`.
        if i and ends[i - 1] > start:
            dropped.append(item)
            continue
        kept.append(item)
        insort(starts, start)
        insort(ends, end)
    return kept, dropped
