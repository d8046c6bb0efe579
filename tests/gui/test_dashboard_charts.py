"""View › Model vs gold: the dashboard computes in a worker, draws the report's figures,
cancels, runs the learning curve on demand and saves every chart as real PNG and SVG."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyqtgraph as pg
import pytest
from gui_support import MODEL_TIMEOUT_MS, save_shot
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from newsmark.domain.errors import UsageError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.services.importing import import_paths
from newsmark.ui.dialogs.dashboard_dialog import NO_TRAINING, DashboardDialog
from newsmark.ui.main_window import MainWindow

# The model finds PERSON 0-18, PERSON 30-44, GPE 72-81 and a direct quote 46-60 said by
# "he" (tests/unit/services/test_report_figures.py checks it); the gold calls Jerusalem ORG.
TEXT = 'Benjamin Netanyahu spoke with Vladimir Putin. "We will win," he said in Jerusalem.'
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def gold_window(window: MainWindow, tmp_path: Path) -> MainWindow:
    """The window with one accepted article: two names right, Jerusalem as ORG, a quote."""
    source = tmp_path / "gold.txt"
    source.write_text(TEXT, encoding="utf-8")
    repo = window.session.repo
    (doc_id,) = import_paths(repo, [source]).added
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    for span in (Span(0, 18, "PERSON"), Span(30, 44, "PERSON"), Span(72, 81, "ORG")):
        repo.add_span(aset.id, span, "ann")
    repo.add_quote(aset.id, Quote(((46, 60),), QuoteKind.DIRECT, speaker=(61, 63)), "ann")
    repo.set_status(aset.id, "accepted", "ann")
    return window


def open_dashboard(qtbot, win: MainWindow) -> DashboardDialog:  # type: ignore[no-untyped-def]
    view = next(m for m in win.menuBar().actions() if m.text() == "&View").menu()
    action = win.window_actions["model_vs_gold"]
    assert action in view.actions()
    started = time.monotonic()
    with qtbot.waitSignal(win.tasks.task_started, timeout=5000):
        action.trigger()
    # The GUI thread only queued the work: the model loads and runs in the pool.
    assert time.monotonic() - started < 1.0
    dialog = win.dashboard.dialog
    assert dialog is not None and dialog.isVisible() and dialog.busy
    assert dialog.cancel_button.isEnabled() and not dialog.refresh_button.isEnabled()
    return dialog


def bar_values(panel) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """What each series' bars show: heights, or widths of horizontal bars."""
    out = {}
    for item in panel.item.items:
        if isinstance(item, pg.BarGraphItem):
            horizontal = item.opts.get("x0") is not None
            out[item.name()] = [float(v) for v in item.opts["width" if horizontal else "height"]]
    return out


