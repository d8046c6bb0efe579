"""Agreement figures of a corpus: overall, and by label, annotator pair or document.

What each figure is (docs/architecture.md and the README repeat it for users):

- span/quote F1: per annotator pair, 2·matches / (spans of one + spans of the other),
  summed over pairs and documents before dividing (micro); exact and overlap matching
  as `domain.agreement` defines them.
- Cohen's κ: per pair, on the token labels of the documents both annotated (a token
  takes its span's label, "O" when untagged); over several pairs, their mean (Light's κ).
- Fleiss' κ: on the token labels of the documents every selected annotator annotated,
  when there are three or more.
- α (tokens): Krippendorff's nominal α on the token labels, every document with two or
  more of the selected annotators (an annotator without a set is a missing value).
- uα: Krippendorff's (2004) unitized α on the documents as a continuum (spans: one
  category per label; quotes: the content of every quote as one category), on the
  documents every selected annotator annotated (per pair: the documents both did).
- speaker and kind agreement: the share of overlap-matched quote pairs whose speakers
  agree (`agreement.same_speaker`) or whose kinds are the same.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsmark.domain import agreement_stats as stats
from newsmark.domain.agreement import (
    DocumentCodings,
    match_quotes,
    match_spans,
    same_speaker,
    token_labels,
    union,
)
from newsmark.domain.quotes import Range

BREAKDOWNS = ("label", "annotator-pair", "document")
QUOTE = "quote"  # the one uα category of quote content


@dataclass(slots=True)
class Tally:
    """Match counts of one scope (a pair, a document, the corpus)."""

    spans: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    quotes: list[int] = field(default_factory=lambda: [0, 0, 0])  # both sizes, exact, overlap
    matched: int = 0
    speaker: int = 0
    kind: int = 0

    def add(self, doc: DocumentCodings, i: int, j: int) -> None:
        a, b = doc.codings[i], doc.codings[j]
        for label in {s.label for s in a.spans} | {s.label for s in b.spans}:
            sa = [s for s in a.spans if s.label == label]
            sb = [s for s in b.spans if s.label == label]
            row = self.spans[label]
            row[0] += len(sa) + len(sb)
            row[1] += len(match_spans(sa, sb, "exact"))
            row[2] += len(match_spans(sa, sb, "overlap"))
        self.quotes[0] += len(a.quotes) + len(b.quotes)
        self.quotes[1] += len(match_quotes(a.quotes, b.quotes, "exact"))
        pairs = match_quotes(a.quotes, b.quotes, "overlap")
        self.quotes[2] += len(pairs)
        self.matched += len(pairs)
        self.speaker += sum(same_speaker(x, y) for x, y in pairs)
        self.kind += sum(x.kind == y.kind for x, y in pairs)

    def span_f1(self, column: int, label: str | None = None) -> float | None:
        rows = [self.spans[label]] if label is not None else list(self.spans.values())
        total = sum(r[0] for r in rows)
        return 2 * sum(r[column] for r in rows) / total if total else None

    def quote_figures(self) -> dict[str, Any]:
        total = self.quotes[0]
        return {
            "quote_f1_exact": 2 * self.quotes[1] / total if total else None,
            "quote_f1_overlap": 2 * self.quotes[2] / total if total else None,
            "quotes_matched": self.matched,
            "speaker_agreement": self.speaker / self.matched if self.matched else None,
            "kind_agreement": self.kind / self.matched if self.matched else None,
        }


def _tally(docs: Sequence[DocumentCodings], pair: tuple[str, str] | None = None) -> Tally:
    tally = Tally()
    for doc in docs:
        names = doc.annotators
        for i, j in itertools.combinations(range(len(names)), 2):
            if pair is None or {names[i], names[j]} == set(pair):
                tally.add(doc, i, j)
    return tally


def _tokens(doc: DocumentCodings) -> list[list[str]]:
    """Per coding, its token labels."""
    return [token_labels(doc.tokens, c.spans) for c in doc.codings]


def _pair_kappa(
    docs: Sequence[DocumentCodings], a: str, b: str, label: str | None = None
) -> float | None:
    """Cohen's κ of a and b on the tokens of the documents both annotated (binary for
    `label`: that label or not)."""
    xs: list[str] = []
    ys: list[str] = []
    for doc in docs:
        if a in doc.annotators and b in doc.annotators:
            rows = dict(zip(doc.annotators, _tokens(doc), strict=True))
            xs += rows[a]
            ys += rows[b]
    if label is not None:
        xs = [str(x == label) for x in xs]
        ys = [str(y == label) for y in ys]
    return stats.cohen_kappa(xs, ys)


def _light(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def _token_units(docs: Sequence[DocumentCodings], label: str | None = None) -> list[list[str]]:
    units: list[list[str]] = []
    for doc in docs:
        per_coder = _tokens(doc)
        for k in range(len(doc.tokens)):
            values = [labels[k] for labels in per_coder]
            units.append([str(v == label) for v in values] if label is not None else values)
    return units


def _fleiss(docs: Sequence[DocumentCodings]) -> float | None:
    return stats.fleiss_kappa(Counter(unit) for unit in _token_units(docs))


def unitized(
    docs: Sequence[DocumentCodings], annotators: Sequence[str]
) -> tuple[stats.UnitizedAlpha, stats.UnitizedAlpha]:
    """uα of spans and of quote content over `docs` laid end to end, for `annotators`
    (each document must have a coding of each)."""
    pieces: list[Range] = []
    spans: list[dict[str, list[Range]]] = [defaultdict(list) for _ in annotators]
    quotes: list[dict[str, list[Range]]] = [{QUOTE: []} for _ in annotators]
    offset = 0
    for doc in docs:
        pieces.append((offset, offset + doc.length))
        by_name = {c.annotator: c for c in doc.codings}
        for k, name in enumerate(annotators):
            coding = by_name[name]
            by_label: dict[str, list[Range]] = defaultdict(list)
            for s in coding.spans:
                by_label[s.label].append((s.start, s.end))
            for label, ranges in by_label.items():
                spans[k][label] += [(s + offset, e + offset) for s, e in union(ranges)]
            parts = [p for q in coding.quotes for p in q.parts]
            quotes[k][QUOTE] += [(s + offset, e + offset) for s, e in union(parts)]
        offset += doc.length
    if not pieces:
        empty = stats.UnitizedAlpha(None, {}, {}, {})
        return empty, empty
    return stats.unitized_alpha(pieces, spans), stats.unitized_alpha(pieces, quotes)


def _with_all(docs: Sequence[DocumentCodings], names: Sequence[str]) -> list[DocumentCodings]:
    return [d for d in docs if set(names) <= set(d.annotators)]


def _span_quote_figures(tally: Tally) -> dict[str, Any]:
    return {
        "span_f1_exact": tally.span_f1(1),
        "span_f1_overlap": tally.span_f1(2),
        **tally.quote_figures(),
    }


def agreement_report(
    docs: Sequence[DocumentCodings], annotators: Sequence[str], by: str, skipped: int
) -> dict[str, Any]:
    """The figures of `docs` (each with two or more of `annotators`), broken down `by`."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    pairs = list(itertools.combinations(annotators, 2))
    complete = _with_all(docs, annotators)
    span_u, quote_u = unitized(complete, annotators)
    pair_kappas = {p: _pair_kappa(docs, *p) for p in pairs}
    overall = {
        **_span_quote_figures(_tally(docs)),
        "cohen_kappa": _light(list(pair_kappas.values())),
        "fleiss_kappa": _fleiss(complete) if len(annotators) >= 3 else None,
        "token_alpha": stats.alpha_nominal(_token_units(docs)),
        "span_alpha_u": span_u.joint,
        "quote_alpha_u": quote_u.joint,
    }
    report: dict[str, Any] = {
        "annotators": list(annotators),
        "documents": {"compared": len(docs), "with_all": len(complete), "skipped": skipped},
        "overall": overall,
        "by": by,
    }
    if by == "label":
        report["rows"] = _by_label(docs, pairs, span_u)
    elif by == "annotator-pair":
        report["rows"] = [_pair_row(docs, p, pair_kappas[p]) for p in pairs]
    else:
        report["rows"] = [_document_row(doc) for doc in docs]
    return report


