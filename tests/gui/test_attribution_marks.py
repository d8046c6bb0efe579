"""The article's attribution marks: speaker box, cue, links to every part, kind line styles,
hover, after emoji and combining marks (UTF-16 in Qt, code points everywhere else)."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from newsmark.domain.document import Document, text_sha256
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.ui.colors import SPEAKER_PALETTE
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.attribution_links import Weight

# Astral emoji, a ZWJ family and a decomposed é before the quotes: a code point used as a
# UTF-16 offset would shift every mark by several characters.
TEXT = (
    "Fans 😀 and the 👩\u200d👩\u200d👧 family met Jose\u0301 at dawn.\n"
    "“We will win,” Dana Cohen said. “And again,” she added.\n"
    "Omar Said warned that costs would rise.\n"
)


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


DANA = at("Dana Cohen")
OMAR = at("Omar Said")
SPLIT = Quote((at("“We will win,”"), at("“And again,”")), speaker=DANA, cue=at("said"), id=1)
REPORTED = Quote(
    (at("costs would rise"),), QuoteKind.INDIRECT, speaker=OMAR, cue=at("warned"), id=2
)
SPANS = [Span(*DANA, "PERSON", Origin.HUMAN), Span(*OMAR, "PERSON", Origin.HUMAN)]


def make_view(qtbot, text: str = TEXT, spans=SPANS, quotes=(SPLIT, REPORTED)) -> ArticleView:
    view = ArticleView(LabelSet())
    qtbot.addWidget(view)
    view.resize(720, 300)
    view.set_document(Document(1, text, text_sha256(text)), spans, quotes)
    view.show()
    qtbot.waitExposed(view)
    return view


def text_rect(view: ArticleView, start: int, end: int) -> QRect:
    """The viewport rectangle of code points [start, end) on one line, from Qt's cursor
    rectangles (not from the overlay)."""
    left = view.cursorRect(view.cursor_for(start, start))
    right = view.cursorRect(view.cursor_for(end, end))
    assert left.top() == right.top(), "the range must sit on one line"
    return QRect(QPoint(left.left(), left.top()), QPoint(right.left(), left.bottom()))


def near(color: QColor, target: str, tolerance: int = 40) -> bool:
    want = QColor(target)
    return (
        abs(color.red() - want.red())
        + abs(color.green() - want.green())
        + abs(color.blue() - want.blue())
    ) <= tolerance


def has_color(image: QImage, area: QRect, target: str, tolerance: int = 40) -> bool:
    return any(
        near(image.pixelColor(x, y), target, tolerance)
        for x in range(max(0, area.left()), min(image.width(), area.right() + 1))
        for y in range(max(0, area.top()), min(image.height(), area.bottom() + 1))
    )


def box_edges(rect: QRect) -> list[QRect]:
    """Thin strips along a rectangle's left and right edges (where a box's pen falls)."""
    mid = rect.center().y()
    return [
        QRect(rect.left() - 4, mid - 2, 5, 5),
        QRect(rect.right() - 1, mid - 2, 6, 5),
    ]


def test_selecting_a_quote_boxes_its_speaker_marks_its_cue_and_links_every_part(qtbot):
    view = make_view(qtbot)
    dana = SPEAKER_PALETTE[0]  # the first quote's speaker takes the first colour
    speaker_rect = text_rect(view, *DANA)
    before = view.grab().toImage()
    assert not any(has_color(before, edge, dana) for edge in box_edges(speaker_rect))
    assert view.overlay.links == []

    view.select_quote(SPLIT)
    qtbot.wait(10)
    marks = view.overlay.highlighted()
    assert marks["speaker"] == [view.to_utf16(*DANA)]
    assert marks["cue"] == [view.to_utf16(*at("said"))]
    after = view.grab().toImage()
    assert all(has_color(after, edge, dana) for edge in box_edges(speaker_rect))

    # One link per part of the split quote, each ending on the speaker's top edge and
    # starting at the part's end nearest the speaker.
    links = view.overlay.links
    assert sorted(link.part for link in links) == [0, 1]
    assert all(link.weight is Weight.SELECTED and link.speaker_visible for link in links)
    for link in links:
        assert speaker_rect.left() <= link.end.x() <= speaker_rect.right()
        assert abs(link.end.y() - speaker_rect.top()) <= 3
    first, second = sorted(links, key=lambda k: k.part)
    we_win = text_rect(view, *at("“We will win,”"))
    again = text_rect(view, *at("“And again,”"))
    assert we_win.right() - 8 <= first.start.x() <= we_win.right()  # its closing end
    assert again.left() <= second.start.x() <= again.left() + 8  # its opening end
    # Painted: the link's colour above the gap between quote and speaker.
    gap = QRect(we_win.right(), speaker_rect.top() - 8, speaker_rect.left() - we_win.right(), 8)
    assert has_color(after, gap, dana, tolerance=90)

    view.select_quote(None)
    assert view.overlay.highlighted()["speaker"] == []
    qtbot.wait(10)
    assert view.overlay.links == []


def test_hovering_a_speaker_highlights_all_its_quotes_and_leaving_clears(qtbot):
    text = TEXT + "Dana Cohen said later that the plan stands.\n"
    dana2 = (text.rindex("Dana Cohen"), text.rindex("Dana Cohen") + len("Dana Cohen"))
    later = Quote(((text.index("the plan"), text.index(" stands") + 7),), QuoteKind.INDIRECT)
    later = Quote(later.parts, QuoteKind.INDIRECT, speaker=dana2, id=3)
    spans = [*SPANS, Span(*dana2, "PERSON", Origin.HUMAN)]
    view = make_view(qtbot, text, spans, (SPLIT, REPORTED, later))
    assert view.overlay.hovered is None
    QTest.mouseMove(view.viewport(), text_rect(view, *dana2).center())
    assert view.overlay.hovered == ("text", "dana cohen")
    hovered = view.overlay.highlighted()["hovered"]
    assert sorted(hovered) == sorted(view.to_utf16(*p) for q in (SPLIT, later) for p in q.parts)
    qtbot.wait(10)
    assert {link.quote for link in view.overlay.links if link.weight is Weight.HOVERED} == {0, 2}
    # Plain text is no speaker; Omar is another one.
    QTest.mouseMove(view.viewport(), text_rect(view, *at("costs")).center())
    assert view.overlay.hovered is None
    QTest.mouseMove(view.viewport(), text_rect(view, *OMAR).center())
    assert view.overlay.hovered == ("text", "omar said")
    assert view.overlay.highlighted()["hovered"] == [view.to_utf16(*REPORTED.parts[0])]


def test_hovering_any_mention_of_a_linked_speaker_shows_the_entitys_quotes(qtbot):
    # "Cohen" in the last line is no quote's speaker, but it is linked to the entity
    # that speaks: hovering it shows that entity's quotes.
    text = TEXT + "Cohen left early.\n"
    cohen = (text.rindex("Cohen"), text.rindex("Cohen") + 5)
    linked = Quote(SPLIT.parts, speaker=DANA, cue=SPLIT.cue, entity="Dana Cohen", entity_id=9, id=1)
    spans = [
        Span(*DANA, "PERSON", Origin.HUMAN, entity_id=9),
        Span(*OMAR, "PERSON", Origin.HUMAN),
        Span(*cohen, "PERSON", Origin.HUMAN, entity_id=9),
    ]
    view = make_view(qtbot, text, spans, (linked, REPORTED))
    QTest.mouseMove(view.viewport(), text_rect(view, *cohen).center())
    assert view.overlay.hovered == ("entity", "9")
    assert view.overlay.highlighted()["hovered"] == [view.to_utf16(*p) for p in SPLIT.parts]


def hue_of(color: QColor, target: str) -> bool:
    """A pixel of the target's hue (blended with the page, so lighter): not text grey."""
    want = QColor(target)
    return color.hsvSaturation() > 40 and abs(color.hsvHue() - want.hsvHue()) < 25


