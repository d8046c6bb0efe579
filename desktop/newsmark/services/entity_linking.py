"""Links the model's quote speakers to corpus-wide entities, so exports carry `entity_id`."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.storage import Repository

# Speakers are people or bodies that speak; a DATE or a MONEY "speaker" is a parse error.
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


class EntityLinker:
    """find_or_create_entity once per (name, label) for a run of predictions."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._ids: dict[tuple[str, str], int] = {}

    def entity_id(self, name: str, label: str) -> int:
        key = (name.strip(), label)
        if key not in self._ids:
            self._ids[key] = self.repo.find_or_create_entity(*key).id
        return self._ids[key]

    def link(
        self, spans: Sequence[Span], quotes: Sequence[Quote]
    ) -> tuple[list[Span], list[Quote]]:
        """Quotes whose speaker resolved to a name get that entity; so do the entity spans of
        the same label inside the speaker mention ("Kremlin" in "the Kremlin").

        Model output only: an annotator's own links are made in the window.
        """
        out_spans = sorted(spans, key=lambda s: (s.start, s.end))
        starts = [s.start for s in out_spans]
        out_quotes = []
        for quote in quotes:
            label = quote.speaker_label
            if quote.entity and quote.entity.strip() and label in SPEAKER_LABELS:
                entity_id = self.entity_id(quote.entity, label)
                quote = replace(quote, entity_id=entity_id)
                if quote.speaker is not None:
                    lo, hi = quote.speaker
                    for i in range(bisect_left(starts, lo), bisect_left(starts, hi)):
                        span = out_spans[i]
                        if span.end <= hi and span.label == label:
                            out_spans[i] = replace(span, entity_id=entity_id)
            out_quotes.append(quote)
        return out_spans, out_quotes
