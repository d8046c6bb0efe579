"""Helpers shared by the benchmark scripts: timing and corpus building from the seed."""

from __future__ import annotations

import importlib.util
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "2023-12-10-netanyahu-putin-call.txt"


def seed_body() -> str:
    """The seed article's body (without its metadata line)."""
    text = SEED.read_text(encoding="utf-8")
    return text.split("\n", 1)[1].strip()


def corpus(words: int) -> list[str]:
    """Distinct articles (numbered, so none deduplicates) of the seed text, ~`words` words."""
    body = seed_body()
    n = max(1, round(words / len(body.split())))
    return [f"Article {i}.\n\n{body}" for i in range(n)]


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Median wall time of `repeat` runs of fn (the machines here are shared and noisy)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def eval_dir() -> Path:
    """The shared quote eval data (read by path, never copied): $NEWSMARK_EVAL_DIR or
    ../shared/eval beside the checkout."""
    return Path(os.environ.get("NEWSMARK_EVAL_DIR") or (ROOT.parent / "shared" / "eval"))


def reference_scorer(directory: Path) -> ModuleType | None:
    """The eval folder's score_quotes.py (the reference the project's scorer must agree with)."""
    spec = importlib.util.spec_from_file_location("score_quotes", directory / "score_quotes.py")
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
