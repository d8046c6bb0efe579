"""Colours that are not label colours: speakers (the quote layer, the quote panel)."""

from __future__ import annotations

import zlib

from newsmark.domain.quotes import Quote

# Calm, distinguishable speaker colours (Okabe-Ito, colour-blind safe).
SPEAKER_COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c6d31")
NO_SPEAKER_COLOR = "#8a8f98"


def speaker_name(quote: Quote, text: str) -> str | None:
    """The speaker as shown: the linked entity's name, else the mention as written."""
    if quote.entity:
        return quote.entity
    if quote.speaker is not None:
        return text[quote.speaker[0] : quote.speaker[1]]
    return None


def speaker_color(quote: Quote, text: str) -> str:
    """A stable colour per speaker (by entity name, else the mention's text)."""
    name = speaker_name(quote, text)
    return NO_SPEAKER_COLOR if name is None else speaker_color_for_name(name)


def speaker_color_for_name(name: str) -> str:
    return SPEAKER_COLORS[zlib.crc32(name.casefold().encode()) % len(SPEAKER_COLORS)]
