"""Likely duplicate entities: a surname alone beside the one longer name it ends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsmark.domain.entities import Entity


@dataclass(frozen=True, slots=True)
class MergeProposal:
    """Merge `drop` (the short name) into `keep` (the longer name it is the end of)."""

    keep: Entity
    drop: Entity


def merge_proposals(entities: Iterable[Entity]) -> list[MergeProposal]:
    """ "Caddell" beside "Pat Caddell" (same label): one proposal per one-word name that
    is the last word of exactly one longer name of its label. Two longer names ending in
    it ("Bill Clinton", "Hillary Clinton") make the short one ambiguous: no proposal."""
    by_label: dict[str, list[Entity]] = {}
    for entity in entities:
        by_label.setdefault(entity.label, []).append(entity)
    out: list[MergeProposal] = []
    for group in by_label.values():
        longer: dict[str, list[Entity]] = {}
        for entity in group:
            words = entity.name.split()
            if len(words) > 1:
                longer.setdefault(words[-1].casefold(), []).append(entity)
        for entity in group:
            words = entity.name.split()
            ends = longer.get(words[0].casefold(), []) if len(words) == 1 else []
            if len(ends) == 1:
                out.append(MergeProposal(keep=ends[0], drop=entity))
    return sorted(out, key=lambda p: (p.keep.name.casefold(), p.drop.id))
