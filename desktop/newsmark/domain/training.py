"""Training data and progress: what the storage layer hands to training, and what training
reports back, free of spaCy and the database so the CLI, the window and nlp/ share them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document's gold as a human left it: its text, entity spans and quotes.

    `key` is the document's content hash (sha256 of the text): splits and the training
    data's hash are computed from it, so they do not depend on database ids.
    """

    key: str
    text: str
    spans: tuple[Span, ...] = ()
    quotes: tuple[Quote, ...] = ()


def gold_hash(docs: Iterable[GoldDoc]) -> str:
    """A sha256 over the documents' keys and their annotations, in key order: two
    trainings on the same gold share it, any edit changes it."""
    h = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.key):
        spans = [[s.start, s.end, s.label] for s in doc.spans]
        quotes = [[[list(p) for p in q.parts], q.kind.value, q.speaker, q.cue] for q in doc.quotes]
        h.update(json.dumps([doc.key, spans, quotes], separators=(",", ":")).encode())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class TrainProgress:
    """One report from a training run: after an evaluation, or at a stage's start/end.

    `stage` is "ner" or "quotes"; `scores` are the dev scores of this evaluation (e.g.
    "ents_f", "quote_f"); `best` is the best main score so far (what cancel keeps).
    """

    stage: str
    step: int
    epoch: int
    loss: float
    scores: Mapping[str, float] = field(default_factory=dict)
    best: float = 0.0
    seconds: float = 0.0


# The callbacks training takes: report progress; ask whether the user cancelled.
ProgressCallback = Callable[[TrainProgress], None]
CancelCheck = Callable[[], bool]
