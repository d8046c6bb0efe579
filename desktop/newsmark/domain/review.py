"""The review diff: several annotators' spans and quotes of one document, item by item.

An item is a connected group of overlapping annotations (spans: sharing a code point,
whatever their labels; quotes: sharing a code point of content), across every annotator
and the gold set. The reviewer decides per item: one annotator's version of it (their
spans or quotes in it, possibly none) goes into the gold set. Unlike agreement's
one-to-one matching (domain/agreement.py), an item keeps every competing alternative of
a region together, so taking one version replaces all of gold's there.

- agree: every annotator has the same annotations in the item (spans: start, end,
  label; quotes: parts, kind, speaker, cue).
- disagree: two or more annotators have something there, not all the same (or some
  have nothing).
- only: one annotator alone has something there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from newsmark.domain.agreement import quote_shared, shared
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span

# The annotator name of a document's gold set: what review writes, training prefers and
# agreement leaves out unless asked. Nobody annotates under it.
GOLD_ANNOTATOR = "gold"


class Verdict(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    ONLY = "only"


T = TypeVar("T", Span, Quote)


@dataclass(frozen=True, slots=True)
class ReviewItem(Generic[T]):
    """One item of the diff: each annotator's annotations in it (empty when they have
    none there), gold's, and what differs between the versions."""

    kind: str  # "span" or "quote"
    start: int
    end: int
    verdict: Verdict
    versions: tuple[tuple[str, tuple[T, ...]], ...]  # (annotator, their items), in order
    gold: tuple[T, ...]
    differs: tuple[str, ...]  # e.g. ("boundaries", "label"), ("speaker",), ("missing",)

    def version(self, annotator: str) -> tuple[T, ...]:
        for name, found in self.versions:
            if name == annotator:
                return found
        raise KeyError(annotator)

    @property
    def holders(self) -> tuple[str, ...]:
        """The annotators who have something in the item."""
        return tuple(name for name, found in self.versions if found)

    @property
    def gold_from(self) -> tuple[str, ...]:
        """The annotators whose version gold holds (none: gold differs from all or is
        empty where they all have something)."""
        mine = _keys(self.gold)
        return tuple(n for n, found in self.versions if _keys(found) == mine and (found or mine))

    @property
    def decided(self) -> bool:
        """Gold holds one annotator's version of the item."""
        return bool(self.gold_from)


@dataclass(frozen=True, slots=True)
class ReviewDiff:
    annotators: tuple[str, ...]
    items: tuple[ReviewItem[Span] | ReviewItem[Quote], ...]  # by start, spans first

    def count(self, verdict: Verdict) -> int:
        return sum(1 for item in self.items if item.verdict is verdict)


def _keys(found: Sequence[Span] | Sequence[Quote]) -> list[str]:
    # repr: a quote's key holds None or a range, which do not sort against each other.
    return sorted(repr(x.key) for x in found)


def review_diff(
    spans: Mapping[str, Sequence[Span]],
    quotes: Mapping[str, Sequence[Quote]],
    gold_spans: Sequence[Span] = (),
    gold_quotes: Sequence[Quote] = (),
) -> ReviewDiff:
    """The diff of the annotators' sets (annotator -> their spans, quotes; the same
    annotators in both mappings) against each other, with gold's annotations placed."""
    names = tuple(sorted(set(spans) | set(quotes)))
    span_items = _items(
        "span",
        names,
        {n: spans.get(n, ()) for n in names},
        gold_spans,
        lambda a, b: shared((a.start, a.end), (b.start, b.end)) > 0,
        _span_differs,
    )
    quote_items = _items(
        "quote",
        names,
        {n: quotes.get(n, ()) for n in names},
        gold_quotes,
        lambda a, b: quote_shared(a, b) > 0,
        _quote_differs,
    )
    items: list[ReviewItem[Span] | ReviewItem[Quote]] = [*span_items, *quote_items]
    items.sort(key=lambda i: (i.start, i.kind != "span", i.end))
    return ReviewDiff(names, tuple(items))


def _items(
    kind: str,
    names: tuple[str, ...],
    by_name: Mapping[str, Sequence[T]],
    gold: Sequence[T],
    touch: Callable[[T, T], bool],
    differs: Callable[[list[tuple[T, ...]]], tuple[str, ...]],
) -> list[ReviewItem[T]]:
    # Every annotation, tagged with its owner (None: gold), grouped by a union-find over
    # the overlap relation. Sorted by start, a sweep only compares an annotation with
    # those still open at its start.
    tagged: list[tuple[str | None, T]] = [(n, x) for n in names for x in by_name[n]]
    tagged += [(None, x) for x in gold]
    tagged.sort(key=lambda t: (t[1].start, t[1].end))
    parent = list(range(len(tagged)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    open_: list[int] = []
    for i, (_, x) in enumerate(tagged):
        open_ = [j for j in open_ if tagged[j][1].end > x.start]
        for j in open_:
            if touch(tagged[j][1], x):
                parent[find(i)] = find(j)
        open_.append(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(tagged)):
        groups.setdefault(find(i), []).append(i)
    out: list[ReviewItem[T]] = []
    for members in groups.values():
        versions = tuple(
            (n, tuple(tagged[i][1] for i in members if tagged[i][0] == n)) for n in names
        )
        gold_here = tuple(tagged[i][1] for i in members if tagged[i][0] is None)
        found = [v for _, v in versions]
        holders = [v for v in found if v]
        diff: tuple[str, ...]
        if not holders:
            verdict, diff = Verdict.ONLY, ("gold only",)
        elif len(holders) == 1 and len(names) > 1:
            verdict, diff = Verdict.ONLY, ("missing",)
        elif all(_keys(v) == _keys(found[0]) for v in found):
            verdict, diff = Verdict.AGREE, ()
        else:
            verdict = Verdict.DISAGREE
            diff = differs(holders) + (("missing",) if len(holders) < len(found) else ())
        every = [tagged[i][1] for i in members]
        out.append(
            ReviewItem(
                kind,
                min(x.start for x in every),
                max(x.end for x in every),
                verdict,
                versions,
                gold_here,
                diff,
            )
        )
    return out


def _span_differs(holders: list[tuple[Span, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    if len({tuple(sorted((s.start, s.end) for s in v)) for v in holders}) > 1:
        out.append("boundaries")
    if len({tuple(sorted(s.label for s in v)) for v in holders}) > 1:
        out.append("label")
    return tuple(out)


def _quote_differs(holders: list[tuple[Quote, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for what, get in (
        ("content", lambda q: q.parts),
        ("speaker", lambda q: q.speaker),
        ("cue", lambda q: q.cue),
        ("kind", lambda q: q.kind.value),
    ):
        if len({tuple(sorted(map(repr, map(get, v)))) for v in holders}) > 1:
            out.append(what)
    return tuple(out)
