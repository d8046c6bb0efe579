"""Imports of files other projects published (../shared/realfiles): what they hold is stored.

Expected counts come from the files themselves (read here with `json`) or from the
realfiles README, never from Newsmark's own output.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsmark.domain.reading import ReadOptions
from newsmark.services.exporting import export
from newsmark.services.importing import ImportReport, LabelOptions, import_paths
from newsmark.services.workspace import Workspace, open_workspace
from shared_data import realfile


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def run_import(
    ws: Workspace, path: Path, *, add: tuple[str, ...] = (), drop: bool = False
) -> ImportReport:
    return import_paths(
        ws.repo, [path], labels=LabelOptions(extra=add), options=ReadOptions(drop_unsupported=drop)
    )


def statuses(ws: Workspace) -> Counter[str]:
    return Counter(
        aset.status.value
        for doc_id in ws.repo.document_ids()
        for aset in ws.repo.sets_for_document(doc_id)
    )


def exported(ws: Workspace, tmp_path: Path, fmt: str, status: str = "any") -> list[dict[str, Any]]:
    out = tmp_path / f"out.{fmt}.jsonl"
    export(ws.repo, out, fmt=fmt, status=status)
    return lines(out)


def test_prodigy_accepted_tasks_without_spans_are_gold(ws: Workspace, tmp_path: Path) -> None:
    path = realfile("prodigy-accept-empty-reject-ignore/prodigy-hf-fashion-train.jsonl")
    tasks = lines(path)
    report = run_import(ws, path, add=("FASHION_BRAND",))
    assert not report.refused
    assert (len(report.added), report.new_sets, report.spans) == (10, 10, 2)
    assert statuses(ws) == {"accepted": 10}
    records = exported(ws, tmp_path, "prodigy", status="accepted")
    # Every task comes back, the 8 with "spans": [] included, with its text and answer.
    assert sorted(r["text"] for r in records) == sorted(t["text"] for t in tasks)
    assert sum(1 for r in records if not r["spans"]) == 8
    assert {r["answer"] for r in records} == {"accept"}


def test_prodigy_tokens_and_spans_come_back_unchanged(ws: Workspace, tmp_path: Path) -> None:
    path = realfile("prodigy-accept-empty-reject-ignore/address-eval-ignore.jsonl")
    tasks = lines(path)
    labels = {s["label"] for t in tasks for s in t.get("spans") or ()}
    report = run_import(ws, path, add=tuple(sorted(labels)))
    assert not report.refused
    assert report.spans == 591
    # 141 accepted, 9 ignored (8 of them with no "spans" key at all).
    assert statuses(ws) == {"accepted": 141, "skipped": 9}
    by_text = {r["text"]: r for r in exported(ws, tmp_path, "prodigy")}
    assert len(by_text) == len(tasks)

    def token_key(token: dict[str, Any]) -> tuple[Any, ...]:
        return token["text"], token["start"], token["end"], token["ws"]

    def span_key(span: dict[str, Any]) -> tuple[Any, ...]:
        return span["start"], span["end"], span["token_start"], span["token_end"], span["label"]

    for task in tasks:
        record = by_text[task["text"]]
        assert [token_key(t) for t in record["tokens"]] == [token_key(t) for t in task["tokens"]]
        assert sorted(map(span_key, record["spans"])) == sorted(
            map(span_key, task.get("spans") or [])
        )
        assert record["answer"] == task["answer"]


def test_textcat_labels_are_refused_or_dropped_with_their_answers(ws: Workspace) -> None:
    path = realfile("prodigy-accept-empty-reject-ignore/erwt-newspaper-textcat-accept-reject.jsonl")
    tasks = lines(path)
    strict = run_import(ws, path)
    (err,) = strict.refused
    assert err.line == 1
    assert 'document label label="POLITICAL"' in err.reason
    assert "--drop-unsupported" in err.reason
    assert ws.repo.document_ids() == []
    report = run_import(ws, path, drop=True)
    assert len(report.added) == len({t["text"] for t in tasks})
    # An accepted "POLITICAL" is no statement about entities: no set is stored.
    assert report.new_sets == 0
    assert report.tally.dropped == {"document label (text classification) with its answer": 240}
    assert "not imported: 240 document label" in report.summary()


def test_whitespace_only_records_are_skipped_with_a_note(ws: Workspace) -> None:
    path = realfile("whitespace-text/multileg-da-260370.jsonl")
    records = lines(path)
    assert records[6]["text"] == " "  # line 7, as the realfiles README says
    labels = {label for r in records for _, _, label in r["label"]}
    report = run_import(ws, path, add=tuple(labels))
    assert not report.refused
    assert len(report.added) == len(records) - 1
    assert report.spans == sum(len(r["label"]) for r in records)
    assert report.summary().splitlines()[1] == (
        "not imported: 1 record with empty or whitespace-only text"
    )


@pytest.mark.parametrize(
    ("name", "n_docs", "n_spans"),
    [
        ("doccano/brewer-reviews-label.jsonl", 200, 726),
        ("doccano/unsc-debates-label.jsonl", 20, 429),
        ("doccano/fundmanager-entities.jsonl", 11, 224),
    ],
)
def test_doccano_exports_import_every_span(
    ws: Workspace,
    tmp_path: Path,
    name: str,
    n_docs: int,
    n_spans: int,
) -> None:
    path = realfile(name)
    records = lines(path)
    raw = [(r["text"], s[0], s[1], s[2]) for r in records for s in r.get("label") or ()] + [
        (r["text"], e["start_offset"], e["end_offset"], e["label"])
        for r in records
        for e in r.get("entities") or ()
    ]
    assert len(raw) == n_spans
    # doccano counts UTF-16 code units (its editor is JavaScript): in code points.
    spans = [(t, _code_points(t, s), _code_points(t, e), label) for t, s, e, label in raw]
    report = run_import(ws, path, add=tuple({s[3] for s in spans}))
    assert not report.refused
    assert (len(report.added), report.spans) == (n_docs, n_spans)
    back = [
        (r["text"], s["start"], s["end"], s["label"])
        for r in exported(ws, tmp_path, "newsmark")
        for s in r["spans"]
    ]
    assert sorted(back) == sorted(spans)


def _code_points(text: str, unit: int) -> int:
    return len(text.encode("utf-16-le")[: 2 * unit].decode("utf-16-le"))


def test_doccano_offsets_are_utf16_in_a_real_export(ws: Workspace, tmp_path: Path) -> None:
    # "Good selection of beers 🍻🍻. ... the Mexican lager": BEER 104..117 in the file.
    path = realfile("doccano/brewer-reviews-label.jsonl")
    report = run_import(ws, path, add=tuple({s[2] for r in lines(path) for s in r["label"]}))
    assert not report.refused
    found = {
        r["text"][s["start"] : s["end"]]
        for r in exported(ws, tmp_path, "newsmark")
        if "🍻" in r["text"]
        for s in r["spans"]
    }
    assert {"Mexican lager", "large area", "cans to go", "food"} <= found


def test_doccano_file_whose_offsets_miss_its_text_is_refused(ws: Workspace) -> None:
    # The text was edited after annotation: entity 12 ends at 181 of 176 characters.
    path = realfile("doccano/auto-label-entities-relations.jsonl")
    (err,) = run_import(ws, path, drop=True).refused
    assert (err.line, err.reason) == (
        1,
        "entities[12] 178..181 is out of range (text has 176 characters)",
    )
    assert ws.repo.document_ids() == []


def test_labelstudio_relations_of_other_types(ws: Workspace) -> None:
    path = realfile("labelstudio/de-news-quotes-relations-2annotators.json")
    (err,) = run_import(ws, path).refused
    assert 'relation type "quotee"' in err.reason
    assert "--drop-unsupported" in err.reason
    report = run_import(ws, path, add=("DIRECT-QUOTE",), drop=True)
    assert not report.refused
    # 2 tasks x 2 annotators; DIRECT-QUOTE regions stay (as spans), relations go.
    assert (len(report.added), report.new_sets, report.spans) == (2, 4, 6)
    assert report.tally.dropped == {"relation quotee": 6, "SPEAKER region in no relation": 4}


def test_labelstudio_quote_attribution_with_its_own_names_imports_as_quotes(ws: Workspace) -> None:
    path = realfile("labelstudio/de-news-quotes-relations-2annotators.json")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    # From the file: which region each "quotee" relation joins, per annotation.
    expected = []
    for task in tasks:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            regions = {r["id"]: r["value"] for r in annotation["result"] if r["type"] == "labels"}
            pairs = []
            for rel in annotation["result"]:
                if rel["type"] == "relation":
                    # The file's quotee relations point from the quote to its speaker.
                    quote, speaker = regions[rel["from_id"]], regions[rel["to_id"]]
                    assert quote["labels"] == ["DIRECT-QUOTE"] and speaker["labels"] == ["SPEAKER"]
                    pairs.append((quote["text"], text[speaker["start"] : speaker["end"]]))
            expected.append((text, sorted(pairs)))
    labels = Counter(
        r["value"]["labels"][0]
        for t in tasks
        for a in t["annotations"]
        for r in a["result"]
        if r["type"] == "labels"
    )
    assert labels == {"DIRECT-QUOTE": 6, "SPEAKER": 4}
    assert sum(len(pairs) for _, pairs in expected) == 6
    report = import_paths(
        ws.repo, [path], labels=LabelOptions.parse(["DIRECT-QUOTE=QUOTE,quotee=SPEAKER"])
    )
    assert not report.refused and not report.tally.dropped
    assert (len(report.added), report.new_sets, report.spans, report.quotes) == (2, 4, 0, 6)
    got = []
    annotators = []
    for doc_id in ws.repo.document_ids():
        text = ws.repo.get_document(doc_id).text
        sets = ws.repo.sets_for_document(doc_id)
        annotators.append(sorted(aset.annotator for aset in sets))
        for aset in sets:
            pairs = []
            for q in aset.quotes:
                # The kind is guessed from the quotation marks the quotes start with.
                assert q.speaker is not None and q.kind.value == "direct"
                pairs.append((text[q.parts[0][0] : q.parts[-1][1]], text[slice(*q.speaker)]))
            got.append((text, sorted(pairs)))
    assert sorted(got) == sorted(expected)
    file_annotators = [
        sorted(f"labelstudio:{a['completed_by']['email']}" for a in t["annotations"]) for t in tasks
    ]
    assert sorted(annotators) == sorted(file_annotators)
    assert all(len(set(names)) == 2 for names in annotators)


def test_labelstudio_hypertext_results_are_refused(ws: Workspace) -> None:
    path = realfile("labelstudio/mails-hypertextlabels-export.json")
    (err,) = run_import(ws, path).refused
    assert 'result type "hypertextlabels" is not supported' in err.reason
    assert ws.repo.document_ids() == []


def test_labelstudio_repeated_result_ids(ws: Workspace) -> None:
    path = realfile("labelstudio/et-import-with-annotations.json")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    report = run_import(ws, path, add=("Prediction",))
    assert not report.refused
    assert len(report.added) == len(tasks) == 3
    assert report.spans == 6
