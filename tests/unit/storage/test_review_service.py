"""Review into the gold set on a real database (SQLite file, and the PostgreSQL server for
`postgres`): picks, whole versions, drops, reviewed-by, the log, refusals, the list."""

from __future__ import annotations

import pytest
from storage_helpers import TEXT

from newsmark.domain.errors import ConflictError, UsageError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.review import GOLD_ANNOTATOR, Verdict
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.services import review as rv
from newsmark.storage import Repository

# TEXT: 'Benjamin Netanyahu spoke with Vladimir Putin. "We will win," he said in Jerusalem.'
NETANYAHU = (0, 18)
PUTIN = (30, 44)
JERUSALEM = (TEXT.index("Jerusalem"), TEXT.index("Jerusalem") + 9)
CONTENT = (TEXT.index('"We'), TEXT.index('win,"') + 5)
ONE_SET = r"has 1 annotator set\(s\) a person worked on \(only ann\)"
HE = (TEXT.index(" he ") + 1, TEXT.index(" he ") + 3)


def _annotate(
    repo: Repository, doc_id: int, who: str, spans: list[Span], quotes: list[Quote]
) -> int:
    aset = repo.annotation_set(doc_id, who)
    assert aset is not None and aset.id is not None
    for span in spans:
        repo.add_span(aset.id, span, who)
    for quote in quotes:
        repo.add_quote(aset.id, quote, who)
    repo.set_status(aset.id, Status.ACCEPTED, who)
    return aset.id


def _two(repo: Repository, doc_id: int) -> tuple[int, int]:
    ann = _annotate(
        repo,
        doc_id,
        "ann",
        [Span(*NETANYAHU, "PERSON"), Span(*PUTIN, "PERSON"), Span(*JERUSALEM, "GPE")],
        [Quote((CONTENT,), QuoteKind.DIRECT, speaker=HE)],
    )
    bob = _annotate(
        repo,
        doc_id,
        "bob",
        [Span(*NETANYAHU, "PERSON"), Span(*PUTIN, "ORG")],
        [Quote((CONTENT,), QuoteKind.DIRECT, speaker=NETANYAHU)],
    )
    return ann, bob


def _snapshot(repo: Repository, set_id: int) -> tuple[object, ...]:
    s = repo.get_set(set_id)
    return (s.version, s.status, sorted(x.key for x in s.spans), sorted(q.key for q in s.quotes))


def test_pick_item_by_item_then_mark_reviewed(repo: Repository, doc_id: int) -> None:
    ann, bob = _two(repo, doc_id)
    before = _snapshot(repo, ann), _snapshot(repo, bob)
    review = rv.load_review(repo, doc_id)
    assert review.annotators == ("ann", "bob") and review.gold is None
    verdicts = [(i.kind, TEXT[i.start : i.end], i.verdict) for i in review.diff.items]
    assert verdicts == [
        ("span", "Benjamin Netanyahu", Verdict.AGREE),
        ("span", "Vladimir Putin", Verdict.DISAGREE),
        ("quote", '"We will win,"', Verdict.DISAGREE),
        ("span", "Jerusalem", Verdict.ONLY),
    ]
    putin, quote = review.diff.items[1], review.diff.items[2]
    assert quote.differs == ("speaker",)

    review = rv.take_item(repo, review, putin, "bob", "carol")
    review = rv.take_item(repo, review, review.diff.items[0], "ann", "carol")
    review = rv.take_item(repo, review, review.diff.items[2], "ann", "carol")
    assert review.gold is not None
    assert sorted(s.key for s in review.gold.spans) == [(*NETANYAHU, "PERSON"), (*PUTIN, "ORG")]
    assert [q.speaker for q in review.gold.quotes] == [HE]
    assert review.diff.items[1].gold_from == ("bob",)
    # Changing one's mind: ann's Putin replaces bob's in gold, then Jerusalem is dropped.
    review = rv.take_item(repo, review, review.diff.items[1], "ann", "carol")
    assert sorted(s.key for s in review.gold.spans) == [(*NETANYAHU, "PERSON"), (*PUTIN, "PERSON")]
    review = rv.drop_item(repo, review, review.diff.items[3], "carol")
    assert review.diff.items[3].gold == ()

    review = rv.mark_reviewed(repo, review, "carol")
    assert review.gold.status is Status.ACCEPTED
    assert review.reviewed_by == "carol" and review.reviewed_at
    # Every change is a logged edit of the gold set by the reviewer.
    log = repo.edit_log(review.gold.id)
    assert {e.who for e in log} == {"carol"}
    assert [e.op for e in log].count("add_span") == 3 and log[-1].op == "set_status"
    # The annotators' sets, the rejected alternatives, are as they were.
    assert (_snapshot(repo, ann), _snapshot(repo, bob)) == before


def test_take_a_whole_version_and_accept(repo: Repository, doc_id: int) -> None:
    _two(repo, doc_id)
    review = rv.load_review(repo, doc_id)
    review = rv.take_item(repo, review, review.diff.items[3], "ann", "carol")  # Jerusalem
    review = rv.accept(repo, doc_id, "bob", "carol")
    gold = review.gold
    assert gold is not None and gold.annotator == GOLD_ANNOTATOR
    assert sorted(s.key for s in gold.spans) == [(*NETANYAHU, "PERSON"), (*PUTIN, "ORG")]
    assert [q.speaker for q in gold.quotes] == [NETANYAHU]
    assert (gold.status, review.reviewed_by) == (Status.ACCEPTED, "carol")
    assert all(
        i.gold_from in {("bob",), ("ann", "bob")}
        for i in review.diff.items
        if i.holders != ("ann",)
    )
    # The gold set is read as gold by training and left out of the list's annotators.
    [row] = rv.review_list(repo)
    assert row.annotators == (("ann", "accepted"), ("bob", "accepted"))
    assert rv.review_state(row).startswith("reviewed by carol")


