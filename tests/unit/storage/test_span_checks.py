"""Span edits are checked in SQL (lengths and substrings in characters, neighbours only)."""

from __future__ import annotations

import pytest
from storage_helpers import item

from newsmark.domain.errors import AnnotationError
from newsmark.domain.spans import Span
from newsmark.storage import Repository

# Astral emoji, a combining mark and CJK before the names: SQLite must count characters
# exactly as Python does, or every check below is off by some.
TEXT = "😀👍🏽 e\u0301 中文 Putin met Netanyahu. 🇮🇱 Israel"


@pytest.fixture
def set_id(repo: Repository) -> int:
    ((doc_id, _),) = repo.add_documents([item(TEXT)], "import")
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    return aset.id


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def test_offsets_count_code_points(repo: Repository, set_id: int) -> None:
    putin = repo.add_span(set_id, Span(*at("Putin"), "PERSON"), "ann").item
    israel = repo.add_span(set_id, Span(*at("Israel"), "GPE"), "ann").item
    assert israel.end == len(TEXT)  # the very last character is in range
    with pytest.raises(AnnotationError, match="out of range"):
        repo.add_span(set_id, Span(len(TEXT) - 1, len(TEXT) + 1, "GPE"), "ann")
    space = TEXT.index(" Putin")
    with pytest.raises(AnnotationError, match="whitespace"):
        repo.add_span(set_id, Span(space, space + 1, "PERSON"), "ann")
    assert {putin.key, israel.key} <= {s.key for s in repo.get_set(set_id).spans}


def test_overlaps_and_duplicates_are_refused_on_add_and_update(
    repo: Repository, set_id: int
) -> None:
    putin = repo.add_span(set_id, Span(*at("Putin"), "PERSON"), "ann").item
    netanyahu = repo.add_span(set_id, Span(*at("Netanyahu"), "PERSON"), "ann").item
    with pytest.raises(AnnotationError, match="duplicate"):
        repo.add_span(set_id, Span(*at("Putin"), "PERSON"), "ann")
    with pytest.raises(AnnotationError, match="overlap"):
        repo.add_span(set_id, Span(at("Putin")[0], at("met")[1], "ORG"), "ann")
    assert putin.id is not None and netanyahu.id is not None
    with pytest.raises(AnnotationError, match="overlap"):
        repo.update_span(set_id, putin.id, "ann", end=at("Netanyahu")[0] + 3)
    # Touching is not overlapping, and a span may be resized over its own old extent.
    grown = repo.update_span(set_id, putin.id, "ann", end=at("met")[1]).item
    assert grown.end == at("met")[1]
    with pytest.raises(AnnotationError, match="unknown label"):
        repo.update_span(set_id, netanyahu.id, "ann", label="VILLAIN")
    spans = repo.get_set(set_id).spans
    assert sorted(s.key for s in spans) == sorted(
        [(at("Putin")[0], at("met")[1], "PERSON"), netanyahu.key]
    )
