"""Annotation set invariants and label sets."""

from __future__ import annotations

import pytest

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.errors import AnnotationError
from newsmark.domain.labels import Label, LabelSet
from newsmark.domain.quotes import Quote, QuoteKind, guess_kind
from newsmark.domain.spans import Span
from newsmark.domain.status import Status

TEXT = "Putin met Netanyahu in Moscow."
LABELS = LabelSet()


def aset(*spans: Span, quotes: tuple[Quote, ...] = ()) -> AnnotationSet:
    return AnnotationSet(1, "ann", spans=list(spans), quotes=list(quotes))


def test_valid_set_passes() -> None:
    aset(Span(0, 5, "PERSON"), Span(10, 19, "PERSON"), Span(23, 29, "GPE")).validate(TEXT, LABELS)


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (Span(0, 50, "PERSON"), "out of range"),
        (Span(-1, 3, "PERSON"), "out of range"),
        (Span(5, 5, "PERSON"), "empty"),
        (Span(6, 2, "PERSON"), "reversed"),
        (Span(5, 6, "PERSON"), "whitespace"),
        (Span(0, 5, "VILLAIN"), "unknown label"),
    ],
)
def test_broken_spans_are_refused(span: Span, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        aset(span).validate(TEXT, LABELS)


def test_duplicates_and_overlaps_are_refused() -> None:
    with pytest.raises(AnnotationError, match="duplicate"):
        aset(Span(0, 5, "PERSON"), Span(0, 5, "PERSON")).validate(TEXT, LABELS)
    with pytest.raises(AnnotationError, match="overlap"):
        aset(Span(0, 9, "PERSON"), Span(6, 19, "ORG")).validate(TEXT, LABELS)


def test_quotes_are_a_separate_layer() -> None:
    quote = Quote(parts=((0, 29),), kind=QuoteKind.INDIRECT, speaker=(0, 5))
    aset(Span(0, 5, "PERSON"), quotes=(quote,)).validate(TEXT, LABELS)
    with pytest.raises(AnnotationError, match="speaker"):
        aset(quotes=(Quote(parts=((0, 5),), speaker=(40, 45)),)).validate(TEXT, LABELS)


def test_guess_kind_from_quotation_marks() -> None:
    text = "“We will win,” he said. He called it “a disgrace”. He said they would."
    assert guess_kind(text, 0, 14) is QuoteKind.DIRECT
    assert guess_kind(text, 1, 12) is QuoteKind.DIRECT  # inside the marks
    mixed = text.index("He called")
    assert guess_kind(text, mixed, text.index(". He said")) is QuoteKind.MIXED
    indirect = text.index("they")
    assert guess_kind(text, indirect, len(text) - 1) is QuoteKind.INDIRECT


def test_label_set_refuses_clashing_hotkeys() -> None:
    with pytest.raises(AnnotationError, match="used by both"):
        LabelSet([Label("A", "#fff", "z"), Label("B", "#000", "z")])
    with pytest.raises(AnnotationError, match="not available"):
        LabelSet([Label("A", "#fff", "q")])  # q is the quote key
    assert LABELS.by_hotkey("P") == LABELS["PERSON"]
    assert "NEW" in LABELS.with_labels(["NEW"])


def test_status_answers() -> None:
    assert Status.ACCEPTED.answer == "accept"
    assert Status.REJECTED.answer == "reject"
    assert Status.IN_PROGRESS.answer == "ignore"
