"""keep_first: which of overlapping entity spans an import keeps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsmark.domain.overlaps import keep_first

Range = tuple[int, int]


def brute_force(items: list[Range]) -> tuple[list[Range], list[Range]]:
    kept: list[Range] = []
    dropped: list[Range] = []
    for s, e in items:
        if any(s < ke and ks < e for ks, ke in kept):
            dropped.append((s, e))
        else:
            kept.append((s, e))
    return kept, dropped


def test_first_of_each_run_in_the_given_order() -> None:
    items = [(0, 10), (2, 4), (5, 12), (12, 13), (20, 25), (18, 21)]
    assert keep_first(items, lambda r: r) == (
        [(0, 10), (12, 13), (20, 25)],
        [(2, 4), (5, 12), (18, 21)],
    )


ranges = st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda p: (p[0], p[0] + p[1]))


@given(st.lists(ranges, max_size=40))
def test_same_as_checking_every_kept_span(items: list[Range]) -> None:
    assert keep_first(items, lambda r: r) == brute_force(items)
