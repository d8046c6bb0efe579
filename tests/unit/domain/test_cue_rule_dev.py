"""What Q would propose (domain/cue_rule.py) against the dev split's gold: given each gold
quote's content, how often the rule gives the gold cue (after the scorer's normalisation)
and a speaker overlapping the gold one. Printed (`-s`), with floors it must not fall under."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from newsmark.domain.cue_rule import propose_attribution
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.eval_quotes import norm

pytestmark = pytest.mark.eval


def test_proposed_cue_and_speaker_against_the_dev_split(eval_dir: Path) -> None:
    with (eval_dir / "polnear_dev_quotes.jsonl").open(encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines]
    counts: Counter[str] = Counter()
    for doc, tokens in zip(docs, tokenize_many(d["text"] for d in docs), strict=True):
        text = doc["text"]
        for quote in doc["quotes"]:
            parts = quote.get("quote_parts") or [quote["quote"]]
            content = (min(p["start"] for p in parts), max(p["end"] for p in parts))
            speaker, cue = propose_attribution(text, tokens, content)
            gold_cue, gold_speaker = quote.get("cue"), quote.get("speaker")
            counts["quotes"] += 1
            counts["cue proposed"] += cue is not None
            if cue is not None and gold_cue is not None:
                counts["cue right"] += norm(text, *cue) == norm(
                    text, gold_cue["start"], gold_cue["end"]
                )
            counts["gold speakers"] += gold_speaker is not None
            counts["speaker proposed"] += speaker is not None
            if speaker is not None and gold_speaker is None:
                counts["speaker where gold has none"] += 1
            if speaker is not None and gold_speaker is not None:
                lo, hi = gold_speaker["start"], gold_speaker["end"]
                counts["speaker overlaps"] += speaker[0] < hi and lo < speaker[1]
                counts["speaker exact"] += norm(text, *speaker) == norm(text, lo, hi)
    n, speakers = counts["quotes"], counts["gold speakers"]
    print(
        f"cue_rule vs dev gold ({n} quotes, {speakers} with a speaker): "
        f"cue right {counts['cue right']}/{n} ({counts['cue right'] / n:.0%}; "
        f"{counts['cue proposed']} proposed), speaker overlapping gold "
        f"{counts['speaker overlaps']}/{speakers} ({counts['speaker overlaps'] / speakers:.0%};"
        f" exact {counts['speaker exact']}; {counts['speaker proposed']} proposed, "
        f"{counts['speaker where gold has none']} where gold has none)"
    )
    assert n > 2000
    assert counts["cue right"] / n >= 0.55
    assert counts["speaker overlaps"] / speakers >= 0.55
    # A proposal is worth having: most of what it fills is right.
    assert counts["cue right"] / counts["cue proposed"] >= 0.7
    assert counts["speaker overlaps"] / counts["speaker proposed"] >= 0.8
