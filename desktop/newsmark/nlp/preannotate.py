"""spaCy Docs -> domain objects (entity spans, quotes, tokens); the batch runner over nlp.pipe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from newsmark.domain.document import Token
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.nlp.crossing import clean_entities, clear_of
from newsmark.nlp.model import LoadedModel
from newsmark.nlp.tokens import doc_tokens
from newsmark.nlp.workers import stop_workers_on_signal, workers_die_with_parent

QUOTES_KEY = "newsmark_quotes"


@dataclass(slots=True)
class Prediction:
    """What the model says about one text, as plain domain objects (safe across threads)."""

    spans: list[Span] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    model: str = ""


def _range(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    s, e = value
    return int(s), int(e)


def doc_to_prediction(doc: Doc, provenance: str) -> Prediction:
    """Entities (edges trimmed of whitespace and punctuation, none crossing a quote, its
    speaker or cue: see nlp.crossing) and quotes as domain objects."""
    quotes: list[Quote] = []
    hulls = doc.spans.get("quotes", [])
    for hull, data in zip(hulls, doc.user_data.get(QUOTES_KEY, []), strict=False):
        parts = tuple((int(s), int(e)) for s, e in data.get("parts") or [])
        if not parts:
            parts = ((hull.start_char, hull.end_char),)
        quotes.append(
            Quote(
                parts=parts,
                kind=QuoteKind(hull.label_),
                speaker=_range(data.get("speaker")),
                speaker_label=data.get("speaker_label"),
                cue=_range(data.get("cue")),
                entity=data.get("entity"),
                origin=Origin.MODEL,
                model=provenance,
            )
        )
    quote_ranges = [r for q in quotes for r in (*q.parts, q.speaker, q.cue) if r is not None]
    spans = [
        Span(ent.start_char, ent.end_char, ent.label_, Origin.MODEL, provenance)
        for ent in clear_of(clean_entities(doc), quote_ranges)
    ]
    return Prediction(spans, quotes, doc_tokens(doc), provenance)


def predict_texts(
    model: LoadedModel, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1
) -> Iterator[Prediction]:
    """Predictions in input order, streamed from `nlp.pipe` (in `n_process` processes)."""
    provenance = model.provenance
    if n_process == 1:
        for doc in model.nlp.pipe(texts, batch_size=batch_size):
            yield doc_to_prediction(doc, provenance)
        return
    workers_die_with_parent()
    with stop_workers_on_signal():
        for doc in model.nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            yield doc_to_prediction(doc, provenance)


def predict_text(model: LoadedModel, text: str) -> Prediction:
    return doc_to_prediction(model.nlp(text), model.provenance)
