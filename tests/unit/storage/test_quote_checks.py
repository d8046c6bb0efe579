"""Quote edits are checked in SQL: the same refusals as before, at a cost that does not
grow with the quotes a document already has (counted in SQL statements and rows loaded)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import event, text
from storage_helpers import item

from newsmark.domain.errors import AnnotationError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin
from newsmark.storage import Database, Repository
from newsmark.storage.orm import QuoteRow

# Astral emoji and CJK first: SQLite must count characters as Python does.
TEXT = '😀👍🏽 中文 "We will win," he said. "And soon," she added.'


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


WIN = Quote((at('"We will win,"'),), QuoteKind.DIRECT, speaker=at("he"), cue=at("said"))
SOON = Quote((at('"And soon,"'),), QuoteKind.DIRECT, speaker=at("she"), cue=at("added"))


@pytest.fixture
def set_id(repo: Repository) -> int:
    ((doc_id, _),) = repo.add_documents([item(TEXT)], "import")
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    return aset.id


def test_a_quote_reaching_the_last_character_is_in_range(repo: Repository, set_id: int) -> None:
    last = Quote(((len(TEXT) - 6, len(TEXT)),), QuoteKind.INDIRECT)
    assert TEXT[len(TEXT) - 6 :] == "added."
    assert repo.add_quote(set_id, last, "ann").item.id is not None


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        (Quote(((5, len(TEXT) + 1),)), f"quote 5..{len(TEXT) + 1} is out of range"),
        (Quote(((-1, 4),)), "quote -1..4 is out of range"),
        (Quote(((9, 9),)), "quote 9..9 is empty or reversed"),
        (replace(WIN, speaker=(len(TEXT), len(TEXT) + 2)), "speaker .* is out of range"),
        (replace(WIN, cue=(30, 20)), "cue 30..20 is empty or reversed"),
        (Quote(()), "quote has no content"),
        (Quote(((5, 12), (10, 20))), "quote parts 5..12 and 10..20 overlap"),
        (Quote(((30, 40), (2, 31))), "quote parts 2..31 and 30..40 overlap"),
        (Quote(((1.5, 4),)), "offsets must be integers"),  # type: ignore[arg-type]
    ],
)
def test_bad_quotes_are_refused_naming_the_text_length(
    repo: Repository, set_id: int, quote: Quote, message: str
) -> None:
    with pytest.raises(AnnotationError, match=message) as refused:
        repo.add_quote(set_id, quote, "ann")
    if "out of range" in message:
        assert f"(text has {len(TEXT)} characters)" in str(refused.value)
    assert repo.get_set(set_id).quotes == []


def test_duplicates_are_refused_and_a_quote_may_be_rewritten_as_itself(
    repo: Repository, set_id: int
) -> None:
    win = repo.add_quote(set_id, WIN, "ann").item
    soon = repo.add_quote(set_id, SOON, "ann").item
    assert win.id is not None and soon.id is not None
    with pytest.raises(AnnotationError, match=rf"duplicate quote at {WIN.start}\.\.{WIN.end}"):
        repo.add_quote(set_id, replace(WIN, origin=Origin.MODEL), "ann")
    # Same parts, another kind or speaker: not a duplicate.
    repo.add_quote(set_id, replace(WIN, kind=QuoteKind.MIXED), "ann")
    repo.add_quote(set_id, replace(WIN, speaker=None, cue=None), "ann")
    # Editing a quote into another one's key is refused; into its own key is fine.
    with pytest.raises(AnnotationError, match="duplicate quote"):
        repo.update_quote(
            set_id, soon.id, "ann", parts=list(WIN.parts), speaker=WIN.speaker, cue=WIN.cue
        )
    assert repo.update_quote(set_id, win.id, "ann", entity="Someone").item.entity == "Someone"
    assert repo.replace_quote(set_id, win, "ann").item == win


def test_duplicate_check_reads_parts_whatever_their_json_spacing(db: Database) -> None:
    repo = Repository(db)
    ((doc_id, _),) = repo.add_documents([item(TEXT)], "import")
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    start, end = WIN.parts[0]
    with db.engine.begin() as conn:  # as another program (or an older Newsmark) wrote it
        conn.execute(
            text(
                "INSERT INTO quotes (set_id, kind, parts, speaker_start, speaker_end, cue_start,"
                " cue_end, origin) VALUES (:s, 'direct', :p, :a, :b, :c, :d, 'human')"
            ),
            {
                "s": aset.id,
                "p": f"[[{start},{end}]]",
                **dict(zip("ab", WIN.speaker or (), strict=True)),
                **dict(zip("cd", WIN.cue or (), strict=True)),
            },
        )
    with pytest.raises(AnnotationError, match="duplicate quote"):
        repo.add_quote(aset.id, WIN, "ann")


def test_an_unknown_speaker_label_is_refused(db: Database) -> None:
    repo = Repository(db, labels=LabelSet())
    ((doc_id, _),) = repo.add_documents([item(TEXT)], "import")
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    with pytest.raises(AnnotationError, match="unknown speaker label 'WIZARD'"):
        repo.add_quote(aset.id, replace(WIN, speaker_label="WIZARD"), "ann")


# -- cost per edit -------------------------------------------------------------------------


@dataclass
class Counts:
    statements: int = 0
    quote_rows: int = 0


@contextmanager
def counting(db: Database) -> Iterator[Counts]:
    """SQL statements sent to SQLite and quote rows loaded into Python while inside."""
    counts = Counts()

    def on_statement(*_: Any) -> None:
        counts.statements += 1

    def on_load(*_: Any) -> None:
        counts.quote_rows += 1

    event.listen(db.engine, "before_cursor_execute", on_statement)
    event.listen(QuoteRow, "load", on_load)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", on_statement)
        event.remove(QuoteRow, "load", on_load)


def edit_costs(repo: Repository, db: Database, stored: int) -> list[Counts]:
    """Counts of add, update, replace and delete of one quote beside `stored` others."""
    sentence = '"We will win this vote," said the minister. '
    text = sentence * (stored + 1)
    ((doc_id, _),) = repo.add_documents([item(text)], "import")
    quotes = [
        Quote(((i * len(sentence), i * len(sentence) + 24),), QuoteKind.DIRECT, cue=None)
        for i in range(stored)
    ]
    assert repo.save_predictions(doc_id, "ann", [], quotes)
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None and len(aset.quotes) == stored
    last = stored * len(sentence)
    new = Quote(((last, last + 24),), QuoteKind.DIRECT, speaker=(last + 25, last + 29))
    costs = []
    with counting(db) as add:
        added = repo.add_quote(aset.id, new, "ann").item
    with counting(db) as update:
        assert added.id is not None
        repo.update_quote(aset.id, added.id, "ann", kind="mixed")
    with counting(db) as undo:
        repo.replace_quote(aset.id, added, "ann")
    with counting(db) as delete:
        repo.delete_quote(aset.id, added.id, "ann")
    costs += [add, update, undo, delete]
    return costs


def test_a_quote_edit_costs_the_same_beside_10_or_1000_quotes(
    repo: Repository, db: Database
) -> None:
    few, many = edit_costs(repo, db, 10), edit_costs(repo, db, 1000)
    assert [c.statements for c in many] == [c.statements for c in few]
    # At most the edited quote itself is loaded, never its neighbours.
    assert all(c.quote_rows <= 1 for c in few + many), many