def test_a_stale_review_is_refused_and_writes_nothing(repo: Repository, doc_id: int) -> None:
    _two(repo, doc_id)
    review = rv.take_version(repo, rv.load_review(repo, doc_id), "ann", "carol")
    stale = review
    rv.take_item(repo, review, review.diff.items[1], "bob", "dave")  # another reviewer's window
    assert review.gold is not None
    version = repo.get_set(review.gold.id).version
    with pytest.raises(ConflictError, match="changed elsewhere"):
        rv.take_item(repo, stale, stale.diff.items[0], "bob", "carol")
    assert repo.get_set(review.gold.id).version == version


def test_refusals(repo: Repository, doc_id: int) -> None:
    with pytest.raises(UsageError, match="no document with id 999"):
        rv.load_review(repo, 999)
    _annotate(repo, doc_id, "ann", [Span(*PUTIN, "PERSON")], [])
    with pytest.raises(
        UsageError, match=r"has 1 annotator set\(s\) a person worked on \(only ann\)"
    ):
        rv.accept(repo, doc_id, "ann", "carol")
    _annotate(repo, doc_id, "bob", [], [])
    with pytest.raises(UsageError, match="no set by 'zed'"):
        rv.accept(repo, doc_id, "zed", "carol")
    with pytest.raises(UsageError, match="is the gold set"):
        rv.accept(repo, doc_id, GOLD_ANNOTATOR, "carol")
    assert repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False) is None
    if repo.login() is None:
        return  # a SQLite file is one person's: no roles (test_roles_on_a_file.py)
    # Team mode on a server: an annotator may not write gold; a reviewer may. (The first
    # user must be an admin, and the storage checks the login: make it the admin.)
    repo.add_user(repo.login() or "admin", "admin")
    repo.add_user("ann", "annotator")
    repo.add_user("rita", "reviewer")
    with pytest.raises(UsageError, match="'ann' is an annotator: review needs a reviewer"):
        rv.accept(repo, doc_id, "bob", "ann")
    with pytest.raises(UsageError, match="'carol' is no user"):
        rv.accept(repo, doc_id, "bob", "carol")
    assert repo.annotation_set(doc_id, GOLD_ANNOTATOR, create=False) is None
    assert rv.accept(repo, doc_id, "bob", "rita").reviewed_by == "rita"


def test_list_states(repo: Repository, doc_id: int) -> None:
    assert rv.format_list(rv.review_list(repo)) == "no document has sets of two or more annotators"
    _two(repo, doc_id)
    [row] = rv.review_list(repo)
    assert (row.doc_id, rv.review_state(row)) == (doc_id, "to review")
    review = rv.load_review(repo, doc_id)
    rv.take_item(repo, review, review.diff.items[0], "ann", "carol")
    [row] = rv.review_list(repo)
    assert rv.review_state(row) == "in review"
    assert "ann (accepted), bob (accepted)" in rv.format_list([row])


def test_training_reads_the_gold_set_before_a_later_annotator_set(
    repo: Repository, doc_id: int
) -> None:
    ann, _ = _two(repo, doc_id)
    rv.accept(repo, doc_id, "bob", "carol")
    # ann edits her set after the review and accepts it again: the newest set, not gold.
    repo.add_span(ann, Span(46, 48, "NORP"), "ann")
    repo.set_status(ann, Status.ACCEPTED, "ann")
    [doc] = repo.gold_docs()
    assert sorted(s.key for s in doc.spans) == [(*NETANYAHU, "PERSON"), (*PUTIN, "ORG")]


def test_sets_nobody_worked_on_are_no_alternatives(repo: Repository, doc_id: int) -> None:
    # The reviewer opened the document in the window (a new set) and a model filled
    # another (preannotated): neither is an annotator's decision to choose from.
    _annotate(repo, doc_id, "ann", [Span(*PUTIN, "PERSON")], [])
    repo.annotation_set(doc_id, "carol")
    repo.save_predictions(doc_id, "model-run", [Span(*PUTIN, "ORG", Origin.MODEL)], [])
    assert rv.review_list(repo) == []
    with pytest.raises(
        UsageError, match=r"has 1 annotator set\(s\) a person worked on \(only ann\)"
    ):
        rv.load_review(repo, doc_id)
    _annotate(repo, doc_id, "bob", [Span(*PUTIN, "ORG")], [])
    assert rv.load_review(repo, doc_id).annotators == ("ann", "bob")
    [row] = rv.review_list(repo)
    assert [a for a, _ in row.annotators] == ["ann", "bob"]


def test_a_review_loaded_before_gold_existed_is_stale_too(repo: Repository, doc_id: int) -> None:
    _two(repo, doc_id)
    stale = rv.load_review(repo, doc_id)  # no gold set yet
    done = rv.take_version(repo, rv.load_review(repo, doc_id), "ann", "carol")
    assert done.gold is not None
    with pytest.raises(ConflictError, match="changed elsewhere"):
        rv.take_version(repo, stale, "bob", "dave")
    with pytest.raises(ConflictError, match="changed elsewhere"):
        rv.mark_reviewed(repo, stale, "dave")
    after = repo.get_set(done.gold.id)
    assert (after.version, after.status) == (done.gold.version, done.gold.status)
