"""Where quotation marks open and close in a paragraph: the quoted regions a quote kind is
guessed from (straight, curly, nested and paragraph-spanning quotations)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

# Each opener and the marks that close it; straight marks open or close by context.
CLOSERS: dict[str, tuple[str, ...]] = {
    "“": ("”", '"'),  # copy-edited text mixes straight and curly marks
    "„": ("“", "”"),
    "«": ("»",),
    "‹": ("›",),
    "「": ("」",),
    "『": ("』",),
    "``": ("''", '"'),
    '"': ('"', "”"),
    "''": ("''",),  # how NYT-style text writes a double mark
    "‘": ("’",),
    "'": ("'",),
}
SINGLES = ("‘", "'")
CLOSING_ONLY = ("”", "’", "»", "›", "」", "』")
STRAIGHT = ('"', "''", "'")
OPENING_CONTEXT = "([{—–-/"  # a mark after these opens, like one after a space
ALL_MARKS = "\"'“”„«»‹›「」『』‘’`"
SCAN_LIMIT = 20_000  # characters of a paragraph read on either side of a range (at least)


@dataclass(frozen=True, slots=True)
class _Open:
    mark: str  # the opener as written ("“", '"', "''", "‘", ...)
    at: int  # its offset


def _looks_open(text: str, at: int, after: int) -> bool:
    """A mark at [at, after) that starts a quotation: nothing or a space/opener before it,
    something other than a space after it."""
    before = text[at - 1] if at > 0 else " "
    following = text[after] if after < len(text) else " "
    return (before.isspace() or before in OPENING_CONTEXT or before in ALL_MARKS) and not (
        following.isspace()
    )


def _looks_closed(text: str, at: int, after: int) -> bool:
    """A mark that ends a quotation: no space before it, no letter or digit after it."""
    before = text[at - 1] if at > 0 else " "
    following = text[after] if after < len(text) else " "
    return not before.isspace() and not following.isalnum()


def _read_mark(text: str, i: int) -> str | None:
    """The quotation mark starting at `i` (two characters for `` and ''), or None."""
    pair = text[i : i + 2]
    if pair in ("``", "''"):
        return pair
    char = text[i]
    return char if char in CLOSERS or char in CLOSING_ONLY else None


def _close(stack: list[_Open], mark: str, end: int) -> tuple[int, int] | None:
    """Close the innermost quotation `mark` ends, dropping what was left open inside it."""
    for i in range(len(stack) - 1, -1, -1):
        if mark in CLOSERS[stack[i].mark]:
            opened = stack[i]
            del stack[i:]
            return (opened.at, end)
    return None


def _is_open(stack: list[_Open], mark: str) -> bool:
    return any(mark in CLOSERS[o.mark] for o in stack)


def paragraph_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted regions (from an opening mark to the end of its closing mark) of the
    paragraph text[start:end]. A double quotation left open runs to the paragraph's end
    (news continues a quotation into the next paragraph without closing it); a single mark
    that closes nothing is an apostrophe ("’90s", "voters’")."""
    stack: list[_Open] = []
    regions: list[tuple[int, int]] = []
    i = start
    while i < end:
        mark = _read_mark(text, i)
        if mark is None:
            i += 1
            continue
        after = i + len(mark)
        opens, closes = _looks_open(text, i, after), _looks_closed(text, i, after)
        region = None
        if mark in STRAIGHT:
            if opens and not closes:
                stack.append(_Open(mark, i))
            elif _is_open(stack, mark) and (closes or mark != "'"):
                region = _close(stack, mark, after)
            elif mark != "'" and opens:
                stack.append(_Open(mark, i))
            elif mark != "'":  # closes what began before the paragraph (a cut text)
                region = (start, after)
        elif mark in CLOSERS and not (mark in CLOSERS["„"] and _is_open(stack, mark)):
            if mark not in SINGLES or opens:
                stack.append(_Open(mark, i))
        elif mark != "’" or closes:  # a closer; ’ inside a word is an apostrophe
            region = _close(stack, mark, after)
            if region is None and mark == "”" and (opens or i == start):  # ”Fear. I am...
                stack.append(_Open("“", i))
        if region is not None:
            regions.append(region)
        i = after
    regions += [(o.at, end) for o in stack if o.mark not in SINGLES]
    return sorted(regions)


@lru_cache(maxsize=32)
def _region_index(text: str, lo: int, hi: int) -> tuple[list[int], list[int], list[int]]:
    """A window's quotation regions: starts, ends and the running maximum of the ends
    (bisectable though regions nest)."""
    regions = paragraph_regions(text, lo, hi)
    ends = [b for _, b in regions]
    return [a for a, _ in regions], ends, list(accumulate(ends, max))


def quoted_mask(text: str, start: int, end: int) -> list[bool]:
    """For each offset in [start, end): whether it lies inside a quotation of its paragraph
    (of at most SCAN_LIMIT characters of it either side: a text of one huge line is read
    around the range, not whole, for each quote)."""
    para_start = text.rfind("\n", 0, start) + 1
    mask = [False] * (end - start)
    while para_start < end:
        para_end = text.find("\n", para_start)
        para_end = len(text) if para_end < 0 else para_end
        # The window snaps to SCAN_LIMIT blocks, so the quotes of one long paragraph share
        # a few cached scans instead of each reading 40,000 characters again.
        lo = max(para_start, (start // SCAN_LIMIT - 1) * SCAN_LIMIT)
        hi = min(para_end, (end // SCAN_LIMIT + 2) * SCAN_LIMIT)
        starts, ends, reach = _region_index(text, lo, hi)
        k = bisect_right(reach, start)  # the first region that may reach past `start`
        while k < len(starts) and starts[k] < end:
            for p in range(max(starts[k], start), min(ends[k], end)):
                mask[p - start] = True
            k += 1
        para_start = para_end + 1
    return mask
