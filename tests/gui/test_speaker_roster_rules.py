"""The roster's rules without a window: one entry per entity with its mentions grouped,
places only as used, and the mention a roster choice takes (nearest before the quote)."""

from __future__ import annotations

from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.ui.speaker_roster import build_roster, nearest_mention

TEXT = (
    "Donald Trump met Benjamin Netanyahu near the Gaza Strip. "
    "Trump said the talks went well. Russia said nothing. "
    "Netanyahu agreed. “We are close,” Trump said. Later Trump left.\n"
)


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def span(word: str, label: str, nth: int = 0, entity_id: int | None = None) -> Span:
    return Span(*at(word, nth), label, entity_id=entity_id)


def spans(linked: bool) -> list[Span]:
    """The model's spans: the first full names unlinked, later surnames linked (as the
    entity linker leaves them: only speakers' mentions get an entity)."""
    return [
        span("Donald Trump", "PERSON"),
        span("Benjamin Netanyahu", "PERSON"),
        span("the Gaza Strip", "GPE"),
        span("Trump", "PERSON", nth=1, entity_id=7 if linked else None),
        span("Russia", "GPE"),
        span("Netanyahu", "PERSON", nth=1, entity_id=3 if linked else None),
        span("Trump", "PERSON", nth=2),
        span("Trump", "PERSON", nth=3, entity_id=7 if linked else None),
    ]


def test_one_entry_per_entity_whatever_was_linked_first():
    names = {7: "Donald Trump", 3: "Benjamin Netanyahu"}
    for linked in (False, True):
        roster = build_roster(TEXT, spans(linked), (), names)
        assert [sp.name for sp in roster] == ["Donald Trump", "Benjamin Netanyahu"], linked
        trump = roster[0]
        assert [(m.start, m.end) for m in trump.mentions] == [
            at("Donald Trump"),
            at("Trump", 1),
            at("Trump", 2),
            at("Trump", 3),
        ]
        assert trump.entity_id == (7 if linked else None)


def test_a_place_is_offered_only_when_a_quote_has_it_as_speaker():
    roster = build_roster(TEXT, spans(True))
    assert "the Gaza Strip" not in [sp.name for sp in roster]
    assert "Russia" not in [sp.name for sp in roster]
    said = Quote((at("nothing"),), speaker=at("Russia"), speaker_label="GPE")
    roster = build_roster(TEXT, spans(True), [said])
    assert [sp.name for sp in roster][-1] == "Russia"  # places come last
    assert "the Gaza Strip" not in [sp.name for sp in roster]


def test_speakers_that_are_no_span_join_their_entity_or_stand_alone():
    they = Quote((at("the talks went well"),), speaker=at("Trump", 1))
    text = TEXT.replace("Netanyahu agreed", "He also agreed")
    he = text.index("He also")
    agreed = ((he + 8, he + 14),)
    pronoun = Quote(
        agreed,
        speaker=(he, he + 2),
        speaker_label="PERSON",
        entity="Benjamin Netanyahu",
        entity_id=3,
    )
    unlinked = Quote(agreed, speaker=(he, he + 2))
    roster = build_roster(text, spans(True)[:5], [they, pronoun], {7: "Donald Trump"})
    netanyahu = next(sp for sp in roster if sp.entity_id == 3)
    assert netanyahu.name == "Benjamin Netanyahu"  # the quote's resolved entity
    assert (he, he + 2) in [(m.start, m.end) for m in netanyahu.mentions]
    # an unlinked pronoun is nobody: no entry of its own
    alone = build_roster(text, [], [unlinked])
    assert alone == []
    # an unlinked descriptive speaker is offered, after people
    spokesman = "A spokesman said so. "
    quote = Quote(((21, 23),), speaker=(0, 11))
    roster = build_roster(spokesman + TEXT, [], [quote])
    assert [(sp.name, sp.label, sp.entity_id) for sp in roster] == [("A spokesman", "", None)]


def test_nearest_mention_prefers_the_closest_one_before_the_quote():
    roster = build_roster(TEXT, spans(True), (), {7: "Donald Trump"})
    trump = roster[0]
    close = Quote((at("“We are close,”"),))  # "Trump said" follows it: not that one
    found = nearest_mention(trump, close)
    assert (found.start, found.end) == at("Trump", 1)
    first = Quote((at("met Benjamin"),))  # after the first mention only
    assert nearest_mention(trump, first).start == at("Donald Trump")[0]
    headline = Quote(((0, len("Donald")),))  # over the first mention: the next one outside
    assert nearest_mention(trump, headline).start == at("Trump", 1)[0]
    # between the parts of a split quote: that one
    split = Quote((at("“We are close,”"), at("Later")))
    assert nearest_mention(trump, split).start == at("Trump", 2)[0]


def test_full_names_with_one_surname_stay_apart_and_possessives_join():
    text = (
        "Hillary Clinton visited Chelsea Clinton. Clinton’s aides and the United Nations "
        "agreed; United Nations staff and Hillary Clinton’s team did too.\n"
    )

    def sp(word: str, label: str, nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return Span(start, start + len(word), label)

    spans = [
        sp("Hillary Clinton", "PERSON"),
        sp("Chelsea Clinton", "PERSON"),
        sp("Clinton’s", "PERSON"),
        sp("the United Nations", "ORG"),
        sp("United Nations", "ORG", nth=1),
        sp("Hillary Clinton’s", "PERSON"),
    ]
    roster = build_roster(text, spans)
    assert [(s.name, len(s.mentions)) for s in roster] == [
        ("Hillary Clinton", 3),  # with "Clinton’s" and "Hillary Clinton’s"
        ("Chelsea Clinton", 1),
        ("the United Nations", 2),
    ]
