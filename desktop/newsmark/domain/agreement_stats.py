"""Chance-corrected agreement coefficients: Cohen's κ, Fleiss' κ, Krippendorff's α and uα.

Plain functions over plain data (labels as hashable values, sections as code point
ranges). Each returns None where the coefficient is undefined (no data, or no variation
to expect disagreement from: every coder used one value throughout).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's (1960) κ of two coders who labelled the same items (`a[i]`, `b[i]`)."""
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa: {len(a)} and {len(b)} labels")
    n = len(a)
    if not n:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[c] * cb[c] for c in ca) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(items: Iterable[Mapping[Hashable, int]]) -> float | None:
    """Fleiss' (1971) κ: `items` are, per item, how many raters gave each category.

    Every item must have the same number of raters (two or more), as in Fleiss (1971).
    """
    rows = [dict(row) for row in items]
    if not rows:
        return None
    raters = {sum(row.values()) for row in rows}
    if len(raters) != 1 or min(raters) < 2:
        raise ValueError(f"fleiss_kappa needs one rater count of 2 or more, got {raters}")
    r = raters.pop()
    n_items = len(rows)
    p_bar = sum((sum(v * v for v in row.values()) - r) / (r * (r - 1)) for row in rows) / n_items
    totals: Counter[Hashable] = Counter()
    for row in rows:
        totals.update(row)
    p_e = sum((t / (n_items * r)) ** 2 for t in totals.values())
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def alpha_nominal(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's α for nominal data, from each unit's values (missing ones left out).

    Units with fewer than two values are not pairable and count for nothing, as in
    Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C.
    """
    # Coincidences: within a unit of m values, each ordered pair of values from two
    # different coders adds 1/(m-1). Only the diagonal and the marginals are needed.
    diagonal = 0.0
    totals: Counter[Hashable] = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        diagonal += sum(c * (c - 1) for c in counts.values()) / (m - 1)
        totals.update(counts)
    n = sum(totals.values())
    if n == 0:
        return None
    observed = n - diagonal  # pairable values that met a different value
    expected = (n * n - sum(c * c for c in totals.values())) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


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
