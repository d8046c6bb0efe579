"""Safety: no code execution on user data, no network from HTML import, contained export paths.

"Exports never overwrite without --force" is tested in
tests/unit/cli/test_cli_pipeline.py::test_import_preannotate_export_seed and, for brat
folders, in tests/unit/formats/test_tools_brat.py (test_existing_folder_needs_force_...).
"""

from __future__ import annotations

import ast
import re
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import newsmark
from newsmark.domain.errors import InputError
from newsmark.formats.brat import write_brat
from newsmark.services.importing import import_file
from newsmark.storage import Database, Repository

PACKAGE = Path(newsmark.__file__).resolve().parent
# Modules whose loaders run code from the bytes they read.
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib", "cloudpickle"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__"}
UNSAFE_YAML = {"unsafe_load", "full_load", "unsafe_load_all", "full_load_all", "load_all"}


def unsafe_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found += [f"import {n}" for n in names if n.split(".")[0] in UNSAFE_MODULES]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in UNSAFE_BUILTINS:
            found.append(f"{func.id}()")
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner, attr = func.value.id, func.attr
            if owner == "yaml" and attr in UNSAFE_YAML:
                found.append(f"yaml.{attr}()")
            if owner == "yaml" and attr == "load":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                if len(node.args) > 1:
                    loader = node.args[1]
                if not (loader is not None and "Safe" in ast.unparse(loader)):
                    found.append("yaml.load() without SafeLoader")
            if owner in UNSAFE_MODULES and attr.startswith("load"):
                found.append(f"{owner}.{attr}()")
    return found


def test_no_code_execution_on_data_anywhere_in_the_package() -> None:
    problems = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30, "the scan does not see the package"
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        problems += [f"{path.relative_to(PACKAGE)}:{p}" for p in unsafe_calls(tree)]
    assert problems == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import pickle\npickle.loads(b)", ["import pickle", "pickle.loads()"]),
        ("eval(s)", ["eval()"]),
        ("exec(s)", ["exec()"]),
        ("yaml.load(s)", ["yaml.load() without SafeLoader"]),
        ("yaml.load(s, Loader=yaml.SafeLoader)", []),
        ("yaml.safe_load(s)", []),
        ("from marshal import loads", ["import marshal"]),
        ("dialog.exec()", []),  # Qt's exec is a method, not the builtin
    ],
)
def test_the_scan_catches_what_it_should(code: str, expected: list[str]) -> None:
    assert unsafe_calls(ast.parse(code)) == expected


HOSTILE_HTML = """<!doctype html>
<html><head>
<title>Talks continue</title>
<link rel="stylesheet" href="http://attacker.invalid/style.css">
<script src="http://attacker.invalid/a.js"></script>
<script>document.write("INJECTED"); fetch("http://attacker.invalid/x")</script>
<meta http-equiv="refresh" content="0; url=http://attacker.invalid/">
</head><body><article>
<h1>Talks continue</h1>
<p>Olena Petrenko met Jonas Weber in Kyiv on Monday to discuss the harvest and prices.</p>
<img src="http://attacker.invalid/pixel.gif" onerror="alert('XSS')">
<iframe src="http://attacker.invalid/frame"></iframe>
<p>"We expect talks to continue," Petrenko told reporters after the meeting ended.</p>
<object data="http://attacker.invalid/o.swf"></object>
</article></body></html>
"""


def test_html_import_fetches_nothing_and_runs_no_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args)[:200])
        raise OSError("network access during an import")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_HTML, encoding="utf-8")
    with Database.open(tmp_path / "db.sqlite3") as db:
        repo = Repository(db)
        [doc_id] = import_file(repo, page, fmt=None, annotator="import").added
        text = repo.get_document(doc_id).text
    assert attempts == [], "the HTML import tried to reach the network"
    assert "Olena Petrenko met Jonas Weber" in text
    for trace in ("INJECTED", "fetch(", "alert(", "attacker.invalid", "<script"):
        assert trace not in text


HOSTILE_TITLES = [
    "../../etc/passwd",
    "..",
    "/absolute/path",
    "a/b\\c:*?<>|\"'",
    "C:\\Windows\\system32",
    "nul\x00byte",
    "CON",
    "ünïcødé/../..",
    "x" * 5000,
    "",
    "\u202eexe.txt",
]


def test_brat_file_names_from_titles_stay_inside_the_folder(tmp_path: Path) -> None:
    text = "Olena Petrenko met Jonas Weber in Kyiv."
    records = [
        {
            "text": text,
            "meta": {"title": title, "doc_id": f"../{n}", "source": f"/etc/{n}"},
            "spans": [{"start": 0, "end": 14, "label": "PERSON"}],
            "quotes": [],
        }
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    out = tmp_path / "out" / "brat"
    out.parent.mkdir()
    written = write_brat(records, out)
    assert written == len(HOSTILE_TITLES)
    everything = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    inside = {p.relative_to(out) for p in out.iterdir()}
    assert all(p.parts[:2] == ("out", "brat") or p == Path("out") for p in everything), everything
    assert all(len(p.parts) == 1 for p in inside)
    portable = re.compile(
        r"^\d{6}(-[a-z0-9]+(-[a-z0-9]+)*)?\.(txt|ann)$|^annotation\.conf$|^\.newsmark-export$"
    )
    assert all(portable.match(p.name) for p in inside), sorted(inside)
    # no two documents share a name (+ annotation.conf and the export marker)
    assert len(inside) == 2 * len(HOSTILE_TITLES) + 2


def test_brat_reader_refuses_a_missing_text_without_looking_elsewhere(tmp_path: Path) -> None:
    ann = tmp_path / "doc.ann"
    ann.write_text("T1\tPERSON 0 5\t../..\n", encoding="utf-8")
    with Database.open(tmp_path / "db.sqlite3") as db, pytest.raises(InputError, match="no text"):
        import_file(Repository(db), ann, fmt="brat", annotator="import")
