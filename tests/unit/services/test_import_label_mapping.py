"""--map-labels renames region labels and relation types before quotes are assembled, and
every label exactly once (real SQLite workspace, files written here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsmark.domain.reading import ReadOptions
from newsmark.services.importing import ImportReport, LabelOptions, import_paths
from newsmark.services.workspace import Workspace, open_workspace

TEXT = '"We stay," said Anna Berg of Acme.'
QUOTE = (0, 10)  # "We stay,"
SAID = (11, 15)
ANNA = (16, 25)
ACME = (29, 33)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def run(ws: Workspace, path: Path, *mapping: str, drop: bool = False) -> ImportReport:
    report = import_paths(
        ws.repo,
        [path],
        labels=LabelOptions.parse(mapping),
        options=ReadOptions(drop_unsupported=drop),
    )
    return report


def stored(ws: Workspace) -> list[tuple[Any, ...]]:
    """(spans, quotes) of every stored set as (start, end, label) / parts, speaker, cue."""
    out: list[tuple[Any, ...]] = []
    for doc_id in ws.repo.document_ids():
        for aset in ws.repo.sets_for_document(doc_id):
            spans = sorted((s.start, s.end, s.label) for s in aset.spans)
            quotes = sorted(
                (q.parts, q.speaker, q.speaker_label, q.cue, q.kind.value) for q in aset.quotes
            )
            out.append((spans, quotes))
    return out


def _ls_region(rid: str, span: tuple[int, int], label: str) -> dict[str, Any]:
    start, end = span
    return {
        "id": rid, "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]},
    }  # fmt: skip


def _ls_rel(src: str, dst: str, kind: str) -> dict[str, Any]:
    return {"from_id": src, "to_id": dst, "type": "relation", "direction": "right",
            "labels": [kind]}  # fmt: skip


def _ls_file(tmp_path: Path, *result: dict[str, Any]) -> Path:
    path = tmp_path / "tasks.json"
    task = {"data": {"text": TEXT}, "annotations": [{"result": list(result)}]}
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


def test_label_studio_names_of_another_project_become_quotes(ws: Workspace, tmp_path: Path) -> None:
    # The quote points at its speaker ("quotee", as in the de-news file), the cue at the
    # quote: both directions are read, since only one end of each is a quote.
    path = _ls_file(
        tmp_path,
        _ls_region("q", QUOTE, "DIRECT-QUOTE"),
        _ls_region("s", ANNA, "Speaker"),
        _ls_region("c", SAID, "Verb"),
        _ls_region("o", ACME, "COMPANY"),
        _ls_rel("q", "s", "quotee"),
        _ls_rel("q", "c", "cue_of"),
    )
    (err,) = run(ws, path).refused
    assert 'relation type "quotee" is not SPEAKER, CUE or PART_OF' in err.reason
    report = run(
        ws, path, "DIRECT-QUOTE=QUOTE,Speaker=SPEAKER,Verb=CUE", "quotee=SPEAKER,cue_of=CUE",
        "COMPANY=ORG",
    )  # fmt: skip
    assert not report.refused and (report.new_sets, report.spans, report.quotes) == (1, 1, 1)
    assert stored(ws) == [([(*ACME, "ORG")], [(((0, 10),), ANNA, None, SAID, "direct")])]


def test_a_speaker_with_an_entity_label_keeps_the_renamed_label(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _ls_file(
        tmp_path,
        _ls_region("q", QUOTE, "Q"),
        _ls_region("p", ANNA, "PER"),
        _ls_rel("p", "q", "said_by"),
    )
    report = run(ws, path, "Q=QUOTE,said_by=SPEAKER,PER=PERSON")
    assert not report.refused
    assert stored(ws) == [([(*ANNA, "PERSON")], [(((0, 10),), ANNA, "PERSON", None, "direct")])]


def test_each_label_is_renamed_once(ws: Workspace, tmp_path: Path) -> None:
    # A swap: renaming twice (in the reader and again after it) would undo it.
    path = _ls_file(tmp_path, _ls_region("a", ANNA, "ORG"), _ls_region("b", ACME, "PERSON"))
    assert not run(ws, path, "ORG=PERSON,PERSON=ORG").refused
    assert stored(ws) == [([(*ANNA, "PERSON"), (*ACME, "ORG")], [])]


def test_doccano_relations_are_renamed_before_structure_too(ws: Workspace, tmp_path: Path) -> None:
    def entity(ident: int, span: tuple[int, int], label: str) -> dict[str, Any]:
        return {"id": ident, "label": label, "start_offset": span[0], "end_offset": span[1]}

    record = {
        "text": TEXT,
        "entities": [entity(1, QUOTE, "Citation"), entity(2, ANNA, "Person")],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "said-by"}],
    }
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = run(ws, path, "Citation=QUOTE,said-by=SPEAKER,Person=PERSON")
    assert not report.refused
    assert stored(ws) == [([(*ANNA, "PERSON")], [(((0, 10),), ANNA, "PERSON", None, "direct")])]


def test_prodigy_span_labels_are_renamed_as_before(ws: Workspace, tmp_path: Path) -> None:
    task = {
        "text": TEXT,
        "spans": [{"start": ANNA[0], "end": ANNA[1], "label": "PER"}],
        "answer": "accept",
    }
    path = tmp_path / "prodigy.jsonl"
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    assert not run(ws, path, "PER=PERSON").refused
    assert stored(ws) == [([(*ANNA, "PERSON")], [])]


def test_a_relation_type_mapped_to_no_structure_is_still_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _ls_file(
        tmp_path,
        _ls_region("q", QUOTE, "QUOTE"),
        _ls_region("s", ANNA, "SPEAKER"),
        _ls_rel("s", "q", "quotee"),
    )
    (err,) = run(ws, path, "quotee=AUTHOR").refused
    assert 'relation type "quotee" is not SPEAKER' in err.reason
    report = run(ws, path, "quotee=AUTHOR", drop=True)
    assert report.tally.dropped == {"relation quotee": 1, "SPEAKER region in no relation": 1}
