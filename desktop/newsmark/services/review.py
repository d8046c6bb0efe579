"""Review and adjudication (CLI and window alike): the annotators' sets of one document as
a diff, and the reviewer's picks into the document's gold set.

Every write goes through `Repository.review_items` / `mark_reviewed` (logged edits with
the optimistic version check, ADR 0012); the annotators' own sets are only read, so
the alternatives the reviewer rejects stay in the database as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document
from newsmark.domain.errors import NotFoundError, UsageError, printable
from newsmark.domain.quotes import Quote
from newsmark.domain.review import GOLD_ANNOTATOR, ReviewDiff, ReviewItem, review_diff
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import Repository
from newsmark.storage.review import ReviewRow

REVIEW_ROLES = ("reviewer", "admin")


@dataclass(frozen=True, slots=True)
class Review:
    """One document under review: its annotators' sets (by name), its gold set (None
    until the first pick), the diff, and who reviewed the gold set when."""

    document: Document
    sets: tuple[AnnotationSet, ...]
    gold: AnnotationSet | None
    diff: ReviewDiff
    reviewed_by: str | None = None
    reviewed_at: str | None = None

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(s.annotator for s in self.sets)

    def set_of(self, annotator: str) -> AnnotationSet:
        for found in self.sets:
            if found.annotator == annotator:
                return found
        names = ", ".join(self.annotators)
        raise UsageError(
            f"document {self.document.id} has no set by {printable(repr(annotator))} "
            f"(annotators: {printable(names)})"
        )


def load_review(repo: Repository, doc_id: int) -> Review:
    """The document's review; UsageError for an unknown document or fewer than two
    annotators' sets a person worked on (nothing to adjudicate)."""
    try:
        document = repo.get_document(doc_id)
    except NotFoundError:
        raise UsageError(f"no document with id {doc_id}") from None
    every = repo.sets_for_document(doc_id)
    sets = tuple(sorted((s for s in every if _compared(s.annotator, s.status)), key=_name))
    if len(sets) < 2:
        which = f" (only {printable(sets[0].annotator)})" if sets else ""
        raise UsageError(
            f"document {doc_id} has {len(sets)} annotator set(s) a person worked on{which}: "
            "review needs two or more"
        )
    gold = next((s for s in every if s.annotator == GOLD_ANNOTATOR), None)
    diff = review_diff(
        {s.annotator: s.spans for s in sets},
        {s.annotator: s.quotes for s in sets},
        gold.spans if gold else (),
        gold.quotes if gold else (),
    )
    by, at = repo.reviewed(gold.id) if gold is not None and gold.id is not None else (None, None)
    return Review(document, sets, gold, diff, by, at)


def _name(s: AnnotationSet) -> str:
    return s.annotator


def _compared(annotator: str, status: Status) -> bool:
    """A set under review: an annotator's (not gold) that a person worked on. Opening a
    document in the window makes a new set, and the model fills it (preannotated):
    nobody's decision, so not an alternative to choose from."""
    return annotator != GOLD_ANNOTATOR and not status.untouched


def check_reviewer(repo: Repository, who: str) -> None:
    """On a server in team mode (a users table with rows) only reviewers and admins write
    gold: `who` (the reviewed_by name) must be one, besides the login the storage checks
    (ADR 0013). A SQLite file is one person's: roles are never checked there."""
    if repo.login() is None:
        return
    users = repo.users()
    if users and users.get(who) not in REVIEW_ROLES:
        role = users.get(who)
        what = f"is an {role}" if role else "is no user of this database"
        raise UsageError(f"{printable(repr(who))} {what}: review needs a reviewer or an admin")


def _gold(repo: Repository, review: Review) -> tuple[int, int]:
    """The gold set's id and the version this review saw: 0 when it saw none (a set made
    now has version 0; one another reviewer wrote meanwhile has more: a conflict)."""
    if review.gold is not None and review.gold.id is not None:
        return review.gold.id, review.gold.version
    made = repo.annotation_set(review.document.id, GOLD_ANNOTATOR, create=True)
    assert made is not None and made.id is not None
    return made.id, 0


