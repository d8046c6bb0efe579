"""`newsmark import --status accepted`: a file of annotations imported as gold, which
`newsmark train` then takes (and what the option leaves alone)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gold_support import GOLD
from newsmark.cli import main
from newsmark.services.workspace import open_workspace


def jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def gold_records() -> list[dict[str, object]]:
    out = []
    for text, marks in GOLD:
        spans = []
        for mention, label in marks:
            start = text.index(mention)
            spans.append({"start": start, "end": start + len(mention), "label": label})
        out.append({"text": text, "spans": spans})
    return out


def test_imported_as_accepted_the_file_is_gold_that_train_takes(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = jsonl(tmp_path / "gold.jsonl", gold_records())
    # Without the option a file without statuses is model-like output: nothing to train on.
    assert main(["import", "--add-labels", "PARTY", str(path)]) == 0
    ws = open_workspace(readonly=True)
    try:
        assert {d.status.value for d in ws.repo.list_documents() if d.status} == {"preannotated"}
    finally:
        ws.close()
    assert main(["train", "--ner", "--max-steps", "4", "--eval-frequency", "2"]) == 2
    assert "no gold" in capsys.readouterr().err

    again = jsonl(tmp_path / "gold-again.jsonl", gold_records())
    code = main(["import", "--status", "accepted", "--annotator", "desk", "--add-labels",
                 "PARTY", str(again)])  # fmt: skip
    assert code == 0
    ws = open_workspace(readonly=True)
    try:
        sets = [
            ws.repo.annotation_set(d.id, "desk", create=False) for d in ws.repo.list_documents()
        ]
    finally:
        ws.close()
    assert [s.status.value for s in sets if s is not None] == ["accepted"] * len(GOLD)
    capsys.readouterr()
    code = main(["train", "--ner", "--name", "from-file", "--max-steps", "4",
                 "--eval-frequency", "2"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "trained from-file" in out


def test_the_status_applies_only_to_sets_the_file_brings(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain.txt").write_text("A plain article with no annotations at all.\n")
    rejected = {"text": "Mara Velka spoke.", "answer": "reject", "spans": []}
    jsonl(tmp_path / "decided.jsonl", [rejected])
    assert main(["import", "--status", "accepted", str(tmp_path)]) == 0
    ws = open_workspace(readonly=True)
    try:
        rows = {d.title: (d.status.value if d.status else None) for d in ws.repo.list_documents()}
    finally:
        ws.close()
    # The plain text gets no set (no annotations to vouch for); the decided record is
    # stored with the status asked for, not its own.
    assert sorted(rows.values(), key=str) == [None, "accepted"]


def test_new_is_not_a_status_to_import_with(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = jsonl(tmp_path / "gold.jsonl", gold_records()[:1])
    with pytest.raises(SystemExit) as exited:
        main(["import", "--status", "new", str(path)])
    assert exited.value.code == 2
    assert "invalid choice: 'new'" in capsys.readouterr().err
