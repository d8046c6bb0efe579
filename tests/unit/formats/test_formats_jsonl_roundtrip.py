"""Property: Newsmark JSONL export read back by the JSONL reader gives the same annotations."""

from __future__ import annotations

import io

import pytest
from fmt_helpers import tokenize
from hypothesis import given, settings
from hypothesis import strategies as st

from newsmark.domain.annotations import AnnotationSet, is_blank
from newsmark.domain.document import Document, text_sha256
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats.jsonl import read_jsonl
from newsmark.formats.newsmark_jsonl import export_record, write_jsonl

# Stored texts are already normalised (no \r, no BOM): what a Document can hold.
WORDS = st.sampled_from(
    ["Putin", "said", "😀", "e\u0301te\u0301", "中文", "“", "”", ",", "\t", "Ünïcode"]
)
SEPARATORS = st.sampled_from([" ", " ", "\n", "\t", ""])


@st.composite
def annotated(draw: st.DrawFn) -> tuple[Document, AnnotationSet]:
    pieces = draw(st.lists(st.tuples(WORDS, SEPARATORS), min_size=2, max_size=30))
    text = "Start " + "".join(w + s for w, s in pieces) + " end."
    tokens = tokenize(text)
    n = len(tokens)
    # Non-overlapping entity spans over whole tokens, as NER would give.
    cuts = sorted(draw(st.sets(st.integers(0, n), max_size=8)))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b and not is_blank(text[tokens[a].start : tokens[b - 1].end]):
            label = draw(st.sampled_from(["PERSON", "ORG", "GPE"]))
            spans.append(Span(tokens[a].start, tokens[b - 1].end, label, Origin.HUMAN))
    quotes = []
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(i, n - 1))
        k = draw(st.integers(0, n - 1))
        speaker = (tokens[k].start, tokens[k].end) if draw(st.booleans()) else None
        quotes.append(
            Quote(
                parts=((tokens[i].start, tokens[j].end),),
                kind=draw(st.sampled_from(list(QuoteKind))),
                speaker=speaker,
                speaker_label="PERSON" if speaker else None,
                cue=(tokens[k].start, tokens[k].end) if draw(st.booleans()) else None,
                entity=draw(st.sampled_from([None, "Vladimir Putin"])),
            )
        )
    doc = Document(1, text, text_sha256(text), {"source": "x.txt", "title": "T"}, tokens)
    status = draw(st.sampled_from(list(Status)))
    return doc, AnnotationSet(1, "ann", status, spans, quotes)


@settings(max_examples=60, deadline=None)
@given(annotated())
def test_export_then_read_keeps_text_and_annotations(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[Document, AnnotationSet]
) -> None:
    doc, aset = case
    stream = io.StringIO()
    write_jsonl([export_record(doc, aset, {})], stream)
    # A fresh folder per example: hypothesis reruns the body within one test call.
    path = tmp_path_factory.mktemp("roundtrip") / "export.jsonl"
    path.write_text(stream.getvalue(), encoding="utf-8")
    (back,) = list(read_jsonl(path))
    assert back.text == doc.text
    assert sorted(s.key for s in back.spans) == sorted(s.key for s in aset.spans)
    for s in back.spans:
        assert back.text[s.start : s.end] == doc.text[s.start : s.end]
    assert sorted(repr(q.key) for q in back.quotes) == sorted(repr(q.key) for q in aset.quotes)
    assert sorted((q.entity or "", q.speaker_label or "") for q in back.quotes) == sorted(
        (q.entity or "", q.speaker_label or "") for q in aset.quotes
    )
    assert back.status == aset.status.value
    assert back.annotator == "ann"
