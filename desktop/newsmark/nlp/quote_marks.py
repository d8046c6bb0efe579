"""Pair double quotation marks into quoted segments, paragraph by paragraph (no spaCy)."""

from __future__ import annotations

import re
from dataclasses import dataclass

Range = tuple[int, int]

OPENERS = "“„‟«"
CLOSERS = "”»"
# Straight marks and the typewriter pairs (NYT's '' ... '', PTB's `` ... '') open or close
# depending on what is around them.
AMBIGUOUS = ('"', "''", "``")
_MARK_RE = re.compile(r"''|``|[\"“”„‟«»]")
_PARA_RE = re.compile(r"\n\s*")
_SINGLE_RE = re.compile(r"[‘’]")
# A transcript line: 'PENCE: Well, look, ...', maybe after an opening mark. Each line is
# its own attribution, so a quote left open never continues into one.
SPEAKER_LINE = re.compile(r"[\"“'`]*\s*((?:[A-Z][A-Z.'\-]+ ){0,3}[A-Z][A-Z.'\-]+):\s+\S")
# Characters after which a straight mark opens rather than closes.
_OPEN_BEFORE = " \t\n([{—–-/:;,"


@dataclass(frozen=True, slots=True)
class Segment:
    """A quoted stretch: `start` at the opening mark, `end` after the closing mark.

    `inner` is the text between the marks; `closed` is False when a paragraph ended
    before the quote did (the segment then stops at the paragraph end); `paragraph` is
    the index of the paragraph holding the opening mark and `last_paragraph` of the one
    holding the end (they differ for multi-paragraph quotes).
    """

    start: int
    end: int
    inner: Range
    closed: bool
    paragraph: int
    last_paragraph: int


def paragraphs(text: str) -> list[Range]:
    """Paragraph ranges: text between runs of newlines (stripped of outer spaces)."""
    out: list[Range] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _role(text: str, pos: int, mark: str, para_start: int) -> str:
    """'open' or 'close' for one mark at pos."""
    if mark in OPENERS:
        # A typo'd “ that ends a word ("True.“") closes.
        nxt = text[pos + 1 : pos + 2]
        prev = text[pos - 1 : pos] if pos > para_start else " "
        if (not nxt or nxt.isspace()) and not prev.isspace():
            return "close"
        return "open"
    if mark in CLOSERS:
        # A typo'd ” that opens a paragraph or a word ("\n”Fortunately,") opens.
        nxt = text[pos + 1 : pos + 2]
        if pos == para_start:
            return "open"  # '” … he delivered': nothing is open at a paragraph start
        return "open" if text[pos - 1].isspace() and nxt and not nxt.isspace() else "close"
    prev = text[pos - 1] if pos > para_start else " "
    nxt = text[pos + len(mark) : pos + len(mark) + 1]
    if prev in _OPEN_BEFORE or prev in OPENERS:
        return "open" if nxt and not nxt.isspace() else "close"
    return "close"


def _role_single(text: str, pos: int, mark: str, para_start: int) -> str:
    """'open', 'close' or 'skip' (an apostrophe) for a single curly mark."""
    if mark == "‘":
        prev = text[pos - 1] if pos > para_start else " "
        return "open" if prev.isspace() or prev in _OPEN_BEFORE or prev in OPENERS else "skip"
    nxt = text[pos + 1 : pos + 2]
    # "don’t", "Netanyahu’s": an apostrophe inside a word closes nothing.
    return "skip" if nxt.isalpha() else "close"


def _family(start: str) -> str:
    """Typographic family of a mark: a quote continues across paragraphs only in its own."""
    if start[:1] in "“”„‟":
        return "curly"
    if start[:1] in "«»":
        return "guillemet"
    if start[:1] == '"' or start[:2] in AMBIGUOUS:
        return "straight"
    return "none"


def _speech_like(text: str, open_at: int, open_len: int, para: Range) -> bool:
    """Can a quote left open at the end of `para` go on in the next paragraph?

    Quotes that run over paragraphs are speech: they open the paragraph or follow a colon
    or comma, or run long. A short fragment left open inside a clause ("called it “a
    mess.") is a missing closing mark instead.
    """
    before = text[para[0] : open_at].rstrip()
    if not before or before[-1] in ":,":
        return True
    return len(text[open_at + open_len : para[1]].split()) >= 8


def find_segments(text: str) -> list[Segment]:
    """Quoted segments in text order; linear in the length of the text.

    Marks pair within a paragraph. A quote left open at a paragraph end continues only
    when the next paragraph opens with a mark (the multi-paragraph convention); otherwise
    it stops at the paragraph end, so an unbalanced mark never swallows the article.
    """
    paras = paragraphs(text)
    # British style: single marks are the quotation marks when a text has no double ones.
    single = "‘" in text and not _MARK_RE.search(text)
    mark_re = _SINGLE_RE if single else _MARK_RE
    role_of = _role_single if single else _role
    out: list[Segment] = []
    open_at: int | None = None
    open_len = 0
    open_para = 0
    open_family = ""
    for pi, (ps, pe) in enumerate(paras):
        if open_at is not None:
            if (
                (text[ps] == "‘" if single else _family(text[ps : ps + 2]) == open_family)
                and not SPEAKER_LINE.match(text, ps, pe)
                and _speech_like(text, open_at, open_len, paras[pi - 1])
            ):
                # Multi-paragraph quote: skip this paragraph's opening mark.
                m0 = mark_re.match(text, ps)
                scan_from = m0.end() if m0 else ps
            else:
                prev_pe = paras[pi - 1][1]
                out.append(
                    Segment(
                        open_at, prev_pe, (open_at + open_len, prev_pe), False, open_para, pi - 1
                    )
                )
                open_at = None
                scan_from = ps
        else:
            scan_from = ps
        for m in mark_re.finditer(text, scan_from, pe):
            role = role_of(text, m.start(), m.group(), ps)
            if role == "skip":
                continue
            if role == "open":
                if open_at is not None and open_para == pi and m.start() - (open_at + open_len) < 2:
                    continue  # "“ “" doubled opener: keep the first
                open_at, open_len, open_para = m.start(), len(m.group()), pi
                open_family = _family(m.group())
            elif open_at is not None:
                out.append(
                    Segment(open_at, m.end(), (open_at + open_len, m.start()), True, open_para, pi)
                )
                open_at = None
    if open_at is not None and paras:
        pe = paras[-1][1]
        out.append(Segment(open_at, pe, (open_at + open_len, pe), False, open_para, len(paras) - 1))
    return [s for s in out if text[s.inner[0] : s.inner[1]].strip()]


@dataclass(slots=True)
class Found:
    """One quote found in a Doc: char `parts`, token ranges of speaker and cue.

    `speaker_head` is the token index heading the speaker mention (for resolution);
    `cue_verb` the token index of the cue verb, used to merge split quotes.
    """

    parts: list[Range]
    kind: str
    speaker: Range | None = None
    cue: Range | None = None
    speaker_head: int | None = None
    cue_verb: int | None = None
    entity: str | None = None
    speaker_label: str | None = None

    @property
    def start(self) -> int:
        return min(s for s, _ in self.parts)

    @property
    def end(self) -> int:
        return max(e for _, e in self.parts)
