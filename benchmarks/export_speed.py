"""Export speed: `newsmark export` of 2,000 annotated documents vs `json.dumps` of the same dicts.

Prints both times and the ratio (target <= 1.5x). The baseline serialises the very
records the export produces (built beforehand), writing them to a file the same way.

    python benchmarks/export_speed.py [--docs 2000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus
from newsmark.domain.document import DocumentInput
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.nlp.model import load_model
from newsmark.nlp.preannotate import predict_text
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.exporting import export
from newsmark.storage import Database, Repository


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()

    texts = corpus(400 * args.docs)[: args.docs]
    # Predict once and reuse: the prefix "Article N.\n\n" is the same length below 10.
    first = predict_text(load_model(), texts[0])
    shift = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        repo = Repository(db)
        items = []
        for i, text in enumerate(texts):
            shift = len(text) - len(texts[0])
            spans = tuple(
                type(s)(s.start + shift, s.end + shift, s.label, s.origin, s.model)
                for s in first.spans
            )
            items.append(
                DocumentInput(
                    text=text,
                    meta={"title": f"bench {i}"},
                    spans=spans,
                    annotator="bench",
                    status="accepted",
                )
            )
        for start in range(0, len(items), 200):
            chunk = items[start : start + 200]
            repo.add_documents(
                list(zip(chunk, tokenize_many(i.text for i in chunk), strict=True)), "bench"
            )

        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        report = export(repo, out, status="any", force=True)
        ours = time.perf_counter() - t0

        records = [export_record(d, s, e) for d, s, e in repo.iter_export(status="any")]
        base_out = Path(tmp) / "base.jsonl"
        t0 = time.perf_counter()
        with base_out.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        baseline = time.perf_counter() - t0
        db.close()

    print(f"documents {report.records}, spans/doc {len(first.spans)}")
    print(f"json.dumps of the same dicts: {baseline:.3f} s")
    print(f"newsmark export (DB read + records + write): {ours:.3f} s")
    print(f"ratio (export / json.dumps): {ours / baseline:.2f}x   target <= 1.5x")


if __name__ == "__main__":
    main()
