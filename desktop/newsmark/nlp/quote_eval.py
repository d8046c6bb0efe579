"""Scores a pipeline's quotes on gold documents with the eval-quotes rules, per kind: what a
training run reports as its dev scores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from newsmark.domain.quote_scoring import score
from newsmark.domain.quotes import Quote
from newsmark.domain.training import GoldDoc
from newsmark.nlp.model import load_uncached
from newsmark.nlp.preannotate import predict_texts

KIND_SETS: dict[str, set[str]] = {
    "direct": {"direct"},
    "mixed": {"mixed"},
    "indirect": {"indirect"},
    "all": {"direct", "indirect", "mixed"},
}


def _span(r: tuple[int, int] | None) -> dict[str, int] | None:
    return None if r is None else {"start": r[0], "end": r[1]}


def quote_record(q: Quote) -> dict[str, Any]:
    """A quote in the scorer's schema (hull, parts, speaker, cue, entity)."""
    return {
        "kind": q.kind.value,
        "quote": {"start": q.start, "end": q.end},
        "quote_parts": [_span(p) for p in q.parts],
        "parts": [_span(p) for p in q.parts],
        "speaker": _span(q.speaker),
        "cue": _span(q.cue),
        "entity": q.entity,
    }


def records(texts: Iterable[str], quotes: Iterable[Sequence[Quote]]) -> list[dict[str, Any]]:
    return [
        {"text": t, "quotes": [quote_record(q) for q in qs]}
        for t, qs in zip(texts, quotes, strict=True)
    ]


def flat_scores(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> dict[str, float]:
    """{kind}_p/_r/_f (partial match), {kind}_quote_speaker_f and {kind}_speaker_acc for
    each kind and "all"."""
    out: dict[str, float] = {}
    for name, kinds in KIND_SETS.items():
        res = score(gold, pred, kinds)
        out[f"{name}_p"] = res["partial"]["p"]
        out[f"{name}_r"] = res["partial"]["r"]
        out[f"{name}_f"] = res["partial"]["f1"]
        out[f"{name}_quote_speaker_f"] = res["quote_and_speaker"]["f1"]
        if res["speaker_acc"] is not None:
            out[f"{name}_speaker_acc"] = res["speaker_acc"]
    return out


def score_pipeline(model_dir: str, gold: Sequence[GoldDoc]) -> dict[str, float]:
    """Pre-annotate the gold texts with the pipeline in `model_dir` and score its quotes."""
    # Not through load_model's cache: a model trained again into the same folder must not
    # be scored from the copy loaded before. A base package gets the quote rules, as
    # load_model gives them (spacy.load alone would score a pipeline with no quotes).
    model = load_uncached(model_dir)
    preds = list(predict_texts(model, (g.text for g in gold)))
    gold_recs = records((g.text for g in gold), (g.quotes for g in gold))
    pred_recs = records((g.text for g in gold), (p.quotes for p in preds))
    return flat_scores(gold_recs, pred_recs)