def _by_label(
    docs: Sequence[DocumentCodings], pairs: Sequence[tuple[str, str]], span_u: stats.UnitizedAlpha
) -> list[dict[str, Any]]:
    tally = _tally(docs)
    counts = Counter(s.label for d in docs for c in d.codings for s in c.spans)
    return [
        {
            "label": label,
            "spans": counts[label],
            "span_f1_exact": tally.span_f1(1, label),
            "span_f1_overlap": tally.span_f1(2, label),
            "cohen_kappa": _light([_pair_kappa(docs, *p, label=label) for p in pairs]),
            "token_alpha": stats.alpha_nominal(_token_units(docs, label)),
            "span_alpha_u": span_u.by_category.get(label),
        }
        for label in sorted(counts)
    ]


def _pair_row(
    docs: Sequence[DocumentCodings], pair: tuple[str, str], kappa: float | None
) -> dict[str, Any]:
    both = _with_all(docs, pair)
    span_u, quote_u = unitized(both, pair)
    return {
        "annotators": list(pair),
        "documents": len(both),
        **_span_quote_figures(_tally(both, pair)),
        "cohen_kappa": kappa,
        "span_alpha_u": span_u.joint,
        "quote_alpha_u": quote_u.joint,
    }


def _document_row(doc: DocumentCodings) -> dict[str, Any]:
    span_u, quote_u = unitized([doc], doc.annotators)
    return {
        "document": doc.doc_id,
        "title": doc.title,
        "annotators": list(doc.annotators),
        **_span_quote_figures(_tally([doc])),
        "token_alpha": stats.alpha_nominal(_token_units([doc])),
        "span_alpha_u": span_u.joint,
        "quote_alpha_u": quote_u.joint,
    }
