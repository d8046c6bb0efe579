"""The cheap noun-phrase rule (Ctrl+click a word: the speaker mention around it), on the
seed articles' sentences with the tokens the app stores for them."""

from __future__ import annotations

import pytest

from newsmark.domain.noun_phrase import noun_phrase_at
from newsmark.nlp.tokens import tokenize_many
from newsmark.resources import seed_files


@pytest.fixture(scope="module")
def seeds() -> list[tuple[str, tuple]]:
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    return list(zip(texts, tokenize_many(texts), strict=True))


def phrase(seeds, context: str, word: str) -> str | None:
    """The phrase found by clicking the middle of `word` inside `context` in a seed."""
    for text, tokens in seeds:
        at = text.find(context)
        if at >= 0:
            click = at + context.index(word) + len(word) // 2
            found = noun_phrase_at(text, tokens, click)
            return text[found[0] : found[1]] if found else None
    raise AssertionError(f"{context!r} is in no seed")


@pytest.mark.parametrize(
    ("context", "word", "expected"),
    [
        ("the Kremlin reported", "Kremlin", "the Kremlin"),
        ("the head of the Israeli government", "head", "the head"),
        ("the head of the Israeli government", "government", "the head of the Israeli government"),
        ("Opposition leader Tomas Reid", "leader", "Opposition leader Tomas Reid"),
        ("The agency's director", "director", "The agency's director"),
        ("Their spokeswoman, Claire Dubois", "spokeswoman", "Their spokeswoman"),
        ("Environment Minister Sofia Lind", "Minister", "Environment Minister Sofia Lind"),
        ("Israeli Prime Minister Benjamin", "Prime", "Israeli Prime Minister Benjamin Netanyahu"),
        ("Netanyahu’s office said", "office", "Netanyahu’s office"),
    ],
)
def test_a_click_takes_the_phrase_around_the_word(seeds, context, word, expected):
    assert phrase(seeds, context, word) == expected


def test_a_pronoun_is_a_phrase_of_its_own(seeds):
    for text, tokens in seeds:
        for pronoun in (" she ", " he ", " She "):
            at = text.find(pronoun)
            if at >= 0:
                found = noun_phrase_at(text, tokens, at + 2)
                assert found == (at + 1, at + len(pronoun) - 1)


def test_function_words_punctuation_and_whitespace_are_no_phrase(seeds):
    text, tokens = seeds[0]
    said = text.index("office said") + len("office ")
    assert noun_phrase_at(text, tokens, said + 1) is None  # a reporting verb
    comma = text.index(",”")
    assert noun_phrase_at(text, tokens, comma) is None
    assert noun_phrase_at(text, tokens, text.index("\n\n") + 1) is None
    assert noun_phrase_at(text, tokens, len(text) + 5) is None


def test_a_phrase_stops_at_a_line_break():
    text = "Netanyahu\nspokesman said"
    [tokens] = tokenize_many([text])
    found = noun_phrase_at(text, tokens, text.index("spokesman"))
    assert found is not None and text[found[0] : found[1]] == "spokesman"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Prime Minister Theresa May said so.", "May", "Prime Minister Theresa May"),
        ("Small groups of protesters said no.", "protesters", "Small groups of protesters"),
        ("Mr. Holtz-Eakin said no.", "Eakin", "Mr. Holtz-Eakin"),
        ("One Republican said no.", "Republican", "One Republican"),
        ("He said that Trump lied.", "Trump", "Trump"),
        ("It is what Trump said.", "Trump", "Trump"),
        ("In his statement, he said no.", "his", "his"),
        ("The group, which said no, left.", "which", "which"),
    ],
)
def test_names_of_phrases_and_words_that_speak_alone(text, word, expected):
    [tokens] = tokenize_many([text])
    found = noun_phrase_at(text, tokens, text.index(word) + len(word) // 2)
    assert found is not None and text[found[0] : found[1]] == expected
