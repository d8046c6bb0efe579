"""Spans off token boundaries: what a token-based export found, and did with each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment


def doc_label(record: Mapping[str, Any]) -> str:
    """How a report names a record: its database id, else its source."""
    meta = record.get("meta") or {}
    doc_id = meta.get("doc_id")
    return str(doc_id) if doc_id is not None else str(meta.get("source") or "?")


@dataclass(frozen=True, slots=True)
class Misaligned:
    """A span that does not fall on token boundaries, and what the writer did with it.

    `doc` names the document as a report does (its id, else its source); `action` is None
    where the format keeps character offsets and only reports the span (Newsmark JSONL).
    """

    doc: str
    what: str  # span, quote, speaker or cue
    start: int
    end: int
    label: str | None
    text: str
    action: str | None = None  # "refused (strict)", "expanded to 3..9", "dropped: ..."

    def __str__(self) -> str:
        label = f" {self.label}" if self.label else ""
        done = f": {self.action}" if self.action else ""
        return (
            f"document {self.doc}: {self.what}{label} {self.start}..{self.end} {self.text!r} "
            f"does not match token boundaries{done}"
        )


@dataclass
class AlignmentReport:
    """Collects misaligned spans over one export; strict mode refuses the export at the end.

    Writers keep going in strict mode so the report lists every problem at once; the
    caller's atomic writer then discards the partial file when `check` raises.
    """

    mode: Alignment = Alignment.STRICT
    items: list[Misaligned] = field(default_factory=list)
    # What a writer left out by design (e.g. quotes in CoNLL), one line each.
    notes: list[str] = field(default_factory=list)

    def check(self, fmt: str) -> None:
        if self.mode is not Alignment.STRICT or not self.items:
            return
        shown = "; ".join(str(m) for m in self.items[:5])
        more = f" (and {len(self.items) - 5} more)" if len(self.items) > 5 else ""
        raise InputError(
            None,
            None,
            f"{fmt} needs token-aligned spans and {len(self.items)} are not: {shown}{more}; "
            "choose --alignment expand or contract",
        )
