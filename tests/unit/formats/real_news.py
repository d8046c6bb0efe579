"""Export records of real news as the model pre-annotates them: the seeds and dev articles.

The dev articles are read by path from the shared eval data (never copied here); without
it only the seeds are used, and under CI=true its absence fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from newsmark.formats.newsmark_jsonl import export_record
from newsmark.services.importing import import_paths
from newsmark.services.preannotation import load_model, preannotate
from newsmark.services.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[3]


def dev_quotes_path() -> Path:
    base = Path(os.environ.get("NEWSMARK_EVAL_DIR") or ROOT.parent / "shared" / "eval")
    return base / "polnear_dev_quotes.jsonl"


def dev_texts(count: int) -> list[str]:
    """The first `count` dev-split article texts, or none when the data is missing."""
    path = dev_quotes_path()
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"quote dev data missing at {path} (CI=true)")
        return []
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if len(texts) == count:
                break
            texts.append(json.loads(line)["text"])
    return texts


def preannotated_records(work: Path, dev_articles: int = 12) -> list[dict[str, Any]]:
    """The model's annotation sets of the seeds and `dev_articles` dev articles, as exported.

    Goes the way a user's data does: import into a fresh database, pre-annotate (entity
    linking names the speakers), then the export contract's records.
    """
    inputs = work / "inputs"
    inputs.mkdir(parents=True)
    for i, text in enumerate(dev_texts(dev_articles)):
        (inputs / f"dev-{i:02d}.txt").write_text(text, encoding="utf-8")
    ws = open_workspace(work / "data")
    try:
        import_paths(ws.repo, [ROOT / "seeds", inputs])
        preannotate(ws.repo, load_model(), None, annotator="ann")
        return [export_record(d, a, e) for d, a, e in ws.repo.iter_export(status="any")]
    finally:
        ws.close()
