"""The tools' formats in the registry: names, detection by content, whole-file refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmark.domain.errors import InputError
from newsmark.formats import Output, all_formats, detect_format, get_format, read_path


def test_every_tool_format_is_registered_with_what_it_keeps() -> None:
    names = {f.name for f in all_formats()}
    assert {"prodigy", "doccano", "labelstudio", "brat", "conll"} <= names
    for name in ("prodigy", "doccano", "labelstudio", "conll"):
        fmt = get_format(name)
        assert fmt.read is not None and fmt.write is not None and fmt.keeps
    brat = get_format("brat")
    assert brat.write is None and brat.write_to is not None and brat.output is Output.FOLDER
    assert "dropped" in get_format("conll").keeps


def test_the_table_says_what_each_export_makes() -> None:
    from newsmark.services import catalog

    made = {f.name: (f.modes, f.token_aligned, f.splits) for f in catalog.formats()}
    assert made["brat"] == ("read, write folder", False, False)
    assert made["spacy"] == ("read, write file", True, True)
    assert made["conll"] == ("read, write stream", True, False)
    assert made["doccano-flat"] == ("write stream", False, False)
    assert made["txt"] == ("read", False, False)
    spacy = get_format("spacy")
    assert spacy.target(split=True) is Output.FOLDER and spacy.target() is Output.FILE
    for fmt in catalog.formats():  # every format that writes has the writer its output needs
        if fmt.output is Output.STREAM:
            assert fmt.write is not None, fmt.name
        elif fmt.output is not None:
            assert fmt.write_to is not None, fmt.name


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ({"text": "A", "schema_version": 1}, "newsmark"),
        ({"text": "A", "spans": [], "tokens": []}, "prodigy"),
        ({"text": "A", "entities": [], "relations": []}, "doccano"),
    ],
)
def test_jsonl_flavours_are_told_apart_by_their_keys(
    tmp_path: Path, first_line: dict, name: str
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(first_line) + "\n", encoding="utf-8")
    assert detect_format(path).name == name


def test_a_bad_line_refuses_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    good = {"text": "Hi Bob", "entities": [{"id": 1, "label": "PERSON", "start_offset": 3,
                                            "end_offset": 6}]}  # fmt: skip
    bad = {"text": "Hi", "entities": [{"id": 1, "label": "X", "start_offset": 0,
                                       "end_offset": 9}]}  # fmt: skip
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.line, "out of range" in info.value.reason) == (2, True)
