"""Token-based writers and character spans: every misaligned span is reported, none lost."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tools_support import make_record, texts

from docbin_support import write_docbin
from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.annotations import is_blank
from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment
from newsmark.formats import all_formats, get_format
from newsmark.nlp import docbin
from newsmark.nlp.tokens import tokenize


@st.composite
def char_records(draw: st.DrawFn) -> dict:
    """Records whose entities are arbitrary character ranges (Alt-drag), not overlapping."""
    text = draw(texts())
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if start < end and not is_blank(text[start:end]):
            spans.append((start, end, "ORG"))
    return make_record(text, spans)


PROFILE = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROFILE
@given(record=char_records(), mode=st.sampled_from(list(Alignment)), name=st.sampled_from(
    ["prodigy", "conll"]))  # fmt: skip
def test_each_span_is_written_or_reported(record: dict, mode: Alignment, name: str) -> None:
    report = AlignmentReport(mode)
    out = io.StringIO()
    write = get_format(name).write
    assert write is not None
    aligned = [s for s in record["spans"] if s["token_start"] is not None]
    if mode is Alignment.STRICT and len(aligned) < len(record["spans"]):
        with pytest.raises(InputError, match="choose --alignment"):
            write([record], out, report=report)
        assert len(report.items) == len(record["spans"]) - len(aligned)
        return
    write([record], out, report=report)
    written = (
        len(json.loads(out.getvalue())["spans"])
        if name == "prodigy"
        else out.getvalue().count(" B-")
    )
    dropped = [m for m in report.items if m.action.startswith("dropped")]
    # Expanded neighbours can merge into one CoNLL entity; Prodigy keeps both spans.
    if name == "prodigy":
        assert written + len(dropped) == len(record["spans"])
    else:
        assert written + len(dropped) <= len(record["spans"])
    assert len(report.items) == len(record["spans"]) - len(aligned)


@PROFILE
@given(record=char_records(), mode=st.sampled_from([Alignment.EXPAND, Alignment.CONTRACT]))
def test_docbin_entities_are_written_or_reported(
    tmp_path: Path, record: dict, mode: Alignment
) -> None:
    report = AlignmentReport(mode)
    write_docbin([record], tmp_path / "x.spacy", alignment=mode, report=report)
    (doc,) = docbin.read_docbin(tmp_path / "x.spacy")
    dropped = [m for m in report.items if m.action.startswith("dropped")]
    assert len(doc.spans) + len(dropped) == len(record["spans"])
    starts = {t.start for t in tokenize(record["text"])}
    assert all(s.start in starts for s in doc.spans)


def test_every_stream_writer_takes_the_report_only_token_formats_use_it() -> None:
    record = make_record("Putin said.", [(1, 5, "PERSON")])
    for fmt in (f for f in all_formats() if f.write is not None):
        report = AlignmentReport(Alignment.EXPAND)
        fmt.write([record], io.StringIO(), report=report)
        expanded = [str(m).endswith("expanded to 0..5") for m in report.items]
        assert expanded == ([True] if fmt.token_aligned else []), fmt.name
