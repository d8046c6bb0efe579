"""The eval-quotes scorer: figures, bad input, and agreement with the reference scorer."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newsmark.domain.errors import InputError, UsageError
from newsmark.services.eval_quotes import format_report, read_jsonl, score, score_files

KIND_SETS = [
    ({"direct"}, False),
    ({"direct", "mixed"}, False),
    ({"indirect"}, True),
    ({"direct", "indirect", "mixed"}, False),
]
TEXT = "“We won,” she said. Officials said that the vote was fair. He called it “great.”"


def reference(eval_dir: Path) -> ModuleType:
    """The eval data's reference scorer, score_quotes.py."""
    path = eval_dir / "score_quotes.py"
    spec = importlib.util.spec_from_file_location("reference_score_quotes", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def span(text: str, sub: str) -> dict[str, int]:
    s = text.index(sub)
    return {"start": s, "end": s + len(sub)}


def gold_record() -> dict[str, Any]:
    return {
        "text": TEXT,
        "quotes": [
            {"kind": "direct", "quote": span(TEXT, "“We won,”"), "speaker": span(TEXT, "she"),
             "cue_speech_verb": True},
            {"kind": "indirect", "quote": span(TEXT, "that the vote was fair"),
             "speaker": span(TEXT, "Officials"), "cue_speech_verb": True},
            {"kind": "mixed", "quote": span(TEXT, "it “great.”"), "speaker": span(TEXT, "He"),
             "cue_speech_verb": False},
        ],
    }  # fmt: skip


def test_perfect_and_empty_predictions() -> None:
    gold = [gold_record()]
    perfect = score(gold, gold, {"direct", "indirect", "mixed"}, False)
    assert perfect["partial"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert perfect["speaker_acc"] == 1.0
    empty = score(gold, [{"text": TEXT, "quotes": []}], {"direct"}, False)
    assert empty["partial"]["r"] == 0.0 and empty["speaker_acc"] is None


def test_speech_only_and_kinds_filter() -> None:
    gold = [gold_record()]
    res = score(gold, gold, {"mixed", "indirect"}, True)
    assert res["counts"]["gold"] == 1  # the mixed one has no speech verb cue


def test_wrong_speaker_counts_against_speaker_accuracy() -> None:
    gold = [gold_record()]
    pred = json.loads(json.dumps(gold))
    pred[0]["quotes"][0]["speaker"] = span(TEXT, "Officials")
    res = score(gold, pred, {"direct"}, False)
    assert res["speaker_acc"] == 0.0
    assert res["quote_and_speaker"]["f1"] == 0.0
    # ... unless the resolved entity shares a word with the gold mention
    pred[0]["quotes"][0]["entity"] = "she herself"
    assert score(gold, pred, {"direct"}, False)["speaker_acc"] == 1.0


def test_bad_json_line_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold_record()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_jsonl(path)
    assert err.value.line == 2
    assert err.value.path == str(path)


def test_missing_text_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"quotes": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="text"):
        read_jsonl(path)
    with pytest.raises(InputError):
        read_jsonl(tmp_path / "absent.jsonl")
    with pytest.raises(UsageError, match="unknown quote kinds: rumour"):
        score_files(path, path, {"rumour"}, False)


def test_format_report_lists_every_figure() -> None:
    gold = [gold_record()]
    report = format_report(score(gold, gold, {"direct", "indirect", "mixed"}, False))
    for word in ("exact", "partial", "quote + speaker", "speaker accuracy", "recall direct"):
        assert word in report


def _perturbed(gold: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Predictions with dropped, shifted, relabelled and invented quotes and speakers."""
    rng = random.Random(seed)
    out = []
    for g in gold:
        text = g["text"]
        quotes = []
        for q in g["quotes"]:
            if rng.random() < 0.25:
                continue
            s, e = q["quote"]["start"], q["quote"]["end"]
            shift = rng.randint(-15, 15)
            s, e = max(0, s + shift), min(len(text), max(s + shift + 1, e + rng.randint(-20, 5)))
            kind = q["kind"] if rng.random() < 0.8 else rng.choice(["direct", "indirect", "mixed"])
            spk = q.get("speaker") if rng.random() < 0.7 else None
            quotes.append({"kind": kind, "quote": {"start": s, "end": e}, "speaker": spk,
                           "entity": rng.choice([None, "Donald Trump", "Clinton"])})  # fmt: skip
        for _ in range(rng.randint(0, 3)):
            s = rng.randrange(max(1, len(text) - 50))
            quotes.append({"kind": "indirect", "quote": {"start": s, "end": s + 40}})
        out.append({"text": text, "quotes": quotes})
    return out


def test_agrees_with_reference_scorer_on_dev_data(tmp_path: Path, eval_dir: Path) -> None:
    ref = reference(eval_dir)
    gold = read_jsonl(eval_dir / "polnear_dev_quotes.jsonl")[:30]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    for seed in (1, 2):
        pred = _perturbed(gold, seed)
        pred_file = tmp_path / f"pred{seed}.jsonl"
        pred_file.write_text("".join(json.dumps(p) + "\n" for p in pred), encoding="utf-8")
        for kinds, speech in KIND_SETS:
            ours = score_files(gold_file, pred_file, kinds, speech)
            theirs = ref.score(
                [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines()],
                [json.loads(x) for x in pred_file.read_text(encoding="utf-8").splitlines()],
                kinds,
                speech,
            )
            assert ours == theirs, (seed, kinds, speech)


def test_agrees_with_reference_scorer_on_own_records(eval_dir: Path) -> None:
    ref = reference(eval_dir)
    gold = [gold_record()]
    pred = _perturbed(gold * 3, 7)
    for kinds, speech in KIND_SETS:
        assert score(gold * 3, pred, kinds, speech) == ref.score(gold * 3, pred, kinds, speech)
