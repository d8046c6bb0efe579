"""A real Label Studio server takes Newsmark's export and gives it back (slow, local only).

Starts `label-studio start` from a scratch venv (NEWSMARK_LABELSTUDIO_VENV, default
/tmp/ls-venv: `python3 -m venv /tmp/ls-venv && /tmp/ls-venv/bin/pip install
label-studio==1.23.2`) on a free loopback port with a temporary data dir, imports the
tasks `newsmark export --format labelstudio` writes, exports them through its API as
JSON, JSON_MIN and CONLL2003 and checks every region and tag against offsets counted
here with Python's `str` (code points). The same tasks in UTF-16 units go through too,
to show that Label Studio does not read that unit. With Debian's chromium and
chromium-driver and `pip install selenium` in that venv, Label Studio's editor is driven
too (labelstudio_editor.py): what it highlights, and the offsets of regions selected in
it. Skipped under CI (CI has no Label Studio) and when the venv is missing. Run:
`pytest tests/external -m slow -s`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsmark.domain.reading import ReadOptions
from newsmark.formats.labelstudio import label_config, read_labelstudio
from newsmark.services.exporting import export
from newsmark.services.importing import import_paths
from newsmark.services.workspace import open_workspace

VENV = Path(os.environ.get("NEWSMARK_LABELSTUDIO_VENV", "/tmp/ls-venv"))
LABEL_STUDIO = VENV / "bin" / "label-studio"
TOKEN = "5e1f0c0ffee0123456789abcdef0123456789abc"
EMAIL, PASSWORD = "newsmark@example.com", "newsmark-test"
EDITOR = Path(__file__).with_name("labelstudio_editor.py")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("CI") == "true", reason="CI has no Label Studio"),
    pytest.mark.skipif(not LABEL_STUDIO.exists(), reason=f"no Label Studio at {LABEL_STUDIO}"),
]


def _at(text: str, sub: str, n: int = 0) -> tuple[int, int]:
    """Code point offsets of the n-th `sub` in `text`."""
    i = -1
    for _ in range(n + 1):
        i = text.index(sub, i + 1)
    return i, i + len(sub)


def _article(text: str, spans: list[tuple[str, str, int]], quotes: list[dict[str, Any]]) -> dict:
    return {
        "text": text,
        "spans": [
            {"start": s, "end": e, "label": label}
            for sub, label, n in spans
            for s, e in [_at(text, sub, n)]
        ],
        "quotes": quotes,
        "status": "accepted",
    }


def _quote(text: str, part: str, speaker: str | None, cue: str, cue_n: int = 0) -> dict:
    s, e = _at(text, part)
    quote: dict[str, Any] = {"parts": [{"start": s, "end": e}], "kind": "direct"}
    if speaker is not None:
        ss, se = _at(text, speaker)
        quote["speaker"] = {"start": ss, "end": se}
    cs, ce = _at(text, cue, cue_n)
    quote["cue"] = {"start": cs, "end": ce}
    return quote


# A ZWJ family (5 code points, 8 UTF-16 units), flags (2 regional indicators each), a
# skin tone, accents as combining marks (U+0301), CJK; no region overlaps another, so
# Label Studio's CoNLL converter can tag each.
T1 = "👩\u200d👩\u200d👧 Reuters: the minister said. “We stay,” she said."
T2 = "🇺🇦 Kyiv: Zelensky said “We will win.” 🇺🇦🇺🇦 Then Kuleba spoke."
T3 = "Jose\u0301 Garci\u0301a of Me\u0301xico said: “Si\u0301.”"
T4 = "東京 岸田文雄 首相は “頑張ります” と 述べた 。"
T5 = "👍🏽👍🏽👍🏽 Acme Corp rose 🚀 in Berlin."
ARTICLES = [
    _article(
        T1,
        [("Reuters", "ORG", 0), ("the minister", "PERSON", 0)],
        [_quote(T1, "“We stay,”", "she", "said", 1)],
    ),
    _article(
        T2,
        [("Kyiv", "GPE", 0), ("Zelensky", "PERSON", 0), ("Kuleba", "PERSON", 0)],
        [_quote(T2, "“We will win.”", "Zelensky", "said")],
    ),
    _article(
        T3,
        [("Jose\u0301 Garci\u0301a", "PERSON", 0), ("Me\u0301xico", "GPE", 0)],
        [_quote(T3, "“Si\u0301.”", "Jose\u0301 Garci\u0301a", "said")],
    ),
    _article(
        T4,
        [("東京", "GPE", 0), ("岸田文雄", "PERSON", 0)],
        [_quote(T4, "“頑張ります”", "岸田文雄", "述べた")],
    ),
    _article(T5, [("Acme Corp", "ORG", 0), ("Berlin", "GPE", 0)], []),
]
LABELS = ["PERSON", "ORG", "GPE"]


def _regions(article: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, label) of every region Newsmark's export writes for an article."""
    out = [(s["start"], s["end"], s["label"]) for s in article["spans"]]
    entities = {(s, e) for s, e, _ in out}
    for q in article["quotes"]:
        out += [(p["start"], p["end"], "QUOTE") for p in q["parts"]]
        speaker = q.get("speaker")
        if speaker and (speaker["start"], speaker["end"]) not in entities:
            out.append((speaker["start"], speaker["end"], "SPEAKER"))
        out.append((q["cue"]["start"], q["cue"]["end"], "CUE"))
    return sorted(out)


