"""What the dashboard draws from a report: which figures go into which chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsmark.ui.dialogs.dashboard_dialog import DashboardDialog

PRF = (("P", "p"), ("R", "r"), ("F1", "f1"))
SCORE_RANGE = (0.0, 1.0)


def _selection(report: dict[str, Any]) -> str:
    f = report["filter"]
    who = f" by {f['annotator']}" if f["annotator"] else ""
    return f"{f['status']} sets{who}"


def summary_text(report: dict[str, Any]) -> str:
    """One line above the charts: what was scored against what."""
    if not report["sets"]:
        return f"No {_selection(report)} yet: nothing to score the model against."
    gold = f"{report['sets']} {_selection(report)} on {report['documents']} documents"
    work = f"median {_seconds(report['progress']['median_seconds'])}"
    if "model" not in report:
        return f"{gold}; {work}"
    ents, quotes = report["entities"]["micro"], report["quotes"]
    acc = quotes["speaker_accuracy"]
    return (
        f"{report['model']} against {gold}: entities F1 {ents['f1']:.3f}, quotes F1 "
        f"{quotes['partial']['f1']:.3f}, speaker accuracy "
        f"{'n/a' if acc is None else f'{acc:.3f}'}; {work}"
    )


def _seconds(value: float | None) -> str:
    return "not timed" if value is None else f"{value:.0f} s/doc"


def draw_report(dialog: DashboardDialog, report: dict[str, Any]) -> None:
    """Redraw every chart but the learning curve from `report`."""
    if not report["sets"]:
        note = f"No {_selection(report)} yet"
        for panel in (dialog.entities, dialog.quotes, dialog.per_day, dialog.annotators):
            panel.clear(note)
        return
    if "model" in report:
        labels = report["entities"]["labels"]
        # The labels the gold uses first (most mentions first), then what only the model has.
        names = sorted(labels, key=lambda n: (-labels[n]["gold"], -labels[n]["pred"], n))
        dialog.entities.bars(
            names,
            {title: [labels[n][key] for n in names] for title, key in PRF},
            horizontal=True,
            value_range=SCORE_RANGE,
        )
        quotes = report["quotes"]
        kinds = list(quotes["kinds"])
        rows = [quotes["kinds"][k] for k in kinds] + [quotes["partial"]]
        series: dict[str, list[float | None]] = {
            title: [r[key] for r in rows] + [None] for title, key in PRF[:2]
        }
        series["F1 · speaker accuracy"] = [r["f1"] for r in rows] + [quotes["speaker_accuracy"]]
        dialog.quotes.bars([*kinds, "all kinds", "speakers"], series, value_range=SCORE_RANGE)
    progress = report["progress"]
    days = progress["accepted_per_day"]
    dialog.per_day.bars([d[5:] for d in days], {"accepted": list(days.values())})
    people = progress["annotators"]
    dialog.annotators.bars(
        [f"{name} ({_seconds(a['median_seconds'])})" for name, a in people.items()],
        {"accepted": [a["accepted"] for a in people.values()]},
        horizontal=True,
        value_label="documents accepted",
    )
