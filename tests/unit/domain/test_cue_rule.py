"""domain/cue_rule.py: the cue around a clicked word and the cue and speaker proposed for a
new quote, on sentences written for these tests, with the tokens the app stores."""

from __future__ import annotations

import pytest

from newsmark.domain.cue_rule import cue_at, is_reporting_verb
from newsmark.domain.quote_lexicon import load_lexicon
from newsmark.nlp.tokens import tokenize_many


def words(text: str, rng: tuple[int, int] | None) -> str | None:
    return text[rng[0] : rng[1]] if rng else None


@pytest.mark.parametrize(
    ("text", "click", "expected"),
    [
        ("According to the port authority, ships wait.", "to", "According to"),
        ("According to the port authority, ships wait.", "According", "According to"),
        ("The union called for a strike on Friday.", "for", "called for"),
        ("The union called for a strike on Friday.", "called", "called for"),
        ("The minister said the talks had failed.", "said", "said"),
        ("The minister said the talks had failed.", "talks", "talks"),
        ("Minister Lee: the talks had failed.", ":", ":"),
    ],
)
def test_a_click_takes_the_word_or_the_known_phrase_through_it(text, click, expected):
    [tokens] = tokenize_many([text])
    assert words(text, cue_at(text, tokens, text.index(click))) == expected


def test_no_cue_on_whitespace_or_past_the_text():
    text = "She said no."
    [tokens] = tokenize_many([text])
    assert cue_at(text, tokens, text.index(" ")) is None
    assert cue_at(text, tokens, len(text) + 3) is None


@pytest.mark.parametrize(
    "word", ["said", "says", "saying", "told", "argued", "admitted", "denied", "denies", "wrote"]
)
def test_forms_of_speech_verbs_are_known(word):
    assert is_reporting_verb(word, load_lexicon())


@pytest.mark.parametrize("word", ["bridge", "cars", "the", "opened", "Monday"])
def test_other_words_are_not_speech_verbs(word):
    assert not is_reporting_verb(word, load_lexicon())
