"""Real CoNLL, spaCy DocBin and brat files other projects published, imported and exported.

Expected figures come from the files read here independently (plain line splitting,
spaCy's own DocBin) or from the realfiles README, never from Newsmark's own output.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from newsmark.domain.reading import ReadOptions
from newsmark.services.exporting import export
from newsmark.services.importing import ImportReport, LabelOptions, import_paths
from newsmark.services.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[3]
REALFILES = Path(os.environ.get("NEWSMARK_REALFILES_DIR", ROOT.parent / "shared" / "realfiles"))


def realfile(name: str) -> Path:
    path = REALFILES / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (set NEWSMARK_REALFILES_DIR)")
        pytest.skip(f"real files not here: {path} (set NEWSMARK_REALFILES_DIR)")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def run_import(
    ws: Workspace,
    path: Path,
    *,
    add: tuple[str, ...] = (),
    drop: bool = False,
    groups: tuple[str, ...] | None = None,
) -> ImportReport:
    options = ReadOptions(drop_unsupported=drop, span_groups=groups)
    return import_paths(ws.repo, [path], labels=LabelOptions(extra=add), options=options)


# --- CoNLL ------------------------------------------------------------------------------

Sentence = list[tuple[str, str]]


def conll_sentences(text: str) -> list[Sentence]:
    """(token, tag) per sentence: first and last column, blank lines between sentences."""
    sentences: list[Sentence] = [[]]
    for line in text.splitlines():
        cols = line.split()
        if not cols or cols[0] == "-DOCSTART-":
            if sentences[-1]:
                sentences.append([])
            continue
        sentences[-1].append((cols[0], cols[-1]))
    return [s for s in sentences if s]


def entity_counts(sentences: list[Sentence]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for sentence in sentences:
        previous = "O"
        for _, tag in sentence:
            if tag.startswith("B-") or (tag.startswith("I-") and previous[2:] != tag[2:]):
                counts[tag[2:]] += 1
            previous = tag
    return counts


@pytest.mark.parametrize(
    ("name", "counts", "tokens"),
    [
        (
            "conll/simplon-fr-news-eval.iob",
            {"ORG": 254},
            ("l'alliance", "Au-delà", "18h26", "plate-forme", "d'ailleurs", "elle-même"),
        ),
        (
            "conll/product-tagger-mn-docstart.conll",
            {"PRODUCT_NAME": 46, "BRAND_NAME": 20, "SIZE": 16, "ADJ": 11, "MISC": 4},
            ("200гр", "1ш", "sls-33"),
        ),
    ],
)
def test_conll_export_gives_back_the_files_tokens_and_tags(
    ws: Workspace, tmp_path: Path, name: str, counts: dict[str, int], tokens: tuple[str, ...]
) -> None:
    path = realfile(name)
    original = conll_sentences(path.read_text(encoding="utf-8"))
    assert entity_counts(original) == counts  # the realfiles README's figures
    report = run_import(ws, path, add=tuple(counts))
    assert not report.refused
    assert report.spans == sum(counts.values())
    assert f"with {report.spans} span(s)" in report.summary()
    out = tmp_path / "out.conll"
    export(ws.repo, out, fmt="conll", status="any")
    back = conll_sentences(out.read_text(encoding="utf-8"))
    assert back == original
    words = {word for sentence in back for word, _ in sentence}
    assert set(tokens) <= words
