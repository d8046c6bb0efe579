"""Chance-corrected agreement coefficients: Cohen's κ, Fleiss' κ, Krippendorff's α and uα.

Plain functions over plain data (labels as hashable values, sections as code point
ranges). Each returns None where the coefficient is undefined (no data, or no variation
to expect disagreement from: every coder used one value throughout).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

H = TypeVar("H", bound=Hashable)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's (1960) κ of two coders who labelled the same items (`a[i]`, `b[i]`)."""
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa: {len(a)} and {len(b)} labels")
    return kappa_from_confusion(Counter(zip(a, b, strict=True)))


def kappa_from_confusion(confusion: Mapping[tuple[H, H], int]) -> float | None:
    """Cohen's κ from how many items got each (coder A's label, coder B's label)."""
    n = sum(confusion.values())
    if not n:
        return None
    observed = sum(k for (x, y), k in confusion.items() if x == y) / n
    ca: Counter[H] = Counter()
    cb: Counter[H] = Counter()
    for (x, y), k in confusion.items():
        ca[x] += k
        cb[y] += k
    expected = sum(ca[c] * cb[c] for c in ca) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def binary_confusion(confusion: Mapping[tuple[H, H], int], value: H) -> Counter[tuple[bool, bool]]:
    """`confusion` as "`value` or not" for both coders (a per-label κ)."""
    out: Counter[tuple[bool, bool]] = Counter()
    for (x, y), k in confusion.items():
        out[x == value, y == value] += k
    return out


def fleiss_kappa(items: Iterable[Mapping[Hashable, int]]) -> float | None:
    """Fleiss' (1971) κ: `items` are, per item, how many raters gave each category.

    Every item must have the same number of raters (two or more), as in Fleiss (1971).
    """
    return fleiss_kappa_units(Counter(tuple(Counter(row).elements()) for row in items))