class LabelStudio:
    """The few API calls used here, with the test user's token."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body: object = None) -> bytes:
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return bytes(response.read())

    def project(self, title: str, config: str, tasks: list[dict[str, Any]]) -> int:
        project = json.loads(
            self.call("POST", "/api/projects", {"title": title, "label_config": config})
        )
        imported = json.loads(self.call("POST", f"/api/projects/{project['id']}/import", tasks))
        assert imported["task_count"] == len(tasks), imported
        return int(project["id"])

    def export(self, project: int, kind: str) -> str:
        path = f"/api/projects/{project}/export?exportType={kind}&download_all_tasks=true"
        return self.call("GET", path).decode("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudio]:
    data = tmp_path_factory.mktemp("label-studio-data")
    port = _free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LATEST_VERSION_CHECK": "false",  # it asks PyPI for a newer release otherwise
        "COLLECT_ANALYTICS": "false",
    }
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [str(LABEL_STUDIO), "start", "--no-browser", "--internal-host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data), "--username", EMAIL,
         "--password", PASSWORD, "--user-token", TOKEN, "--enable-legacy-api-token"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # first start runs the migrations: minutes
        while True:
            if process.poll() is not None:
                pytest.fail(f"label-studio exited {process.returncode}; see {data}/server.log")
            try:
                urllib.request.urlopen(base + "/health", timeout=5).close()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"label-studio did not answer in 600 s; see {data}/server.log")
                time.sleep(2)
        yield LabelStudio(base)
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and children
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
        log.close()


@pytest.fixture(scope="module")
def newsmark_tasks(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The articles imported into Newsmark and exported with `--format labelstudio`."""
    folder = tmp_path_factory.mktemp("newsmark")
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    ws = open_workspace(folder / "data")
    try:
        report = import_paths(ws.repo, [source])
        assert not report.refused, report.refused
        out = folder / "tasks.json"
        export(ws.repo, out, fmt="labelstudio", status="any")
    finally:
        ws.close()
    tasks: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["text"] for t in tasks] == [a["text"] for a in ARTICLES]
    return tasks


def _conll(text: str) -> list[list[tuple[str, str]]]:
    """Label Studio's CONLL2003 export: (token, tag) per document."""
    docs: list[list[tuple[str, str]]] = [[]]
    for line in text.splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            docs.append([])
            continue
        token, _, _, tag = line.rsplit(" ", 3)
        docs[-1].append((token, tag))
    return [d for d in docs if d]


