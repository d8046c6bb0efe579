"""Corpus statistics: documents by status, spans by label and origin, quotes by kind."""

from __future__ import annotations

from typing import Any

from newsmark.storage import Repository


def stats(repo: Repository) -> dict[str, Any]:
    return repo.stats()


def format_stats(data: dict[str, Any]) -> str:
    lines = [f"documents: {data.get('documents', 0)}"]
    for title, key in (
        ("annotation sets by status", "by_status"),
        ("spans by label", "spans_by_label"),
        ("spans by origin", "spans_by_origin"),
        ("quotes by kind", "quotes_by_kind"),
    ):
        table = data.get(key) or {}
        lines.append(f"{title}:")
        if not table:
            lines.append("  (none)")
        width = max((len(str(k)) for k in table), default=0)
        for name, count in sorted(table.items(), key=lambda kv: (-kv[1], str(kv[0]))):
            lines.append(f"  {str(name).ljust(width)}  {count}")
    return "\n".join(lines)
