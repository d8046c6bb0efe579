"""Colours that are not label colours: speakers (the quote layer, the quote panel, the roster).

Speakers take the colours of one fixed colour-blind-safe palette in the order of their
first quote in the document, so two speakers of one document share a colour only once
the palette has run out (the tenth speaker takes the first colour again, and so on).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsmark.domain.quotes import Quote

# Paul Tol's "muted" scheme (https://personal.sron.nl/~pault/): nine colours told apart
# with every common colour-vision deficiency; nine is also the roster's digit keys. The
# order puts the darker colours first: they read best as thin lines on a light page.
SPEAKER_PALETTE = (
    "#332288",  # indigo
    "#cc6677",  # rose
    "#117733",  # green
    "#882255",  # wine
    "#44aa99",  # teal
    "#999933",  # olive
    "#aa4499",  # purple
    "#88ccee",  # cyan
    "#ddcc77",  # sand
)
SPEAKER_COLORS = SPEAKER_PALETTE  # the old name, kept for callers not yet moved
NO_SPEAKER_COLOR = "#8a8f98"

# ("entity", "42") for a quote linked to corpus entity 42, else ("text", "she") for the
# speaker mention as written (casefolded, whitespace collapsed), else the entity's name.
SpeakerKey = tuple[str, str]


def speaker_name(quote: Quote, text: str) -> str | None:
    """The speaker as shown: the linked entity's name, else the mention as written."""
    if quote.entity:
        return quote.entity
    if quote.speaker is not None:
        return text[quote.speaker[0] : quote.speaker[1]]
    return None


def mention_key(text: str, start: int, end: int, entity_id: int | None = None) -> SpeakerKey:
    """The key of a speaker mention (say, a roster entry's): its entity when linked, else
    its text, casefolded with whitespace collapsed."""
    if entity_id is not None:
        return ("entity", str(entity_id))
    return ("text", " ".join(text[start:end].split()).casefold())


def speaker_key(quote: Quote, text: str) -> SpeakerKey | None:
    """Who said it, for colours and hover: the entity when linked, else the mention's text."""
    if quote.entity_id is not None or quote.speaker is not None:
        start, end = quote.speaker or (0, 0)
        return mention_key(text, start, end, quote.entity_id)
    if quote.entity:
        return ("text", " ".join(quote.entity.split()).casefold())
    return None


def assign_speaker_colors(
    quotes: Sequence[Quote], text: str, also: Iterable[SpeakerKey] = ()
) -> dict[SpeakerKey, str]:
    """A palette colour per speaker key, in the order of each speaker's first quote (by
    position in the text); then the keys of `also` not yet coloured (say, roster entries
    with no quote yet), so they never take a quoted speaker's colour either.

    Past the palette's nine colours it starts again from the first.
    """
    ordered = sorted(quotes, key=lambda q: (q.start, q.end))
    return colors_in_order([*(speaker_key(q, text) for q in ordered), *also])


def colors_in_order(keys: Iterable[SpeakerKey | None]) -> dict[SpeakerKey, str]:
    """The palette's colours handed to the distinct keys in the order given (None skipped)."""
    colors: dict[SpeakerKey, str] = {}
    for key in keys:
        if key is not None and key not in colors:
            colors[key] = SPEAKER_PALETTE[len(colors) % len(SPEAKER_PALETTE)]
    return colors


def quote_color(quote: Quote, text: str, colors: dict[SpeakerKey, str]) -> str:
    """`quote`'s colour from an assignment; grey when it has no speaker."""
    key = speaker_key(quote, text)
    return NO_SPEAKER_COLOR if key is None else colors.get(key, NO_SPEAKER_COLOR)
