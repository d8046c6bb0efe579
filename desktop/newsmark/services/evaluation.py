"""Runs the model over gold quote files so `eval-quotes GOLD` needs no prediction file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsmark.domain.errors import InputError
from newsmark.nlp.model import load_model
from newsmark.nlp.preannotate import predict_texts


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    records = []
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as exc:
                    raise InputError(path, n, f"invalid JSON: {exc}") from None
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise InputError(path, n, 'expected an object with a "text" string')
                records.append(record)
    except OSError as exc:
        raise InputError(path, None, exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not UTF-8 text") from None
    return records


def quote_dicts(pred: Any) -> list[dict[str, Any]]:
    out = []
    for q in pred.quotes:
        out.append(
            {
                "kind": q.kind.value,
                "quote": {"start": q.start, "end": q.end},
                "parts": [{"start": s, "end": e} for s, e in q.parts],
                "speaker": {"start": q.speaker[0], "end": q.speaker[1]} if q.speaker else None,
                "cue": {"start": q.cue[0], "end": q.cue[1]} if q.cue else None,
                "entity": q.entity,
            }
        )
    return out


def predict_gold(
    gold_path: Path, model_name: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    gold = read_jsonl(gold_path)
    model = load_model(model_name)
    preds = predict_texts(model, (g["text"] for g in gold))
    pred = [{"text": g["text"], "quotes": quote_dicts(p)} for g, p in zip(gold, preds, strict=True)]
    return gold, pred
