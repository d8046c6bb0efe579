"""Runs the model over gold quote files so `eval-quotes GOLD` needs no prediction file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsmark.nlp.model import load_model
from newsmark.nlp.preannotate import predict_texts
from newsmark.services.eval_quotes import read_jsonl
from newsmark.services.predicting import prediction_record


def predict_gold(
    gold_path: Path, model_name: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The gold records and the model's records for the same texts, in the export schema."""
    gold = read_jsonl(gold_path)
    model = load_model(model_name)
    preds = predict_texts(model, (g["text"] for g in gold))
    pred = [prediction_record(model, g["text"], {}, p) for g, p in zip(gold, preds, strict=True)]
    return gold, pred
