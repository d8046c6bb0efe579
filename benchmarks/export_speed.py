"""Export speed: `newsmark export` of 2,000 annotated documents vs `json.dumps` of the same dicts.

Prints both times and the ratio (target <= 1.5x). The baseline serialises the very
records the export produces (built beforehand, tokens as plain dicts: `plain_record`),
writing them to a file the same way. Each is timed `--repeat` times, alternating, and
the best time counts (timeit's rule: on a shared machine the slower runs measure the
neighbours).

    python benchmarks/export_speed.py [--docs 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus
from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Span
from newsmark.formats.newsmark_jsonl import export_record, plain_record
from newsmark.nlp.model import load_model
from newsmark.nlp.preannotate import predict_text
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.exporting import export
from newsmark.storage import Database, Repository

CHUNK = 200


def inputs(texts: Sequence[str], spans: Sequence[Span], start: int) -> list[DocumentInput]:
    """Documents start..start+CHUNK with the first text's spans moved to their text."""
    items = []
    for i, text in enumerate(texts[start : start + CHUNK], start=start):
        shift = len(text) - len(texts[0])
        moved = tuple(
            Span(s.start + shift, s.end + shift, s.label, s.origin, s.model) for s in spans
        )
        items.append(
            DocumentInput(
                text=text,
                meta={"title": f"bench {i}"},
                spans=moved,
                annotator="bench",
                status="accepted",
            )
        )
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    texts = corpus(400 * args.docs)[: args.docs]
    # Predict once and reuse: the prefix "Article N.\n\n" is the same length below 10.
    first = predict_text(load_model(), texts[0])
    # The export goes outside the database's folder, as `newsmark export` insists.
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as out_dir:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        repo = Repository(db)
        # A chunk at a time, dropped once stored.
        for start in range(0, len(texts), CHUNK):
            items = inputs(texts, first.spans, start)
            repo.add_documents(
                list(zip(items, tokenize_many(i.text for i in items), strict=True)), "bench"
            )
        del items

        out = Path(out_dir) / "out.jsonl"
        base_out = Path(out_dir) / "base.jsonl"
        records = [plain_record(export_record(*x)) for x in repo.iter_export(status="any")]
        # Setup objects (the model, the baseline's 900,000 token dicts) out of the
        # collector's sight: a real `newsmark export` process has none of them.
        gc.freeze()
        ours, baseline = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = export(repo, out, status="any", force=True)
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with base_out.open("w", encoding="utf-8") as fh:
                for record in records:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            baseline.append(time.perf_counter() - t0)
        db.close()

    best, base = min(ours), min(baseline)
    print(f"documents {report.records}, spans/doc {len(first.spans)}, best of {args.repeat}")
    print(f"json.dumps of the same dicts: {base:.3f} s")
    print(f"newsmark export (DB read + records + write): {best:.3f} s")
    print(f"ratio (export / json.dumps): {best / base:.2f}x   target <= 1.5x")


if __name__ == "__main__":
    main()
