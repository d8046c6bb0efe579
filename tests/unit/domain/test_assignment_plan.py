"""The assignment plan: every document assigned, the overlap share within rounding,
loads within one of each other, the same plan for the same seed, existing kept."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsmark.domain.assignment import check_overlap, parse_annotators, plan
from newsmark.domain.errors import UsageError

NAMES = ["ann", "bob", "cy", "dee", "eve", "fay"]


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[int], list[str], float, int, int]:
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=120, unique=True))
    n = draw(st.integers(2, len(NAMES)))
    per_doc = draw(st.integers(2, n))
    overlap = draw(st.floats(0, 1))
    return ids, NAMES[:n], overlap, per_doc, draw(st.integers(0, 2**32))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_plan_properties(case: tuple[list[int], list[str], float, int, int]) -> None:
    ids, names, overlap, per_doc, seed = case
    got = plan(ids, names, overlap=overlap, seed=seed, per_overlap_doc=per_doc)
    # Every document, to annotators of the list, never twice to the same one.
    assert sorted(got) == sorted(ids)
    assert all(set(who) <= set(names) and len(set(who)) == len(who) for who in got.values())
    # The overlap share within rounding: round(overlap * n) documents, to per_doc each.
    shared = [who for who in got.values() if len(who) > 1]
    assert abs(len(shared) - overlap * len(ids)) <= 0.5 + 1e-9
    assert all(len(who) == per_doc for who in shared)
    assert all(len(who) == 1 for who in got.values() if who not in shared)
    # Balance: documents per annotator within one, and overlapping documents too.
    load = Counter(name for who in got.values() for name in who)
    assert max(load[n] for n in names) - min(load[n] for n in names) <= 1
    share = Counter(name for who in shared for name in who)
    assert max(share[n] for n in names) - min(share[n] for n in names) <= 1
    # Deterministic for a seed, whatever order the ids come in.
    again = plan(list(reversed(ids)), names, overlap=overlap, seed=seed, per_overlap_doc=per_doc)
    assert again == got


def test_a_worked_example() -> None:
    """10 documents, 3 annotators, 0.2 overlap: 2 documents to two annotators, 12 slots,
    4 per annotator (counted by hand, not by the code)."""
    got = plan(range(1, 11), ["a", "b", "c"], overlap=0.2, seed=1)
    assert sum(len(w) > 1 for w in got.values()) == 2
    assert Counter(n for w in got.values() for n in w) == {"a": 4, "b": 4, "c": 4}


def test_another_seed_gives_another_plan() -> None:
    ids = list(range(100))
    one = plan(ids, NAMES[:3], overlap=0.2, seed=1)
    two = plan(ids, NAMES[:3], overlap=0.2, seed=2)
    assert one != two


def test_existing_assignments_are_kept_and_counted() -> None:
    existing = {1: ("ann",), 2: ("ann",), 3: ("ann",), 4: ("bob", "ann")}
    got = plan(range(1, 11), ["ann", "bob", "cy"], overlap=0.0, seed=3, existing=existing)
    assert sorted(got) == [5, 6, 7, 8, 9, 10]  # the assigned ones are not planned again
    total = Counter(n for w in [*existing.values(), *got.values()] for n in w)
    # ann starts with 4, bob 1, cy 0: the six new documents even that out (4/3/4 or so).
    assert total["ann"] == 4 and max(total.values()) - min(total.values()) <= 1


def test_overlap_share_counts_documents_already_shared() -> None:
    existing = {1: ("ann", "bob"), 2: ("bob", "cy")}
    got = plan(
        range(1, 11), ["ann", "bob", "cy"], overlap=0.3, seed=0, existing=existing,
        overlap_of=range(1, 11),
    )  # fmt: skip
    # 0.3 of 10 documents is 3 shared: two are already, one more is planned.
    assert sum(len(w) > 1 for w in got.values()) == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("a,,b", "empty"),
        (" , ", "empty"),
        ("a,b,a", "twice"),
        ("a,b\x1b[2J", "control"),
        ("x" * 201, "longer"),
    ],
)
def test_bad_annotator_names_are_refused(text: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        parse_annotators(text)


def test_names_are_stripped() -> None:
    assert parse_annotators(" ann , bob") == ["ann", "bob"]


@pytest.mark.parametrize(
    ("overlap", "per_doc", "n", "reason"),
    [
        (-0.1, 2, 3, "between 0 and 1"),
        (1.01, 2, 3, "between 0 and 1"),
        (math.nan, 2, 3, "between 0 and 1"),
        (0.2, 1, 3, "2 or more"),
        (0.2, 4, 3, "at least 4 annotators"),
    ],
)
def test_bad_overlap_is_refused(overlap: float, per_doc: int, n: int, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        check_overlap(overlap, per_doc, NAMES[:n])


def test_one_annotator_without_overlap_gets_everything() -> None:
    assert plan([3, 1, 2], ["solo"], overlap=0.0, seed=0) == {
        1: ("solo",),
        2: ("solo",),
        3: ("solo",),
    }
