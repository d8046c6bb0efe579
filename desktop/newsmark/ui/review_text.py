"""What the review window writes about an item: colours by verdict, one cell per version."""

from __future__ import annotations

from collections.abc import Sequence

from newsmark.domain.quotes import Quote
from newsmark.domain.review import ReviewItem, Verdict
from newsmark.domain.spans import Span

# Light backgrounds a label's black text reads on; told apart by hue and lightness
# (green, orange, blue), and the item list names the verdict in words as well.
VERDICT_COLORS = {
    Verdict.AGREE: "#cde8c4",
    Verdict.DISAGREE: "#f7c59f",
    Verdict.ONLY: "#c9dcf5",
}
# Underline of a quote item's content (spans are backgrounds; the two layers overlap).
VERDICT_LINES = {
    Verdict.AGREE: "#3d8b37",
    Verdict.DISAGREE: "#d9480f",
    Verdict.ONLY: "#1c64c4",
}
CURRENT_COLOR = "#ffd43b"
DECIDED_COLOR = "#e3f1dc"  # the gold cell of an item gold holds one annotator's version of
NOTHING = "—"


def clip(text: str, limit: int = 40) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def describe(found: Sequence[object], text: str) -> str:
    """One annotator's (or gold's) version of an item, in a table cell."""
    if not found:
        return NOTHING
    out = []
    for x in found:
        if isinstance(x, Span):
            out.append(f"{x.label} «{clip(text[x.start : x.end], 30)}»")
        elif isinstance(x, Quote):
            content = " … ".join(text[s:e] for s, e in x.parts)
            who = f" — {clip(text[x.speaker[0] : x.speaker[1]], 20)}" if x.speaker else ""
            out.append(f"{x.kind.value} «{clip(content, 30)}»{who}")
    return "; ".join(out)


def detail(item: ReviewItem[Span] | ReviewItem[Quote], text: str) -> list[str]:
    """The item in full, one line per annotator with the digit that takes their version."""
    what = f"{item.kind} {item.verdict.value}"
    if item.differs:
        what += f" ({', '.join(item.differs)})"
    lines = [what]
    for n, (name, found) in enumerate(item.versions, start=1):
        key = str(n) if n <= 9 else " "
        lines.append(f"{key}  {name}: {_full(found, text)}")
    taken = f" (= {', '.join(item.gold_from)})" if item.gold_from else ""
    lines.append(f"   gold: {_full(item.gold, text)}{taken}")
    return lines


def _full(found: Sequence[object], text: str) -> str:
    if not found:
        return NOTHING
    out = []
    for x in found:
        if isinstance(x, Span):
            out.append(f"{x.label} «{text[x.start : x.end]}» {x.start}–{x.end}")
        elif isinstance(x, Quote):
            content = " … ".join(text[s:e] for s, e in x.parts)
            parts = [f"{x.kind.value} «{clip(content, 80)}»"]
            if x.speaker:
                parts.append(f"speaker «{text[x.speaker[0] : x.speaker[1]]}»")
            if x.cue:
                parts.append(f"cue «{text[x.cue[0] : x.cue[1]]}»")
            out.append(", ".join(parts))
    return "; ".join(out)