def line_runs(image: QImage, y: int, x0: int, x1: int, color: str) -> list[tuple[bool, int]]:
    """Runs of (is the colour, length) along row `y` between x0 and x1."""
    runs: list[tuple[bool, int]] = []
    for x in range(x0, x1):
        on = hue_of(image.pixelColor(x, y), color)
        if runs and runs[-1][0] == on:
            runs[-1] = (on, runs[-1][1] + 1)
        else:
            runs.append((on, 1))
    return runs


def test_direct_indirect_and_mixed_quotes_differ_without_colour(qtbot):
    body = "x" * 60
    text = f"A {body}.\nB {body}.\nC {body}.\n"
    starts = [text.index(body, text.index(k)) for k in "ABC"]
    speaker = (0, 1)  # every quote one speaker: the colour cannot tell them apart
    quotes = [
        Quote(((s, s + len(body)),), kind, speaker=speaker, id=n)
        for n, (s, kind) in enumerate(zip(starts, QuoteKind, strict=True))
    ]
    assert [q.kind for q in quotes] == [QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.MIXED]
    view = make_view(qtbot, text, [], quotes)
    image = view.grab().toImage()
    color = SPEAKER_PALETTE[0]
    signatures = []
    for s in starts:
        rect = text_rect(view, s, s + len(body))
        x0, x1 = rect.left() + 2, rect.right() - 2
        rows = []
        for y in range(rect.bottom() - 8, rect.bottom() + 3):
            runs = line_runs(image, y, x0, x1, color)
            covered = sum(n for on, n in runs if on) / (x1 - x0)
            if covered > 0.3:
                rows.append((y, covered, sorted({n for on, n in runs[1:-1] if on})))
        assert rows, "no quote line under the text"
        signatures.append(rows)
    direct, indirect, mixed = signatures
    # Direct: two separate solid lines.
    solid = [y for y, covered, _ in direct if covered > 0.95]
    assert len(solid) >= 2 and max(solid) - min(solid) >= 2
    # Indirect: broken, one dash length; mixed: broken, dashes and dots.
    assert all(covered < 0.95 for _, covered, _ in indirect + mixed)
    dash_lengths = {n for _, _, lengths in indirect for n in lengths}
    mixed_lengths = {n for _, _, lengths in mixed for n in lengths}
    assert max(mixed_lengths) - min(mixed_lengths) > max(dash_lengths) - min(dash_lengths)


