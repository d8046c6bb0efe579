"""The model against the gold and the annotators' progress: the figures of `newsmark report`
and of the window's dashboard (View › Model vs gold)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from newsmark.domain.annotations import ExportSet
from newsmark.domain.quotes import Quote
from newsmark.domain.status import Status
from newsmark.nlp.model import LoadedModel
from newsmark.nlp.preannotate import Prediction, predict_texts
from newsmark.services.annotation_progress import progress, set_timing
from newsmark.services.eval_quotes import ALL_KINDS, score
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress
from newsmark.storage import Repository

KINDS = tuple(sorted(ALL_KINDS))
Keys = set[tuple[int, int, str]]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Counts with precision, recall and F1 (0.0 where a denominator is 0)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": n_gold, "pred": n_pred, "tp": tp, "p": round(p, 3), "r": round(r, 3),
            "f1": round(f1, 3)}  # fmt: skip


def entity_scores(pairs: Iterable[tuple[Keys, Keys]]) -> dict[str, Any]:
    """Per-label and micro P/R/F1 of (gold, predicted) span keys (start, end, label) per
    document: a prediction is right only with the same offsets and the same label."""
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    tp_n: Counter[str] = Counter()
    for gold, pred in pairs:
        gold_n.update(k[2] for k in gold)
        pred_n.update(k[2] for k in pred)
        tp_n.update(k[2] for k in gold & pred)
    labels = sorted(set(gold_n) | set(pred_n))
    return {
        "labels": {lab: _prf(tp_n[lab], pred_n[lab], gold_n[lab]) for lab in labels},
        "micro": _prf(sum(tp_n.values()), sum(pred_n.values()), sum(gold_n.values())),
    }


def quote_record(text: str, quotes: Sequence[Quote]) -> dict[str, Any]:
    """A document in the shape `eval_quotes.score` reads (the quote eval data's)."""
    return {
        "text": text,
        "quotes": [
            {
                "kind": q.kind.value,
                "quote": {"start": q.start, "end": q.end},
                "quote_parts": [{"start": s, "end": e} for s, e in q.parts],
                "speaker": {"start": q.speaker[0], "end": q.speaker[1]} if q.speaker else None,
                "entity": q.entity,
            }
            for q in quotes
        ],
    }


def quote_scores(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Quote figures as `eval-quotes` counts them: partial match (overlap >= 0.5) P/R/F1
    per kind and over all kinds, exact and quote+speaker F1, speaker accuracy."""
    overall = score(gold, pred)
    kinds = {}
    for kind in KINDS:
        one = score(gold, pred, kinds={kind})
        kinds[kind] = {"gold": one["counts"]["gold"], "pred": one["counts"]["pred"],
                       **one["partial"]}  # fmt: skip
    return {
        "kinds": kinds,
        "partial": overall["partial"],
        "exact": overall["exact"],
        "quote_and_speaker": overall["quote_and_speaker"],
        "speaker_accuracy": overall["speaker_acc"],
        "speakers": {"gold": overall["counts"]["spk_gold"], "right": overall["counts"]["spk_ok"]},
        "gold": overall["counts"]["gold"],
        "pred": overall["counts"]["pred"],
    }


def predict_unique(
    model: LoadedModel,
    texts: Sequence[str],
    progress_cb: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> dict[str, Prediction]:
    """The model's prediction of each distinct text (several annotators may have accepted
    the same document); raises Cancelled between documents when asked to stop."""
    unique = list(dict.fromkeys(texts))
    out: dict[str, Prediction] = {}
    progress_cb(0, len(unique), "running the model over the gold")
    for n, (text, pred) in enumerate(zip(unique, predict_texts(model, unique), strict=True), 1):
        if cancel():
            raise Cancelled()
        out[text] = pred
        progress_cb(n, len(unique), "running the model over the gold")
    return out


def model_scores(items: Sequence[ExportSet], preds: dict[str, Prediction]) -> dict[str, Any]:
    """Entity and quote figures of the predictions against the sets' annotations."""
    pairs = [
        ({(s, e, lab) for s, e, lab, *_ in item.spans},
         {s.key for s in preds[item.document.text].spans})
        for item in items
    ]  # fmt: skip
    gold = [quote_record(i.document.text, i.quotes) for i in items]
    pred = [quote_record(i.document.text, preds[i.document.text].quotes) for i in items]
    return {"entities": entity_scores(pairs), "quotes": quote_scores(gold, pred)}


def gold_sets(repo: Repository, status: str, annotator: str | None) -> list[ExportSet]:
    """The annotation sets the report scores against (accepted ones by default)."""
    return list(repo.iter_export_sets(status, annotator))


def build_report(
    repo: Repository,
    model: LoadedModel | None,
    *,
    status: str = Status.ACCEPTED.value,
    annotator: str | None = None,
    progress_cb: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> dict[str, Any]:
    """Every figure of the report as plain JSON data.

    The model runs over the texts of the sets `status`/`annotator` select (None: no model
    figures). Progress covers those of the sets that are accepted (see annotation_progress).
    """
    items = gold_sets(repo, status, annotator)
    report: dict[str, Any] = {
        "filter": {"status": status, "annotator": annotator},
        "documents": len({i.document.id for i in items}),
        "sets": len(items),
    }
    if model is not None:
        preds = predict_unique(model, [i.document.text for i in items], progress_cb, cancel)
        report["model"] = model.provenance
        report.update(model_scores(items, preds))
    accepted = [i for i in items if i.status is Status.ACCEPTED and i.id is not None]
    timings = []
    for n, item in enumerate(accepted, 1):
        if cancel():
            raise Cancelled()
        assert item.id is not None
        timings.append(set_timing(item.annotator, repo.edit_log(item.id)))
        if n % 200 == 0:
            progress_cb(n, len(accepted), "reading the edit log")
    report["progress"] = progress(timings)
    return report
