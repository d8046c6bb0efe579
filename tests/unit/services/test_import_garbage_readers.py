"""Garbage into the CoNLL, brat and DocBin readers: one line naming file and line, nothing stored.

Each case has a good document or line before the bad part, so a reader that stored
documents as it went would leave some behind.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from newsmark.domain.reading import ReadOptions
from newsmark.services.importing import LabelOptions, import_paths
from newsmark.services.workspace import Workspace, open_workspace

GOOD_CONLL = "-DOCSTART- -X- O O\n\nPutin B-PER\nsaid O\n\n-DOCSTART- -X- O O\n\n"
CALL = "Putin said: “No.”\n"
GOOD_ANN = "T1\tPERSON 0 5\tPutin\n"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


CASES = {
    "conll: a line without a tag": (
        {"a.conll": (GOOD_CONLL + "Merkel B-PER\nagreed\n").encode()},
        "a.conll",
        9,
        "expected `token TAG`",
    ),
    "conll: bytes of a zip": (
        {"a.iob": (GOOD_CONLL + "x O\n").encode() + b"PK\x03\x04\xff\xfe\n"},
        "a.iob",
        9,
        "not UTF-8",
    ),
    "iob: a token with four fields": (
        {"a.iob": b"Putin|NNP|B-PER said|VBD|O\nno|DT|X|O\n"},
        "a.iob",
        2,
        "is not word|TAG or word|POS|TAG",
    ),
    "brat: a line of noise in the second file": (
        {
            "a.txt": CALL.encode(),
            "a.ann": GOOD_ANN.encode(),
            "b.txt": CALL.encode(),
            "b.ann": (GOOD_ANN + "\x00\x01garbage\n").encode(),
        },
        "b.ann",
        2,
        "cannot import this line",
    ),
    "brat: offsets beyond the text": (
        {"a.txt": CALL.encode(), "a.ann": (GOOD_ANN + "T2\tPERSON 12 99\tNo\n").encode()},
        "a.ann",
        2,
        "out of range",
    ),
    "jsonl: a split quote whose parts overlap": (
        {
            "a.jsonl": (
                b'{"text": "Putin said: No."}\n'
                b'{"text": "Putin said: No, never.", "quotes": [{"kind": "direct",'
                b' "quote_parts": [{"start": 12, "end": 16}, {"start": 14, "end": 21}]}]}\n'
            )
        },
        "a.jsonl",
        2,
        "quote parts 12..16 and 14..21 overlap",
    ),
    "spacy: zlib of nonsense": (
        {"a.spacy": zlib.compress(b"\x81\xa5attrs\xc1garbage")},
        "a.spacy",
        None,
        "not a spaCy DocBin",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_garbage_is_one_located_line_and_nothing_is_stored(
    ws: Workspace, tmp_path: Path, case: str
) -> None:
    files, bad, line, reason = CASES[case]
    folder = write(tmp_path / "in", files)
    for drop in (False, True):
        report = import_paths(
            ws.repo,
            [folder],
            labels=LabelOptions(extra=("PER", "PERSON")),
            options=ReadOptions(drop_unsupported=drop),
        )
        (err,) = report.refused
        where = f"{folder / bad}:{line}: " if line else f"{folder / bad}: "
        assert str(err).startswith(where) and "\n" not in str(err)
        assert reason in err.reason
        # Files import whole or not at all: a.ann beside the bad b.ann is a good file.
        good = 1 if "b.ann" in files else 0
        assert len(ws.repo.document_ids()) == good