def test_a_long_article_paints_only_the_visible_quotes_and_links(qtbot):
    filler = "in a long afternoon session about the budget, the harbour and other matters."
    sentences = [
        f"Name{i} 😀 said the plan {i} was fine, “and it stays,” he added {filler}"
        for i in range(6000)
    ]
    text = "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)) + "\n"
    quotes, pos = [], 0
    for i in range(6000):
        s = text.index(f"Name{i} ", pos)
        name = (s, s + len(f"Name{i}"))
        a = text.index("the plan", s)
        b = text.index(" was fine", a) + len(" was fine")
        c = text.index("“and", b)
        d = text.index("”", c) + 1
        kind = (QuoteKind.INDIRECT, QuoteKind.MIXED)[i % 2]
        quotes.append(Quote(((a, b), (c, d)), kind, speaker=name, cue=(a - 5, a - 1), id=i))
        pos = d
    view = make_view(qtbot, text, [], quotes)
    view.resize(900, 700)
    view.show_attributions(True)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(20)
    timings = []
    for _ in range(9):
        t0 = time.perf_counter()
        view.viewport().repaint()
        timings.append(time.perf_counter() - t0)
    links = view.overlay.links
    on_screen = {link.quote for link in links}
    assert 5 < len(on_screen) < 60, len(on_screen)  # a screenful, not 6,000
    first = view.cursorForPosition(QPoint(0, 0)).position()
    assert all(abs(view.overlay.quotes[q].parts[0][0] - first) < 20_000 for q in on_screen)
    timings.sort()
    assert timings[4] < 0.08, f"median repaint {timings[4]:.3f}s with every link shown"
    # The mouse over a speaker finds it without walking the quotes.
    t0 = time.perf_counter()
    quote = view.overlay.quotes[min(on_screen)].quote
    speaker = text_rect(view, *quote.speaker)
    QTest.mouseMove(view.viewport(), speaker.center())
    assert view.overlay.hovered == ("text", text[slice(*quote.speaker)].casefold())
    assert time.perf_counter() - t0 < 0.05


def test_a_speaker_out_of_view_gets_an_arrow_towards_it(qtbot, tmp_path):
    filler = "".join(f"Line {i} of the minutes.\n" for i in range(80))
    text = f"“We will build it,” {filler}the mayor said at last.\n"
    mayor = (text.index("the mayor"), text.index("the mayor") + len("the mayor"))
    quote = Quote(((0, text.index(",”") + 2),), speaker=mayor, cue=(mayor[1] + 1, mayor[1] + 5))
    view = make_view(qtbot, text, [], [quote])
    view.select_quote(quote)
    qtbot.wait(10)
    (link,) = view.overlay.links
    assert not link.speaker_visible
    assert link.end.y() > link.start.y()  # pointing down, where the speaker is
    quote_rect = text_rect(view, 0, 2)
    assert quote_rect.top() <= link.start.y() <= quote_rect.bottom() + 1
    assert view.grab().save(str(tmp_path / "links-offscreen-speaker.png"))
    # Scrolled to the speaker: the quote is out of view, an arrow from the speaker up.
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.wait(10)
    (link,) = view.overlay.links
    assert link.speaker_visible
    speaker_rect = text_rect(view, *mayor)
    assert speaker_rect.left() <= link.end.x() <= speaker_rect.right()
    assert link.start.y() < link.end.y() - 10  # its quote end: an arrow tip above
