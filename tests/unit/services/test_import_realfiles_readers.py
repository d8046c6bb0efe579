"""Real CoNLL, spaCy DocBin and brat files other projects published, imported and exported.

Expected figures come from the files read here independently (plain line splitting,
spaCy's own DocBin) or from the realfiles README, never from Newsmark's own output.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from pathlib import Path
from typing import Any

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


# --- spaCy DocBin -----------------------------------------------------------------------


def docbin_docs(path: Path) -> list[Any]:
    """The file's Docs as spaCy itself reads them."""
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin(store_user_data=True).from_disk(path).get_docs(spacy.blank("xx").vocab))


def spacy_tokens(doc: Any) -> tuple[tuple[int, int, bool], ...]:
    return tuple((t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc)


def stored(ws: Workspace) -> dict[str, tuple[Any, list[tuple[int, int, str]]]]:
    """text -> (stored tokens, stored spans) of every document in the workspace."""
    out = {}
    for doc_id in ws.repo.document_ids():
        doc = ws.repo.get_document(doc_id)
        spans = [
            (s.start, s.end, s.label)
            for aset in ws.repo.sets_for_document(doc_id)
            for s in aset.spans
        ]
        out[doc.text] = (tuple(tuple(t) for t in doc.tokens), sorted(spans))
    return out


def group_spans(doc: Any, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    spans = [
        (s.start_char, s.end_char, s.label_)
        for name in names
        for s in (doc.ents if name == "ents" else doc.spans.get(name, ()))
    ]
    return sorted(set(spans))


def overlapping(spans: list[tuple[int, int, str]]) -> bool:
    return any(a[1] > b[0] for a, b in itertools.pairwise(spans))


def test_docbin_ents_and_tokens_are_stored(ws: Workspace) -> None:
    path = realfile("spacy/ecfr-dev-ents.spacy")
    docs = docbin_docs(path)
    labels = Counter(e.label_ for d in docs for e in d.ents)
    assert labels == {"CITE": 39, "SECTION": 30, "PARAGRAPH": 17, "LAW": 15, "TITLE": 6,
                      "SUBTITLE": 2}  # fmt: skip
    assert sum(len(d.spans.get("incorrect_spans", ())) for d in docs) == 0
    report = run_import(ws, path, add=tuple(labels))
    assert not report.refused
    assert report.spans == 109 and "with 109 span(s)" in report.summary()
    assert not report.tally.dropped
    got = stored(ws)
    for doc in docs:
        tokens, spans = got[doc.text]
        assert tokens == spacy_tokens(doc)
        assert spans == group_spans(doc, ("ents",))


def test_docbin_overlapping_span_group_is_refused_then_dropped(ws: Workspace) -> None:
    path = realfile("spacy/geoedda-fr-test-spancat.spacy")
    docs = docbin_docs(path)
    assert sum(len(d.ents) for d in docs) == 0
    assert sum(len(d.spans["sc"]) for d in docs) == 2250
    (err,) = run_import(ws, path).refused
    assert err.path == str(path)
    assert "doc.spans['sc'] has 2250 spans and " in err.reason
    assert "--span-group NAME (this file has: ents, sc)" in err.reason
    assert "--drop-unsupported" in err.reason
    assert ws.repo.document_ids() == []
    labels = tuple({s.label_ for d in docs for s in d.spans["sc"]})
    report = run_import(ws, path, add=labels, drop=True)
    assert not report.refused
    dropped = report.tally.dropped["overlapping span (group sc)"]
    unique = sum(len(group_spans(d, ("sc",))) for d in docs)
    assert report.spans + dropped + report.tally.collapsed["identical duplicate span"] == 2250
    assert report.spans + dropped == unique
    assert f"not imported: {dropped} overlapping span (group sc)" in report.summary()
    got = stored(ws)
    for doc in docs:
        tokens, spans = got[doc.text]
        assert tokens == spacy_tokens(doc)
        wanted = group_spans(doc, ("sc",))
        assert set(spans) <= set(wanted) and not overlapping(spans)
        # Only what had to go went: every span left out overlaps one that was kept.
        for s, e, _ in set(wanted) - set(spans):
            assert any(s < ke and ks < e for ks, ke, _ in spans)


def test_docbin_groups_negative_spans_and_choice(ws: Workspace, tmp_path: Path) -> None:
    path = realfile("spacy/preprint-affiliation-ner-dev.spacy")
    docs = docbin_docs(path)
    counts = {n: sum(len(group_spans(d, (n,))) for d in docs) for n in ("ents", "sc")}
    assert counts == {"ents": 100, "sc": 174}
    assert sum(len(d.spans.get("incorrect_spans", ())) for d in docs) == 6
    labels = tuple({s[2] for d in docs for s in group_spans(d, ("ents", "sc"))})
    # incorrect_spans are spaCy's negative examples: refused by default, named in the error.
    (err,) = run_import(ws, path, add=labels).refused
    assert "doc.spans['incorrect_spans'] has 6 spans marked as not entities" in err.reason
    assert ws.repo.document_ids() == []
    report = run_import(ws, path, add=labels, groups=("ents", "sc"))
    assert not report.refused
    assert not any(overlapping(group_spans(d, ("ents", "sc"))) for d in docs)
    assert report.spans == 274
    assert report.tally.dropped == {"span of group incorrect_spans (not chosen)": 6}
    got = stored(ws)
    for doc in docs:
        tokens, spans = got[doc.text]
        assert tokens == spacy_tokens(doc)
        assert spans == group_spans(doc, ("ents", "sc"))
