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


def is_index_table(name: str | None) -> bool:
    """The FTS table and its shadow tables (`documents_fts_data`...): not in the ORM."""
    return name is not None and (name == TABLE or name.startswith(f"{TABLE}_"))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name hook: compare everything except the full-text index."""
    return not (type_ == "table" and is_index_table(name))


def match_expression(search: str) -> str | None:
    """The FTS5 query for a search box's text, or None when the index cannot answer it.

    The whole text is one phrase whose last word may be a prefix: "berlin NEWS" finds
    "Berlin news" and "Berlin newsroom", as a search-as-you-type box should. Double
    quotes are escaped, so no user text is read as FTS5 syntax. None (scan instead):
    nothing but punctuation, or a script written without spaces.
    """
    if not any(ch.isalnum() for ch in search):
        return None
    if any(unicodedata.name(ch, "").startswith(_UNSPACED) for ch in search if ch.isalpha()):
        return None
    return '"' + search.replace('"', '""') + '"*'