def fleiss_kappa_units(units: Mapping[tuple[H, ...], int]) -> float | None:
    """Fleiss' κ from the units' values (one per rater, any order) and how many units
    have each such tuple: a corpus of tokens has few distinct tuples."""
    raters = {len(values) for values in units}
    if not units:
        return None
    if len(raters) != 1 or min(raters) < 2:
        raise ValueError(f"fleiss_kappa needs one rater count of 2 or more, got {raters}")
    r = raters.pop()
    n_items = sum(units.values())
    agreement = 0.0
    totals: Counter[H] = Counter()
    for values, k in units.items():
        counts = Counter(values)
        agreement += k * (sum(v * v for v in counts.values()) - r) / (r * (r - 1))
        for c, v in counts.items():
            totals[c] += k * v
    p_bar = agreement / n_items
    p_e = sum((t / (n_items * r)) ** 2 for t in totals.values())
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def alpha_nominal(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's α for nominal data, from each unit's values (missing ones left out).

    Units with fewer than two values are not pairable and count for nothing, as in
    Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C.
    """
    return alpha_nominal_units(Counter(tuple(values) for values in units))


def _coincidences(units: Mapping[tuple[H, ...], int]) -> tuple[Counter[H], dict[H, float]]:
    """The pairable values' totals n_c, and per value the off-diagonal coincidences
    Σ_k≠c o_ck. Within a unit of m values each ordered pair of values from two different
    coders adds 1/(m-1) (Krippendorff 2011)."""
    totals: Counter[H] = Counter()
    off: dict[H, float] = defaultdict(float)
    for values, k in units.items():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, v in counts.items():
            totals[c] += k * v
            off[c] += k * v * (m - v) / (m - 1)
    return totals, off


def alpha_nominal_units(units: Mapping[tuple[H, ...], int]) -> float | None:
    """`alpha_nominal` from the units' value tuples and how many units have each."""
    totals, off = _coincidences(units)
    n = sum(totals.values())
    expected = n * n - sum(c * c for c in totals.values())
    if n == 0 or expected == 0:
        return None
    return 1 - (n - 1) * sum(off.values()) / expected


def alpha_binary_units(units: Mapping[tuple[H, ...], int]) -> dict[H, float | None]:
    """Per value c, nominal α of "c or not c" (a per-label α), from one pass."""
    totals, off = _coincidences(units)
    n = sum(totals.values())
    out: dict[H, float | None] = {}
    for c, n_c in totals.items():
        expected = 2 * n_c * (n - n_c)
        out[c] = None if expected == 0 else 1 - (n - 1) * 2 * off[c] / expected
    return out


Section = tuple[int, int]  # [start, end) on the continuum


@dataclass(frozen=True, slots=True)
class UnitizedAlpha:
    """Krippendorff's uα: joint over categories and per category, with its parts."""

    joint: float | None
    by_category: dict[str, float | None]
    observed: dict[str, float]
    expected: dict[str, float]


def unitized_alpha(
    pieces: Sequence[Section], observers: Sequence[Mapping[str, Sequence[Section]]]
) -> UnitizedAlpha:
    """Krippendorff's uα for units of several categories on a continuum (Krippendorff
    2004, "Measuring the reliability of qualitative text analysis data", Quality &
    Quantity 38: the uDo and uDe formulas, with squared distances of unit boundaries).

    `pieces` are the stretches of the continuum every observer went through (one per
    document; their lengths add up to L); `observers[i][c]` are observer i's units of
    category c, inside the pieces, not overlapping one another. The gaps are the rest of
    each piece: a gap ends where a piece ends (no unit could straddle two documents, so
    the expected disagreement counts no such placement). With one piece this is the
    paper's continuum exactly.
    """
    m = len(observers)
    length = sum(e - s for s, e in pieces)
    categories = sorted({c for obs in observers for c in obs})
    observed: dict[str, float] = {}
    expected: dict[str, float] = {}
    by_category: dict[str, float | None] = {}
    for cat in categories:
        units = [sorted(obs.get(cat, ())) for obs in observers]
        gaps = [_gaps(pieces, u) for u in units]
        observed[cat] = _observed(units, gaps) / (m * (m - 1) * length * length)
        expected[cat] = _expected(units, gaps, m, length)
        by_category[cat] = _alpha(observed[cat], expected[cat])
    joint = _alpha(sum(observed.values()), sum(expected.values())) if categories else None
    return UnitizedAlpha(joint, by_category, observed, expected)


def _alpha(observed: float, expected: float) -> float | None:
    return None if expected == 0 else 1 - observed / expected


def _gaps(pieces: Sequence[Section], units: Sequence[Section]) -> list[Section]:
    out: list[Section] = []
    i = 0
    for ps, pe in sorted(pieces):
        pos = ps
        while i < len(units) and units[i][0] < pe:
            s, e = units[i]
            if s < pos or e > pe:
                raise ValueError(f"unit {s}..{e} overlaps another or leaves its piece")
            if s > pos:
                out.append((pos, s))
            pos = e
            i += 1
        if pos < pe:
            out.append((pos, pe))
    if i < len(units):
        raise ValueError(f"unit {units[i][0]}..{units[i][1]} lies outside every piece")
    return out


def _observed(units: list[list[Section]], gaps: list[list[Section]]) -> float:
    """Σ over ordered pairs of observers of δ² between their sections."""
    total = 0.0
    for i, ui in enumerate(units):
        for j, uj in enumerate(units):
            if i == j:
                continue
            # Two units that overlap: squared differences of starts and of ends.
            for (s1, e1), (s2, e2) in _overlapping(ui, uj):
                total += (s1 - s2) ** 2 + (e1 - e2) ** 2
            # A unit of one observer wholly inside a gap of the other: its length
            # squared, once for (unit, gap) and once for (gap, unit) among the pairs.
            for (s1, e1), (s2, e2) in _overlapping(ui, gaps[j]):
                if s2 <= s1 and e1 <= e2:
                    total += 2 * (e1 - s1) ** 2
    return total


def _overlapping(a: list[Section], b: list[Section]) -> Iterable[tuple[Section, Section]]:
    """Pairs (x from a, y from b) sharing a point; both sorted, each non-overlapping."""
    j = 0
    for x in a:
        while j < len(b) and b[j][1] <= x[0]:
            j += 1
        k = j
        while k < len(b) and b[k][0] < x[1]:
            yield x, b[k]
            k += 1


def _expected(units: list[list[Section]], gaps: list[list[Section]], m: int, length: int) -> float:
    n_units = sum(len(u) for u in units)
    gap_lengths = sorted(e - s for g in gaps for s, e in g)
    # Suffix sums of (gap length + 1): placements of a unit of length l in the gaps at
    # least as long are Σ (l_gap - l + 1) over them.
    suffix = [0] * (len(gap_lengths) + 1)
    for k in range(len(gap_lengths) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gap_lengths[k] + 1
    numerator = 0.0
    denominator = float(m * length * (m * length - 1))
    for obs in units:
        for s, e in obs:
            ln = e - s
            k = bisect.bisect_left(gap_lengths, ln)
            placements = suffix[k] - ln * (len(gap_lengths) - k)
            numerator += (n_units - 1) / 3 * (2 * ln**3 - 3 * ln**2 + ln) + ln * ln * placements
            denominator -= ln * (ln - 1)
    if denominator <= 0:
        return 0.0
    return numerator * 2 / length / denominator
