"""Links you can see, in the real window on the seed article: select a quote in the panel,
hover its speaker, Shift+L shows every visible link (kept in window.ini)."""

from __future__ import annotations

from pathlib import Path

from gui_support import MODEL_TIMEOUT_MS, save_shot
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from newsmark.domain.quotes import Quote
from newsmark.ui.colors import SPEAKER_PALETTE
from newsmark.ui.main_window import MainWindow
from newsmark.ui.views.attribution_links import Weight


def open_and_predict(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.annotations_changed, timeout=MODEL_TIMEOUT_MS):
        window.load()
        window.session._worker.start()  # type: ignore[union-attr]


def text_rect(view, start: int, end: int) -> QRect:
    left = view.cursorRect(view.cursor_for(start, start))
    right = view.cursorRect(view.cursor_for(end, end))
    return QRect(QPoint(left.left(), left.top()), QPoint(right.left(), left.bottom()))


def who(quote: Quote, text: str) -> tuple[str, str]:
    if quote.entity_id is not None:
        return ("entity", str(quote.entity_id))
    assert quote.speaker is not None
    return ("text", " ".join(text[slice(*quote.speaker)].split()).casefold())


def click_row(window: MainWindow, quote: Quote) -> None:
    model = window.quotes.model
    row = next(r for r in range(model.rowCount()) if model.quote_at(r) == quote)
    index = model.index(row, 0)
    window.quotes.table.scrollTo(index)
    rect = window.quotes.table.visualRect(index)
    QTest.mouseClick(window.quotes.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def differs(a: QImage, b: QImage) -> int:
    return sum(
        a.pixel(x, y) != b.pixel(x, y)
        for x in range(0, a.width(), 2)
        for y in range(0, a.height(), 2)
    )


def test_select_hover_and_show_all_on_the_seed(qtbot, window, workspace, tmp_path: Path):
    open_and_predict(qtbot, window)
    view, text = window.article, window.article.text
    quotes = sorted(window.session.annotations.quotes, key=lambda q: (q.start, q.end))
    spoken = [q for q in quotes if q.speaker is not None]
    assert len(spoken) >= 2, "the seed's quotes with speakers were not predicted"
    order: list[tuple[str, str]] = []
    for q in quotes:
        if q.speaker is not None and who(q, text) not in order:
            order.append(who(q, text))
    quote = spoken[0]

    click_row(window, quote)
    assert view.selected_quote == quote
    marks = view.overlay.highlighted()
    assert marks["speaker"] == [view.to_utf16(*quote.speaker)]
    assert marks["cue"] == ([view.to_utf16(*quote.cue)] if quote.cue else [])
    qtbot.wait(20)
    selected = [k for k in view.overlay.links if k.weight is Weight.SELECTED]
    assert sorted(k.part for k in selected) == list(range(len(quote.parts)))
    speaker_rect = text_rect(view, *quote.speaker)
    image = view.viewport().grab().toImage()
    color = SPEAKER_PALETTE[order.index(who(quote, text)) % len(SPEAKER_PALETTE)]
    mid = speaker_rect.center().y()
    edge = [
        image.pixelColor(x, mid).name()
        for x in range(speaker_rect.left() - 4, speaker_rect.left() + 1)
    ]
    assert color in edge, f"no {color} box edge left of the speaker: {edge}"
    save_shot(window, tmp_path / "shots" / "links-selected.png")

    # Hover the speaker: every quote of that speaker is highlighted.
    QTest.mouseMove(view.viewport(), speaker_rect.center())
    assert view.overlay.hovered == who(quote, text)
    same = [q for q in spoken if who(q, text) == who(quote, text)]
    expected = sorted(view.to_utf16(*p) for q in same for p in q.parts)
    assert sorted(view.overlay.highlighted()["hovered"]) == expected
    save_shot(window, tmp_path / "shots" / "links-hover.png")
    QTest.mouseMove(view.viewport(), QPoint(2, 2))  # the page margin: no speaker
    assert view.overlay.hovered is None

    # The kind legend: the Kind column's header and cells, the action's tooltip.
    model = window.quotes.model
    legend = str(model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole))
    assert all(w in legend for w in ("double", "dashed", "dash-dot"))
    assert model.data(model.index(0, 2)) == model.quote_at(0).kind.value  # still the word
    assert "underline" in str(model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole))

    # Shift+L: every visible link, thin; the selected one stays strong.
    action = window.window_actions["show_attributions"]
    assert "dash-dot" in action.toolTip()
    assert action.isCheckable() and not action.isChecked()
    view.setFocus()
    before = view.viewport().grab().toImage()
    QTest.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert action.isChecked() and view.overlay.show_all
    qtbot.wait(20)
    weights = {k.quote: k.weight for k in view.overlay.links}
    assert list(weights.values()).count(Weight.SELECTED) == 1
    assert Weight.ALL in weights.values()
    shown = view.viewport().grab().toImage()
    assert differs(before, shown) > 20
    settings = QSettings(str(workspace.data_dir / "window.ini"), QSettings.Format.IniFormat)
    assert settings.value("view/show_attributions") in (True, "true")
    save_shot(window, tmp_path / "shots" / "links-show-all.png")

    QTest.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert not action.isChecked() and not view.overlay.show_all
    qtbot.wait(20)
    assert {k.weight for k in view.overlay.links} == {Weight.SELECTED}
    assert differs(shown, view.viewport().grab().toImage()) > 20


def test_show_attributions_is_restored_with_the_window(qtbot, workspace, worker):
    def build() -> MainWindow:
        win = MainWindow(
            workspace.repo,
            workspace.annotator,
            worker=worker,
            settings_path=workspace.data_dir / "window.ini",
        )
        qtbot.addWidget(win)
        return win

    first = build()
    first.window_actions["show_attributions"].trigger()
    assert first.article.overlay.show_all
    first.close()
    second = build()
    assert second.window_actions["show_attributions"].isChecked()
    assert second.article.overlay.show_all
    second.window_actions["show_attributions"].trigger()
    second.close()
    assert not build().article.overlay.show_all
