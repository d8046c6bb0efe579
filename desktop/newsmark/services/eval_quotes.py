"""Score predicted quotes against gold JSONL (the `newsmark eval-quotes` use case)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsmark.domain.errors import InputError, UsageError

# The scorer lives in domain so training (nlp/) scores with the same rules; re-exported here.
from newsmark.domain.quote_scoring import (
    ALL_KINDS,
    STRIP,
    char_map,
    inside,
    norm,
    overlap,
    score,
)

__all__ = [
    "ALL_KINDS",
    "STRIP",
    "char_map",
    "format_report",
    "inside",
    "norm",
    "overlap",
    "read_jsonl",
    "score",
    "score_files",
]


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read one JSON object a line; a bad line raises InputError(path, line, reason)."""
    records: list[dict[str, Any]] = []
    try:
        with Path(path).open(encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(path, n, f"not JSON: {exc.msg}") from exc
                except RecursionError:
                    raise InputError(path, n, "not JSON: nested too deeply") from None
                if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                    raise InputError(path, n, "expected an object with a 'text' string")
                if not isinstance(rec.get("quotes", []), list):
                    raise InputError(path, n, "'quotes' must be a list")
                rec.setdefault("quotes", [])
                records.append(rec)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, None, "not UTF-8 text") from exc
    return records


def score_files(
    gold_path: str | Path,
    pred_path: str | Path,
    kinds: set[str] | frozenset[str] = ALL_KINDS,
    speech_only: bool = False,
) -> dict[str, Any]:
    """Score a predictions JSONL file against a gold JSONL file."""
    unknown = set(kinds) - ALL_KINDS
    if unknown:
        raise UsageError(f"unknown quote kinds: {', '.join(sorted(unknown))}")
    return score(read_jsonl(gold_path), read_jsonl(pred_path), kinds, speech_only)


def format_report(result: dict[str, Any]) -> str:
    """A short plain-text table of one score() result."""
    c = result["counts"]
    lines = [f"gold {c['gold']}  predicted {c['pred']}"]
    for key, title in (
        ("exact", "exact"),
        ("partial", "partial (overlap >= 0.5)"),
        ("quote_and_speaker", "quote + speaker"),
    ):
        m = result[key]
        lines.append(f"{title:26} P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}")
    acc = result["speaker_acc"]
    spk = "n/a" if acc is None else f"{acc:.3f}"
    lines.append(f"{'speaker accuracy':26} {spk}  ({c['spk_ok']}/{c['spk_gold']})")
    for kind, r in sorted(result["recall_by_kind"].items()):
        lines.append(f"{'recall ' + kind:26} {r:.3f}")
    return "\n".join(lines)
