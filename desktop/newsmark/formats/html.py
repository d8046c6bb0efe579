"""Reader for web pages (.html, .htm): main text, title, author and date by trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.reading import ReadOptions
from newsmark.formats.decoding import decode_html
from newsmark.formats.normalize import document_meta, prepare_text
from newsmark.formats.text import read_file_bytes


def _field(result: Any, name: str) -> Any:
    # trafilatura 1.x returns a dict, 2.x a Document object: read either.
    if isinstance(result, dict):
        return result.get(name)
    return getattr(result, name, None)


def read_html(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """One document per page. Scripts, styles, navigation and footers are dropped.

    trafilatura only parses the string it is given (no URL, so nothing is fetched and no
    script runs).
    """
    # Imported here: trafilatura pulls in lxml and date parsing, ~0.3 s that commands
    # which never read HTML should not pay.
    import trafilatura

    markup = decode_html(read_file_bytes(path), path)
    try:
        result = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise InputError(path, None, f"cannot parse HTML: {exc}") from exc
    raw = _field(result, "text") if result is not None else None
    if not isinstance(raw, str) or not _has_prose(raw):
        # trafilatura falls back to all the text there is: on a page without an article
        # that is menu entries or "click here", not something to annotate.
        target = _refresh_target(markup)
        if target is not None:
            raise InputError(
                path, None, f"a redirect page to {target}, no article text: save that page"
            )
        raise InputError(path, None, "no article text found in this HTML page")
    prepared = prepare_text(raw)
    found = {
        key: value
        for key in ("title", "author", "date", "sitename", "url", "description")
        if isinstance(value := _field(result, key), str) and value.strip()
    }
    if "title" in found:
        found["title"] = _article_title(found["title"].strip(), prepared.text)
    # The page's own metadata beats whatever a leading "date ..." line says.
    yield DocumentInput(
        text=prepared.text, meta=document_meta(prepared.text, str(path), prepared.meta, found)
    )


# A sentence: eight words, or twenty characters of a script written without spaces.
_SENTENCE_WORDS = 8
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_UNSPACED = 20


def _has_prose(text: str) -> bool:
    """Whether a line of `text` reads like a sentence, not a menu entry or a link label."""
    return any(
        len(line.split()) >= _SENTENCE_WORDS or len(_UNSPACED.findall(line)) >= _SENTENCE_UNSPACED
        for line in text.splitlines()
    )


_HEAD_CHARS = 64 * 1024
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_REFRESH = re.compile(r"""http-equiv\s*=\s*["']?refresh""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?([^'"\s>]+)""", re.IGNORECASE)


def _refresh_target(markup: str) -> str | None:
    """The URL a <meta http-equiv="refresh" content="0; url=..."> sends the reader to."""
    for tag in _META_TAG.findall(markup[:_HEAD_CHARS]):
        if _REFRESH.search(tag):
            url = _REFRESH_URL.search(tag)
            if url:
                return url.group(1)[:200]
    return None


# What sites put between an article's headline and their own name or a date.
_TITLE_TAIL = re.compile(r"\s*[|:\-–—·»/]\s")
_MIN_HEADLINE = 10


def _article_title(title: str, text: str) -> str:
    """The headline when the page title is the headline plus a tail (" : 31.10.2023")."""
    for line in text.splitlines()[:30]:
        line = line.strip()
        headline = _MIN_HEADLINE <= len(line) < len(title) and title.startswith(line)
        if headline and _TITLE_TAIL.match(title, len(line)):
            return line
    return title
