"""Real news as the model pre-annotates it, through the doccano and brat exports.

The seeds and a dozen PolNeAR dev articles (read by path, see real_news.py): long texts,
split and nested quotes, speakers that contain entities, names from entity linking.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from brat_rules import verify_folder
from real_news import preannotated_records

from newsmark.domain.document import DocumentInput
from newsmark.formats.brat import write_brat
from newsmark.formats.doccano import read_doccano, write_doccano, write_doccano_flat
from newsmark.formats.tools import AlignmentReport, QuoteView, record_entities, record_quotes


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return preannotated_records(tmp_path_factory.mktemp("news"))


def _quote(q: QuoteView, label_at: dict[tuple[int, int], str]) -> tuple[Any, ...]:
    label = label_at.get(q.speaker) if q.speaker else None
    return (q.parts, q.speaker, q.cue, q.kind, q.entity, q.speaker_label or label)


def _read(doc: DocumentInput) -> list[tuple[Any, ...]]:
    return sorted(
        ((q.parts, q.speaker, q.cue, q.kind.value, q.entity, q.speaker_label) for q in doc.quotes),
        key=repr,
    )


def test_the_sample_has_what_makes_round_trips_hard(records: list[dict[str, Any]]) -> None:
    quotes = [q for r in records for q in record_quotes(r)]
    assert len(records) >= 3 and len(quotes) >= 20
    if len(records) > 3:  # with the dev articles
        kinds = Counter(q.kind for q in quotes)
        assert min(kinds.values()) >= 10 and set(kinds) == {"direct", "indirect", "mixed"}
        assert sum(len(q.parts) > 1 for q in quotes) >= 3
        assert sum(q.entity is not None for q in quotes) >= 50


def test_doccano_round_trip_keeps_every_quote(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "news.jsonl"
    with path.open("w", encoding="utf-8") as f:
        assert write_doccano(records, f) == len(records)
    docs = list(read_doccano(path))
    assert len(docs) == len(records)
    for record, doc in zip(records, docs, strict=True):
        assert doc.text == record["text"]
        assert sorted((s.start, s.end, s.label) for s in doc.spans) == record_entities(record)
        label_at = {(s, e): label for s, e, label in record_entities(record)}
        want = sorted((_quote(q, label_at) for q in record_quotes(record)), key=repr)
        assert _read(doc) == want, doc.meta.get("title")


def test_doccano_flat_has_no_overlaps_and_lists_everything_it_leaves_out(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "flat.jsonl"
    report = AlignmentReport()
    with path.open("w", encoding="utf-8") as f:
        write_doccano_flat(records, f, report=report)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        # doccano's rule with "Allow overlapping spans" off (labels.py Spans.clean).
        spans = sorted(line["entities"], key=lambda e: e["start_offset"])
        assert all(b["start_offset"] >= a["end_offset"] for a, b in itertools.pairwise(spans))
    left_out = report.notes[2:]
    assert report.notes[1] == (
        f"doccano-flat: {len(left_out)} span(s) left out so that no two spans overlap:"
    )
    said = Counter()
    for note in left_out:
        m = re.match(r"document (\d+): (.+?) (\d+)\.\.(\d+) ", note)
        assert m, note
        said[(int(m.group(1)), m.group(2).split(" of ")[0], int(m.group(3)), int(m.group(4)))] += 1
    docs = list(read_doccano(path))
    for record, doc in zip(records, docs, strict=True):
        n = record["meta"]["doc_id"]
        kept = {(s.start, s.end, s.label) for s in doc.spans}
        for s, e, label in record_entities(record):
            assert (s, e, label) in kept or said[(n, label, s, e)] == 1, (n, label, s, e)
        got = _read(doc)
        for q in record_quotes(record):
            same = [g for g in got if g[0] == q.parts and g[3] == q.kind and g[4] == q.entity]
            if not same:
                assert said[(n, "quote", *q.hull)] == 1, (n, q)
                continue
            # Kept, with its speaker and cue unless a note says which one was left out.
            (_, speaker, cue, *_), *_ = same
            assert speaker == q.speaker or said[(n, "speaker", *q.speaker)] >= 1
            assert cue == q.cue or said[(n, "cue", *q.cue)] >= 1


def test_brat_export_passes_brats_own_checks(records: list[dict[str, Any]], tmp_path: Path) -> None:
    write_brat(records, tmp_path / "brat", force=True)
    assert verify_folder(tmp_path / "brat") == []
    # The same files under the configuration before <OVERLAP> rules: brat's complaint.
    conf = tmp_path / "brat" / "annotation.conf"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(re.sub(r"<OVERLAP>[^\n]*\n", "", text), encoding="utf-8")
    issues = verify_folder(tmp_path / "brat")
    assert issues and all("Speaker" in i or "Cue" in i for i in issues)
    assert any("PERSON cannot be contained in Speaker" in i for i in issues)
