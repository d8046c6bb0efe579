"""Matching two annotators' spans and quotes on one document, and token labels for κ/α.

Matching rules (what every agreement figure builds on):

- exact: a span matches a span of the same start, end and label; a quote matches a
  quote with the same content parts.
- overlap: a span matches a span of the same label sharing at least one code point; a
  quote matches a quote whose content shares at least one code point with its own. The
  matching is one-to-one: pairs are taken greedily, most shared code points first (ties
  by position), so one long span cannot match two short ones.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from newsmark.domain.document import Token
from newsmark.domain.quotes import Quote, Range
from newsmark.domain.spans import Span

OUTSIDE = "O"  # the token label of a token no span covers


@dataclass(frozen=True, slots=True)
class Coding:
    """One annotator's annotation set of one document, as agreement reads it."""

    annotator: str
    spans: tuple[Span, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class DocumentCodings:
    """A document with the codings of two or more annotators.

    `tokens` are the document's stored tokens without the whitespace ones (spaCy keeps
    "\\n\\n" as a token: every annotator leaves it untagged, and it would only inflate κ).
    """

    doc_id: int
    title: str
    length: int
    tokens: tuple[Range, ...]
    codings: tuple[Coding, ...]

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(c.annotator for c in self.codings)


def content_tokens(text: str, tokens: Iterable[Token]) -> tuple[Range, ...]:
    """The tokens that are not whitespace, as (start, end)."""
    return tuple((t.start, t.end) for t in tokens if not text[t.start : t.end].isspace())


def shared(a: Range, b: Range) -> int:
    """How many code points two ranges share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


T = TypeVar("T")


def _greedy(
    a: Sequence[T],
    b: Sequence[T],
    score: Callable[[T, T], int],
    where: Callable[[T], int],
    candidates: Iterable[tuple[int, int]] | None = None,
) -> list[tuple[T, T]]:
    """One-to-one pairs with score > 0, highest score first, then by position.
    `candidates` (index pairs) narrows the search; default: every pair."""
    if candidates is None:
        candidates = itertools.product(range(len(a)), range(len(b)))
    ranked = sorted(
        (-s, where(a[i]), where(b[j]), i, j) for i, j in candidates if (s := score(a[i], b[j])) > 0
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[T, T]] = []
    for _, _, _, i, j in ranked:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    return pairs


def _touching(a: Sequence[Span], b: Sequence[Span]) -> Iterable[tuple[int, int]]:
    """Index pairs of spans of a and b that may overlap. A set's spans never overlap
    (AnnotationSet.validate), so a sweep over both in order finds them in linear time;
    lists that do overlap get every pair."""
    oa = sorted(range(len(a)), key=lambda i: (a[i].start, a[i].end))
    ob = sorted(range(len(b)), key=lambda j: (b[j].start, b[j].end))
    if not (_disjoint([a[i] for i in oa]) and _disjoint([b[j] for j in ob])):
        return list(itertools.product(range(len(a)), range(len(b))))
    out: list[tuple[int, int]] = []
    k = 0
    for i in oa:
        while k < len(ob) and b[ob[k]].end <= a[i].start:
            k += 1
        m = k
        while m < len(ob) and b[ob[m]].start < a[i].end:
            out.append((i, ob[m]))
            m += 1
    return out


def _disjoint(ordered: Sequence[Span]) -> bool:
    return all(x.end <= y.start for x, y in itertools.pairwise(ordered))


def match_spans(a: Sequence[Span], b: Sequence[Span], rule: str) -> list[tuple[Span, Span]]:
    """One-to-one span matches under `rule` ("exact" or "overlap")."""
    if rule == "exact":
        keys = {s.key: s for s in b}
        return [(s, keys[s.key]) for s in a if s.key in keys]
    if rule != "overlap":
        raise ValueError(f"unknown matching rule {rule!r}")

    def score(x: Span, y: Span) -> int:
        return shared((x.start, x.end), (y.start, y.end)) if x.label == y.label else 0

    return _greedy(a, b, score, lambda s: s.start, _touching(a, b))


def quote_shared(x: Quote, y: Quote) -> int:
    """Code points of content two quotes share (the parts of a quote never overlap)."""
    return sum(shared(p, q) for p in x.parts for q in y.parts)


def match_quotes(a: Sequence[Quote], b: Sequence[Quote], rule: str) -> list[tuple[Quote, Quote]]:
    """One-to-one quote matches under `rule` ("exact": same parts; "overlap")."""
    if rule == "exact":
        by_parts = {tuple(sorted(q.parts)): q for q in b}
        return [(q, by_parts[parts]) for q in a if (parts := tuple(sorted(q.parts))) in by_parts]
    if rule != "overlap":
        raise ValueError(f"unknown matching rule {rule!r}")
    return _greedy(a, b, quote_shared, lambda q: q.start)


def same_speaker(x: Quote, y: Quote) -> bool:
    """Do two matched quotes agree on who speaks?

    Yes when neither names a speaker, or both do and the mentions overlap or are linked
    to the same corpus entity (one annotator marked "he", the other "Netanyahu").
    """
    if x.speaker is None or y.speaker is None:
        return x.speaker is None and y.speaker is None
    if shared(x.speaker, y.speaker) > 0:
        return True
    return x.entity_id is not None and x.entity_id == y.entity_id


def token_labels(tokens: Sequence[Range], spans: Iterable[Span]) -> list[str]:
    """Each token's label: that of the span covering any of it, else "O" (IO tagging:
    no B-/I- distinction, so two adjacent spans of one label read as one)."""
    labels = [OUTSIDE] * len(tokens)
    starts = [s for s, _ in tokens]
    for span in spans:
        i = max(0, bisect.bisect_right(starts, span.start) - 1)
        while i < len(tokens) and tokens[i][0] < span.end:
            if tokens[i][1] > span.start and labels[i] == OUTSIDE:
                labels[i] = span.label
            i += 1
    return labels


def union(ranges: Iterable[Range]) -> list[Range]:
    """Sorted ranges with overlapping ones merged (uα needs units that do not overlap)."""
    out: list[Range] = []
    for s, e in sorted(ranges):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
