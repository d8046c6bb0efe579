"""Inter-annotator agreement of the database's annotation sets (CLI and window alike)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from newsmark.domain.agreement import Coding, DocumentCodings, content_tokens
from newsmark.domain.agreement_report import BREAKDOWNS, agreement_report
from newsmark.domain.document import Document
from newsmark.domain.errors import UsageError
from newsmark.domain.review import GOLD_ANNOTATOR
from newsmark.domain.status import STATUS_FILTERS
from newsmark.storage import Repository


def agreement(
    repo: Repository,
    *,
    by: str = "label",
    annotators: Sequence[str] | None = None,
    status: str = "accepted",
) -> dict[str, Any]:
    """The agreement figures of the sets in `status` of `annotators` (default: everyone
    with a set in that status but the gold set), broken down `by` label, annotator-pair or document.

    Documents with fewer than two of those annotators' sets are skipped and counted.
    Raises UsageError for an unknown breakdown, status or annotator, and for fewer than
    two annotators.
    """
    if by not in BREAKDOWNS:
        raise UsageError(f"--by must be one of {', '.join(BREAKDOWNS)}, not {by!r}")
    if status not in STATUS_FILTERS:
        raise UsageError(f"--status must be one of {', '.join(STATUS_FILTERS)}, not {status!r}")
    names = _annotators(repo, annotators, status)
    docs: list[DocumentCodings] = []
    skipped = 0
    for doc, codings in _documents(repo, status, set(names)):
        if len(codings) < 2:
            skipped += 1
            continue
        docs.append(
            DocumentCodings(
                doc.id,
                doc.title,
                len(doc.text),
                content_tokens(doc.text, doc.tokens),
                tuple(sorted(codings, key=lambda c: c.annotator)),
            )
        )
    return agreement_report(docs, names, by, skipped)


def _annotators(repo: Repository, wanted: Sequence[str] | None, status: str) -> list[str]:
    counts = repo.set_counts()
    # The reviewed gold set is no annotator: compared only when named.
    known = sorted(
        {ann for (st, ann) in counts if status == "any" or st == status} - {GOLD_ANNOTATOR}
    )
    if wanted is None:
        names = known
    else:
        names = sorted(set(wanted))
        every = {ann for (_, ann) in counts}
        unknown = [n for n in names if n not in every]
        if unknown:
            raise UsageError(
                f"unknown annotator {', '.join(map(repr, unknown))} "
                f"(annotators: {', '.join(sorted(every)) or 'none'})"
            )
    if len(names) < 2:
        listed = f" ({', '.join(names)})" if names else ""
        if wanted is not None:
            where = f"{len(names)} named{listed}"
        else:
            which = "sets" if status == "any" else f"{status} sets"
            where = f"{len(names)} {'has' if len(names) == 1 else 'have'} {which}{listed}"
        raise UsageError(f"agreement needs two or more annotators; {where}")
    return names


def _documents(
    repo: Repository, status: str, names: set[str]
) -> Iterator[tuple[Document, list[Coding]]]:
    """Each document with a set of one of `names`, with those sets (the export stream:
    one read snapshot, sets in document order)."""
    current: Document | None = None
    codings: list[Coding] = []
    for doc, aset, _ in repo.iter_export(status=status):
        if aset.annotator not in names:
            continue
        if current is not None and doc.id != current.id:
            yield current, codings
            codings = []
        current = doc
        codings.append(Coding(aset.annotator, tuple(aset.spans), tuple(aset.quotes)))
    if current is not None:
        yield current, codings
