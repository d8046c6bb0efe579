"""An entity's label follows its mentions across sets; mixed entities; the edited mark."""

from __future__ import annotations

from storage_helpers import item

from newsmark.domain.entities import Entity
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import Repository

CADDELL = "Pat Caddell said so. Caddell, a pollster, agreed. Later Caddell left."


def caddell_sets(repo: Repository) -> tuple[int, list[tuple[int, int]], int]:
    """Two documents by two annotators, three "Caddell" ORG mentions linked to one entity."""
    ids = [d for d, _ in repo.add_documents([item(CADDELL), item(CADDELL + " ")], "import")]
    org = repo.find_or_create_entity("Caddell", "ORG")
    mentions: list[tuple[int, int]] = []
    for doc_id, who, nth in ((ids[0], "ann", (1, 2)), (ids[1], "bob", (1,))):
        aset = repo.annotation_set(doc_id, who)
        assert aset is not None and aset.id is not None
        start = -1
        for k in range(3):
            start = CADDELL.index("Caddell", start + 1)
            if k in nth:
                span = Span(start, start + 7, "ORG", entity_id=org.id)
                mentions.append((aset.id, repo.add_span(aset.id, span, who).item.id or 0))
    return org.id, mentions, ids[0]


def test_relabelling_every_mention_relabels_the_entity_and_undo_restores_it(
    repo: Repository,
) -> None:
    entity_id, mentions, _ = caddell_sets(repo)
    before = [repo.get_span(s, m) for s, m in mentions]
    logged = []
    for set_id, span_id in mentions[:-1]:
        logged.append(repo.update_span(set_id, span_id, "ann", label="PERSON").state.logged)
    # One mention (another annotator's) still says ORG: mixed, the entity keeps ORG.
    assert repo.get_entity(entity_id).label == "ORG"
    assert repo.entity_mention_labels()[entity_id] == {"PERSON": 2, "ORG": 1}
    set_id, span_id = mentions[-1]
    last = repo.update_span(set_id, span_id, "bob", label="PERSON").state.logged
    assert repo.get_entity(entity_id).label == "PERSON"
    assert repo.entity_mention_labels()[entity_id] == {"PERSON": 3}
    # Undo of the relabel that made them agree (what the commands write back, naming
    # the row they revert) puts the entity back too, though the mentions are mixed again.
    undone = repo.replace_span(set_id, before[-1], "bob", reverts=last).state.logged
    assert repo.get_entity(entity_id).label == "ORG"
    assert repo.entity_mention_labels()[entity_id] == {"PERSON": 2, "ORG": 1}
    repo.revert(undone or 0, "bob")  # redo, as a restarted window's history does it
    assert repo.get_entity(entity_id).label == "PERSON"
    assert [e.op for e in repo.edit_log(set_id)][-1] == "replace_span"
    undo_log = repo.revert(repo.last_edit_id(set_id) or 0, "bob")  # and undo again
    assert undo_log.op == "replace_span" and repo.get_entity(entity_id).label == "ORG"
    for (set_id, _), span, row in zip(mentions[:-1], before[:-1], logged, strict=True):
        repo.replace_span(set_id, span, "ann", reverts=row)
    assert repo.get_entity(entity_id).label == "ORG"
    assert repo.entity_mention_labels()[entity_id] == {"ORG": 3}


def test_a_relabel_that_would_clash_with_another_entity_leaves_it_mixed(repo: Repository) -> None:
    entity_id, mentions, _ = caddell_sets(repo)
    person = repo.find_or_create_entity("Caddell", "PERSON")
    for set_id, span_id in mentions:
        repo.update_span(set_id, span_id, "ann", label="PERSON")
    assert repo.get_entity(entity_id).label == "ORG"
    assert repo.get_entity(person.id).label == "PERSON"
    assert repo.entity_mention_labels()[entity_id] == {"PERSON": 3}


def test_deleting_the_one_dissenting_mention_lets_the_others_decide(repo: Repository) -> None:
    entity_id, mentions, _ = caddell_sets(repo)
    for set_id, span_id in mentions[:-1]:
        repo.update_span(set_id, span_id, "ann", label="PERSON")
    set_id, span_id = mentions[-1]
    repo.delete_span(set_id, span_id, "bob")
    assert repo.get_entity(entity_id).label == "PERSON"


def test_an_edit_after_accept_marks_the_set_until_accepted_again(repo: Repository) -> None:
    _, mentions, doc_id = caddell_sets(repo)
    set_id, span_id = mentions[0]
    repo.update_span(set_id, span_id, "ann", label="PERSON")
    assert not repo.edited_after_accept(set_id)  # in progress: no mark
    repo.set_status(set_id, Status.ACCEPTED, "ann")
    assert not repo.edited_after_accept(set_id)
    [row] = repo.list_documents("accepted", "ann")
    assert row.id == doc_id and not row.edited_after_accept
    repo.update_span(set_id, span_id, "ann", label="ORG")
    assert repo.get_set(set_id).status is Status.ACCEPTED  # kept accepted, marked
    assert repo.edited_after_accept(set_id)
    [row] = repo.list_documents("accepted", "ann")
    assert row.edited_after_accept
    assert repo.document_summary(doc_id, "ann").edited_after_accept
    repo.set_status(set_id, Status.ACCEPTED, "ann")  # accepting again clears it
    assert not repo.edited_after_accept(set_id)
    assert not repo.document_summary(doc_id, "ann").edited_after_accept


SOLO = CADDELL


def solo_mention(repo: Repository) -> tuple[int, Entity, Span]:
    [(doc, _)] = repo.add_documents([item(SOLO)], "import")
    aset = repo.annotation_set(doc, "ann")
    assert aset.id is not None
    org = repo.find_or_create_entity("Caddell", "ORG")
    s = SOLO.index("Caddell", 5)
    span = repo.add_span(aset.id, Span(s, s + 7, "ORG", entity_id=org.id), "ann").item
    return aset.id, org, span


def test_resizing_a_mention_keeps_a_relabel_made_in_the_panel(repo: Repository) -> None:
    set_id, org, span = solo_mention(repo)
    assert span.id is not None
    repo.update_entity(org.id, "ann", label="PERSON")  # the Entities panel's relabel
    repo.update_span(set_id, span.id, "ann", end=span.end - 1)  # a resize, no relabel
    assert repo.get_entity(org.id).label == "PERSON"


def test_a_merge_does_not_hide_an_edit_after_accept(repo: Repository) -> None:
    set_id, org, span = solo_mention(repo)
    assert span.id is not None
    pat = repo.find_or_create_entity("Pat Caddell", "ORG")
    repo.set_status(set_id, Status.ACCEPTED, "ann")
    repo.update_span(set_id, span.id, "ann", label="PERSON")
    repo.merge_entities(pat.id, org.id, "ann")  # logged in this set too, after the edit
    assert repo.edited_after_accept(set_id)
