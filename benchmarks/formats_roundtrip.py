"""Export and import time of each tool format vs json.dumps/json.loads, and peak memory.

    python benchmarks/formats_roundtrip.py [--docs 2000]

Records are the seed article (about 380 words) with entities on its capitalised words and
three quotes (one split) with speakers and cues, built lazily so the source holds no
corpus in memory. Baseline: one `json.dumps` line per record to a file, `json.loads` back.
Peak memory is tracemalloc's peak for one export or import (Python allocations).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import seed_body
from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document, text_sha256
from newsmark.domain.offsets import Alignment
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats.newsmark_jsonl import export_record, plain_record
from newsmark.formats.registry import get_format
from newsmark.nlp.tokens import tokenize
from newsmark.services import catalog  # noqa: F401  (attaches the spacy format's code)


def template() -> dict[str, Any]:
    text = "Article 0.\n\n" + seed_body()
    tokens = tokenize(text)
    spans, last = [], -1
    for i, t in enumerate(tokens):
        word = text[t.start : t.end]
        if word[:1].isupper() and word.isalpha() and i > last + 1 and len(spans) < 40:
            spans.append(Span(t.start, t.end, "PERSON", Origin.HUMAN))
            last = i
    words = [t for t in tokens if not text[t.start : t.end].isspace()]
    quotes = [
        Quote(
            parts=((words[k].start, words[k + 6].end), (words[k + 12].start, words[k + 18].end)),
            kind=QuoteKind.DIRECT,
            speaker=(words[k + 8].start, words[k + 8].end),
            cue=(words[k + 9].start, words[k + 9].end),
            entity="Benjamin Netanyahu",
        )
        for k in (20, 120, 220)
    ]
    doc = Document(1, text, text_sha256(text), {"source": "seed.txt"}, tuple(tokens))
    aset = AnnotationSet(1, "ann1", Status.ACCEPTED, spans, quotes)
    return plain_record(export_record(doc, aset, {}))  # dicts, as json.dumps needs


def records(n: int, base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for i in range(n):
        record = copy.copy(base)
        record["meta"] = {**base["meta"], "doc_id": i, "title": f"Article {i}"}
        yield record


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    """(seconds, peak MiB): timed without tracing, then once more under tracemalloc."""
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    n = parser.parse_args().docs
    base = template()
    tmp = Path(tempfile.mkdtemp(prefix="nm-bench-"))

    def expand() -> AlignmentReport:
        return AlignmentReport(Alignment.EXPAND)

    def writer(name: str, path: Path) -> Callable[[], object]:
        """The format table's writer, as `newsmark export` calls it (alignment: expand)."""
        fmt = get_format(name)
        if fmt.write is not None:
            stream_writer = fmt.write

            def run() -> object:
                with path.open("w", encoding="utf-8") as f:
                    return stream_writer(records(n, base), f, report=expand())

            return run
        path_writer = fmt.write_to
        assert path_writer is not None

        def run_to() -> object:
            shutil.rmtree(path, ignore_errors=True)  # measured twice: start from nothing
            path.unlink(missing_ok=True)
            return path_writer(records(n, base), path, report=expand())

        return run_to

    def reader(name: str, path: Path) -> Callable[[], object]:
        read = get_format(name).read
        assert read is not None
        if path.is_dir() or name == "brat":
            return lambda: [
                d for ann in sorted(path.glob("*.ann")) for d in read(ann, ReadOptions())
            ]
        return lambda: list(read(path, ReadOptions()))

    def json_dump() -> object:
        with (tmp / "base.jsonl").open("w", encoding="utf-8") as f:
            for r in records(n, base):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return None

    def json_load() -> object:
        with (tmp / "base.jsonl").open(encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    outputs = {"prodigy": "p.jsonl", "doccano": "d.jsonl", "labelstudio": "l.json",
               "brat": "brat", "conll": "c.conll", "spacy": "x.spacy"}  # fmt: skip
    formats = [
        (name, writer(name, tmp / out), reader(name, tmp / out)) for name, out in outputs.items()
    ]
    dump_s, dump_mb = measure(json_dump)
    load_s, load_mb = measure(json_load)
    print(f"{n} documents of {len(base['text'])} characters, {len(base['spans'])} entities, "
          f"{len(base['quotes'])} quotes each")  # fmt: skip
    print(f"baseline json.dumps {dump_s:.2f} s ({dump_mb:.1f} MiB peak), "
          f"json.loads {load_s:.2f} s ({load_mb:.1f} MiB peak)")  # fmt: skip
    print(f"{'format':12} {'export s':>9} {'x dumps':>8} {'peak MiB':>9} "
          f"{'import s':>9} {'x loads':>8} {'peak MiB':>9}")  # fmt: skip
    for name, write, read in formats:
        w_s, w_mb = measure(write)
        r_s, r_mb = measure(read)
        print(f"{name:12} {w_s:9.2f} {w_s / dump_s:8.1f} {w_mb:9.1f} "
              f"{r_s:9.2f} {r_s / load_s:8.1f} {r_mb:9.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
