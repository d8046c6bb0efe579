"""Speaker colours: a fixed palette handed out in the order of each speaker's first quote."""

from __future__ import annotations

from newsmark.domain.quotes import Quote
from newsmark.ui.colors import (
    NO_SPEAKER_COLOR,
    SPEAKER_PALETTE,
    assign_speaker_colors,
    mention_key,
    quote_color,
    speaker_key,
)

# Paul Tol's "muted" scheme, copied from https://personal.sron.nl/~pault/ (not from the code).
TOL_MUTED = {
    "#cc6677",
    "#332288",
    "#ddcc77",
    "#117733",
    "#88ccee",
    "#882255",
    "#44aa99",
    "#999933",
    "#aa4499",
}


def said(text: str, name: str, nth: int = 0, **kw: object) -> Quote:
    """A one-word quote right after the `nth` occurrence of `name`, spoken by it."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    end = start + len(name)
    return Quote(((end + 1, end + 2),), speaker=(start, end), **kw)  # type: ignore[arg-type]


def test_speakers_take_the_palette_in_order_of_their_first_quote() -> None:
    text = "Ana x. Ben x. ana x. Cy x. She x. she x. Dee x."
    quotes = [
        said(text, "Cy"),  # out of text order on purpose
        said(text, "Ana"),
        said(text, "Ben"),
        said(text, "ana"),  # the same speaker as "Ana": casefolded text
        said(text, "She"),
        said(text, "she"),
        Quote(((text.index("Dee") + 4, text.index("Dee") + 5),)),  # no speaker
    ]
    colors = assign_speaker_colors(quotes, text)
    assert colors == {
        ("text", "ana"): SPEAKER_PALETTE[0],
        ("text", "ben"): SPEAKER_PALETTE[1],
        ("text", "cy"): SPEAKER_PALETTE[2],
        ("text", "she"): SPEAKER_PALETTE[3],
    }
    assert quote_color(quotes[6], text, colors) == NO_SPEAKER_COLOR
    assert quote_color(quotes[3], text, colors) == quote_color(quotes[1], text, colors)


def test_a_linked_entity_is_one_speaker_whatever_its_mentions_say() -> None:
    text = "Hillary Clinton x. She x. Trump x. Clinton x."
    quotes = [
        said(text, "Hillary Clinton", entity="Hillary Clinton", entity_id=7),
        said(text, "She", entity="Hillary Clinton", entity_id=7),
        said(text, "Trump", entity="Donald Trump", entity_id=3),
        said(text, "Clinton"),  # unlinked: its own text key
    ]
    assert [speaker_key(q, text) for q in quotes] == [
        ("entity", "7"),
        ("entity", "7"),
        ("entity", "3"),
        ("text", "clinton"),
    ]
    colors = assign_speaker_colors(quotes, text)
    assert list(colors.values()) == list(SPEAKER_PALETTE[:3])


def test_nine_speakers_never_share_a_colour_and_the_tenth_starts_again() -> None:
    names = [f"Name{i}" for i in range(11)]
    text = " x. ".join(names) + " x."
    quotes = [said(text, n) for n in names]
    colors = list(assign_speaker_colors(quotes, text).values())
    assert len(set(colors[:9])) == 9
    assert colors[9] == colors[0] and colors[10] == colors[1]
    assert set(SPEAKER_PALETTE) == TOL_MUTED


def test_roster_entries_without_a_quote_take_the_next_free_colours() -> None:
    text = "Ana x. Ben said nothing."
    ben = mention_key(text, text.index("Ben"), text.index("Ben") + 3)
    assert ben == ("text", "ben")
    assert mention_key(text, 0, 3, entity_id=4) == ("entity", "4")
    colors = assign_speaker_colors([said(text, "Ana")], text, also=[ben])
    assert colors == {("text", "ana"): SPEAKER_PALETTE[0], ("text", "ben"): SPEAKER_PALETTE[1]}
    # A roster entry that already spoke keeps its quote's colour.
    again = assign_speaker_colors([said(text, "Ana")], text, also=[("text", "ana")])
    assert again == {("text", "ana"): SPEAKER_PALETTE[0]}
