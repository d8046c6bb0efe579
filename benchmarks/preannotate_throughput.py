"""Pre-annotation throughput (spaCy + quotes + conversion + DB write) vs plain `nlp.pipe`.

Both run on the same ~100k words of seed text, with the same model, batch size and
process count, in this one run. Prints words/s for each and the ratio (target >= 0.90).

    python benchmarks/preannotate_throughput.py [--words 100000] [--n-process 1] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus
from newsmark.domain.document import DocumentInput
from newsmark.nlp.model import load_model
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.preannotation import preannotate
from newsmark.storage import Database, Repository


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    texts = corpus(args.words)
    words = sum(len(t.split()) for t in texts)
    model = load_model()  # with newsmark_quotes
    plain = load_model(quotes=False)  # the same weights, no quote component
    assert model.nlp is not plain.nlp

    # Warm up both (first-batch allocation would otherwise count against whichever runs first).
    list(plain.nlp.pipe(texts[:4]))
    list(model.nlp.pipe(texts[:4]))

    t0 = time.perf_counter()
    for _ in plain.nlp.pipe(texts, batch_size=args.batch_size, n_process=args.n_process):
        pass
    baseline = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        repo = Repository(db)
        inputs = [DocumentInput(text=t, meta={"title": f"bench {i}"}) for i, t in enumerate(texts)]
        repo.add_documents(list(zip(inputs, tokenize_many(texts), strict=True)), "bench")
        t0 = time.perf_counter()
        report = preannotate(
            repo,
            model,
            None,
            annotator="bench",
            batch_size=args.batch_size,
            n_process=args.n_process,
        )
        ours = time.perf_counter() - t0
        db.close()

    assert len(report.done) == len(texts)
    print(
        f"documents {len(texts)}, words {words}, batch {args.batch_size}, "
        f"n_process {args.n_process}"
    )
    print(
        f"plain nlp.pipe (no quotes):          {words / baseline:10.0f} words/s  ({baseline:.2f} s)"
    )
    print(f"newsmark preannotate (quotes + DB):  {words / ours:10.0f} words/s  ({ours:.2f} s)")
    print(f"quotes found {report.quotes}, entity spans {report.spans}")
    print(f"ratio (ours / plain throughput): {baseline / ours:.3f}   target >= 0.90")


if __name__ == "__main__":
    main()
