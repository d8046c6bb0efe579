"""Corpus-wide entities: the person or organisation that mentions in any document refer to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical name with a label and an optional knowledge-base id (e.g. a Wikidata QID)."""

    id: int
    name: str
    label: str
    kb_id: str | None = None
