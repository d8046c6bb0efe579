"""What a reader may leave out of a file, and its tally of what it did leave out.

Readers refuse what Newsmark cannot represent (a relation of another type, a brat
attribute, a Label Studio choice) unless the user asked to drop it; either way nothing
goes missing without a line in the import summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn

from newsmark.domain.errors import InputError, UnsupportedContent

DROP_OPTION = "--drop-unsupported"


@dataclass
class ReadOptions:
    """Options for one file's readers, and the tally the reader keeps while reading it.

    `dropped` counts what was not imported, by kind ("relation quotee", "record with
    whitespace-only text"); `collapsed` counts harmless repetitions that were merged
    ("identical duplicate span"). `span_groups` names the spaCy span groups to import
    (None: every group). `label_map` is `--map-labels`: readers that build quotes from
    labelled regions and relations read those labels and relation types through
    `structure_label` first, so renamed ones can carry quote structure.
    """

    drop_unsupported: bool = False
    span_groups: tuple[str, ...] | None = None
    label_map: Mapping[str, str] = field(default_factory=dict)
    dropped: Counter[str] = field(default_factory=Counter)
    collapsed: Counter[str] = field(default_factory=Counter)

    def fresh(self) -> ReadOptions:
        """The same options with an empty tally (one per file, merged when the file lands)."""
        return ReadOptions(self.drop_unsupported, self.span_groups, self.label_map)

    def structure_label(self, name: str) -> str:
        """A region label or relation type as `--map-labels` renames it."""
        return self.label_map.get(name, name)

    def unsupported(
        self, kind: str, reason: str, fail: Callable[[str], NoReturn], count: int = 1
    ) -> None:
        """Drop `count` of `kind` when allowed, else refuse the file with `reason`.

        `fail` builds the reader's InputError (file and line); the refusal is raised as
        UnsupportedContent so callers can offer to import the file with dropping allowed.
        """
        if not self.drop_unsupported:
            try:
                fail(f"{reason}; {DROP_OPTION} imports the rest and counts what it drops")
            except InputError as exc:
                raise UnsupportedContent(exc.path, exc.line, exc.reason) from None
        self.dropped[kind] += count

    def skip(self, kind: str, count: int = 1) -> None:
        """Something left out whatever the options (e.g. a record with no text)."""
        self.dropped[kind] += count

    def collapse(self, kind: str, count: int = 1) -> None:
        self.collapsed[kind] += count

    def merge(self, other: ReadOptions) -> None:
        self.dropped.update(other.dropped)
        self.collapsed.update(other.collapsed)


def describe_counts(counts: Counter[str]) -> str:
    """`3 relation quotee, 1 brat attribute` (largest first, then by name)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {kind}" for kind, n in ordered)
