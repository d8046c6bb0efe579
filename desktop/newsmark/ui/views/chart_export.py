"""Save a pyqtgraph chart as PNG or SVG with pyqtgraph's exporters."""

from __future__ import annotations

import importlib
import xml.dom.minidom
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pyqtgraph.exporters

from newsmark.domain.errors import UsageError

PNG_SCALE = 2  # twice the on-screen size: sharp on slides and in papers


def _keep_closed_paths(correct: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(node: xml.dom.minidom.Element, *args: Any, **kwargs: Any) -> Any:
        closed = []
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d").strip()
            if d.endswith("Z"):
                path.setAttribute("d", d[:-1].strip())
                closed.append(path)
        result = correct(node, *args, **kwargs)
        for path in closed:
            path.setAttribute("d", path.getAttribute("d").strip() + " Z")
        return result

    wrapped.newsmark_keeps_closed_paths = True  # type: ignore[attr-defined]
    return wrapped


def _patch_svg_exporter() -> None:
    # WORKAROUND: https://github.com/pyqtgraph/pyqtgraph/issues/3495 - pyqtgraph 0.14.0's
    # SVG exporter reads every piece of a path's "d" as "x,y", but Qt >= 6.10 ends closed
    # paths (every plot's background) with "Z": each SVG export raised ValueError. The Z
    # goes off before pyqtgraph corrects the coordinates and back on after. Harmless once
    # pyqtgraph reads Z itself.
    module: Any = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    correct = getattr(module, "correctCoordinates", None)
    if correct is not None and not getattr(correct, "newsmark_keeps_closed_paths", False):
        module.correctCoordinates = _keep_closed_paths(correct)


_patch_svg_exporter()


def save_chart(item: pg.PlotItem, path: Path) -> Path:
    """Write the plot (title, axes, legend) to `path`: PNG at twice its on-screen size, or
    SVG; the suffix says which. Raises UsageError for another suffix, OSError when the
    file cannot be written."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        exporter = pg.exporters.ImageExporter(item)
        width = int(item.sceneBoundingRect().width() * PNG_SCALE)
        exporter.parameters()["width"] = max(width, 1)
        ok = exporter.export(str(path))
        # ImageExporter returns QImage.save's answer (None in older pyqtgraph versions).
        if ok is False or not path.is_file():
            raise OSError(0, "the image could not be written", str(path))
    elif suffix == ".svg":
        pg.exporters.SVGExporter(item).export(str(path))
    else:
        raise UsageError(f"{path.name}: charts are saved as .png or .svg")
    return path
