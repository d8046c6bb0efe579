"""The review diff of annotators' sets: items grouped by overlap, verdicts, what differs."""

from __future__ import annotations

from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.review import Verdict, review_diff
from newsmark.domain.spans import Span


def test_agree_disagree_and_only_spans() -> None:
    a = [Span(0, 18, "PERSON"), Span(30, 45, "PERSON"), Span(60, 70, "GPE")]
    b = [Span(0, 18, "PERSON"), Span(30, 45, "ORG"), Span(80, 90, "GPE")]
    diff = review_diff({"ann": a, "bob": b}, {})
    assert diff.annotators == ("ann", "bob")
    got = [(i.start, i.end, i.verdict, i.holders, i.differs) for i in diff.items]
    assert got == [
        (0, 18, Verdict.AGREE, ("ann", "bob"), ()),
        (30, 45, Verdict.DISAGREE, ("ann", "bob"), ("label",)),
        (60, 70, Verdict.ONLY, ("ann",), ("missing",)),
        (80, 90, Verdict.ONLY, ("bob",), ("missing",)),
    ]
    assert diff.count(Verdict.DISAGREE) == 1 and diff.count(Verdict.ONLY) == 2


def test_overlapping_spans_of_different_labels_and_boundaries_are_one_item() -> None:
    # One long span of ann's overlaps two of bob's: the three are one item, whole.
    a = [Span(0, 20, "ORG")]
    b = [Span(0, 5, "PERSON"), Span(8, 20, "ORG")]
    [item] = review_diff({"ann": a, "bob": b}, {}).items
    assert (item.start, item.end, item.verdict) == (0, 20, Verdict.DISAGREE)
    assert item.version("ann") == (a[0],) and item.version("bob") == tuple(b)
    assert item.differs == ("boundaries", "label")


def test_three_annotators_two_agree_one_missing_is_a_disagreement() -> None:
    s = Span(4, 9, "GPE")
    [item] = review_diff({"a": [s], "b": [s], "c": []}, {}).items
    assert item.verdict is Verdict.DISAGREE
    assert item.differs == ("missing",)
    assert item.version("c") == ()


def test_adjacent_spans_do_not_touch() -> None:
    diff = review_diff({"a": [Span(0, 5, "X")], "b": [Span(5, 9, "X")]}, {})
    assert [i.verdict for i in diff.items] == [Verdict.ONLY, Verdict.ONLY]


def test_gold_is_placed_but_does_not_vote() -> None:
    a, b = [Span(0, 5, "PERSON")], [Span(0, 5, "ORG")]
    [item] = review_diff({"a": a, "b": b}, {}, gold_spans=[Span(0, 5, "ORG", id=7)]).items
    assert item.verdict is Verdict.DISAGREE
    assert item.gold_from == ("b",) and item.decided
    # Gold that matches nobody, and gold alone somewhere.
    diff = review_diff({"a": a, "b": b}, {}, gold_spans=[Span(0, 3, "ORG"), Span(9, 12, "X")])
    assert [i.gold_from for i in diff.items] == [(), ()]
    assert diff.items[1].differs == ("gold only",) and diff.items[1].holders == ()


def test_emoji_offsets_are_code_points() -> None:
    text = "🇮🇱 Netanyahu 😀 met Putin."
    start = text.index("Netanyahu")
    a = [Span(start, start + 9, "PERSON")]
    b = [
        Span(start, start + 9, "PERSON"),
        Span(text.index("Putin"), text.index("Putin") + 5, "PERSON"),
    ]
    diff = review_diff({"a": a, "b": b}, {})
    assert [text[i.start : i.end] for i in diff.items] == ["Netanyahu", "Putin"]
    assert [i.verdict for i in diff.items] == [Verdict.AGREE, Verdict.ONLY]


def test_quotes_by_content_overlap_then_speaker_cue_kind() -> None:
    q1 = Quote(((10, 30),), QuoteKind.DIRECT, speaker=(0, 5), cue=(32, 36))
    same = Quote(((10, 30),), QuoteKind.DIRECT, speaker=(0, 5), cue=(32, 36))
    other_speaker = Quote(((10, 30),), QuoteKind.DIRECT, speaker=(40, 42), cue=(32, 36))
    shorter = Quote(((12, 30),), QuoteKind.MIXED, speaker=(0, 5), cue=(32, 36))
    assert review_diff({}, {"a": [q1], "b": [same]}).items[0].verdict is Verdict.AGREE
    [item] = review_diff({}, {"a": [q1], "b": [other_speaker]}).items
    assert (item.kind, item.verdict, item.differs) == ("quote", Verdict.DISAGREE, ("speaker",))
    [item] = review_diff({}, {"a": [q1], "b": [shorter]}).items
    assert item.differs == ("content", "kind")
    # A split quote's second part overlapping another's quote joins them in one item.
    split = Quote(((10, 20), (50, 60)), QuoteKind.DIRECT)
    later = Quote(((55, 70),), QuoteKind.INDIRECT)
    [item] = review_diff({}, {"a": [split], "b": [later]}).items
    assert (item.start, item.end) == (10, 70)
    # Speaker overlap alone does not join quotes: content does.
    apart = review_diff({}, {"a": [Quote(((0, 5),), speaker=(20, 25))], "b": [Quote(((20, 25),))]})
    assert len(apart.items) == 2


def test_spans_before_quotes_at_one_start_and_items_in_text_order() -> None:
    diff = review_diff({"a": [Span(10, 15, "X")]}, {"a": [Quote(((10, 40),)), Quote(((0, 4),))]})
    assert [(i.kind, i.start) for i in diff.items] == [("quote", 0), ("span", 10), ("quote", 10)]
    # One annotator alone: their items agree with nobody and are not "only".
    assert diff.items[1].verdict is Verdict.AGREE


def test_quotes_with_and_without_a_speaker_at_one_place_compare() -> None:
    # Keys holding None and a range side by side must not break the comparison.
    a = [Quote(((0, 9),)), Quote(((0, 9),), speaker=(12, 14))]
    b = [Quote(((0, 9),), speaker=(12, 14)), Quote(((0, 9),))]
    [item] = review_diff({}, {"a": a, "b": b}).items
    assert item.verdict is Verdict.AGREE
