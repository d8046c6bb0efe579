"""Writers stream: peak memory does not grow with the number of records exported."""

from __future__ import annotations

import copy
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tools_support import make_record

from newsmark.domain.quotes import Quote
from newsmark.formats import brat, conll, doccano, labelstudio, prodigy

BASE = make_record(
    "“We won,” Putin said. 😀 Netanyahu agreed.",
    [(10, 15, "PERSON"), (24, 33, "PERSON")],
    [Quote(parts=((0, 9),), speaker=(10, 15), cue=(16, 20))],
)


def _records(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        record = copy.copy(BASE)
        record["meta"] = {**BASE["meta"], "doc_id": i}
        yield record


def _peak(run: Callable[[], object]) -> int:
    """The lowest peak of three runs: tracemalloc also sees other threads' allocations."""
    peaks = []
    for _ in range(3):
        tracemalloc.start()
        run()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return min(peaks)


@pytest.mark.parametrize(
    "write",
    [prodigy.write_prodigy, doccano.write_doccano, labelstudio.write_labelstudio,
     conll.write_conll],
)  # fmt: skip
def test_stream_writers_use_constant_memory(tmp_path: Path, write: Callable[..., int]) -> None:
    def export(n: int) -> Callable[[], object]:
        def run() -> object:
            with (tmp_path / "out").open("w", encoding="utf-8") as f:
                return write(_records(n), f)

        return run

    export(10)()  # first-use caches are not growth
    small, large = _peak(export(100)), _peak(export(2000))
    assert large < small * 2 + 256 * 1024, (small, large)


def test_brat_folder_writer_uses_constant_memory(tmp_path: Path) -> None:
    brat.write_brat(_records(10), tmp_path / "warm")  # first-use caches are not growth
    runs = iter(range(100))

    def export(n: int) -> Callable[[], object]:
        # A new folder each run: replacing one would measure rmtree's listing, not export.
        return lambda: brat.write_brat(_records(n), tmp_path / f"out{next(runs)}")

    small, large = _peak(export(50)), _peak(export(1000))
    assert large < small * 2 + 256 * 1024, (small, large)
