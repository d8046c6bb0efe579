"""Registered models survive a moved data dir (the registry stores models/-relative
paths); a missing folder is flagged and refused without a `pip install` hint (real
SQLite, a tiny real training)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_support import run

from gold_support import add_gold
from newsmark import paths
from newsmark.services.workspace import open_workspace

TINY = ("--max-steps", "4", "--eval-frequency", "2")


def _rows(data: Path) -> dict[str, str]:
    with sqlite3.connect(paths.database_path(data)) as db:
        return dict(db.execute("SELECT name, path FROM trained_models").fetchall())


def test_models_follow_a_moved_data_dir(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
    finally:
        ws.close()
    for name in ("keep", "gone"):
        code, out, err = run(capsys, "train", "--ner", "--name", name, *TINY)
        assert code == 0, err
    assert _rows(data_dir) == {"keep": "keep", "gone": "gone"}  # relative to models/

    moved = tmp_path / "restored"
    shutil.move(data_dir, moved)
    where = ("--data-dir", str(moved))
    shutil.rmtree(moved / "models" / "gone")  # a folder lost on the way

    code, out, _ = run(capsys, *where, "models")
    assert code == 0
    [keep] = [line for line in out.splitlines() if " keep " in line]
    [gone] = [line for line in out.splitlines() if " gone " in line]
    assert "MISSING" not in keep
    assert f"MISSING: no folder at {moved / 'models' / 'gone'}" in gone

    article = tmp_path / "a.txt"
    article.write_text("Mara Velka met Ilsa Brenner in Riga.\n", encoding="utf-8")
    code, out, err = run(capsys, *where, "predict", "--model", "keep", str(article))
    assert code == 0, err
    assert "keep==1.0.0+" in out

    code, _, err = run(capsys, *where, "preannotate", "1", "--model", "gone")
    assert code != 0
    assert "trained model 'gone': its folder" in err and "is missing" in err
    assert "pip install" not in err

    code, out, err = run(capsys, *where, "models", "delete", "keep")
    assert code == 0, err
    assert not (moved / "models" / "keep").exists()  # the folder in the new place goes


def test_a_row_with_an_absolute_path_is_found_after_a_move(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
    finally:
        ws.close()
    assert run(capsys, "train", "--ner", "--name", "old", *TINY)[0] == 0
    # As rows were written before relative paths: the absolute folder of that time.
    with sqlite3.connect(paths.database_path(data_dir)) as db:
        db.execute("UPDATE trained_models SET path = ?", (str(data_dir / "models" / "old"),))
    moved = tmp_path / "elsewhere"
    shutil.move(data_dir, moved)
    ws = open_workspace(moved, readonly=True)
    try:
        [model] = ws.repo.trained_models()
    finally:
        ws.close()
    assert model.path == str(moved / "models" / "old")
