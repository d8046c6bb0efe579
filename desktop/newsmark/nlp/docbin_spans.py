"""What a DocBin import keeps of a Doc: its tokens, doc.ents and span groups, no overlaps.

spaCy span groups (`doc.spans["sc"]`) may overlap and nest; Newsmark's entity spans may
not. The reader takes doc.ents and every group but Newsmark's own "quotes" (or the
groups named with --span-group, in that order), collapses identical spans and refuses
the file when spans still overlap, naming the groups; with --drop-unsupported it keeps
the first of each overlapping run (groups in order, then text order, longest first) and
counts the rest by group. "incorrect_spans" (Prodigy's name for the group spaCy's
`incorrect_spans_key` reads) holds spans known NOT to be entities: Newsmark has no such
thing, so unless named with --span-group it is refused or, when dropping, counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

from newsmark.domain.document import Token, complete_tokens
from newsmark.domain.errors import InputError
from newsmark.domain.overlaps import keep_first
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.nlp.quotes import SPANS_KEY

ENTS = "ents"  # what --span-group calls doc.ents
NEGATIVE = "incorrect_spans"
DUPLICATE_SPAN = "identical duplicate span"  # the kind formats.jsonl counts too


def group_title(name: str) -> str:
    return "doc.ents" if name == ENTS else f"doc.spans[{name!r}]"


@dataclass
class GroupCount:
    """One group across a file: its spans and how many overlap a span kept before them."""

    spans: int = 0
    overlapping: int = 0
    first_doc: int | None = None  # the first document with an overlapping span
    negative: int = 0  # spans of `incorrect_spans` taken by default: not entities


@dataclass
class FileGroups:
    """The span groups of one DocBin file, counted document by document."""

    counts: dict[str, GroupCount] = field(default_factory=dict)
    present: dict[str, None] = field(default_factory=dict)  # names in the file, in order

    def count(self, name: str) -> GroupCount:
        return self.counts.setdefault(name, GroupCount())


def doc_tokens(doc: Any) -> tuple[Token, ...]:
    """The Doc's own tokens (idx, length, whitespace_), checked to rebuild its text."""
    return complete_tokens(
        doc.text, [Token(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc]
    )


def _chosen(doc: Any, options: ReadOptions) -> list[str]:
    if options.span_groups is None:
        return [ENTS, *(name for name in doc.spans if name != SPANS_KEY)]
    return [name for name in dict.fromkeys(options.span_groups) if name != SPANS_KEY]


def _refuse(reason: str) -> NoReturn:
    raise InputError(None, None, reason)


def doc_spans(doc: Any, number: int, options: ReadOptions, groups: FileGroups) -> tuple[Span, ...]:
    """The spans to import from document `number`; what overlaps is counted in `groups`."""
    groups.present.update(dict.fromkeys([ENTS, *(n for n in doc.spans if n != SPANS_KEY)]))
    chosen = _chosen(doc, options)
    for name in (ENTS, *doc.spans):
        if name not in chosen and name != SPANS_KEY:
            size = len(doc.ents if name == ENTS else doc.spans[name])
            if size:
                options.skip(f"span of group {name} (not chosen)", size)
    candidates: list[tuple[str, Span]] = []
    seen: set[tuple[int, int, str]] = set()
    for name in chosen:
        members = doc.ents if name == ENTS else doc.spans.get(name, ())
        groups.count(name).spans += len(members)
        if name == NEGATIVE and options.span_groups is None:
            groups.count(name).negative += len(members)
            continue
        ordered = sorted(members, key=lambda s: (s.start_char, -s.end_char))
        for span in ordered:
            where = group_title(name)
            if not span.label_:
                options.unsupported(
                    f"span without a label (group {name})",
                    f"{where} has a span without a label at {span.start_char}",
                    _refuse,
                )
                continue
            if not span.text.strip():
                options.unsupported(
                    f"empty or whitespace span (group {name})",
                    f"{where} has an empty or whitespace span at {span.start_char}",
                    _refuse,
                )
                continue
            key = (span.start_char, span.end_char, span.label_)
            if key in seen:
                options.collapse(DUPLICATE_SPAN)
                continue
            seen.add(key)
            candidates.append((name, Span(*key, Origin.IMPORT)))
    kept, dropped = keep_first(candidates, lambda c: (c[1].start, c[1].end))
    for name, _ in dropped:
        count = groups.count(name)
        count.overlapping += 1
        if count.first_doc is None:
            count.first_doc = number
    return tuple(span for _, span in kept)


def check_groups(options: ReadOptions, groups: FileGroups) -> None:
    """After the last document: refuse unknown group names, overlaps and negative spans.

    What Newsmark cannot hold is refused for the whole file with every group's figures,
    or, with --drop-unsupported, counted as "overlapping span (group NAME)" and so on.
    """
    names = ", ".join(groups.present)
    for name in options.span_groups or ():
        if name not in groups.present and name != SPANS_KEY:
            _refuse(f"no span group {name!r} in this file (it has: {names})")
    found: list[tuple[str, str, int]] = []  # (kind, what, how many)
    for name, c in groups.counts.items():
        if c.negative:
            what = (
                f"{group_title(name)} has {c.negative} spans marked as not entities "
                "(spaCy's incorrect_spans_key), which Newsmark cannot hold"
            )
            found.append((f"span marked as not an entity (group {name})", what, c.negative))
        if c.overlapping:
            what = (
                f"{group_title(name)} has {c.spans} spans and {c.overlapping} of them overlap "
                f"an earlier one (first in document {c.first_doc}); Newsmark's entity spans "
                "may not overlap"
            )
            found.append((f"overlapping span (group {name})", what, c.overlapping))
    if not found:
        return
    reason = "; ".join(what for _, what, _ in found)
    reason += f"; choose groups with --span-group NAME (this file has: {names})"
    for kind, _, count in found:
        options.unsupported(kind, reason, _refuse, count)
