"""Entity merges can be undone: unmerge restores the dropped entity, its id and its links."""

from __future__ import annotations

from dataclasses import replace

from storage_helpers import TEXT

from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.storage import Repository


def test_unmerge_restores_the_dropped_entity_and_its_links(repo: Repository, doc_id: int) -> None:
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    full = repo.find_or_create_entity("Benjamin Netanyahu", "PERSON", "Q43723")
    short = repo.find_or_create_entity("Netanyahu", "PERSON", "Q1")
    a = repo.add_span(aset.id, Span(0, 18, "PERSON", entity_id=full.id), "ann").item
    b = repo.add_span(aset.id, Span(30, 44, "PERSON"), "ann").item
    b = repo.link_span(aset.id, b.id or 0, short.id, "ann").item
    start = TEXT.index('"We')
    quote = repo.add_quote(
        aset.id,
        Quote(((start, start + 14),), entity="Netanyahu", entity_id=short.id),
        "ann",
    ).item
    assert repo.entity_counts() == {full.id: (1, 0), short.id: (1, 1)}
    links = repo.entity_links(short.id)
    assert links == {"spans": [b.id], "quotes": [quote.id]}

    repo.merge_entities(full.id, short.id, "ann")
    assert repo.entity_counts() == {full.id: (2, 1)}
    assert repo.get_quote(aset.id, quote.id or 0).entity == "Benjamin Netanyahu"

    back = repo.unmerge_entities(full, short, links, "ann")
    assert back == short
    assert repo.get_entity(full.id) == full  # its kb_id as before the merge
    assert repo.entity_counts() == {full.id: (1, 0), short.id: (1, 1)}
    assert repo.get_span(aset.id, a.id or 0).entity_id == full.id
    assert repo.get_span(aset.id, b.id or 0).entity_id == short.id
    restored = repo.get_quote(aset.id, quote.id or 0)
    assert replace(restored, origin=quote.origin) == quote
    assert [e.op for e in repo.edit_log(aset.id)][-2:] == ["merge_entities", "unmerge_entities"]

    repo.merge_entities(full.id, short.id, "ann")  # redo works on the same ids
    assert repo.entity_counts() == {full.id: (2, 1)}