def test_dashboard_draws_the_report(qtbot, gold_window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dashboard(qtbot, gold_window)
    with qtbot.waitSignal(dialog.report_shown, timeout=MODEL_TIMEOUT_MS) as shown:
        pass
    report = shown.args[0]
    assert report["sets"] == 1 and not dialog.busy and dialog.refresh_button.isEnabled()
    # By hand: PERSON 2 of 2; GPE predicted once, never gold; ORG gold once, never found.
    labels = report["entities"]["labels"]
    assert (labels["PERSON"]["f1"], labels["GPE"]["p"], labels["ORG"]["r"]) == (1.0, 0.0, 0.0)
    # Labels in gold order (PERSON 2, ORG 1, then GPE 0), as P/R/F1 bars.
    assert bar_values(dialog.entities) == {
        "P": [1.0, 0.0, 0.0], "R": [1.0, 0.0, 0.0], "F1": [1.0, 0.0, 0.0],
    }  # fmt: skip
    quotes = bar_values(dialog.quotes)
    assert quotes["F1 · speaker accuracy"] == [1.0, 0.0, 0.0, 1.0, 1.0]  # direct..all, speakers
    assert quotes["P"] == [1.0, 0.0, 0.0, 1.0]  # no P bar for speakers
    assert bar_values(dialog.per_day) == {"accepted": [1.0]}
    qtbot.waitUntil(lambda: dialog.per_day.item.viewRange()[1][1] > 1.0)  # the bar fits
    (who,) = dialog.annotators.categories
    assert who.startswith("ann (") and who.endswith(" s/doc)")  # timed: edits, then accept
    assert "entities F1 0.667" in dialog.summary.text()  # 2 right of 3 predicted, 3 gold
    save_shot(dialog, tmp_path / "shots" / "dash14-dashboard-gold.png")


def test_no_gold_says_so_instead_of_drawing_zeros(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dashboard(qtbot, window)  # the seed article, not accepted
    assert dialog.entities.note == "Computing…"
    with qtbot.waitSignal(dialog.report_shown, timeout=MODEL_TIMEOUT_MS):
        pass
    assert dialog.summary.text() == "No accepted sets yet: nothing to score the model against."
    for panel in (dialog.entities, dialog.quotes, dialog.per_day, dialog.annotators):
        assert panel.note == "No accepted sets yet" and not bar_values(panel)
        assert not panel.save_button.isEnabled()
        assert not panel.item.getAxis("left").isVisible()
    assert dialog.curve.note == "Not computed yet"


def test_cancel_stops_the_run_and_keeps_the_charts(qtbot, gold_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dashboard(qtbot, gold_window)
    qtbot.mouseClick(dialog.cancel_button, pg.QtCore.Qt.MouseButton.LeftButton)
    assert not dialog.busy and dialog.summary.text() == "Cancelled."
    assert dialog.refresh_button.isEnabled() and not dialog.cancel_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.report_shown):
        qtbot.waitUntil(lambda: gold_window.tasks.active == 0, timeout=MODEL_TIMEOUT_MS)
    assert dialog.report is None


def test_learning_curve_on_demand(qtbot, gold_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dashboard(qtbot, gold_window)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=MODEL_TIMEOUT_MS)
    # The window's own trainer (Model menu: services.training.score_fraction) enables it.
    assert dialog.train_and_score == gold_window.models_menu.train_and_score
    assert dialog.curve_button.isEnabled()
    dialog.set_train_and_score(None)
    assert not dialog.curve_button.isEnabled() and dialog.curve_button.toolTip() == NO_TRAINING
    trained: list[float] = []

    def train_and_score(fraction: float, _cancel: object) -> float:
        trained.append(fraction)
        return 0.5 + fraction / 4

    dialog.set_train_and_score(train_and_score)
    assert dialog.curve_button.isEnabled()
    with qtbot.waitSignal(dialog.curve_shown, timeout=10_000) as shown:
        qtbot.mouseClick(dialog.curve_button, pg.QtCore.Qt.MouseButton.LeftButton)
    assert shown.args[0] == [(0.25, 0.5625), (0.5, 0.625), (0.75, 0.6875), (1.0, 0.75)]
    assert trained == [0.25, 0.5, 0.75, 1.0]
    (curve,) = dialog.curve.item.listDataItems()
    xs, ys = curve.getData()
    assert list(xs) == [25.0, 50.0, 75.0, 100.0] and list(ys) == [0.5625, 0.625, 0.6875, 0.75]


def test_every_chart_saves_as_png_and_svg(qtbot, gold_window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dashboard(qtbot, gold_window)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=MODEL_TIMEOUT_MS)
    dialog.set_train_and_score(lambda f, _cancel: f)
    with qtbot.waitSignal(dialog.curve_shown, timeout=10_000):
        dialog.compute_curve()
    for panel in dialog.charts:
        png = panel.save(tmp_path / f"{panel.name}.png")
        assert png.read_bytes()[:8] == PNG_MAGIC
        image = QImage(str(png))
        assert not image.isNull()
        # Twice the on-screen size, so it stays sharp in print.
        assert abs(image.width() - 2 * panel.item.sceneBoundingRect().width()) <= 2
        svg = panel.save(tmp_path / f"{panel.name}.svg")
        root = ET.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert QSvgRenderer(str(svg)).isValid()
        texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert panel.item.titleLabel.text.split(" ")[0] in texts  # the title is in the file
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        dialog.quotes.save(tmp_path / "quotes.pdf")
