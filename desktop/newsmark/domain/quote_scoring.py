"""The quote scorer (the reference scorer's rules): exact and partial P/R/F1, speaker
accuracy, quote+speaker F1 and recall per kind of predicted quotes against gold records."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

# The same characters as the reference scorer: marks, spaces and edge punctuation are not
# content, so "“A,”" and "A" are the same quote.
STRIP = " \t\r\n\"'“”‘’«»„‟‹›,.;:—–-"
ALL_KINDS = frozenset({"direct", "indirect", "mixed"})
Range = tuple[int, int]


def norm(text: str, s: int, e: int) -> Range:
    """Trim quotation marks, whitespace and edge punctuation from [s, e)."""
    while s < e and text[s] in STRIP:
        s += 1
    while e > s and text[e - 1] in STRIP:
        e -= 1
    return s, e


def overlap(a: Range, b: Range) -> float:
    """Intersection over union of two ranges."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def inside(a: Range, b: Range) -> float:
    """Share of a that lies inside b."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (a[1] - a[0]) if a[1] > a[0] else 0.0


def char_map(src: str, dst: str) -> list[int]:
    """Map each offset of src (0..len) to an offset of dst, monotonically."""
    if src == dst:
        return list(range(len(src) + 1))
    m = [-1] * (len(src) + 1)
    matcher = difflib.SequenceMatcher(None, src, dst, autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        for i in range(n + 1):
            m[a + i] = b + i
    last = 0
    for i, v in enumerate(m):
        if v < 0:
            m[i] = last
        else:
            last = v
    return m


def _words(s: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", s) if len(w) > 2}


def _speaker_ok(
    gtext: str,
    g: dict[str, Any] | None,
    ptext: str,
    p: dict[str, Any] | None,
    pent: str | None,
    pm: list[int],
) -> bool | None:
    """None when gold has no speaker; else overlap with the mention or a shared word."""
    if g is None:
        return None
    if p is None:
        return False
    ps, pe = pm[p["start"]], pm[p["end"]]
    if overlap((g["start"], g["end"]), (ps, pe)) > 0:
        return True
    gw = _words(gtext[g["start"] : g["end"]])
    pw = _words(ptext[p["start"] : p["end"]]) | _words(pent or "")
    return bool(gw & pw)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = round(2 * p * r / (p + r), 3) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": f1}


def score(
    gold: Sequence[dict[str, Any]],
    pred: Sequence[dict[str, Any]],
    kinds: Iterable[str] = ALL_KINDS,
    speech_only: bool = False,
) -> dict[str, Any]:
    """Exact/partial P/R/F1, speaker accuracy, quote+speaker F1 and recall per kind.

    Predictions are matched to gold documents by text, else by position. A prediction of a
    gold quote outside the scored kinds counts neither way; a further fragment of an
    already matched split quote is neither right nor wrong.
    """
    kinds = set(kinds)
    by_text = {p.get("text"): p for p in pred}
    stats = dict.fromkeys(["gold", "pred", "exact", "partial", "spk_gold", "spk_ok", "e2e"], 0)
    per_kind: dict[str, dict[str, int]] = {}

    def wanted(q: dict[str, Any]) -> bool:
        return q.get("kind", "direct") in kinds and (
            not speech_only or bool(q.get("cue_speech_verb", True))
        )

    for i, g in enumerate(gold):
        fallback = pred[i] if i < len(pred) else {"text": g["text"], "quotes": []}
        p = by_text.get(g["text"]) or fallback
        gt, pt = g["text"], p.get("text", "")
        pm = char_map(pt, gt)
        gq = [q for q in g["quotes"] if wanted(q)]
        excluded = [
            norm(gt, q["quote"]["start"], q["quote"]["end"]) for q in g["quotes"] if not wanted(q)
        ]
        gspans = [norm(gt, q["quote"]["start"], q["quote"]["end"]) for q in gq]
        gparts = [{norm(gt, x["start"], x["end"]) for x in q.get("quote_parts", [])} for q in gq]
        pq: list[dict[str, Any]] = []
        pspans: list[Range] = []
        for q in p.get("quotes", []):
            if q.get("kind", "direct") not in kinds:
                continue
            span = norm(gt, pm[q["quote"]["start"]], pm[q["quote"]["end"]])
            if any(inside(span, x) >= 0.5 for x in excluded) and not any(
                overlap(span, x) >= 0.5 for x in gspans
            ):
                continue
            pq.append(q)
            pspans.append(span)
        stats["gold"] += len(gq)
        used: set[int] = set()
        for gi, gs in enumerate(gspans):
            pk = per_kind.setdefault(gq[gi].get("kind", "direct"), {"gold": 0, "found": 0})
            pk["gold"] += 1
            best, bj = 0.0, -1
            for j, ps in enumerate(pspans):
                if j in used:
                    continue
                o = max([overlap(gs, ps)] + [overlap(x, ps) for x in gparts[gi]])
                if o > best:
                    best, bj = o, j
            if bj < 0 or best < 0.5:
                continue
            used.add(bj)
            pk["found"] += 1
            stats["partial"] += 1
            stats["exact"] += int(gs == pspans[bj] or pspans[bj] in gparts[gi])
            ok = _speaker_ok(
                gt, gq[gi].get("speaker"), pt, pq[bj].get("speaker"), pq[bj].get("entity"), pm
            )
            if ok is not None:
                stats["spk_gold"] += 1
                stats["spk_ok"] += int(ok)
            stats["e2e"] += int(ok is not False)
        matched_parts = [x for gi, gs in enumerate(gspans) for x in gparts[gi] | {gs}]
        extra = sum(
            1
            for j, ps in enumerate(pspans)
            if j not in used and any(inside(ps, x) >= 0.5 for x in matched_parts)
        )
        stats["pred"] += len(pq) - extra

    n_pred, n_gold = stats["pred"], stats["gold"]
    return {
        "counts": stats,
        "exact": _prf(stats["exact"], n_pred, n_gold),
        "partial": _prf(stats["partial"], n_pred, n_gold),
        "speaker_acc": round(stats["spk_ok"] / stats["spk_gold"], 3) if stats["spk_gold"] else None,
        "quote_and_speaker": _prf(stats["e2e"], n_pred, n_gold),
        "recall_by_kind": {
            k: round(v["found"] / v["gold"], 3) for k, v in per_kind.items() if v["gold"]
        },
    }