def _write(
    repo: Repository,
    review: Review,
    who: str,
    *,
    drop_spans: tuple[Span, ...] = (),
    drop_quotes: tuple[Quote, ...] = (),
    spans: tuple[Span, ...] = (),
    quotes: tuple[Quote, ...] = (),
    reviewed: bool = False,
) -> Review:
    check_reviewer(repo, who)
    gold_id, seen = _gold(repo, review)
    repo.review_items(
        gold_id,
        who,
        drop_spans=[s.id for s in drop_spans if s.id is not None],
        drop_quotes=[q.id for q in drop_quotes if q.id is not None],
        spans=spans,
        quotes=quotes,
        reviewed=reviewed,
        expected_version=seen,
    )
    return load_review(repo, review.document.id)


def take_version(
    repo: Repository, review: Review, annotator: str, who: str, *, reviewed: bool = False
) -> Review:
    """Gold becomes a copy of `annotator`'s whole set (and with `reviewed`, accepted as
    reviewed by `who`)."""
    chosen = review.set_of(annotator)
    gold = review.gold
    return _write(
        repo,
        review,
        who,
        drop_spans=tuple(gold.spans) if gold else (),
        drop_quotes=tuple(gold.quotes) if gold else (),
        spans=tuple(chosen.spans),
        quotes=tuple(chosen.quotes),
        reviewed=reviewed,
    )


def take_item(
    repo: Repository,
    review: Review,
    item: ReviewItem[Span] | ReviewItem[Quote],
    annotator: str,
    who: str,
) -> Review:
    """Gold's annotations in `item` become `annotator`'s there (none, if they have none)."""
    review.set_of(annotator)  # a clear refusal for a name not under review
    return _replace(repo, review, item, item.version(annotator), who)


def drop_item(
    repo: Repository, review: Review, item: ReviewItem[Span] | ReviewItem[Quote], who: str
) -> Review:
    """Gold keeps nothing of `item`."""
    return _replace(repo, review, item, (), who)


def _replace(
    repo: Repository,
    review: Review,
    item: ReviewItem[Span] | ReviewItem[Quote],
    new: tuple[Span, ...] | tuple[Quote, ...],
    who: str,
) -> Review:
    if item.kind == "span":
        return _write(
            repo,
            review,
            who,
            drop_spans=tuple(x for x in item.gold if isinstance(x, Span)),
            spans=tuple(x for x in new if isinstance(x, Span)),
        )
    return _write(
        repo,
        review,
        who,
        drop_quotes=tuple(x for x in item.gold if isinstance(x, Quote)),
        quotes=tuple(x for x in new if isinstance(x, Quote)),
    )


def mark_reviewed(repo: Repository, review: Review, who: str) -> Review:
    """Accept the gold set as it is, reviewed by `who` (an empty gold set is a decision
    too: the document has nothing to annotate)."""
    check_reviewer(repo, who)
    gold_id, seen = _gold(repo, review)
    repo.mark_reviewed(gold_id, who, expected_version=seen)
    return load_review(repo, review.document.id)


def accept(repo: Repository, doc_id: int, annotator: str, who: str) -> Review:
    """`newsmark review DOC --accept ANNOTATOR`: that version whole, reviewed by `who`."""
    if annotator == GOLD_ANNOTATOR:
        raise UsageError(f"{GOLD_ANNOTATOR!r} is the gold set, not an annotator")
    review = load_review(repo, doc_id)
    return take_version(repo, review, annotator, who, reviewed=True)


def review_list(repo: Repository) -> list[ReviewRow]:
    """Documents with two or more annotators' sets a person worked on."""
    untouched = tuple(s.value for s in Status if s.untouched)
    return repo.review_overview(GOLD_ANNOTATOR, untouched)


def review_state(row: ReviewRow) -> str:
    if row.gold_status is None:
        return "to review"
    if row.reviewed_by is not None and row.gold_status == "accepted":
        return f"reviewed by {row.reviewed_by} {minute(row.reviewed_at)}".rstrip()
    return "in review"


def minute(at: str | None) -> str:
    """A stored UTC timestamp to the minute ("2026-12-06 13:41 UTC")."""
    return f"{at[:16].replace('T', ' ')} UTC" if at else ""


def format_list(found: list[ReviewRow]) -> str:
    """One line per document: id, review state, annotators with their sets' status, title."""
    if not found:
        return "no document has sets of two or more annotators"
    lines = []
    for row in found:
        who = ", ".join(f"{a} ({st})" for a, st in row.annotators)
        lines.append(
            printable(f"{row.doc_id:>6}  {review_state(row):<40}  {who}  {row.title[:60]}")
        )
    return "\n".join(lines)
