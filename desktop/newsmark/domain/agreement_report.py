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

By label, κ and α are those of "this label or not" on the same tokens, and uα that
label's category.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsmark.domain import agreement_stats as stats
from newsmark.domain.agreement import (
    Coding,
    DocumentCodings,
    match_quotes,
    match_spans,
    same_speaker,
    token_labels,
    union,
)
from newsmark.domain.quotes import Range
from newsmark.domain.spans import Span

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

    def add(self, a: Coding, b: Coding) -> None:
        by_label_a, by_label_b = _by_label(a.spans), _by_label(b.spans)
        for label in by_label_a.keys() | by_label_b.keys():
            sa, sb = by_label_a.get(label, []), by_label_b.get(label, [])
            row = self.spans[label]
            row[0] += len(sa) + len(sb)
            if sa and sb:
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


def _by_label(spans: Sequence[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        out[span.label].append(span)
    return out


class Corpus:
    """The documents compared, each coding's token labels worked out once (every
    figure and breakdown reads them)."""

    def __init__(self, docs: Sequence[DocumentCodings]) -> None:
        self.docs = list(docs)
        self.labels: dict[int, dict[str, list[str]]] = {
            doc.doc_id: {c.annotator: token_labels(doc.tokens, c.spans) for c in doc.codings}
            for doc in self.docs
        }

    def tally(self, docs: Sequence[DocumentCodings], pair: tuple[str, str] | None = None) -> Tally:
        tally = Tally()
        for doc in docs:
            for a, b in itertools.combinations(doc.codings, 2):
                if pair is None or {a.annotator, b.annotator} == set(pair):
                    tally.add(a, b)
        return tally

    def confusion(self, a: str, b: str) -> Counter[tuple[str, str]]:
        """(a's token label, b's) counts over the documents both annotated."""
        out: Counter[tuple[str, str]] = Counter()
        for doc in self.docs:
            rows = self.labels[doc.doc_id]
            if a in rows and b in rows:
                out.update(zip(rows[a], rows[b], strict=True))
        return out

    def units(self, docs: Sequence[DocumentCodings]) -> Counter[tuple[str, ...]]:
        """Token label tuples (one value per coding) and how many tokens have each."""
        out: Counter[tuple[str, ...]] = Counter()
        for doc in docs:
            out.update(zip(*self.labels[doc.doc_id].values(), strict=True))
        return out


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
            for label, found in _by_label(coding.spans).items():
                ranges = union((s.start, s.end) for s in found)
                spans[k][label] += [(s + offset, e + offset) for s, e in ranges]
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


def _light(values: Sequence[float | None]) -> float | None:
    """Light's κ: the mean of the pairs' κ (those defined)."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def agreement_report(
    docs: Sequence[DocumentCodings], annotators: Sequence[str], by: str, skipped: int
) -> dict[str, Any]:
    """The figures of `docs`, broken down `by`. Each document holds the codings of two
    or more of `annotators` and no others (the caller leaves the rest out); `skipped`
    is how many documents the caller left out for having fewer than two."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    corpus = Corpus(docs)
    pairs = list(itertools.combinations(annotators, 2))
    complete = _with_all(docs, annotators)
    span_u, quote_u = unitized(complete, annotators)
    confusions = {p: corpus.confusion(*p) for p in pairs}
    overall = {
        **_span_quote_figures(corpus.tally(docs)),
        "cohen_kappa": _light([stats.kappa_from_confusion(c) for c in confusions.values()]),
        "fleiss_kappa": (
            stats.fleiss_kappa_units(corpus.units(complete)) if len(annotators) >= 3 else None
        ),
        "token_alpha": stats.alpha_nominal_units(corpus.units(docs)),
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
        report["rows"] = _label_rows(corpus, confusions, span_u)
    elif by == "annotator-pair":
        report["rows"] = [_pair_row(corpus, p, confusions[p]) for p in pairs]
    else:
        report["rows"] = [_document_row(corpus, doc) for doc in docs]
    return report


def _label_rows(
    corpus: Corpus,
    confusions: dict[tuple[str, str], Counter[tuple[str, str]]],
    span_u: stats.UnitizedAlpha,
) -> list[dict[str, Any]]:
    tally = corpus.tally(corpus.docs)
    counts = Counter(s.label for d in corpus.docs for c in d.codings for s in c.spans)
    alphas = stats.alpha_binary_units(corpus.units(corpus.docs))
    return [
        {
            "label": label,
            "spans": counts[label],
            "span_f1_exact": tally.span_f1(1, label),
            "span_f1_overlap": tally.span_f1(2, label),
            "cohen_kappa": _light(
                [
                    stats.kappa_from_confusion(stats.binary_confusion(c, label))
                    for c in confusions.values()
                ]
            ),
            "token_alpha": alphas.get(label),
            "span_alpha_u": span_u.by_category.get(label),
        }
        for label in sorted(counts)
    ]


def _pair_row(
    corpus: Corpus, pair: tuple[str, str], confusion: Counter[tuple[str, str]]
) -> dict[str, Any]:
    both = _with_all(corpus.docs, pair)
    span_u, quote_u = unitized(both, pair)
    return {
        "annotators": list(pair),
        "documents": len(both),
        **_span_quote_figures(corpus.tally(both, pair)),
        "cohen_kappa": stats.kappa_from_confusion(confusion),
        "span_alpha_u": span_u.joint,
        "quote_alpha_u": quote_u.joint,
    }


def _document_row(corpus: Corpus, doc: DocumentCodings) -> dict[str, Any]:
    span_u, quote_u = unitized([doc], doc.annotators)
    return {
        "document": doc.doc_id,
        "title": doc.title,
        "annotators": list(doc.annotators),
        **_span_quote_figures(corpus.tally([doc])),
        "token_alpha": stats.alpha_nominal_units(corpus.units([doc])),
        "span_alpha_u": span_u.joint,
        "quote_alpha_u": quote_u.joint,
    }
