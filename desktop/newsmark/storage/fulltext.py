"""The full-text index over document titles and texts (SQLite FTS5) and its query syntax.

`documents_fts` is an external-content FTS5 table (migration 0003 creates it, with the
triggers that keep it in step with `documents` for every writer): it stores only the
index, the text stays in `documents`. Its unicode61 tokenizer (remove_diacritics 2) folds
case and diacritics on both sides, so "zurich" finds "Zürich" and "ÄRGER" finds "Ärger".
"""

from __future__ import annotations

import unicodedata

TABLE = "documents_fts"

# Scripts written without spaces between words: unicode61 makes a whole run of them one
# token, so a word inside it is only found by a substring scan.
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


MIN_PREFIX = 4  # a last word this long, still being typed, is matched as a prefix


def is_index_table(name: str | None) -> bool:
    """The FTS table and its shadow tables (`documents_fts_data`...): not in the ORM."""
    return name is not None and (name == TABLE or name.startswith(f"{TABLE}_"))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name hook: compare everything except the full-text index."""
    return not (type_ == "table" and is_index_table(name))


def match_expression(search: str) -> str | None:
    """The FTS5 query for a search box's text, or None when the index cannot answer it.

    The whole text is one phrase. Its last word is a prefix while it is being typed (the
    text ends in it) and has MIN_PREFIX characters or more: "berlin NEW" finds "Berlin
    news"; a shorter one ("the c") is matched as a whole word, since merging every word
    that starts with "c" costs a second at 200,000 articles. Double quotes are escaped,
    so no user text is read as FTS5 syntax. None (scan instead): nothing but punctuation,
    or a script written without spaces.
    """
    if not any(ch.isalnum() for ch in search):
        return None
    if any(unicodedata.name(ch, "").startswith(_UNSPACED) for ch in search if ch.isalpha()):
        return None
    phrase = '"' + search.replace('"', '""') + '"'
    start = len(search)
    while start > 0 and search[start - 1].isalnum():
        start -= 1
    return phrase + "*" if len(search) - start >= MIN_PREFIX else phrase


def server_pattern(search: str) -> str | None:
    """A PostgreSQL regular expression doing on a server what `match_expression` does
    with FTS5 (a server has no FTS5 index): the words as a phrase, any non-word characters
    between them, whole words but for a last word being typed (MIN_PREFIX characters or
    more). Both sides go through lower(unaccent(...)), as unicode61 with remove_diacritics
    folds, the pattern too: so its syntax is only lowercase ASCII (\\y, a word boundary;
    [^[:alnum:]]), which the folding leaves alone, and its words are letters and digits
    only, which need no escaping. None where `match_expression` is None: those searches
    scan for the text itself.
    """
    if match_expression(search) is None:
        return None
    words = "".join(ch if ch.isalnum() else " " for ch in search).split()
    prefix = search[-1].isalnum() and len(words[-1]) >= MIN_PREFIX
    return r"\y" + "[^[:alnum:]]+".join(words) + ("" if prefix else r"\y")
