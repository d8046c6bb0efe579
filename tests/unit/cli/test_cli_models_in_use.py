"""`newsmark models` and `models delete` know the model in use from --model and
$NEWSMARK_MODEL, not only from the settings (real SQLite; the registered model's folder
is a plain directory: deleting reads no pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run

from newsmark.services.workspace import open_workspace


@pytest.fixture
def registered(data_dir: Path) -> Path:
    ws = open_workspace()
    try:
        folder = ws.data_dir / "models" / "inuse"
        folder.mkdir(parents=True)
        (folder / "meta.json").write_text("{}")
        ws.repo.register_model("inuse", str(folder), "en_core_web_sm", "1.0.0+test", {})
    finally:
        ws.close()
    return folder


def test_the_model_given_by_model_is_not_deleted(
    registered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--model", "inuse", "models")
    assert code == 0 and "* inuse" in out
    code, _, err = run(capsys, "--model", "inuse", "models", "delete", "inuse")
    assert code == 2 and "'inuse' is in use" in err and "--model" in err
    assert registered.is_dir()
    code, _, err = run(capsys, "models", "delete", "--model", str(registered), "inuse")
    assert code == 2 and "in use" in err  # its directory names it too
    assert registered.is_dir()


def test_the_model_from_the_environment_is_not_deleted(
    registered: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSMARK_MODEL", "inuse")
    code, out, _ = run(capsys, "models")
    assert "* inuse" in out
    code, _, err = run(capsys, "models", "delete", "inuse")
    assert code == 2 and "in use" in err and "NEWSMARK_MODEL" in err
    assert registered.is_dir()
    monkeypatch.delenv("NEWSMARK_MODEL")
    code, out, _ = run(capsys, "models", "delete", "inuse")
    assert code == 0 and "deleted model inuse" in out and not registered.exists()
