"""κ, α and uα against worked examples from the literature (their published values) and
against reference implementations (`krippendorff`, `nltk`; test dependencies) on random data."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from newsmark.domain.agreement_stats import (
    alpha_binary_units,
    alpha_nominal,
    binary_confusion,
    cohen_kappa,
    fleiss_kappa,
    kappa_from_confusion,
    unitized_alpha,
)
from reference_support import reference

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg School
# for Communication, University of Pennsylvania, section C ("Nominal data, any number of
# observers, missing data"): 4 observers, 12 units, "*" = missing. Published α = 0.743.
K2011 = {
    "A": "1 2 3 3 2 1 4 1 2 * * *",
    "B": "1 2 3 3 2 2 4 1 2 5 * 3",
    "C": "* 3 3 3 2 3 4 2 2 5 1 *",
    "D": "1 2 3 3 2 4 4 1 2 5 1 *",
}


def k2011_units() -> list[list[str]]:
    rows = [v.split() for v in K2011.values()]
    return [[r[u] for r in rows if r[u] != "*"] for u in range(12)]


def test_alpha_nominal_matches_krippendorff_2011() -> None:
    alpha = alpha_nominal(k2011_units())
    assert alpha is not None
    assert round(alpha, 3) == 0.743


# Fleiss, J. L. (1971). "Measuring nominal scale agreement among many raters", Psychol.
# Bulletin 76(5), as worked on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters,
# 5 categories; P̄ = 0.378, P̄e = 0.213, κ = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_matches_the_worked_example() -> None:
    kappa = fleiss_kappa({c: n for c, n in enumerate(row) if n} for row in FLEISS_TABLE)
    assert kappa is not None
    assert round(kappa, 3) == 0.210


def two_by_two(yy: int, yn: int, ny: int, nn: int) -> tuple[list[str], list[str]]:
    """The label lists of two raters from a 2×2 table (A's answer first)."""
    cells = [("y", "y")] * yy + [("y", "n")] * yn + [("n", "y")] * ny + [("n", "n")] * nn
    return [a for a, _ in cells], [b for _, b in cells]


@pytest.mark.parametrize(
    ("table", "published"),
    [
        # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, two readers;
        # p_o = 0.7, p_e = 0.5, κ = 0.4.
        ((20, 5, 10, 15), 0.4),
        # Same page, "Same percentages but different numbers": κ = 0.1304 and 0.2593.
        ((45, 15, 25, 15), 0.1304),
        ((25, 35, 5, 35), 0.2593),
    ],
)
def test_cohen_kappa_matches_worked_examples(
    table: tuple[int, int, int, int], published: float
) -> None:
    kappa = cohen_kappa(*two_by_two(*table))
    assert kappa is not None
    assert kappa == pytest.approx(published, abs=5e-5)


def test_undefined_coefficients_are_none() -> None:
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None  # no variation: p_e = 1
    assert alpha_nominal([["O", "O"], ["O"]]) is None
    assert fleiss_kappa([]) is None
    with pytest.raises(ValueError, match="rater count"):
        fleiss_kappa([{"a": 2}, {"a": 3}])


def sec(begin: int, length: int) -> tuple[int, int]:
    return (begin, begin + length)


# Krippendorff, K. (2004). "Measuring the reliability of qualitative text analysis data",
# Quality & Quantity 38, 787-800: two observers unitize a continuum 150..450 in
# categories c and k (the figure's sections as begin/length, transcribed as in DKPro
# Statistics' StudyFactory.getKrippendorfSampleStudy). Published: uDo_c = 0.0144,
# uDe_c = 0.0532, uDe_k = 0.0490, uα_k = 1; uα_c 0.729 and uα 0.859 (the paper rounds
# its intermediate figures; DKPro's exact values are 0.7285 and 0.8587).
K2004 = [
    {"c": [sec(225, 70), sec(370, 30)], "k": [sec(180, 60), sec(300, 50)]},
    {"c": [sec(220, 80), sec(355, 20), sec(400, 20)], "k": [sec(180, 60), sec(300, 50)]},
]


def test_unitized_alpha_matches_krippendorff_2004() -> None:
    result = unitized_alpha([(150, 450)], K2004)
    assert result.observed["c"] == pytest.approx(0.0144, abs=5e-5)
    assert result.observed["k"] == 0
    assert result.expected["c"] == pytest.approx(0.0532, abs=5e-5)
    assert result.expected["k"] == pytest.approx(0.0490, abs=5e-5)
    assert result.by_category["k"] == 1
    assert result.by_category["c"] == pytest.approx(0.7285, abs=5e-4)
    assert result.joint == pytest.approx(0.8587, abs=5e-4)


def test_unitized_alpha_is_one_for_identical_observers_and_refuses_overlaps() -> None:
    same = {"c": [sec(10, 5), sec(40, 7)]}
    assert unitized_alpha([(0, 100)], [same, same, same]).joint == 1
    with pytest.raises(ValueError, match="overlaps"):
        unitized_alpha([(0, 100)], [{"c": [(0, 10), (5, 12)]}, same])


def brute_unitized(length: int, observers: list[dict[str, list[tuple[int, int]]]]) -> float:
    """uα straight from Krippendorff (2004)'s definitions: every section (units and the
    gaps between them, one continuum 0..length) against every other, no shortcuts."""
    m = len(observers)
    cats = sorted({c for o in observers for c in o})
    do = de = 0.0
    for c in cats:
        sections = []  # per observer: (begin, length, is_unit)
        for o in observers:
            units = sorted(o.get(c, []))
            secs, pos = [], 0
            for s, e in units:
                if s > pos:
                    secs.append((pos, s - pos, False))
                secs.append((s, e - s, True))
                pos = e
            if pos < length:
                secs.append((pos, length - pos, False))
            sections.append(secs)
        total = 0.0
        for i in range(m):
            for j in range(m):
                if i == j:
                    continue
                for bg, lg, ug in sections[i]:
                    for bh, lh, uh in sections[j]:
                        if ug and uh and -lg < bg - bh < lh:
                            total += (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
                        elif ug and not uh and lh - lg >= bg - bh >= 0:
                            total += lg**2
                        elif not ug and uh and lg - lh >= bh - bg >= 0:
                            total += lh**2
        do += total / (m * (m - 1) * length**2)
        n_c = sum(u for secs in sections for _, _, u in secs)
        num, den = 0.0, m * length * (m * length - 1)
        for secs in sections:
            for _, lg, ug in secs:
                if not ug:
                    continue
                fit = sum(lh - lg + 1 for s2 in sections for _, lh, uh in s2 if not uh and lh >= lg)
                num += (n_c - 1) / 3 * (2 * lg**3 - 3 * lg**2 + lg) + lg**2 * fit
                den -= lg * (lg - 1)
        de += 2 / length * num / den
    return 1 - do / de


def random_units(rng: random.Random, length: int, cats: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {c: [] for c in cats}
    pos = 0
    while True:
        pos += rng.randint(0, 12)
        size = rng.randint(1, 9)
        if pos + size > length:
            return out
        out[rng.choice(cats)].append((pos, pos + size))
        pos += size


@pytest.mark.parametrize("seed", range(30))
def test_unitized_alpha_equals_the_definition_on_random_data(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.randint(40, 200)
    observers = [random_units(rng, length, "ck") for _ in range(rng.randint(2, 4))]
    assert unitized_alpha([(0, length)], observers).joint == pytest.approx(
        brute_unitized(length, observers), abs=1e-9
    )


def random_reliability(rng: random.Random, coders: int, units: int, missing: float) -> list[list]:
    """coders × units values from a few labels, some missing (None), some agreement."""
    truth = [rng.choice("ABCD") for _ in range(units)]
    return [
        [
            None if rng.random() < missing else (t if rng.random() < 0.6 else rng.choice("ABCD"))
            for t in truth
        ]
        for _ in range(coders)
    ]


@pytest.mark.parametrize("seed", range(20))
def test_alpha_nominal_equals_the_krippendorff_package(seed: int) -> None:
    krippendorff = reference("krippendorff")
    np = reference("numpy")
    rng = random.Random(seed)
    data = random_reliability(rng, rng.randint(2, 6), rng.randint(5, 60), 0.2)
    codes = {v: i for i, v in enumerate("ABCD")}
    matrix = np.array([[np.nan if v is None else codes[v] for v in row] for row in data])
    units = [[row[u] for row in data if row[u] is not None] for u in range(len(data[0]))]
    ours = alpha_nominal(units)
    if ours is None:
        pytest.skip("no pairable values drawn")
    assert ours == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"), abs=1e-9
    )


@pytest.mark.parametrize("seed", range(20))
def test_kappas_equal_nltk(seed: int) -> None:
    agreement = reference("nltk.metrics.agreement")
    rng = random.Random(seed)
    coders = rng.randint(2, 5)
    data = random_reliability(rng, coders, rng.randint(5, 60), 0.0)
    task = agreement.AnnotationTask(
        data=[(str(c), str(u), v) for c, row in enumerate(data) for u, v in enumerate(row)]
    )
    # nltk's kappa() is Cohen's κ, averaged over coder pairs when there are more than two.
    pairs = [(a, b) for a in range(coders) for b in range(a + 1, coders)]
    kappas = [cohen_kappa(data[a], data[b]) for a, b in pairs]
    assert sum(k for k in kappas if k is not None) / len(pairs) == pytest.approx(
        task.kappa(), abs=1e-9
    )
    # nltk's pi() is multi-π, Siegel & Castellan's K: Fleiss' κ.
    fleiss = fleiss_kappa(Counter(row[u] for row in data) for u in range(len(data[0])))
    assert fleiss == pytest.approx(task.pi(), abs=1e-9)
    alpha = alpha_nominal([[row[u] for row in data] for u in range(len(data[0]))])
    assert alpha == pytest.approx(task.alpha(), abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_per_value_alpha_and_kappa_equal_the_binarised_data(seed: int) -> None:
    """The one-pass per-label α and κ against α and κ of the data turned into "this
    label or not" (and the per-label α against the krippendorff package)."""
    krippendorff = reference("krippendorff")
    np = reference("numpy")
    rng = random.Random(seed)
    data = random_reliability(rng, rng.randint(2, 5), rng.randint(10, 60), 0.15)
    units = Counter(
        tuple(row[u] for row in data if row[u] is not None) for u in range(len(data[0]))
    )
    per_value = alpha_binary_units(units)
    for value in "ABCD":
        binary = [[None if v is None else v == value for v in row] for row in data]
        matrix = np.array([[np.nan if v is None else float(v) for v in row] for row in binary])
        expected = alpha_nominal(
            [[row[u] for row in binary if row[u] is not None] for u in range(len(data[0]))]
        )
        if value not in per_value or expected is None:
            continue
        assert per_value[value] == pytest.approx(expected, abs=1e-9)
        assert per_value[value] == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"), abs=1e-9
        )
    a, b = data[0], data[1]
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    confusion = Counter(pairs)
    for value in "ABCD":
        assert kappa_from_confusion(binary_confusion(confusion, value)) == cohen_kappa(
            [x == value for x, _ in pairs], [y == value for _, y in pairs]
        )
