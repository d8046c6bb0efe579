"""Every CLI command but `gui` runs with PySide6 imports blocked (DESIGN: layers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'qtawesome', 'qtpy', 'pyqtgraph'):
            raise ImportError('blocked for this test: ' + name)
        return None
sys.meta_path.insert(0, Block())
from newsmark.cli import main
code = main(sys.argv[1:])
assert not any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules), 'Qt leaked'
raise SystemExit(code)
"""


def newsmark(*argv: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSMARK_HOME": str(data_dir)}
    env.pop("NEWSMARK_MODEL", None)
    return subprocess.run(
        [sys.executable, "-c", BLOCKER, *argv], capture_output=True, text=True, env=env, timeout=600
    )


def test_every_command_but_gui_runs_without_qt(tmp_path: Path, seed_path: Path) -> None:
    data = tmp_path / "data"
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "text": "\u201cWe will win,\u201d Biden said.",
                "quotes": [
                    {
                        "kind": "direct",
                        "quote": {"start": 0, "end": 14},
                        "speaker": {"start": 15, "end": 20},
                        "cue": {"start": 21, "end": 25},
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    for argv in (
        ("import", str(seed_path)),
        ("preannotate", "--all"),
        ("export", "--status", "any", "-o", str(out)),
        ("predict", str(seed_path)),
        ("stats",),
        ("report", "--format", "json"),
        ("formats",),
        ("eval-quotes", str(gold)),
        ("eval-quotes", str(gold), str(out)),
        ("db", "info"),
        ("db", "check"),
        ("db", "upgrade"),
        ("db", "backup", str(tmp_path / "b.sqlite3")),
        ("merge", str(tmp_path / "b.sqlite3")),  # its own copy: every set identical, kept
        ("assign", "--annotators", "ana,ben", "--overlap", "1"),
        ("assignments", "--format", "json"),
        ("models",),
        ("users",),
        ("review", "--list"),
    ):
        result = newsmark(*argv, data_dir=data)
        assert result.returncode == 0, (argv, result.stderr)
    assert out.stat().st_size > 0

    # And `gui` says it needs Qt instead of crashing.
    result = newsmark("gui", data_dir=data)
    assert result.returncode == 1 and "PySide6" in result.stderr
