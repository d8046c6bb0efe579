"""spaCy Docs -> domain objects (entity spans, quotes, tokens); the batch runner over nlp.pipe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Doc

from newsmark.domain.document import Token
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.nlp.crossing import clean_entities, clear_of
from newsmark.nlp.model import LoadedModel
from newsmark.nlp.tokens import doc_tokens
from newsmark.nlp.uncertainty import (
    MARGINS_KEY,
    document_uncertainty,
    score_entities,
    unsure_entity,
)
from newsmark.nlp.workers import stop_workers_on_signal, workers_die_with_parent

QUOTES_KEY = "newsmark_quotes"


@dataclass(slots=True)
class Prediction:
    """What the model says about one text, as plain domain objects (safe across threads)."""

    spans: list[Span] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    model: str = ""
    # How unsure the model is of each proposal (nlp.uncertainty), for the document's score.
    unsure: list[float] = field(default_factory=list)

    @property
    def uncertainty(self) -> float:
        """The document's uncertainty (nlp.uncertainty.document_uncertainty)."""
        return document_uncertainty(self.unsure)


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
    unsure = _entity_unsureness(doc, spans)
    unsure += [1.0 if q.speaker is None or q.cue is None else 0.0 for q in quotes]
    return Prediction(spans, quotes, doc_tokens(doc), provenance, unsure)


def _entity_unsureness(doc: Doc, spans: list[Span]) -> list[float]:
    """Each span's unsureness from the margin of the NER entity holding it (edges trimmed
    by clean_entities); spans without one (a NER that kept none) count for nothing."""
    kept = doc.user_data.get(MARGINS_KEY) or []
    exact = {(s, e): m for s, e, m in kept}
    out = []
    for span in spans:
        margin = exact.get((span.start, span.end))
        if margin is None:
            margin = next((m for s, e, m in kept if s <= span.start and span.end <= e), None)
        if margin is not None:
            out.append(unsure_entity(margin))
    return out


# spaCy refuses a text over `nlp.max_length` (1,000,000 characters: E088), and its
# parser's memory grows with a Doc's length. Longer documents go through in pieces cut at
# paragraph breaks: quotes stay inside their paragraph, so none is cut.
MAX_PIECE = 100_000
_BREAKS = ("\n\n", "\n", " ")


def pieces(text: str, limit: int = MAX_PIECE) -> list[tuple[int, int]]:
    """Consecutive (start, end) ranges covering `text`, each at most `limit` long.

    Each ends after the last paragraph break that fits, else after a line break, else
    after a space; only a run of `limit` characters without any is cut where it must.
    """
    ranges: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for sep in _BREAKS:
            at = text.rfind(sep, start + 1, end)
            if at != -1:
                end = at + len(sep)
                break
        ranges.append((start, end))
        start = end
    ranges.append((start, len(text)))
    return ranges


def predict_texts(
    model: LoadedModel,
    texts: Iterable[str],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    max_piece: int = MAX_PIECE,
) -> Iterator[Prediction]:
    """Predictions in input order, streamed from `nlp.pipe` (in `n_process` processes).

    A text longer than `max_piece` (or than spaCy's `max_length`) is predicted in pieces
    (see `pieces`) and put back together at its own offsets.
    """
    provenance = model.provenance
    limit = min(max_piece, model.nlp.max_length)
    score_entities(model.nlp)  # entity margins for the document's uncertainty

    def cut() -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for n, text in enumerate(texts):
            ranges = pieces(text, limit)
            for i, (start, end) in enumerate(ranges):
                yield text[start:end], (n, start, i == len(ranges) - 1)

    def run(stream: Iterator[tuple[Doc, tuple[int, int, bool]]]) -> Iterator[Prediction]:
        parts: list[Prediction] = []
        for doc, (_, start, last) in stream:
            parts.append(_shifted(doc_to_prediction(doc, provenance), start))
            if last:
                yield parts[0] if len(parts) == 1 else _joined(parts, provenance)
                parts = []

    if n_process == 1:
        yield from run(model.nlp.pipe(cut(), batch_size=batch_size, as_tuples=True))
        return
    workers_die_with_parent()
    with stop_workers_on_signal():
        yield from run(
            model.nlp.pipe(cut(), batch_size=batch_size, n_process=n_process, as_tuples=True)
        )


def _shifted(pred: Prediction, by: int) -> Prediction:
    if not by:
        return pred

    def move(r: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if r is None else (r[0] + by, r[1] + by)

    return Prediction(
        [replace(s, start=s.start + by, end=s.end + by) for s in pred.spans],
        [
            replace(
                q,
                parts=tuple((s + by, e + by) for s, e in q.parts),
                speaker=move(q.speaker),
                cue=move(q.cue),
            )
            for q in pred.quotes
        ],
        [Token(t.start + by, t.end + by, t.ws) for t in pred.tokens],
        pred.model,
        pred.unsure,
    )


def _joined(parts: list[Prediction], provenance: str) -> Prediction:
    return Prediction(
        [s for p in parts for s in p.spans],
        [q for p in parts for q in p.quotes],
        [t for p in parts for t in p.tokens],
        provenance,
        [u for p in parts for u in p.unsure],
    )


def predict_text(model: LoadedModel, text: str) -> Prediction:
    """One text (the window's document), in pieces when it is long, as `predict_texts`."""
    (prediction,) = predict_texts(model, [text])
    return prediction