def _expected_tags(text: str, tokens: list[str], regions: list[tuple[int, int, str]]) -> list[str]:
    """Each token found in `text` in order; B-/I- of the region it overlaps, else O."""
    tags, at, seen = [], 0, set()
    for token in tokens:
        start = text.index(token, at)
        at = start + len(token)
        hit = [r for r in regions if r[0] < at and start < r[1]]
        assert len(hit) <= 1, (token, hit)
        if not hit:
            tags.append("O")
            continue
        tags.append(("I-" if hit[0] in seen else "B-") + hit[0][2])
        seen.add(hit[0])
    return tags


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def project(label_studio: LabelStudio, newsmark_tasks: list[dict[str, Any]]) -> int:
    """A project holding Newsmark's exported tasks, as they are."""
    return label_studio.project("newsmark", label_config(LABELS), newsmark_tasks)


def test_label_studio_keeps_every_region_in_code_points(
    label_studio: LabelStudio, project: int, tmp_path: Path
) -> None:

    # JSON: every region's text is at its offsets in Python's str, as Newsmark had it.
    exported = json.loads(label_studio.export(project, "JSON"))
    exported.sort(key=lambda t: [a["text"] for a in ARTICLES].index(t["data"]["text"]))
    checked = 0
    for task, article in zip(exported, ARTICLES, strict=True):
        text = task["data"]["text"]
        (annotation,) = task["annotations"]
        got = []
        for result in annotation["result"]:
            if result["type"] == "labels":
                value = result["value"]
                assert text[value["start"] : value["end"]] == value["text"]
                got.append((value["start"], value["end"], value["labels"][0]))
                checked += 1
        assert sorted(got) == _regions(article)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    for doc, article in zip(read_labelstudio(path), ARTICLES, strict=True):
        assert sorted((s.start, s.end, s.label) for s in doc.spans) == sorted(
            (s["start"], s["end"], s["label"]) for s in article["spans"]
        )
        assert [q.parts for q in doc.quotes] == [
            tuple((p["start"], p["end"]) for p in q["parts"]) for q in article["quotes"]
        ]
        assert [q.speaker for q in doc.quotes] == [
            (q["speaker"]["start"], q["speaker"]["end"]) for q in article["quotes"]
        ]

    # JSON-MIN: the same regions, no relations.
    path = tmp_path / "export-min.json"
    path.write_text(label_studio.export(project, "JSON_MIN"), encoding="utf-8")
    options = ReadOptions(drop_unsupported=True)
    docs = sorted(read_labelstudio(path, options), key=lambda d: d.text)
    for doc, article in zip(docs, sorted(ARTICLES, key=lambda a: a["text"]), strict=True):
        assert sorted((s.start, s.end, s.label) for s in doc.spans) == sorted(
            (s["start"], s["end"], s["label"]) for s in article["spans"]
        )
        assert len(doc.quotes) == len(article["quotes"])

    # CONLL2003 (label-studio-sdk's converter): the words after the emoji are tagged.
    conll = _conll(label_studio.export(project, "CONLL2003"))
    tokens = 0
    for doc, article in zip(conll, ARTICLES, strict=True):
        words = [w for w, _ in doc]
        assert [t for _, t in doc] == _expected_tags(article["text"], words, _regions(article))
        tokens += len(words)
    print(f"\nLabel Studio 1.23: {checked} regions in code points, {tokens} CoNLL tags right")


