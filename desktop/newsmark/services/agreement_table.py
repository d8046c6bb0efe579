"""The agreement report as a plain-text table (the CLI's default output)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsmark.domain.errors import printable

# (key, heading) of the overall figures, in the order they print.
OVERALL = (
    ("span_f1_exact", "span F1 (exact)"),
    ("span_f1_overlap", "span F1 (overlap)"),
    ("cohen_kappa", "Cohen's κ (tokens, mean of pairs)"),
    ("fleiss_kappa", "Fleiss' κ (tokens, documents with all)"),
    ("token_alpha", "Krippendorff's α (tokens, nominal)"),
    ("span_alpha_u", "Krippendorff's uα (spans)"),
    ("quote_alpha_u", "Krippendorff's uα (quote content)"),
    ("quote_f1_exact", "quote F1 (exact)"),
    ("quote_f1_overlap", "quote F1 (overlap)"),
    ("quotes_matched", "matched quote pairs"),
    ("speaker_agreement", "speaker agreement (matched quotes)"),
    ("kind_agreement", "kind agreement (matched quotes)"),
)

# Columns of each breakdown: (key, heading).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "label": (
        ("label", "label"),
        ("spans", "spans"),
        ("span_f1_exact", "F1 exact"),
        ("span_f1_overlap", "F1 overlap"),
        ("cohen_kappa", "κ"),
        ("token_alpha", "α tokens"),
        ("span_alpha_u", "uα"),
    ),
    "annotator-pair": (
        ("annotators", "pair"),
        ("documents", "docs"),
        ("span_f1_exact", "F1 exact"),
        ("span_f1_overlap", "F1 overlap"),
        ("cohen_kappa", "κ"),
        ("span_alpha_u", "uα spans"),
        ("quote_alpha_u", "uα quotes"),
        ("speaker_agreement", "speaker"),
        ("kind_agreement", "kind"),
    ),
    "document": (
        ("document", "doc"),
        ("title", "title"),
        ("annotators", "annotators"),
        ("span_f1_exact", "F1 exact"),
        ("span_f1_overlap", "F1 overlap"),
        ("token_alpha", "α tokens"),
        ("span_alpha_u", "uα spans"),
        ("quote_alpha_u", "uα quotes"),
        ("speaker_agreement", "speaker"),
        ("kind_agreement", "kind"),
    ),
}

TITLE_WIDTH = 30


def cell(key: str, value: Any) -> str:
    """One figure as the table shows it: 3 decimals, "-" where undefined."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return printable("/".join(map(str, value)))
    text = printable(str(value))  # titles and names come from imported files
    if key == "title" and len(text) > TITLE_WIDTH:
        return text[: TITLE_WIDTH - 1] + "…"
    return text


def rows_of(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Headings and cells of the report's breakdown (the window's table shows these)."""
    columns = COLUMNS[report["by"]]
    cells = [[cell(k, row.get(k)) for k, _ in columns] for row in report["rows"]]
    return [h for _, h in columns], cells


TEXT = frozenset(("label", "annotators", "title", "document"))  # left-aligned columns


def _aligned(
    keys: Sequence[str], headings: Sequence[str], cells: Sequence[Sequence[str]]
) -> list[str]:
    widths = [max(len(r[i]) for r in [headings, *cells]) for i in range(len(headings))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(w) if k in TEXT else v.rjust(w)
            for k, v, w in zip(keys, values, widths, strict=True)
        ).rstrip()

    return [line(headings), *(line(r) for r in cells)]


def format_table(report: dict[str, Any]) -> str:
    docs = report["documents"]
    lines = [
        f"annotators: {printable(', '.join(report['annotators']))}",
        f"documents: {docs['compared']} compared ({docs['with_all']} with every annotator), "
        f"{docs['skipped']} skipped (fewer than two annotators)",
        "",
    ]
    width = max(len(h) for _, h in OVERALL)
    lines += [f"{h.ljust(width)}  {cell(k, report['overall'].get(k))}" for k, h in OVERALL]
    lines += ["", f"by {report['by']}:"]
    headings, cells = rows_of(report)
    keys = [k for k, _ in COLUMNS[report["by"]]]
    lines += _aligned(keys, headings, cells) if cells else ["  (no documents to compare)"]
    return "\n".join(lines)
