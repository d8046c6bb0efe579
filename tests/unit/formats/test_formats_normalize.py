"""Decoding, line endings, BOM and the leading metadata line, with their offset maps."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsmark.domain.errors import InputError
from newsmark.formats.normalize import (
    decode_bytes,
    first_line_title,
    normalize_text,
    prepare_text,
    split_meta_line,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def test_utf8_with_and_without_bom() -> None:
    assert decode_bytes("Café 😀".encode(), "a.txt") == "Café 😀"
    assert decode_bytes(b"\xef\xbb\xbfCaf\xc3\xa9", "a.txt") == "Café"


def test_utf16_with_bom_is_not_mistaken_for_binary() -> None:
    data = "Putin said “no”.".encode("utf-16")  # starts with a BOM, full of NUL bytes
    assert decode_bytes(data, "a.txt") == "Putin said “no”."


def test_windows_1252_is_decoded_as_such() -> None:
    sentence = "Le café était très agréable, à côté de la forêt où nous étions allés."
    assert decode_bytes(sentence.encode("cp1252"), "a.txt") == sentence


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (PNG, "binary file, not text (looks like a PNG image)"),
        (b"%PDF-1.7\n...", "binary file, not text (looks like a PDF document)"),
        (b"hello\x00world", "binary file, not text (contains NUL bytes)"),
        (
            bytes(range(128, 256)) * 4,
            "undecodable bytes: not UTF-8, and no encoding reads it cleanly "
            "(best guess cp1252): save it as UTF-8",
        ),
        (b"\x01\x02\x03\x04text\x05\x06", "binary file, not text (too many control characters)"),
    ],
)
def test_bad_bytes_raise_input_error_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, Path("dir/x.txt"))
    assert info.value.path == "dir/x.txt"
    assert info.value.line is None
    assert info.value.reason == reason
    assert str(info.value) == f"dir/x.txt: {reason}"


def test_normalize_crlf_lone_cr_and_bom() -> None:
    raw = "\ufeffab\r\ncd\re\r\n"
    text, offsets = normalize_text(raw)
    assert text == "ab\ncd\ne\n"
    # raw:  BOM a b \r \n c d \r e \r \n  (11 code points)
    assert [offsets(i) for i in range(12)] == [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 7, 8]
    # A span that ends inside a \r\n pair keeps only what precedes the pair.
    assert offsets.map_span(1, 4) == (0, 2)
    assert offsets.map_span(5, 9) == (3, 7)  # "cd\re" -> "cd\ne"
    assert text[3:7] == "cd\ne"


def test_normalize_plain_text_is_identity() -> None:
    text, offsets = normalize_text("plain\ntext")
    assert text == "plain\ntext"
    assert offsets.is_identity
    assert offsets.map_span(0, 5) == (0, 5)


def test_offsets_out_of_range_are_refused() -> None:
    _, offsets = normalize_text("ab")
    with pytest.raises(ValueError, match="outside"):
        offsets(3)


def test_seed_metadata_line(seed_path: Path) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    body, meta, shift = split_meta_line(raw)
    assert meta == {"date": "2023-12-10", "author": "Yuri Kobzar", "published": "20:37, 12/10/23"}
    # " date 2023-12-10 Yuri Kobzar20:37, 12/10/23" is 43 characters, then "\n\n".
    assert shift == 45
    assert body.startswith("The two leaders accused each other")
    assert body == raw[45:]


def test_meta_line_without_time_or_author() -> None:
    assert split_meta_line("date 2024-01-02\nBody.") == ("Body.", {"date": "2024-01-02"}, 16)
    assert split_meta_line("date 2024-01-02 Jane Roe\n\n \nBody.") == (
        "Body.",
        {"date": "2024-01-02", "author": "Jane Roe"},
        28,
    )


@pytest.mark.parametrize(
    "text",
    [
        "The date 2023-12-10 was set.\nMore.",  # not at the start
        "Date: 2023-12-10\nBody.",  # another shape
        "date 2023-12\nBody.",  # not a full date
        "dated 2023-12-10 Jane\nBody.",
        "date 2023-12-10 Jane Roe\n\n",  # nothing would be left
        "First line.\ndate 2023-12-10 Jane\nBody.",
    ],
)
def test_meta_line_is_conservative(text: str) -> None:
    assert split_meta_line(text) == (text, {}, 0)


def test_prepare_text_composes_crlf_and_meta_line() -> None:
    raw = "\ufeff date 2023-12-10 Yuri Kobzar20:37, 12/10/23\r\n\r\nPutin 😀 spoke.\r\nEnd."
    prepared = prepare_text(raw)
    assert prepared.text == "Putin 😀 spoke.\nEnd."
    assert prepared.meta["author"] == "Yuri Kobzar"
    start = raw.index("Putin")
    assert prepared.offsets.map_span(start, start + 5) == (0, 5)
    spoke = raw.index("spoke")
    assert prepared.offsets.map_span(spoke, spoke + 5) == (8, 13)
    end = raw.index("End")
    assert prepared.offsets.map_span(end, end + 4) == (15, 19)
    # A span inside the removed metadata line has nowhere to go.
    assert prepared.offsets.map_span(2, 6) is None


def test_first_line_title() -> None:
    assert first_line_title("\n  \n  Hello world  \nBody") == "Hello world"
    assert first_line_title("x" * 300) == "x" * 200
    assert first_line_title(" \n ") == ""


# Text made of letters, emoji, combining marks, CJK and every kind of line break.
_PIECES = st.sampled_from(["a", "Z", " ", "😀", "e\u0301", "中", "\r\n", "\r", "\n", "\t", "“"])


def _clean(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n")


@given(
    st.lists(_PIECES, max_size=40),
    st.booleans(),
    st.data(),
)
def test_offset_map_keeps_annotated_substrings(
    pieces: list[str], bom: bool, data: st.DataObject
) -> None:
    raw = ("\ufeff" if bom else "") + "".join(pieces)
    text, offsets = normalize_text(raw)
    assert text == _clean(raw.removeprefix("\ufeff"))
    # Annotation ends never fall between the BOM and the text or inside a \r\n pair.
    bounds = [
        i
        for i in range(len(raw) + 1)
        if not (bom and i == 0) and not (0 < i < len(raw) and raw[i - 1 : i + 1] == "\r\n")
    ]
    start = data.draw(st.sampled_from(bounds))
    end = data.draw(st.sampled_from([b for b in bounds if b >= start]))
    s, e = offsets(start), offsets(end)
    assert text[s:e] == _clean(raw[start:end])
    mapped = offsets.map_span(start, end)
    if mapped is not None:
        assert text[mapped[0] : mapped[1]] == _clean(raw[start:end])


@given(
    st.sampled_from(["", "\ufeff"]),
    st.sampled_from(
        ["", " date 2023-12-10 Yuri Kobzar20:37, 12/10/23\r\n\r\n", "date 2024-01-02\n"]
    ),
    st.lists(_PIECES, min_size=1, max_size=30),
    st.data(),
)
def test_prepare_text_keeps_annotated_substrings_of_the_body(
    bom: str, meta_line: str, pieces: list[str], data: st.DataObject
) -> None:
    body = "Body " + "".join(pieces)
    raw = bom + meta_line + body
    prepared = prepare_text(raw)
    assert prepared.text == _clean(body)
    assert bool(prepared.meta) == bool(meta_line)
    offset = len(bom) + len(meta_line)
    bounds = [
        offset + i
        for i in range(len(body) + 1)
        if not (0 < i < len(body) and body[i - 1 : i + 1] == "\r\n")
    ]
    start = data.draw(st.sampled_from(bounds))
    end = data.draw(st.sampled_from([b for b in bounds if b > start] or [start]))
    mapped = prepared.offsets.map_span(start, end)
    if mapped is not None:
        assert prepared.text[mapped[0] : mapped[1]] == _clean(raw[start:end])
    else:  # only a span that normalises to nothing (a lone "\r\n") vanishes
        assert _clean(raw[start:end]) in ("", "\n") and len(raw[start:end]) <= 2
