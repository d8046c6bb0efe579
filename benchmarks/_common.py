"""Helpers shared by the benchmark scripts: timing and corpus building from the seed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

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
