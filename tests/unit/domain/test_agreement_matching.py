"""Matching spans and quotes of two annotators, token labels, and the report's token
figures against nltk on random annotation sets."""

from __future__ import annotations

import itertools
import random

import pytest

from newsmark.domain.agreement import (
    Coding,
    DocumentCodings,
    match_quotes,
    match_spans,
    same_speaker,
    token_labels,
    union,
)
from newsmark.domain.agreement_report import agreement_report
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from reference_support import reference


def test_overlap_matching_is_one_to_one_and_label_bound() -> None:
    a = [Span(0, 20, "ORG")]
    b = [Span(0, 5, "ORG"), Span(8, 20, "ORG"), Span(0, 20, "PERSON")]
    # One long span overlaps two short ones: it matches the one sharing most (12 > 5).
    assert match_spans(a, b, "overlap") == [(a[0], b[1])]
    assert match_spans(a, b, "exact") == []
    assert match_spans([Span(0, 20, "PERSON")], b, "exact") == [(Span(0, 20, "PERSON"),) * 2]
    with pytest.raises(ValueError, match="unknown matching rule"):
        match_spans(a, b, "fuzzy")


def test_greedy_overlap_prefers_the_larger_overlap_over_list_order() -> None:
    a = [Span(0, 10, "X"), Span(12, 30, "X")]
    b = [Span(8, 28, "X")]  # shares 2 with a[0], 16 with a[1]
    assert match_spans(a, b, "overlap") == [(a[1], b[0])]


def test_quotes_match_by_content_and_split_quotes_count_every_part() -> None:
    split = Quote(((0, 10), (20, 30)))
    whole = Quote(((0, 30),))
    other = Quote(((40, 50),))
    assert match_quotes([split], [whole], "overlap") == [(split, whole)]
    assert match_quotes([split], [whole], "exact") == []
    assert match_quotes([split, other], [Quote(((20, 30), (0, 10)))], "exact") == [
        (split, Quote(((20, 30), (0, 10))))
    ]
    assert match_quotes([other], [whole], "overlap") == []


def test_speakers_agree_by_overlapping_mention_or_linked_entity() -> None:
    he = Quote(((0, 5),), speaker=(10, 12), entity_id=7)
    name = Quote(((0, 5),), speaker=(30, 39), entity_id=7)
    unlinked = Quote(((0, 5),), speaker=(30, 39))
    wider = Quote(((0, 5),), speaker=(8, 12))
    nobody = Quote(((0, 5),))
    assert same_speaker(he, name)  # "he" and "Netanyahu" linked to one entity
    assert not same_speaker(he, unlinked)
    assert same_speaker(he, wider)
    assert same_speaker(nobody, Quote(((0, 5),), QuoteKind.INDIRECT))
    assert not same_speaker(nobody, he)


def test_token_labels_are_io_over_any_overlap() -> None:
    tokens = ((0, 4), (5, 9), (10, 13), (14, 18))
    spans = [Span(2, 7, "PERSON"), Span(14, 18, "GPE")]
    assert token_labels(tokens, spans) == ["PERSON", "PERSON", "O", "GPE"]
    assert token_labels(tokens, []) == ["O"] * 4


def test_union_merges_overlapping_ranges_only() -> None:
    assert union([(5, 9), (0, 3), (3, 4), (8, 12)]) == [(0, 3), (3, 4), (5, 12)]


def random_coding(rng: random.Random, name: str, length: int) -> Coding:
    spans, quotes, pos = [], [], 0
    while pos < length - 6:
        pos += rng.randint(0, 8)
        end = min(length, pos + rng.randint(1, 6))
        if pos < end:
            spans.append(Span(pos, end, rng.choice(["PERSON", "ORG", "GPE"])))
        pos = end + 1
    for _ in range(rng.randint(0, 3)):
        s = rng.randrange(0, length - 5)
        quotes.append(Quote(((s, s + rng.randint(1, 5)),)))
    return Coding(name, tuple(spans), tuple(quotes))


@pytest.mark.parametrize("seed", range(10))
def test_report_token_figures_equal_nltk_on_random_sets(seed: int) -> None:
    agreement = reference("nltk.metrics.agreement")
    rng = random.Random(seed)
    names = ["a", "b", "c"][: rng.randint(2, 3)]
    docs = []
    for doc_id in range(rng.randint(1, 4)):
        length = rng.randint(30, 80)
        tokens = tuple((i, i + 2) for i in range(0, length - 1, 3))
        codings = tuple(random_coding(rng, n, length) for n in names)
        docs.append(DocumentCodings(doc_id, f"d{doc_id}", length, tokens, codings))
    report = agreement_report(docs, names, "annotator-pair", skipped=0)
    # The token labels, worked out here by character: a token takes the label of any
    # span that has a character in it.
    data = []
    for doc in docs:
        for coding in doc.codings:
            for k, (s, e) in enumerate(doc.tokens):
                label = next((x.label for x in coding.spans if x.start < e and s < x.end), "O")
                data.append((coding.annotator, f"{doc.doc_id}/{k}", label))
    task = agreement.AnnotationTask(data=data)
    assert report["overall"]["token_alpha"] == pytest.approx(task.alpha(), abs=1e-9)
    if len(names) == 3:
        assert report["overall"]["fleiss_kappa"] == pytest.approx(task.pi(), abs=1e-9)
    for row, (x, y) in zip(report["rows"], itertools.combinations(names, 2), strict=True):
        assert row["annotators"] == [x, y]
        assert row["cohen_kappa"] == pytest.approx(task.kappa_pairwise(x, y), abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_overlap_sweep_finds_what_comparing_every_pair_finds(seed: int) -> None:
    rng = random.Random(seed)
    a = list(random_coding(rng, "a", 120).spans)
    b = list(random_coding(rng, "b", 120).spans)
    rng.shuffle(b)  # any order in, same matches out
    brute = [
        (x, y) for x in a for y in b if x.label == y.label and x.start < y.end and y.start < x.end
    ]
    # Greedy by hand: most shared characters first, then by position.
    brute.sort(key=lambda p: (-(min(p[0].end, p[1].end) - max(p[0].start, p[1].start)),
                              p[0].start, p[1].start))  # fmt: skip
    expected, used_a, used_b = [], set(), set()
    for x, y in brute:
        if x not in used_a and y not in used_b:
            expected.append((x, y))
            used_a.add(x)
            used_b.add(y)
    assert set(match_spans(a, b, "overlap")) == set(expected)
    assert expected  # the seeds draw overlapping spans: the test compares something
