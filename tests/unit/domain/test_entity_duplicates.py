"""Merge proposals: a one-word name that ends exactly one longer name of its label."""

from __future__ import annotations

from newsmark.domain.entities import Entity
from newsmark.domain.entity_duplicates import merge_proposals


def names(entities: list[Entity]) -> list[tuple[str, str]]:
    return [(p.drop.name, p.keep.name) for p in merge_proposals(entities)]


def test_a_surname_beside_the_one_full_name_is_proposed() -> None:
    found = [
        Entity(1, "Pat Caddell", "PERSON"),
        Entity(2, "Caddell", "PERSON"),
        Entity(3, "Trump", "PERSON"),
        Entity(4, "Donald Trump", "PERSON"),
    ]
    assert names(found) == [("Trump", "Donald Trump"), ("Caddell", "Pat Caddell")]


def test_two_people_sharing_the_surname_make_it_ambiguous() -> None:
    found = [
        Entity(1, "Bill Clinton", "PERSON"),
        Entity(2, "Hillary Clinton", "PERSON"),
        Entity(3, "Clinton", "PERSON"),
    ]
    assert names(found) == []


def test_labels_must_match_and_only_the_last_word_counts() -> None:
    found = [
        Entity(1, "Pat Caddell", "PERSON"),
        Entity(2, "Caddell", "ORG"),  # another label: not proposed
        Entity(3, "Pat", "PERSON"),  # the first word: not a surname
        Entity(4, "Caddell Group", "ORG"),  # ends in "Group", not "Caddell"
    ]
    assert names(found) == []
