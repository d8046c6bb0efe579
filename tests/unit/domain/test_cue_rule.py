"""domain/cue_rule.py: the cue around a clicked word and the cue and speaker proposed for a
new quote, on sentences written for these tests, with the tokens the app stores."""

from __future__ import annotations

import pytest

from newsmark.domain.cue_rule import cue_at, is_reporting_verb, propose_attribution
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
        # the auxiliaries and adverbs before a verb, as PolNeAR's cues hold them
        ("The minister has long said the talks had failed.", "said", "has long said"),
        ("The minister has long said the talks had failed.", "has", "has long said"),
        ("The minister did not deny the talks had failed.", "deny", "did not deny"),
        ("The minister openly admits the talks failed.", "admits", "openly admits"),
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


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        # after the content: "CONTENT," X said / said X
        (
            "“The pier is safe,” the harbour master said on Tuesday.",
            "The pier is safe",
            "the harbour master",
            "said",
        ),
        (
            "“The pier is safe,” said Ines Varga, the harbour master.",
            "The pier is safe",
            "Ines Varga",
            "said",
        ),
        ("The pier is safe, she told reporters.", "The pier is safe", "she", "told"),
        (
            "“The pier is safe,” Councillor Bram Lutz (Green) said.",
            "The pier is safe",
            "Councillor Bram Lutz (Green)",
            "said",
        ),
        # before: X said that CONTENT, according to X, CONTENT
        (
            "The harbour master also said that the pier was safe.",
            "the pier was safe",
            "The harbour master",
            "also said",
        ),
        (
            "According to the port authority, the pier was safe.",
            "the pier was safe",
            "the port authority",
            "According to",
        ),
        (
            "Union leader Kai Moss warned that the strike would go on.",
            "the strike would go on",
            "Union leader Kai Moss",
            "warned",
        ),
        # a colon: "He said:", a transcript's name
        (
            "The mayor said:\n“We open the pier tomorrow.”",
            "We open the pier tomorrow",
            "The mayor",
            "said:",
        ),
        ("VARGA: We open the pier tomorrow.", "We open the pier tomorrow", "VARGA", ":"),
        # a participle after a comma: the sentence's subject speaks
        (
            "The mayor opened the pier, saying the repairs were done.",
            "the repairs were done",
            "The mayor",
            "saying",
        ),
        # a that-clause names the verb before it, known to the list or not
        (
            "A city survey shows that most residents want the pier.",
            "most residents want the pier",
            "A city survey",
            "shows",
        ),
        # a progressive takes its auxiliary
        (
            "The mayor is demanding that the ferry run daily.",
            "the ferry run daily",
            "The mayor",
            "is demanding",
        ),
        # the verb the content is the object of, listed or not
        (
            "The council openly backs the new pier plan.",
            "the new pier plan",
            "The council",
            "openly backs",
        ),
        (
            "The ferry crews voted against the pay offer.",
            "the pay offer",
            "The ferry crews",
            "voted against",
        ),
        # a listed verb a word or two before wins over the word the content follows
        (
            "The mayor told reporters that the pier was safe.",
            "the pier was safe",
            "The mayor",
            "told",
        ),
    ],
)
def test_the_cue_and_speaker_around_a_quote(text, content, speaker, cue):
    [tokens] = tokenize_many([text])
    start = text.index(content)
    found_speaker, found_cue = propose_attribution(text, tokens, (start, start + len(content)))
    assert (words(text, found_speaker), words(text, found_cue)) == (speaker, cue)


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        # "told The Post": the listener is no speaker
        ("“The pier is safe,” told The Courier on Monday.", "The pier is safe", None),
        # "said Friday": a day is no speaker
        ("“The pier is safe,” said Friday.", "The pier is safe", None),
    ],
)
def test_what_follows_a_cue_is_not_always_its_speaker(text, content, speaker):
    [tokens] = tokenize_many([text])
    start = text.index(content)
    found_speaker, _ = propose_attribution(text, tokens, (start, start + len(content)))
    assert words(text, found_speaker) == speaker


def test_no_cue_in_the_next_sentence_or_paragraph():
    text = "The pier reopened in May. Nobody was hurt.\n\nThe mayor said nothing."
    [tokens] = tokenize_many([text])
    start = text.index("The pier")
    assert propose_attribution(text, tokens, (start, text.index("."))) == (None, None)


def test_a_click_near_the_current_cue_extends_it():
    text = "The minister pointed out that the talks had failed in May."
    [tokens] = tokenize_many([text])
    pointed = text.index("pointed")
    current = (pointed, pointed + len("pointed"))
    out = cue_at(text, tokens, text.index("out"), current=current)
    assert words(text, out) == "pointed out"
    # a word or two between, no punctuation: still extends
    text2 = "The president sounded a call for reform on Monday."
    [tokens2] = tokenize_many([text2])
    call = text2.index("call for")
    wider = cue_at(text2, tokens2, text2.index("sounded"), current=(call, call + len("call for")))
    assert words(text2, wider) == "sounded a call for"
    # a word further away replaces it
    may = cue_at(text, tokens, text.index("May"), current=current)
    assert words(text, may) == "May"


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        # an apposition opening the sentence is part of the speaker
        (
            "Ortiz, the harbour master, warned that the pier was unsafe.",
            "the pier was unsafe",
            "Ortiz, the harbour master",
        ),
        # a parenthetical word between subject and verb
        (
            "Some sailors, however, insist that the pier is safe.",
            "the pier is safe",
            "Some sailors",
        ),
        # a participle after an inverted cue: its speaker
        ("“The pier is safe,” said Ortiz, speaking of the repairs.", "the repairs", "Ortiz"),
        # a second verb of the subject: "... and promptly denied"
        ("The mayor arrived late and promptly denied the report.", "the report", "The mayor"),
    ],
)
def test_the_subject_across_asides_and_coordination(text, content, speaker):
    [tokens] = tokenize_many([text])
    start = text.index(content)
    found, _ = propose_attribution(text, tokens, (start, start + len(content)))
    assert words(text, found) == speaker
