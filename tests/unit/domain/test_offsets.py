"""Offsets: code point <-> UTF-16 conversion and token snapping, with emoji and combining marks."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsmark.domain.document import Token
from newsmark.domain.offsets import Alignment, TokenIndex, Utf16Map, line_starts

# Texts that mix ASCII, combining marks, emoji (astral), ZWJ sequences, CJK and RTL.
ALPHABET = st.sampled_from(
    [
        "a",
        "b",
        " ",
        "\n",
        "\u0301",
        "\u0308",
        "😀",
        "👍🏽",
        "👩\u200d💻",
        "中",
        "文",
        "ש",
        "ل",
        "\t",
        "🇮🇱",
    ]
)
texts = st.lists(ALPHABET, max_size=40).map("".join)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@given(texts)
def test_to_utf16_matches_the_encoder(text: str) -> None:
    m = Utf16Map(text)
    assert m.utf16_length == utf16_len(text)
    for i in range(len(text) + 1):
        assert m.to_utf16(i) == utf16_len(text[:i])


@given(texts)
def test_round_trip(text: str) -> None:
    m = Utf16Map(text)
    for i in range(len(text) + 1):
        assert m.from_utf16(m.to_utf16(i)) == i


@given(texts)
def test_inside_a_surrogate_pair_rounds_down(text: str) -> None:
    m = Utf16Map(text)
    for i, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            assert m.from_utf16(m.to_utf16(i) + 1) == i


def test_known_values_with_emoji_and_combining_marks() -> None:
    text = "e\u0301 😀 Putin"
    m = Utf16Map(text)
    assert text.index("Putin") == 5
    assert m.to_utf16(5) == 6  # the emoji takes two UTF-16 units
    assert m.from_utf16(6) == 5
    assert m.to_utf16(1) == 1  # a combining mark is one code point and one unit


def test_out_of_range_raises() -> None:
    m = Utf16Map("abc")
    for bad in (-1, 4):
        try:
            m.to_utf16(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")


def simple_tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]


@given(texts, st.integers(0, 60), st.integers(0, 60))
def test_snapping_modes(text: str, a: int, b: int) -> None:
    tokens = simple_tokens(text)
    index = TokenIndex(tokens)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    for mode in Alignment:
        snapped = index.snap(start, end, mode)
        if snapped is None:
            continue
        s, e = snapped
        assert s in starts and e in ends and s < e
        if mode is Alignment.EXPAND:
            assert s <= max(start, s) and (s <= start or start not in range(s, e))
        if mode is Alignment.CONTRACT:
            assert start <= s and e <= end
        if mode is Alignment.STRICT:
            assert (s, e) == (start, end)


def test_snap_examples() -> None:
    text = "Putin met Netanyahu."
    index = TokenIndex(simple_tokens(text))
    assert index.snap(1, 12, Alignment.EXPAND) == (0, 19)  # "Putin met Netanyahu"
    assert index.snap(1, 12, Alignment.CONTRACT) == (6, 9)  # "met"
    assert index.snap(1, 12, Alignment.STRICT) is None
    assert index.snap(0, 5, Alignment.STRICT) == (0, 5)
    assert index.token_span(10, 20) == (2, 3)
    assert index.word_at(12) == (10, 19)
    assert index.word_at(5) is None  # a space
    assert index.next_boundary(0) == 5
    assert index.next_boundary(10, forward=False) == 9


def test_line_starts() -> None:
    assert line_starts("ab\ncd\n\ne") == [0, 3, 6, 7]