def test_label_studio_reads_utf16_offsets_wrongly(
    label_studio: LabelStudio, newsmark_tasks: list[dict[str, Any]]
) -> None:
    """What Newsmark used to write: the same regions in UTF-16 units come back off."""
    tasks = json.loads(json.dumps(newsmark_tasks))
    for task in tasks:
        text = task["data"]["text"]
        for result in task["annotations"][0]["result"]:
            if result["type"] == "labels":
                value = result["value"]
                value["start"], value["end"] = (
                    _utf16(text, value["start"]),
                    _utf16(text, value["end"]),
                )
    project = label_studio.project("utf16", label_config(LABELS), tasks)
    conll = _conll(label_studio.export(project, "CONLL2003"))
    wrong = 0
    for doc, article in zip(conll, ARTICLES, strict=True):
        words = [w for w, _ in doc]
        expected = _expected_tags(article["text"], words, _regions(article))
        wrong += sum(1 for (_, tag), want in zip(doc, expected, strict=True) if tag != want)
        if article["text"] in (T3, T4):  # nothing outside the BMP: both units agree
            assert [t for _, t in doc] == expected
    first = dict(conll[0])
    # 👩‍👩‍👧 is 3 UTF-16 units longer than it is code points: every region moves right
    # ("Reuters" 6..13 becomes "ters: t", which spills onto "the").
    assert first["the"] != "B-PERSON" and wrong > 0
    print(f"\nUTF-16 offsets: {wrong} CoNLL tags wrong; after 👩‍👩‍👧: {conll[0][:8]}")


# Made in the editor: a person's selections after a ZWJ family, flags, combining accents.
BARE = "👩\u200d👩\u200d👧 Reuters: the minister said. 🇺🇦🇺🇦 Kyiv agreed, Jose\u0301 said. 東京."
PICKS = [
    ("ORG", "Reuters"), ("PERSON", "the minister"), ("GPE", "Kyiv"), ("PERSON", "Jose\u0301"),
    ("GPE", "東京"),
]  # fmt: skip


def _browser() -> str | None:
    """Why the editor cannot be driven here, or None when it can."""
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not Path(tool).exists():
            return f"{tool} is missing (apt-get install chromium chromium-driver)"
    python = VENV / "bin" / "python"
    if subprocess.run([str(python), "-c", "import selenium"], check=False).returncode:
        return f"selenium is not installed in {VENV}"
    return None


def test_label_studio_editor_shows_and_makes_code_points(
    label_studio: LabelStudio, project: int
) -> None:
    """Label Studio's own editor (headless Chromium): it highlights Newsmark's regions on
    the right words, and the regions a person selects are stored in code points."""
    missing = _browser()
    if missing:
        pytest.skip(missing)
    label_studio.call("POST", f"/api/projects/{project}/import", [{"data": {"text": BARE}}])
    listing = json.loads(label_studio.call("GET", f"/api/tasks?project={project}&page_size=50"))
    ids = {t["data"]["text"]: t["id"] for t in listing["tasks"]}
    shown = [ids[a["text"]] for a in ARTICLES]
    run = subprocess.run(
        [str(VENV / "bin" / "python"), str(EDITOR), label_studio.base, str(project), EMAIL,
         PASSWORD, ",".join(map(str, shown)), str(ids[BARE]), json.dumps(PICKS)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    highlights = json.loads(run.stdout.strip().splitlines()[-1])["highlights"]
    for article, task_id in zip(ARTICLES, shown, strict=True):
        text = article["text"]
        want = sorted(text[s:e] for s, e, _ in _regions(article))
        assert sorted(highlights[str(task_id)]) == want
    made: list[tuple[int, int, str]] = []
    deadline = time.monotonic() + 60
    while not made and time.monotonic() < deadline:
        annotations = json.loads(label_studio.call("GET", f"/api/tasks/{ids[BARE]}/annotations"))
        made = sorted(
            (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
            for a in annotations
            for r in a["result"]
        )
        time.sleep(1)
    assert made == sorted((*_at(BARE, needle), label) for label, needle in PICKS)
    utf16 = [(_utf16(BARE, s), _utf16(BARE, e)) for s, e, _ in made]
    print(f"\neditor: highlights right in {len(shown)} tasks; made {made}; UTF-16 would be {utf16}")
