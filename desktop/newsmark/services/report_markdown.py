"""`newsmark report --format markdown`: the report's figures as Markdown tables."""

from __future__ import annotations

from typing import Any


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _prf_row(name: str, m: dict[str, Any]) -> list[str]:
    return [name, str(m["gold"]), str(m["pred"]), _num(m["p"]), _num(m["r"]), _num(m["f1"])]


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def format_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: entities per label, quotes per kind, progress."""
    f = report["filter"]
    who = f" by {f['annotator']}" if f["annotator"] else ""
    out = [
        "# Newsmark report",
        "",
        f"{report['sets']} annotation sets ({f['status']}{who}) on "
        f"{report['documents']} documents.",
    ]
    if not report["sets"]:
        out += ["", "Nothing to score the model against: no such sets."]
    elif "model" in report:
        ents, quotes = report["entities"], report["quotes"]
        out += ["", f"## Entities: {report['model']} against the gold (exact match)", ""]
        rows = [_prf_row(lab, m) for lab, m in ents["labels"].items()]
        rows.append(_prf_row("**all (micro)**", ents["micro"]))
        out += _table(["label", "gold", "predicted", "P", "R", "F1"], rows)
        out += ["", "## Quotes (partial match: overlap >= 0.5)", ""]
        rows = [_prf_row(kind, m) for kind, m in quotes["kinds"].items()]
        rows.append(_prf_row("**all kinds**", {**quotes["partial"], "gold": quotes["gold"],
                                               "pred": quotes["pred"]}))  # fmt: skip
        out += _table(["kind", "gold", "predicted", "P", "R", "F1"], rows)
        spk = quotes["speakers"]
        out += [
            "",
            f"Exact F1 {_num(quotes['exact']['f1'])}; quote + speaker F1 "
            f"{_num(quotes['quote_and_speaker']['f1'])}; speaker accuracy "
            f"{_num(quotes['speaker_accuracy'])} ({spk['right']}/{spk['gold']}).",
        ]
    prog = report["progress"]
    out += ["", "## Progress (accepted sets, from the edit log)", ""]
    rows = [[day, str(n)] for day, n in prog["accepted_per_day"].items()]
    out += _table(["day (UTC)", "accepted"], rows) if rows else ["No accepts in the log."]
    out += [""]
    rows = [
        [name, str(a["accepted"]), str(a["timed"]), _seconds(a["median_seconds"])]
        for name, a in prog["annotators"].items()
    ]
    rows.append(["**all**", str(prog["accepted"]), str(prog["timed"]),
                 _seconds(prog["median_seconds"])])  # fmt: skip
    out += _table(["annotator", "accepted", "timed", "median seconds"], rows)
    out += [
        "",
        f"Seconds per document: from the set's first edit to its accept, gaps over "
        f"{prog['idle_cap_seconds']:.0f} s counted as {prog['idle_cap_seconds']:.0f} s; "
        "sets accepted without an edit are not timed.",
    ]
    if prog["not_in_log"]:
        out.append(
            f"{prog['not_in_log']} set(s) arrived accepted with an import: the log has no "
            "accept (no day) and no working time for them."
        )
    return "\n".join(out) + "\n"
