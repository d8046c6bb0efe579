"""Headline lines at the top of an article, which the quote rules take no speech or speaker from."""

from __future__ import annotations

import re

from spacy.tokens import Doc

Range = tuple[int, int]

# A line ending in one of these is a sentence, not a headline.
_FINAL = frozenset(".!?…:;,\"”’')]»")
_LINE_RE = re.compile(r"[^\n]*")
# Title, subtitle and byline at most; a headline is short.
MAX_LINES = 3
MAX_WORDS = 25
# A line ending on one of these runs on into the next: soft-wrapped text, not a headline.
_RUN_ON = frozenset(
    [
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "by",
        "with", "from", "as", "that", "said", "says", "is", "are", "was",
    ]
)  # fmt: skip


def _lines(text: str, limit: int) -> list[tuple[int, int, bool]]:
    """The first `limit` non-blank lines: (start, end, blank line before it)."""
    out: list[tuple[int, int, bool]] = []
    blank = False
    pos = 0
    while pos <= len(text) and len(out) < limit:
        m = _LINE_RE.match(text, pos)
        assert m is not None  # the pattern matches the empty string
        s, e = m.start(), m.end()
        if text[s:e].strip():
            out.append((s, e, blank))
            blank = False
        elif out:
            blank = True
        pos = e + 1
    return out


def _opens(line: str) -> bool:
    first = line.lstrip()[:1]
    return first.isupper() or first.isdigit() or first in "\"“‘'«—–-"


def headline_end(text: str) -> int:
    """Character offset where the article's headline lines end (0 when it has none).

    Headline lines are the first lines without final punctuation ("Finance minister vows
    to keep tax plan"), short, opening with a capital, followed by a line that opens one
    too and, when no blank line parts them, ends a sentence (soft-wrapped text does not).
    Telegraphic headlines parse badly ("vows" as a cue, "Carmaker" as the subject of
    the next line's verb), so the rules take no reported speech and no speaker from them.
    Reads only the top of the text.
    """
    lines = _lines(text, MAX_LINES + 1)
    end = 0
    n = 0
    for s, e, _ in lines[:MAX_LINES]:
        line = text[s:e].rstrip()
        words = line.split()
        if (
            line[-1] in _FINAL
            or len(words) > MAX_WORDS
            or not _opens(line)
            or words[-1].lower() in _RUN_ON
        ):
            break
        end = e
        n += 1
    if n == 0 or n >= len(lines):
        return 0  # nothing after it: a one-line text is not a headline
    s, e, blank = lines[n]
    body = text[s:e].rstrip()
    if not _opens(body) or (not blank and body[-1] not in _FINAL):
        return 0
    return end


def headline_of(doc: Doc) -> int:
    """headline_end of the Doc's text."""
    return headline_end(doc.text)


def breaks(doc: Doc, s: int, e: int) -> list[int]:
    """Tokens in [s, e) that end a paragraph (a blank line) or the headline.

    Nothing is reported or spoken across one: a clause, subject or name that spans it is
    the parser running a headline or a title into the next sentence. A single newline
    inside a paragraph (soft-wrapped text) is no break.
    """
    out: list[int] = []
    top: int | None = None
    for t in doc[max(0, s) : e]:
        if not t.is_space or "\n" not in t.text:
            continue
        if t.text.count("\n") >= 2:
            out.append(t.i)
            continue
        if top is None:
            top = headline_of(doc)
        if top and t.idx <= top < t.idx + len(t.text) + 1:
            out.append(t.i)
    return out
