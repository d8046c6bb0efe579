"""Reader for web pages (.html, .htm): main text, title, author and date by trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.reading import ReadOptions
from newsmark.formats.normalize import document_meta, prepare_text
from newsmark.formats.text import read_file_text


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

    markup = read_file_text(path)
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
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(path, None, "no article text found in this HTML page")
    prepared = prepare_text(raw)
    found = {
        key: value
        for key in ("title", "author", "date", "sitename", "url", "description")
        if isinstance(value := _field(result, key), str) and value.strip()
    }
    # The page's own metadata beats whatever a leading "date ..." line says.
    yield DocumentInput(
        text=prepared.text, meta=document_meta(prepared.text, str(path), prepared.meta, found)
    )
