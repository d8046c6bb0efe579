"""Chart panels on pyqtgraph: grouped bars and lines, each with a Save button (PNG, SVG)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsmark.ui.views.chart_export import save_chart

# Tableau 10's first colours: told apart by most colour-blind readers, on light and dark.
SERIES_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948")
MAX_TICKS = 14  # category names under vertical bars before they crowd
GROUP_WIDTH = 0.8  # of the space between two categories, shared by the group's bars


class ChartPanel(QWidget):
    """One chart (a pyqtgraph PlotWidget in the window's colours) and its Save button.

    The title is part of the plot, so saved files carry it. The mouse does not pan or
    zoom (these are figures to read, not data to explore), and pyqtgraph's own context
    menu is off: saving goes through `save`, which the button calls.
    """

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"chart_{name}")
        self.name = name
        palette = self.palette()
        self._fg = palette.color(QPalette.ColorRole.WindowText)
        self.plot = pg.PlotWidget(self, background=palette.color(QPalette.ColorRole.Base))
        self.plot.setAntialiasing(True)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.item = self.plot.getPlotItem()
        self.set_title(title)
        for side in ("left", "bottom"):
            axis = self.item.getAxis(side)
            axis.setPen(self._fg)
            axis.setTextPen(self._fg)
            axis.setStyle(maxTickLevel=0)  # no minor ticks: their grid lines stripe bars
        self.item.showGrid(x=False, y=True, alpha=0.25)
        self.legend: pg.LegendItem | None = None
        self.categories: list[str] = []  # what the bars stand for, in drawing order
        self.note: str | None = None  # what shows instead of a chart (None: a chart)
        self._note: pg.TextItem | None = None

        self.save_button = QToolButton(self)
        self.save_button.setText("Save chart…")
        self.save_button.setToolTip(f"Save “{title}” as a PNG image or an SVG drawing")
        self.save_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.save_button)
        for suffix, text in ((".png", "As &PNG image…"), (".svg", "As &SVG drawing…")):
            action = QAction(text, menu)
            action.triggered.connect(lambda _c=False, s=suffix: self._ask_and_save(s))
            menu.addAction(action)
        self.save_button.setMenu(menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

    # -- drawing ---------------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self.item.setTitle(title, color=self._fg.name())

    def clear(self, note: str | None = None) -> None:
        """Remove what is drawn; `note` (e.g. "No accepted documents yet") shows instead."""
        self.item.clear()
        if self.legend is not None:
            self.legend.clear()
        self._note, self.note = None, note
        self.save_button.setEnabled(note is None)  # a note is not worth a file
        self.categories = []
        self.item.setLabel("left", "")  # (setLabel shows the axis: before hiding it)
        self.item.setLabel("bottom", "")
        # A note alone: no axes, no grid (they would read as figures of 0).
        for side in ("left", "bottom"):
            self.item.showAxis(side, note is None)
        self.item.showGrid(x=False, y=False)
        if note:
            self._note = pg.TextItem(note, color=self._fg, anchor=(0.5, 0.5))
            self.item.addItem(self._note)
            self._note.setPos(0.5, 0.5)
            self.item.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self._category_ticks([])

    def bars(
        self,
        categories: Sequence[str],
        series: Mapping[str, Sequence[float | None]],
        *,
        horizontal: bool = False,
        value_range: tuple[float, float] | None = None,
        value_label: str = "",
    ) -> None:
        """Grouped bars: one group per category, one bar per series (in a legend when
        there are several; None: no bar). Horizontal bars keep long names readable."""
        self.clear(None if categories else "Nothing to show yet")
        self.categories = list(categories)
        if not categories:
            return
        legend = self._ensure_legend() if len(series) > 1 else None
        width = GROUP_WIDTH / max(len(series), 1)
        # Horizontal: the first category at the top, where reading starts.
        positions = [float(len(categories) - 1 - i) if horizontal else float(i)
                     for i in range(len(categories))]  # fmt: skip
        for n, (name, values) in enumerate(series.items()):
            offset = (n - (len(series) - 1) / 2) * width
            if horizontal:
                offset = -offset
            color = QColor(SERIES_COLORS[n % len(SERIES_COLORS)])
            shown = [
                (p + offset, v) for p, v in zip(positions, values, strict=True) if v is not None
            ]
            centres, sizes = [c for c, _ in shown], [v for _, v in shown]
            if horizontal:
                bar = pg.BarGraphItem(
                    x0=0, y=centres, height=width, width=sizes, brush=color, pen=color, name=name
                )
            else:
                bar = pg.BarGraphItem(
                    x=centres, height=sizes, width=width, brush=color, pen=color, name=name
                )
            self.item.addItem(bar)
            if legend is not None:
                legend.addItem(bar, name)
        ticks = list(zip(positions, categories, strict=True))
        if not horizontal and len(ticks) > MAX_TICKS:  # e.g. many days: every n-th name
            step = -(-len(ticks) // MAX_TICKS)
            ticks = ticks[::step]
        lo_hi = value_range
        if lo_hi is None:  # counts: fit them (a note before fixed the range to 0..1)
            self.item.enableAutoRange(axis="x" if horizontal else "y")
        if horizontal:
            self._category_ticks(ticks, "left")
            self.item.setRange(yRange=(-0.6, len(categories) - 0.4), padding=0)
            if lo_hi:
                self.item.setRange(xRange=lo_hi, padding=0.05)
            self.item.setLabel("bottom", value_label)
        else:
            self._category_ticks(ticks)
            self.item.setRange(xRange=(-0.6, len(categories) - 0.4), padding=0)
            if lo_hi:
                self.item.setRange(yRange=lo_hi, padding=0.05)
            self.item.setLabel("left", value_label)
        self.item.showGrid(x=horizontal, y=not horizontal, alpha=0.25)

    def line(
        self,
        points: Sequence[tuple[float, float]],
        *,
        x_ticks: Sequence[tuple[float, str]] = (),
        value_range: tuple[float, float] | None = None,
        value_label: str = "",
        name: str = "",
    ) -> None:
        """A line through `points` with a marker on each (the learning curve)."""
        self.clear(None if points else "Not computed yet")
        if not points:
            return
        color = QColor(SERIES_COLORS[0])
        self.item.plot(
            [p[0] for p in points], [p[1] for p in points],
            pen=pg.mkPen(color, width=2), symbol="o", symbolBrush=color, symbolPen=color,
            name=name or None,
        )  # fmt: skip
        self._category_ticks(list(x_ticks))
        if value_range:
            self.item.setRange(yRange=value_range, padding=0.02)
        xs = [p[0] for p in points]
        self.item.setRange(xRange=(min(xs), max(xs)), padding=0.08)
        self.item.setLabel("left", value_label)
        self.item.showGrid(x=False, y=True, alpha=0.25)

    def _ensure_legend(self) -> pg.LegendItem:
        # Under the plot, in the plot's own layout (row 4: below the bottom axis), so it
        # never hides a bar and saved files carry it.
        if self.legend is None:
            self.legend = pg.LegendItem(colCount=6, frame=False, labelTextColor=self._fg)
            self.item.layout.addItem(self.legend, 4, 1)
        return self.legend

    def _category_ticks(self, ticks: list[tuple[float, str]], side: str = "bottom") -> None:
        """Category names as the ticks of `side`; the other axis counts as pyqtgraph likes."""
        self.item.getAxis(side).setTicks([ticks] if ticks else None)
        self.item.getAxis("left" if side == "bottom" else "bottom").setTicks(None)

    # -- saving ----------------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        """Write the chart to `path` (.png or .svg); returns it."""
        return save_chart(self.item, path)

    def _ask_and_save(self, suffix: str) -> None:
        kind = "PNG image (*.png)" if suffix == ".png" else "SVG drawing (*.svg)"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save chart", str(Path.home() / f"newsmark-{self.name}{suffix}"), kind
        )
        if not chosen:
            return
        path = Path(chosen)
        try:
            self.save(path if path.suffix.lower() == suffix else path.with_suffix(suffix))
        except OSError as exc:
            QMessageBox.warning(self, "Save chart", f"Could not save {path}: {exc.strerror}")
