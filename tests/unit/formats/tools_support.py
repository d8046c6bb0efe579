"""Builders for the tools-format tests: export records from domain objects, random ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from newsmark.domain.annotations import AnnotationSet, is_blank
from newsmark.domain.document import Document, text_sha256
from newsmark.domain.entities import Entity
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.formats.normalize import prepare_text
from newsmark.nlp.tokens import tokenize

Range = tuple[int, int]


def make_record(
    text: str,
    spans: Sequence[tuple[int, int, str]] = (),
    quotes: Sequence[Quote] = (),
    *,
    doc_id: int = 1,
    title: str = "A title",
    status: Status = Status.ACCEPTED,
    entities: dict[int, Entity] | None = None,
) -> dict[str, Any]:
    """The Newsmark export record of `text` with these annotations (tokens by spaCy)."""
    doc = Document(
        id=doc_id,
        text=text,
        sha256=text_sha256(text),
        meta={"source": f"doc{doc_id}.txt", "title": title},
        tokens=tuple(tokenize(text)),
    )
    aset = AnnotationSet(
        document_id=doc_id,
        annotator="ann1",
        status=status,
        spans=[Span(s, e, label, Origin.HUMAN) for s, e, label in spans],
        quotes=list(quotes),
    )
    aset.validate(text, None)
    return export_record(doc, aset, entities or {})


WORDS = (
    "Putin", "said", "Netanyahu", "😀", "e\u0301te\u0301", "東京", "北京市", "“Hi,”", "ok.",
    "👍🏽", "Zoë", "x", "«Non»", "de", "U.S.", "the", "Ελλάδα", "🇺🇦", "a\u0308b",
)  # fmt: skip
SEPARATORS = (" ", " ", " ", " ", "\n", "\r\n", "\t", "  ", "\n\n", " \t")


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=25))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    raw = "".join(w + s for w, s in zip(words, seps, strict=True)).strip()
    # \r\n sources arrive normalised, as import leaves them.
    return prepare_text(raw).text


@st.composite
def records(draw: st.DrawFn, *, multi_part: bool = True) -> dict[str, Any]:
    """A record with random non-overlapping entities and quotes with speakers and cues."""
    text = draw(texts())
    tokens = tokenize(text)
    words = [i for i, t in enumerate(tokens) if not text[t.start : t.end].isspace()]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        if draw(st.integers(0, 3)) == 0:
            j = min(i + draw(st.integers(0, 2)), len(words) - 1)
            label = draw(st.sampled_from(["PERSON", "ORG", "GPE"]))
            start, end = tokens[words[i]].start, tokens[words[j]].end
            if not is_blank(text[start:end]):  # "," alone is no entity (refused on entry)
                spans.append((start, end, label))
            i = j + 1
        i += 1

    def run() -> Range:
        a = draw(st.integers(0, len(words) - 1))
        b = draw(st.integers(a, min(a + 4, len(words) - 1)))
        return tokens[words[a]].start, tokens[words[b]].end

    quotes: list[Quote] = []
    keys: set[object] = set()
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, len(words) - 1))
        b = draw(st.integers(a, min(a + 3, len(words) - 1)))
        parts = [(tokens[words[a]].start, tokens[words[b]].end)]
        # A second part after a gap with at least one word in it: "A," she said, "B."
        if multi_part and b + 2 < len(words) and draw(st.booleans()):
            c = draw(st.integers(b + 2, len(words) - 1))
            d = draw(st.integers(c, min(c + 3, len(words) - 1)))
            parts.append((tokens[words[c]].start, tokens[words[d]].end))
        speaker = None
        if draw(st.booleans()):
            speaker = draw(st.sampled_from(spans))[:2] if spans and draw(st.booleans()) else run()
        cue = run() if draw(st.booleans()) else None
        quote = Quote(
            parts=tuple(parts),
            kind=draw(st.sampled_from(list(QuoteKind))),
            speaker=speaker,
            cue=cue,
            entity=draw(st.sampled_from([None, "Benjamin Netanyahu", "Zoë"])),
            origin=Origin.HUMAN,
        )
        if quote.key not in keys:
            keys.add(quote.key)
            quotes.append(quote)
    return make_record(text, spans, quotes)
