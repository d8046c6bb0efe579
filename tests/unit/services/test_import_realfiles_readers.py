"""Real CoNLL, spaCy DocBin and brat files other projects published, imported and exported.

Expected figures come from the files read here independently (plain line splitting,
spaCy's own DocBin) or from the realfiles README, never from Newsmark's own output.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsmark.domain.reading import ReadOptions
from newsmark.services.exporting import export
from newsmark.services.importing import ImportReport, LabelOptions, import_paths
from newsmark.services.workspace import Workspace, open_workspace
from shared_data import realfile


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


# --- brat -------------------------------------------------------------------------------


def t_lines(ann: Path) -> dict[str, tuple[str, list[tuple[int, int]], str]]:
    """id -> (type, fragments as listed, text) of a .ann file's T lines."""
    out = {}
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, middle, covered = line.split("\t")
            head, *more = middle.split(";")
            words = head.split(" ")
            frags = [(int(words[-2]), int(words[-1]))]
            frags += [(int(p.split(" ")[0]), int(p.split(" ")[1])) for p in more]
            out[tid] = (" ".join(words[:-2]), frags, covered)
    return out


def stored_sets(ws: Workspace) -> dict[str, Any]:
    """source file name -> its annotation set (one per document here)."""
    out = {}
    for doc_id in ws.repo.document_ids():
        doc = ws.repo.get_document(doc_id)
        sets = ws.repo.sets_for_document(doc_id)
        out[Path(doc.meta["source"]).name] = (doc, sets[0] if sets else None)
    return out


def test_brat_t_lines_in_descending_order_with_accents(ws: Workspace) -> None:
    folder = realfile("brat/meddocan-es-t-only")
    ann = folder / "S0004-06142006000600012-1.ann"
    bounds = t_lines(ann)
    assert len(bounds) == 16
    report = run_import(ws, folder, add=tuple({kind for kind, _, _ in bounds.values()}))
    assert not report.refused
    assert report.spans == 16
    doc, aset = stored_sets(ws)[ann.with_suffix(".txt").name]
    want = sorted((f[0][0], f[0][1], kind) for kind, f, _ in bounds.values())
    assert sorted((s.start, s.end, s.label) for s in aset.spans) == want
    # Offsets are characters: each span covers the text its T line quotes.
    quoted = {(f[0][0], f[0][1]): covered for _, f, covered in bounds.values()}
    assert all(doc.text[s.start : s.end] == quoted[(s.start, s.end)] for s in aset.spans)


def test_brat_every_line_type_refused_then_counted(ws: Workspace) -> None:
    folder = realfile("brat/edsnlp-fr-all-line-types")
    strict = run_import(ws, folder)
    (err,) = strict.refused
    # The first line is an R line (it comes before the T lines it refers to).
    assert (Path(err.path).name, err.line) == ("doc-1.ann", 1)
    assert "--drop-unsupported" in err.reason
    # doc-2.txt and doc-3.txt have no .ann: plain text documents.
    assert sorted(stored_sets(ws)) == ["doc-2.txt", "doc-3.txt"]
    assert {s[0].text.strip() for s in stored_sets(ws).values()} == {
        "Small text",
        "Another small text",
    }
    labels = ("sosy", "localisation", "anatomie", "pathologie")
    report = run_import(ws, folder, add=labels, drop=True)
    assert not report.refused
    # 12 T: 8 entities; T3 and T10 lie inside T2 and T9, T4 is split by " \n", T12's type
    # has spaces. 2 R, 2 E, 9 A (5 assertion, 3 etat, 1 `bool flag 0`), 2 # on T lines.
    assert report.spans == 8
    assert report.tally.dropped == {
        "brat relation lieu": 2,
        "brat event MyArg1": 2,
        "brat attribute assertion": 5,
        "brat attribute etat": 3,
        "brat attribute bool flag 0": 1,
        "brat note": 2,
        "overlapping brat entity": 2,
        "discontinuous brat entity": 1,
        "brat entity with a multi-word type": 1,
    }
    bounds = t_lines(folder / "doc-1.ann")
    kept = {bounds[t][1][0] + (bounds[t][0],) for t in ("T1", "T2", "T5", "T6", "T7", "T8", "T9",
                                                         "T11")}  # fmt: skip
    _, aset = stored_sets(ws)["doc-1.txt"]
    assert {(s.start, s.end, s.label) for s in aset.spans} == kept
    assert "not imported: " in report.summary()


def test_polnear_attributions_become_quotes(ws: Workspace, tmp_path: Path) -> None:
    folder = realfile("brat/polnear-news-events-discontinuous")
    report = run_import(ws, folder)
    assert not report.refused and not report.tally.dropped
    assert (len(report.added), report.spans, report.quotes) == (2, 0, 3)
    got = stored_sets(ws)
    for ann in sorted(folder.glob("*.ann")):
        bounds = t_lines(ann)
        doc, aset = got[ann.with_suffix(".txt").name]
        want = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("E"):
                continue
            args = dict(arg.split(":")[::-1] for arg in line.split("\t")[1].split(" "))
            roles = {role: ref for ref, role in args.items()}
            content = sorted(bounds[roles["Content"]][1])
            # Fragments apart only by line breaks are one part (PolNeAR's paragraph breaks).
            parts = [content[0]]
            for s, e in content[1:]:
                if doc.text[parts[-1][1] : s].strip() == "":
                    parts[-1] = (parts[-1][0], e)
                else:
                    parts.append((s, e))
            source = bounds[roles["Source"]][1][0] if "Source" in roles else None
            want.append((tuple(parts), source, bounds[roles["Cue"]][1][0]))
        quotes = [(q.parts, q.speaker, q.cue) for q in aset.quotes]
        assert sorted(quotes, key=repr) == sorted(want, key=repr)
    huff = got["huff-post_2016-09-28_clinton-supporting-super-pacs-ta.txt"][1]
    (quote,) = huff.quotes
    assert quote.parts == ((53, 93), (106, 118)) and quote.speaker is None


def test_brat_events_notes_and_relations_of_dkpro(ws: Workspace) -> None:
    folder = realfile("brat/dkpro-discontinuous-newline")
    (first, second) = sorted(run_import(ws, folder).refused, key=lambda e: e.path)
    assert (Path(first.path).name, first.line) == ("document0c.ann", 5)  # E1 Token:T1
    assert (Path(second.path).name, second.line) == ("document1.ann", 4)
    assert ws.repo.document_ids() == []
    report = run_import(
        ws, folder, add=("Token", "Organization", "MERGE-ORG", "Country"), drop=True
    )
    assert not report.refused
    assert report.tally.dropped == {
        "brat event Token": 4,
        "brat event MERGE-ORG": 1,
        "brat relation Origin": 1,
        "brat note": 3,
        # `T4 Token 14 15 .`: no span of only punctuation is stored (nor exported).
        "span of only whitespace or punctuation": 1,
    }
    doc, aset = stored_sets(ws)["document0c.txt"]
    # `T2 Token 5 7;8 9` is split only by the line break: one span "is\na".
    assert [doc.text[s.start : s.end] for s in aset.spans] == ["This", "is\na", "test"]
    assert report.spans == 7
