"""The fast export path (token columns to JSON in bulk) writes what json.dumps writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsmark.domain.annotations import AnnotationSet, ExportSet, is_blank
from newsmark.domain.document import Document, PackedTokens, Token, text_sha256
from newsmark.domain.entities import Entity
from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats.newsmark_jsonl import (
    RecordTokens,
    encode_record,
    export_line,
    export_record,
    misaligned_spans,
    set_record,
)
from newsmark.nlp.tokens import tokenize

# Characters json escapes (quotes, backslashes, controls) next to ones it writes as is.
ALPHABET = st.sampled_from(list('ab Z9."\\\t\n\r\x00\x01\x1f\x7f\u2028\u00a0―“”😀中\u0301é '))


def slow_line(text: str, tokens: list[Token], record: dict[str, Any]) -> str:
    """json.dumps of the record with its tokens built the slow way, here, per token."""
    plain = dict(record)
    plain["tokens"] = [
        {"text": text[t.start : t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(tokens)
    ]
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


@st.composite
def documents(draw: st.DrawFn) -> tuple[Document, AnnotationSet, list[Token]]:
    text = "A" + "".join(draw(st.lists(ALPHABET, min_size=1, max_size=60)))
    tokens = tokenize(text)
    spans = []
    i = 0
    while i < len(tokens):
        j = min(i + draw(st.integers(0, 2)), len(tokens) - 1)
        start, end = tokens[i].start, tokens[j].end
        if draw(st.booleans()) and not is_blank(text[start:end]):
            # Now and then off token boundaries, as an Alt-drag selection would be.
            if draw(st.integers(0, 4)) == 0 and end - start > 1:
                end -= 1
            if not is_blank(text[start:end]):
                label = draw(st.sampled_from(["PERSON", "ORG"]))
                spans.append(Span(start, end, label, draw(st.sampled_from(list(Origin)))))
        i = j + 1
    quotes = []
    if len(text) > 3 and draw(st.booleans()):
        quotes.append(
            Quote(
                parts=((1, len(text) - 1),),
                kind=QuoteKind.MIXED,
                speaker=(0, 1),
                cue=(1, 2),
                entity='Zoë "Z"',
                origin=Origin.MODEL,
                model="m==1",
            )
        )
    packed = draw(st.booleans())
    stored = PackedTokens.of(tokens) if packed else tuple(tokens)
    meta = {"source": "a\\b.txt", "title": 'T "1"', "odd": "\x00\u2028"}
    doc = Document(7, text, text_sha256(text), meta, stored)
    return doc, AnnotationSet(7, "ann", Status.ACCEPTED, spans, quotes), tokens


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=documents())
def test_fast_line_is_json_dumps_of_the_slow_record(
    case: tuple[Document, AnnotationSet, list[Token]],
) -> None:
    doc, aset, tokens = case
    record = export_record(doc, aset, {})
    expected = slow_line(doc.text, tokens, record)
    assert encode_record(record) == expected
    found: list[dict[str, Any]] = []
    assert export_line(ExportSet.of(doc, aset, {}), found) == expected
    # What the line path reports off token boundaries is what misaligned_spans says.
    assert found == misaligned_spans(json.loads(expected))
    assert json.loads(expected)["tokens"] == list(record["tokens"])


def test_entities_and_a_document_without_tokens() -> None:
    text = "Jane Roe spoke."
    doc = Document(3, text, text_sha256(text), {}, ())
    span = Span(0, 8, "PERSON", Origin.HUMAN, entity_id=4)
    aset = AnnotationSet(3, "ann", Status.REJECTED, [span])
    entities = {4: Entity(4, "Jane Roe", "PERSON", "Q1")}
    record = export_record(doc, aset, entities)
    assert record["entities"] == [{"id": 4, "name": "Jane Roe", "label": "PERSON", "kb_id": "Q1"}]
    assert record["tokens"].to_json() == "[]"
    item = ExportSet.of(doc, aset, entities)
    assert export_line(item) == slow_line(text, [], record) == encode_record(set_record(item))


def test_record_tokens_is_a_read_only_sequence_of_token_dicts() -> None:
    text = "Putin  said"
    tokens = RecordTokens(text, PackedTokens([0, 5, 1, 6, 7, 0, 7, 11, 0]))
    assert len(tokens) == 3
    assert tokens[0] == {"text": "Putin", "start": 0, "end": 5, "id": 0, "ws": True}
    assert tokens[-1] == {"text": "said", "start": 7, "end": 11, "id": 2, "ws": False}
    assert [t["text"] for t in tokens] == ["Putin", " ", "said"]
    assert tokens[1:] == [tokens[1], tokens[2]]
    assert tokens == [dict(t) for t in tokens]
    with pytest.raises(IndexError):
        tokens[3]
    # json.dumps refuses it rather than writing something else: encode_record writes it.
    with pytest.raises(TypeError, match="RecordTokens"):
        json.dumps({"tokens": tokens})
    assert json.loads(encode_record({"tokens": tokens}))["tokens"] == list(tokens)


def test_packed_tokens_are_tokens() -> None:
    tokens = [Token(0, 5, True), Token(6, 10, False)]
    packed = PackedTokens.from_json("[0,5,1,6,10,0]")
    assert packed == tokens and tuple(tokens) == packed and list(packed) == tokens
    assert packed[1] == Token(6, 10, False) and len(packed) == 2
    assert PackedTokens.of(tokens) == packed and PackedTokens.of(packed) is packed
    with pytest.raises(ValueError, match="3 numbers per token"):
        PackedTokens([0, 5])


@pytest.mark.parametrize("piece", ["―\u00a0", " ", ",", "“”", "\u200b"])
def test_export_refuses_an_entity_of_whitespace_or_punctuation(piece: str) -> None:
    # As one stored before this check existed would be (the model wrote PERSON '―\xa0').
    text = f"He said it.{piece}Julie Diaz"
    start = text.index(piece)
    doc = Document(12, text, text_sha256(text), {}, tokenize(text))
    aset = AnnotationSet(12, "ann", spans=[Span(start, start + len(piece), "PERSON")])
    with pytest.raises(InputError) as err:
        export_record(doc, aset, {})
    assert f"document 12: span PERSON {start}..{start + len(piece)} {piece!r}" in str(err.value)
    assert "whitespace or punctuation" in str(err.value)
    with pytest.raises(InputError):
        export_line(ExportSet.of(doc, aset, {}))


@pytest.mark.parametrize("words", [1, 2, 8191, 8193, 20000])
def test_one_token_and_long_documents_too(words: int) -> None:
    # Up to 8192 tokens the template is kept between records; beyond, made per document.
    text = " ".join(f'w"{i}\\' if i % 7 else f"{i}\n" for i in range(words))
    text = "Putin" if words == 1 else text
    tokens = tokenize(text)
    doc = Document(1, text, text_sha256(text), {}, PackedTokens.of(tokens))
    aset = AnnotationSet(1, "ann")
    record = export_record(doc, aset, {})
    assert export_line(ExportSet.of(doc, aset, {})) == slow_line(text, tokens, record)
