"""Actions per quote: replay gold attributions of the dev split through the real window.

Articles of the shared PolNeAR dev split (read by path from $NEWSMARK_EVAL_DIR, never
copied) are imported into a fresh data dir and pre-annotated by the real model, as an
annotator gets them: the first article with at least five gold quotes of each of the
seven publishers, in file order. Then the gold attributions are replayed through the real
MainWindow with QTest events (mouse presses, moves and releases on the article's
viewport at the positions of the view's own offsets; key clicks on the window), the way
an annotator works through an article from the top:

- navigation: `.` to the next quote (or a click inside it when more than one `.` would
  be needed); X deletes a quote the model invented (matched to no gold quote);
- content: Alt+arrows move a matched quote's edges one token a press, watching the
  stored quote after each press (delete and re-mark when that is cheaper); a drag and Q
  mark a missed quote, a drag and Shift+Q each further part of a split quote, a click
  and Ctrl+Shift+Q remove a part the model added; Q fills in the cue and speaker the
  words around the quote propose (domain/cue_rule.py), and the steps below start from
  what it filled: a right proposal costs nothing, a wrong one the fix's actions, one
  where gold has none the clear key;
- speaker: nothing when the model's is right; Ctrl+Shift+S when gold has none; else the
  first single action that yields the gold mention: a roster digit, `=` (the previous
  quote's speaker), a Ctrl+click on a word of the mention (an entity span, or the noun
  phrase around a plain word); else a drag and Shift+S;
- cue: nothing when right; Shift+C when gold has none; a Ctrl+Shift+click on a word
  when that gives the gold cue (the word, "according to", "has said", or a word that
  extends the stored cue: domain/cue_rule.py's cue_at);
  else a drag over it and C;
- kind: Shift+D/I/M when it differs.

Every key press, click and drag counts as one action; scrolling is not counted (the
script scrolls the view so the next target is visible, as a wheel would), nor is opening
the next article. Which single speaker action yields the gold mention is found by trying
it and undoing it when it does not (neither counted): an annotator who knows the roster
and the noun-phrase rule chooses it without trying (the probes' one side effect kept: a
corpus entity an attribution created). A drag uses Alt (exact characters) where snapping
to tokens cannot give the gold edges; such quotes are counted apart.

After each article the stored annotations are read back from the repository and compared
with the gold after the scorer's normalisation (services.eval_quotes.norm: quotation
marks, spaces and edge punctuation are not content): parts, speaker mention, cue, kind.
A replay that does not reach the gold is reported, not hidden.

The same quotes are then costed for the peers' workflow as their manuals describe it
(PEER_STEPS below: brat and INCEpTION select a span and pick its type, drag an arc from
one annotation to another and pick the arc's type), on the same starting point: the
model's correct quotes, speakers and cues cost nothing there either.

--keyboard-only replays the same with no mouse at all: the caret travels with Up/Down,
Ctrl+arrows (by word) and arrows, the selection grows with Shift+Up/Down, Ctrl+Shift+arrows
and Shift+arrows (by token), each press counted; navigation is `.` and `,`. It shows
which quotes are reachable without the mouse (all but gold edges inside a word) and
what that costs.

    python benchmarks/attribution_actions.py [--publishers 7] [--only nyt] [--keyboard-only]
        [--shots DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, qInstallMessageHandler
from PySide6.QtGui import QKeySequence, QMouseEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from _common import eval_dir
from newsmark.domain.cue_rule import cue_at
from newsmark.domain.offsets import Alignment, TokenIndex
from newsmark.domain.quotes import Quote
from newsmark.services.eval_quotes import char_map, norm, overlap, read_jsonl

Range = tuple[int, int]
MIN_QUOTES_PER_ARTICLE = 5
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "who"}
CATEGORIES = ("navigation", "delete", "content", "speaker", "cue", "kind")
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

# The peers' cost of each step, from their manuals (an action = a click, drag or key):
# brat, https://brat.nlplab.org/manual.html ("Annotating": select the text by dragging
# or double-clicking a word, then choose the type in the span dialog; "relations": click
# an annotation and drag to the other, then choose the arc type in the dialog; delete:
# open the annotation (double-click) and press Delete). INCEpTION user guide
# (https://inception-project.github.io/releases/latest/docs/user-guide.html, "Annotation":
# select text to create a span in the current layer, choose its label in the feature
# editor; "relations": drag from one span to the other, choose the relation's label;
# delete: select the annotation, Delete). The dialog's OK is not counted (generous to
# the peers: brat's type dialog has keyboard shortcuts, and a double-click on the type
# both picks and confirms). A quote is a content span, a source span with an arc to it,
# a cue span with an arc to it (PolNeAR's brat schema: an Attribution event whose cue
# is the trigger and whose Source and Content are arguments: the same count).
PEER_STEPS = {
    "span": 2,  # select (drag or double-click) + pick the type
    "arc": 2,  # drag from one annotation to the other + pick the arc type
    "delete": 2,  # select the annotation + Delete
    "attribute": 2,  # select the annotation + set the attribute (the quote's kind)
}


# -- the gold -------------------------------------------------------------------------
@dataclass
class GoldQuote:
    parts: tuple[Range, ...]  # normalised, sorted
    speaker: Range | None
    cue: Range | None
    kind: str
    speaker_text: str

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def hull(self) -> Range:
        return self.parts[0][0], self.parts[-1][1]


@dataclass
class Article:
    id: str
    publisher: str
    text: str
    quotes: list[GoldQuote]


def offscreen_screen() -> None:
    """Offscreen by default, on a screen large enough for a 1280x1000 window (read when
    the QApplication is made; the offscreen default screen is 800x600)."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    screen = Path(tempfile.gettempdir()) / "newsmark-bench-screen.json"
    screen.write_text(
        json.dumps({"screens": [{"name": "s0", "x": 0, "y": 0, "width": 1600, "height": 1100}]})
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"


def _rng(text: str, r: dict[str, int] | None) -> Range | None:
    if r is None:
        return None
    s, e = norm(text, r["start"], r["end"])
    return (s, e) if s < e else None


def choose_articles(rows: list[dict[str, Any]], publishers: int) -> list[Article]:
    """The first article with >= 5 gold quotes of each publisher, in file order."""
    chosen: dict[str, Article] = {}
    for row in rows:
        pub = row.get("meta", {}).get("publisher") or row["id"].split("-dev-")[-1].split("_")[0]
        if pub in chosen or len(row["quotes"]) < MIN_QUOTES_PER_ARTICLE:
            continue
        text = row["text"]
        quotes = []
        for q in row["quotes"]:
            parts = sorted(
                {p for p in (_rng(text, x) for x in q.get("quote_parts") or [q["quote"]]) if p}
            )
            if not parts:
                continue
            quotes.append(
                GoldQuote(
                    tuple(parts),
                    _rng(text, q.get("speaker")),
                    _rng(text, q.get("cue")),
                    q.get("kind", "direct"),
                    q.get("speaker_text") or "",
                )
            )
        chosen[pub] = Article(row["id"], pub, text, quotes)
        if len(chosen) == publishers:
            break
    return list(chosen.values())


def speaker_type(g: GoldQuote) -> str:
    words = g.speaker_text.split()
    if g.speaker is None:
        return "none"
    if len(words) == 1 and words[0].casefold() in PRONOUNS:
        return "pronoun"
    # "a campaign operative", "longtime Democratic pollster Pat Caddell"; not "The Post".
    content = [w for w in words if w.casefold() not in {"the", "a", "an"}]
    if len(words) >= 2 and any(w[:1].islower() for w in content):
        return "descriptive"
    return "name"


# -- the stored state -----------------------------------------------------------------
def nparts(text: str, q: Quote) -> tuple[Range, ...]:
    return tuple(sorted({norm(text, s, e) for s, e in q.parts}))


def nrange(text: str, r: Range | None) -> Range | None:
    if r is None:
        return None
    s, e = norm(text, *r)
    return (s, e) if s < e else None


def reached(text: str, q: Quote | None, g: GoldQuote) -> dict[str, bool]:
    if q is None:
        return dict.fromkeys(("parts", "speaker", "cue", "kind"), False)
    return {
        "parts": nparts(text, q) == g.parts,
        "speaker": nrange(text, q.speaker) == g.speaker,
        "cue": nrange(text, q.cue) == g.cue,
        "kind": q.kind.value == g.kind,
    }


def match(text: str, gold: list[GoldQuote], quotes: list[Quote]) -> dict[int, Quote]:
    """Gold index -> model quote, as the scorer matches (overlap >= 0.5 after norm)."""
    out: dict[int, Quote] = {}
    used: set[int] = set()
    spans = [norm(text, q.start, q.end) for q in quotes]
    for gi, g in enumerate(gold):
        best, bj = 0.0, -1
        for j, ps in enumerate(spans):
            if j in used:
                continue
            o = max([overlap(g.hull, ps)] + [overlap(x, ps) for x in g.parts])
            if o > best:
                best, bj = o, j
        if bj >= 0 and best >= 0.5:
            used.add(bj)
            out[gi] = quotes[bj]
    return out


# -- the replay -----------------------------------------------------------------------
@dataclass
class Tally:
    actions: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    probes: int = 0
    # Actions spent on quotes the model missed / found (wrong in some field), by step.
    by_origin: dict[str, Counter[str]] = field(
        default_factory=lambda: {"missed": Counter(), "found": Counter()}
    )


class Replayer:
    """Drives one MainWindow with real events and counts them."""

    def __init__(self, win: Any, keyboard_only: bool) -> None:
        self.win = win
        self.view = win.article
        self.keyboard_only = keyboard_only
        self.tally = Tally()
        self.unreached: list[str] = []
        self.inside_token = "gold edge inside a token: " + (
            "no key selects it" if keyboard_only else "Alt-drag (exact characters)"
        )
        names = {a.objectName() for a in win.window_actions}
        self.has_mark_speaker = "mark_speaker" in names
        self.has_cue_click = "cue_by_click" in names

    # -- low-level events ------------------------------------------------------------
    def spin(self) -> None:
        QApplication.processEvents()

    def key(self, sequence: str, category: str | None) -> None:
        combo = QKeySequence(sequence)[0]  # type: ignore[index]
        QTest.keyClick(self.win, combo.key(), combo.keyboardModifiers())
        self.spin()
        if category:
            self.tally.actions[category] += 1

    def caret_key(self, k: Qt.Key, mods: Qt.KeyboardModifier, category: str) -> None:
        QTest.keyClick(self.view, k, mods)
        self.spin()
        self.tally.actions[category] += 1

    def reveal(self, offset: int) -> None:
        """Scroll (not counted) so the line of `offset` is well inside the viewport."""
        view = self.view
        bar, line = view.verticalScrollBar(), max(1, view.fontMetrics().lineSpacing())
        height = view.viewport().height()
        for _ in range(20):
            rect = view.cursorRect(view.cursor_for(offset, offset))
            if line <= rect.top() and rect.bottom() <= height - line:
                return
            # QPlainTextEdit scrolls by line: put the target a third of the way down.
            step = (rect.top() - height // 3) // line or (1 if rect.top() > 0 else -1)
            before = bar.value()
            bar.setValue(before + step)
            self.spin()
            if bar.value() == before:
                return  # the top or the end of the text

    def point(self, offset: int) -> QPoint:
        return self.view.cursorRect(self.view.cursor_for(offset, offset)).center()

    def char_point(self, offset: int) -> QPoint:
        a, b = self.point(offset), self.point(offset + 1)
        x = (a.x() + b.x()) // 2 if b.y() == a.y() else a.x() + 2
        return QPoint(x, a.y())

    def drag(self, start: int, end: int, category: str, exact: bool = False) -> None:
        vp, mods = self.view.viewport(), (ALT if exact else NONE)
        self.reveal(start)
        QTest.mousePress(vp, LEFT, mods, self.point(start))
        self.reveal(end)
        b = self.point(end)
        # QTest.mouseMove spins offscreen; a move with the button held is what a drag sends.
        move = QMouseEvent(
            QEvent.Type.MouseMove, QPointF(b), QPointF(vp.mapToGlobal(b)), NONE_BUTTON, LEFT, mods
        )
        QApplication.sendEvent(vp, move)
        QTest.mouseRelease(vp, LEFT, mods, b)
        self.spin()
        self.tally.actions[category] += 1

    def click(self, offset: int, category: str | None, mods: Any = NONE) -> None:
        self.reveal(offset)
        QTest.mouseClick(self.view.viewport(), LEFT, mods, self.char_point(offset))
        self.spin()
        if category:
            self.tally.actions[category] += 1

    # -- selections with keys --------------------------------------------------------
    def caret_to(self, offset: int, category: str) -> None:
        """Move the caret to `offset` with real keys: each press the one of Down, Up,
        Ctrl+Right, Ctrl+Left (by word), Right, Left that lands nearest (greedy)."""
        view = self.view
        op = QTextCursor.MoveOperation
        moves = (
            (Qt.Key.Key_Down, NONE, op.Down),
            (Qt.Key.Key_Up, NONE, op.Up),
            (Qt.Key.Key_Right, CTRL, op.NextWord),
            (Qt.Key.Key_Left, CTRL, op.PreviousWord),
            (Qt.Key.Key_Right, NONE, op.Right),
            (Qt.Key.Key_Left, NONE, op.Left),
        )
        target = view.utf16.to_utf16(offset)
        for _ in range(5000):
            cursor = view.textCursor()
            if cursor.position() == target and not cursor.hasSelection():
                return
            best = None
            for k, mods, move in moves:
                probe = QTextCursor(cursor)
                probe.clearSelection()
                if not probe.movePosition(move):
                    continue
                gap = abs(probe.position() - target)
                if best is None or gap < best[0]:
                    best = (gap, k, mods)
            assert best is not None
            self.caret_key(best[1], best[2], category)
        raise RuntimeError(f"caret did not reach {offset}")

    def key_select(self, start: int, end: int, category: str) -> bool:
        """Caret to start, then extend the selection with real keys, each press the one of
        Shift+Down, Shift+Up, Ctrl+Shift+Right/Left (by word), Shift+Right/Left (by token)
        whose end lands nearest `end` (Q, C and Shift+S snap it to tokens). False when
        the keys cannot give the exact range (gold cuts inside a token)."""
        self.caret_to(start, category)
        view, op, keep = self.view, QTextCursor.MoveOperation, QTextCursor.MoveMode.KeepAnchor
        tokens = TokenIndex(view.current_document.tokens)
        want = nrange(self.text, (start, end))
        for _ in range(400):
            sel = view.snapped_selection()
            if sel is not None and nrange(self.text, sel) == want:
                return True
            cursor = view.textCursor()
            at = view.utf16.from_utf16(cursor.position())
            options: list[tuple[int, Qt.Key, Qt.KeyboardModifier]] = []
            for k, mods, move in (
                (Qt.Key.Key_Down, SHIFT, op.Down),
                (Qt.Key.Key_Up, SHIFT, op.Up),
                (Qt.Key.Key_Right, CTRL | SHIFT, op.NextWord),
                (Qt.Key.Key_Left, CTRL | SHIFT, op.PreviousWord),
            ):
                probe = QTextCursor(cursor)
                if probe.movePosition(move, keep):
                    options.append((view.utf16.from_utf16(probe.position()), k, mods))
            for forward, k in ((True, Qt.Key.Key_Right), (False, Qt.Key.Key_Left)):
                options.append((tokens.next_boundary(at, forward), k, SHIFT))
            gap, k, mods = min(options, key=lambda o: abs(o[0] - end))
            if abs(gap - end) >= abs(at - end):
                return False
            self.caret_key(k, mods, category)
        return False

    def select_text(self, r: Range, category: str, exact: bool) -> bool:
        """Select r (a drag, or keys); with keys that cannot select it exactly the nearest
        token-snapped selection stays (the field then misses the gold, reported)."""
        if self.keyboard_only:
            if not self.key_select(*r, category):
                self.tally.notes["selection unreachable by token keys"] += 1
            return self.view.snapped_selection() is not None
        self.drag(*r, category, exact=exact)
        return True

    # -- state ---------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.view.text

    def quotes(self) -> list[Quote]:
        aset = self.win.session.annotations
        return sorted(aset.quotes if aset else [], key=lambda q: (q.start, q.end))

    def quote(self, quote_id: int | None) -> Quote | None:
        return next((q for q in self.quotes() if q.id == quote_id), None)

    def selected(self) -> Quote | None:
        return self.view.selected_quote

    def snaps_to(self, r: Range) -> bool:
        """Whether a token-snapped selection of r normalises to r."""
        tokens = TokenIndex(self.view.current_document.tokens)
        snapped = tokens.snap(*r, Alignment.EXPAND)
        return snapped is not None and nrange(self.text, snapped) == r

    # -- navigation ------------------------------------------------------------------
    def presses_to(self, target: Quote, forward: bool) -> int:
        quotes, current = self.quotes(), self.selected()
        here = (current.start, current.end) if current else (self.view.cursor_offset(), -1)
        for n in range(1, len(quotes) + 1):
            if forward:
                nxt = next((q for q in quotes if (q.start, q.end) > here), quotes[0])
            else:
                nxt = next((q for q in reversed(quotes) if (q.start, q.end) < here), quotes[-1])
            if nxt.id == target.id:
                return n
            here = (nxt.start, nxt.end)
        raise RuntimeError("quote not reachable with . or ,")

    def select(self, target: Quote) -> None:
        current = self.selected()
        if current is not None and current.id == target.id:
            return
        fwd, back = self.presses_to(target, True), self.presses_to(target, False)
        offset = self._click_offset(target)
        if self.keyboard_only or min(fwd, back) <= 1 or offset is None:
            for _ in range(min(fwd, back)):
                self.key("." if fwd <= back else ",", "navigation")
        else:
            self.click(offset, "navigation")
        got = self.selected()
        assert got is not None and got.id == target.id, f"{got} is selected, not {target}"

    def _click_offset(self, q: Quote) -> int | None:
        """A character of plain text (no entity) where a click selects this quote."""
        for s, e in q.parts:
            for o in range(s, e):
                if self.text[o].isspace() or self.view.span_at(o) is not None:
                    continue
                at = self.view.quote_at(o)
                if at is not None and at.id == q.id:
                    return o
        return None

    # -- content ---------------------------------------------------------------------
    def edge_presses(self, part: Range, target: Range) -> list[tuple[str, str, bool]] | None:
        """The Alt+arrow presses moving part's edges to target's (after norm); None when
        token edges cannot reach them."""
        presses: list[tuple[str, str, bool]] = []
        s, e = part
        for edge in ("start", "end"):
            for _ in range(200):
                ns, ne = norm(self.text, s, e)
                have, want = (ns, target[0]) if edge == "start" else (ne, target[1])
                if have == want:
                    break
                forward = have < want
                moved = self.view.moved_range(s, e, edge, forward)
                if moved is None:
                    return None
                new = norm(self.text, *moved)
                now = new[0] if edge == "start" else new[1]
                if (now > want) if forward else (now < want):
                    return None  # jumps over: gold cuts inside a token
                s, e = moved
                if edge == "start":
                    seq = "Alt+Shift+Right" if forward else "Alt+Shift+Left"
                else:
                    seq = "Alt+Right" if forward else "Alt+Left"
                presses.append((seq, edge, forward))
            else:
                return None
        return presses

    def mark(self, g: GoldQuote) -> Quote:
        """A missed quote: select its first part and Q, each further part and Shift+Q."""
        for i, part in enumerate(g.parts):
            exact = not self.snaps_to(part)
            if exact:
                self.tally.notes[self.inside_token] += 1
            before = {x.id for x in self.quotes()}
            if self.select_text(part, "content", exact):
                self.key("Q" if i == 0 else "Shift+Q", "content")
            if i == 0:
                q = self.selected()
                assert q is not None and q.id not in before, "Q did not select a new quote"
        q = self.selected()
        assert q is not None
        self._proposal_notes(q, g)
        return q

    def _proposal_notes(self, q: Quote, g: GoldQuote) -> None:
        """What Q proposed (domain/cue_rule.py), against the gold, before any fix."""
        for role, have, want in (("speaker", q.speaker, g.speaker), ("cue", q.cue, g.cue)):
            got = nrange(self.text, have)
            if got is None:
                verdict = "none proposed"
            elif got == want:
                verdict = "right"
            elif want is not None and overlap(got, want) > 0:
                verdict = "overlapping, fixed"
            else:
                verdict = "wrong, fixed" if want is not None else "where gold has none, cleared"
            self.tally.notes[f"Q's {role}: {verdict}"] += 1

    def fix_parts(
        self, q: Quote, g: GoldQuote, model_speaker_ok: bool, model_cue_ok: bool
    ) -> Quote:
        text = self.text
        have = nparts(text, q)
        if have == g.parts:
            return q
        # Parts the model added that are no gold part: click in each, Ctrl+Shift+Q.
        wrong = [p for p, n in zip(sorted(q.parts), have, strict=True) if n not in g.parts]
        keep = len(q.parts) - len(wrong)
        if keep == 0:  # none right: keep the one that overlaps gold most, fix its edges
            best = max(wrong, key=lambda p: max(overlap(nrange(text, p) or p, x) for x in g.parts))
            wrong.remove(best)
        restore = (1 if model_speaker_ok and g.speaker else 0) + (
            2 if model_cue_ok and g.cue else 0
        )
        rest = [p for p in q.parts if p not in wrong]
        presses: list[tuple[str, str, bool]] | None = []
        if len(rest) == 1 and nrange(text, rest[0]) not in g.parts:
            target = max(g.parts, key=lambda x: overlap(nrange(text, rest[0]) or rest[0], x))
            presses = self.edge_presses(rest[0], target)
        remark = 1 + 2 * len(g.parts) + restore
        if presses is None or len(presses) + 2 * len(wrong) > remark:
            self.key("X", "delete")
            self.tally.notes["quote deleted and re-marked"] += 1
            return self.mark(g)
        for p in wrong:
            self.part_click(p)
            self.key("Ctrl+Shift+Q", "content")
        for seq, _, _ in presses:
            self.key(seq, "content")
        self.tally.notes["edge presses (Alt+arrows)"] += len(presses)
        now = self.selected()
        assert now is not None
        for part in g.parts:
            if part in nparts(self.text, now):
                continue
            exact = not self.snaps_to(part)
            if exact:
                self.tally.notes[self.inside_token] += 1
            if self.select_text(part, "content", exact):
                self.key("Shift+Q", "content")
                self.tally.notes["part added to a model quote"] += 1
            now = self.selected()
            assert now is not None
        return now

    def part_click(self, part: Range) -> None:
        """Put the cursor in a part (a click, or caret keys) without losing the quote."""
        if self.keyboard_only:
            self.caret_to(part[0] + 1, "content")
            return
        offset = next(
            o for o in range(*part) if not self.text[o].isspace() and self.view.span_at(o) is None
        )
        self.click(offset, "content")

    # -- speaker, cue, kind -------------------------------------------------------------
    def _probe(self, q: Quote, g: GoldQuote, act: Any) -> Quote | None:
        """Do one candidate action; keep it if it yields the gold speaker, else undo it."""
        before = self.win.session.undo_group.activeStack().index()
        act()
        self.tally.probes += 1
        now = self.quote(q.id) or self.selected()
        if now is not None and nrange(self.text, now.speaker) == g.speaker:
            return now
        while self.win.session.undo_group.activeStack().index() > before:
            self.win.session.undo_group.undo()
            self.spin()
        again = self.quote(q.id)
        assert again is not None
        selected = self.selected()
        if selected is None or selected.id != q.id:
            self.view.select_quote(again)
            self.spin()
        return None

    def fix_speaker(self, q: Quote, g: GoldQuote) -> Quote:
        if nrange(self.text, q.speaker) == g.speaker:
            return q
        if g.speaker is None:
            self.key("Ctrl+Shift+S", "speaker")
            self.tally.notes["speaker cleared"] += 1
            return self.selected() or q
        candidates: list[tuple[str, Any]] = [
            ("roster digit", lambda n=n: self.key(str(n), None)) for n in range(1, 10)
        ]
        candidates.append(("= (previous quote's)", lambda: self.key("=", None)))
        if not self.keyboard_only:
            words = [o for o in range(*g.speaker) if self.text[o].isalnum()]
            starts = sorted({self._token_start(o) for o in words}, reverse=True)
            candidates += [("Ctrl+click", lambda o=o: self.click(o, None, CTRL)) for o in starts]
        for how, act in candidates:
            found = self._probe(q, g, act)
            if found is not None:
                self.tally.actions["speaker"] += 1
                self.tally.notes[f"speaker by {how}"] += 1
                return found
        if not self.has_mark_speaker:
            self.tally.notes["speaker not reachable (no Shift+S on this branch)"] += 1
            return q
        exact = not self.snaps_to(g.speaker)
        if self.select_text(g.speaker, "speaker", exact):
            self.key("Shift+S", "speaker")
            self.tally.notes["speaker by selection + Shift+S"] += 1
        return self.selected() or q

    def _token_start(self, offset: int) -> int:
        tokens = TokenIndex(self.view.current_document.tokens)
        word = tokens.word_at(offset)
        return word[0] if word else offset

    def fix_cue(self, q: Quote, g: GoldQuote) -> Quote:
        if nrange(self.text, q.cue) == g.cue:
            return q
        self.tally.notes[
            "cue: none stored" if q.cue is None else "cue: the stored one differs"
        ] += 1
        if g.cue is None:
            self.key("Shift+C", "cue")
            self.tally.notes["cue cleared"] += 1
        elif (click := self._cue_click(g.cue, q.cue)) is not None:
            self.click(click, "cue", CTRL | SHIFT)
            self.tally.notes["cue by Ctrl+Shift+click"] += 1
        else:
            exact = not self.snaps_to(g.cue)
            if self.select_text(g.cue, "cue", exact):
                self.key("C", "cue")
                self.tally.notes["cue by selection + C"] += 1
        return self.selected() or q

    def _cue_click(self, cue: Range, current: Range | None) -> int | None:
        """A character of the gold cue where Ctrl+Shift+click gives exactly it (the word,
        "according to", "has said", a word extending the `current` cue): the rule the
        window uses (domain/cue_rule.py), known to the annotator; None with the keyboard
        only or when no click gives it."""
        if self.keyboard_only or not self.has_cue_click:
            return None
        tokens = self.view.current_document.tokens
        for o in range(*cue):
            if self.text[o].isspace():
                continue
            if nrange(self.text, cue_at(self.text, tokens, o, current=current)) == cue:
                return o
        return None

    def fix_kind(self, q: Quote, g: GoldQuote) -> Quote:
        if q.kind.value != g.kind:
            self.key(
                {"direct": "Shift+D", "indirect": "Shift+I", "mixed": "Shift+M"}[g.kind], "kind"
            )
        return self.selected() or q

    # -- one article -----------------------------------------------------------------
    def replay(self, gold: list[GoldQuote]) -> tuple[int, Counter[str], dict[str, int]]:
        """Replay one article; returns (quotes reaching gold, per-field misses, peer cost)."""
        text = self.text
        model = self.quotes()
        matched = match(text, gold, model)
        peer = peer_cost(text, gold, model, matched, self.win.session.annotations.spans)
        matched_ids = {q.id for q in matched.values()}
        work: list[tuple[int, str, Any]] = [
            (q.start, "delete", q) for q in model if q.id not in matched_ids
        ]
        work += [
            (gold[gi].start if gi not in matched else matched[gi].start, "gold", gi)
            for gi in range(len(gold))
        ]
        done_ids: dict[int, int | None] = {}
        for _, what, item in sorted(work, key=lambda w: (w[0], w[1] == "gold")):
            if what == "delete":
                self.select(item)
                self.key("X", "delete")
                continue
            g = gold[item]
            q = matched.get(item)
            if q is not None and all(reached(text, q, g).values()):
                self.tally.notes["model quote right as it is"] += 1
                done_ids[item] = q.id
                continue
            before = Counter(self.tally.actions)
            bucket = "missed" if q is None else "found"
            if q is None:
                self.tally.notes["quote marked (the model missed it)"] += 1
                q = self.mark(g)
            else:
                q = self.quote(q.id) or q
                self.select(q)
                speaker_ok = nrange(text, q.speaker) == g.speaker
                cue_ok = nrange(text, q.cue) == g.cue
                q = self.fix_parts(q, g, speaker_ok, cue_ok)
            q = self.fix_speaker(q, g)
            q = self.fix_cue(q, g)
            q = self.fix_kind(q, g)
            done_ids[item] = q.id
            spent = Counter(self.tally.actions)
            spent.subtract(before)
            self.tally.by_origin[bucket].update(+spent)
        misses: Counter[str] = Counter()
        ok = 0
        by_id = {q.id: q for q in self.stored()}
        for gi, g in enumerate(gold):
            got = reached(text, by_id.get(done_ids.get(gi)), g)
            ok += all(got.values())
            missed = [k for k, v in got.items() if not v]
            misses.update(missed)
            if missed:
                field_range = {"parts": g.parts[0], "speaker": g.speaker, "cue": g.cue}
                r = field_range.get(missed[0]) or g.parts[0]
                self.unreached.append(
                    f"{'/'.join(missed)}: gold “{text[r[0] : r[1]][:60]}” at {r[0]}"
                )
        return ok, misses, peer

    def stored(self) -> list[Quote]:
        """The quotes as the repository has them, read again."""
        s = self.win.session
        return list(s.repo.annotation_set(s.document.id, s.annotator).quotes)


NONE_BUTTON = Qt.MouseButton.NoButton


def peer_cost(
    text: str, gold: list[GoldQuote], model: list[Quote], matched: dict[int, Quote], spans: Any
) -> dict[str, int]:
    """The peers' actions for the same quotes from the same model output (PEER_STEPS)."""
    cost: Counter[str] = Counter()
    entity_spans = {nrange(text, (s.start, s.end)) for s in spans}
    cost["delete"] += PEER_STEPS["delete"] * (len(model) - len(matched))
    for gi, g in enumerate(gold):
        q = matched.get(gi)
        content_ok = q is not None and nparts(text, q) == g.parts
        speaker_ok = q is not None and nrange(text, q.speaker) == g.speaker
        cue_ok = q is not None and nrange(text, q.cue) == g.cue
        if not content_ok:
            if q is not None:
                cost["delete"] += PEER_STEPS["delete"]  # no resize: delete, select again
            cost["content"] += PEER_STEPS["span"] * len(g.parts)
        fresh = not content_ok  # a new content span has no arcs yet
        if g.speaker is not None and (fresh or not speaker_ok):
            has_span = g.speaker in entity_spans or (
                q is not None and nrange(text, q.speaker) == g.speaker
            )
            cost["speaker"] += (0 if has_span else PEER_STEPS["span"]) + PEER_STEPS["arc"]
        if g.speaker is None and q is not None and q.speaker is not None and not fresh:
            cost["speaker"] += PEER_STEPS["delete"]
        if g.cue is not None and (fresh or not cue_ok):
            has_cue = q is not None and nrange(text, q.cue) == g.cue
            cost["cue"] += (0 if has_cue else PEER_STEPS["span"]) + PEER_STEPS["arc"]
        if g.cue is None and q is not None and q.cue is not None and not fresh:
            cost["cue"] += PEER_STEPS["delete"]
        if q is None or q.kind.value != g.kind:
            # Set in the span dialog while creating (1), or by editing the quote (2).
            cost["kind"] += 1 if fresh and g.kind != "direct" else PEER_STEPS["attribute"]
    return dict(cost)


# -- set-up -----------------------------------------------------------------------------
def build(articles: list[Article], data: Path) -> tuple[Any, list[int]]:
    from newsmark.services.importing import import_paths
    from newsmark.services.preannotation import load_model, preannotate
    from newsmark.services.workspace import open_workspace

    ws = open_workspace(data / "data", take_lock=True)
    src = data / "articles.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for a in articles:  # text and meta only: the gold stays in memory
            f.write(json.dumps({"text": a.text, "meta": {"id": a.id}}, ensure_ascii=False) + "\n")
    report = import_paths(ws.repo, [src], annotator=ws.annotator)
    assert not report.refused, report.summary()
    ids = ws.repo.document_ids()
    assert len(ids) == len(articles), f"imported {len(ids)} of {len(articles)}"
    model = load_model(ws.settings.model)
    preannotate(ws.repo, model, ids, annotator=ws.annotator)
    return ws, ids


def remap(article: Article, stored_text: str) -> list[GoldQuote]:
    """The gold on the stored text (the importer may normalise line ends)."""
    if stored_text == article.text:
        return article.quotes
    m = char_map(article.text, stored_text)

    def r(x: Range | None) -> Range | None:
        return nrange(stored_text, (m[x[0]], m[x[1]])) if x else None

    return [
        GoldQuote(
            tuple(sorted(p for p in (r(x) for x in g.parts) if p)),
            r(g.speaker),
            r(g.cue),
            g.kind,
            g.speaker_text,
        )
        for g in article.quotes
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--publishers", type=int, default=7, help="articles: one per publisher")
    ap.add_argument("--only", help="replay only this publisher's article (e.g. usa-today)")
    ap.add_argument("--keyboard-only", action="store_true", help="no mouse at all")
    ap.add_argument("--shots", type=Path, help="save the window after each article here")
    ap.add_argument("--min-quotes", type=int, default=30, help="fail below this many quotes")
    args = ap.parse_args()
    gold_path = eval_dir() / "polnear_dev_quotes.jsonl"
    if not gold_path.is_file():
        print(f"no dev data at {gold_path} (set NEWSMARK_EVAL_DIR)")
        return 1
    articles = choose_articles(read_jsonl(gold_path), args.publishers)
    if args.only:
        articles = [a for a in articles if a.publisher == args.only]
    gold_all = [g for a in articles for g in a.quotes]
    kinds = Counter(speaker_type(g) for g in gold_all)
    split = sum(len(g.parts) > 1 for g in gold_all)
    names = [f"{a.publisher} {a.id.split('_', 1)[-1][:40]}" for a in articles]
    print(f"articles: {', '.join(names)}")
    print(
        f"gold quotes: {len(gold_all)} ({kinds['pronoun']} pronoun speakers, "
        f"{kinds['descriptive']} descriptive, {kinds['name']} names, {kinds['none']} none; "
        f"{split} split)"
    )
    if len(gold_all) < args.min_quotes:
        print(f"fewer than {args.min_quotes} quotes: choose more publishers")
        return 1
    if args.publishers >= 7 and not args.only:
        assert kinds["pronoun"] and kinds["descriptive"] and split, "the mix is missing"

    # WORKAROUND: QTBUG-84350, offscreen warns on every dock size-limit change (as in
    # the GUI tests); every other Qt message still prints.
    qInstallMessageHandler(
        lambda _mode, _ctx, msg: None if "propagateSizeHints" in msg else print(msg)
    )
    offscreen_screen()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from newsmark.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        ws, ids = build(articles, Path(tmp))
        t_build = time.perf_counter() - t0
        win = MainWindow(ws.repo, ws.annotator, settings_path=Path(tmp) / "window.ini")
        win.resize(1280, 1000)
        win.show()
        QTest.qWaitForWindowExposed(win)
        win.load()  # the document list, as the annotator sees it
        app.processEvents()
        win.activateWindow()
        replayer = Replayer(win, args.keyboard_only)
        ok_total, misses, peer = 0, Counter[str](), Counter[str]()
        t0 = time.perf_counter()
        try:
            for article, doc_id in zip(articles, ids, strict=True):
                win.session.open(doc_id)
                app.processEvents()
                win.article.setFocus()
                gold = remap(article, win.article.text)
                before = sum(replayer.tally.actions.values())
                ok, miss, cost = replayer.replay(gold)
                ok_total += ok
                if args.shots:
                    args.shots.mkdir(parents=True, exist_ok=True)
                    win.grab().save(str(args.shots / f"bench-{article.publisher}.png"))
                misses.update(miss)
                peer.update(cost)
                spent = sum(replayer.tally.actions.values()) - before
                print(
                    f"  {article.publisher:13} {len(gold):3} quotes  {ok:3} reach gold  "
                    f"{spent:4} actions  peer {sum(cost.values()):4}"
                )
        finally:
            t_replay = time.perf_counter() - t0
            win.close()
            ws.close()
    n = len(gold_all)
    acts = replayer.tally.actions
    total, peer_total = sum(acts.values()), sum(peer.values())
    mode = "keyboard only" if args.keyboard_only else "mouse and keyboard"
    print(f"\n{mode}: {n} quotes replayed, {ok_total}/{n} reach gold")
    if misses:
        print(f"  not reached, by field: {dict(misses)}")
        for line in replayer.unreached[:10]:
            print(f"    {line}")
    print(f"  actions: {total} = {total / n:.2f} per quote (target <= 2.5)")
    print("  by step:  " + "  ".join(f"{c} {acts[c] / n:.2f}" for c in CATEGORIES))
    print(
        f"  peers (brat/INCEpTION manuals): {peer_total} = {peer_total / n:.2f} per quote; "
        "by step: "
        + "  ".join(f"{c} {peer.get(c, 0) / n:.2f}" for c in CATEGORIES if c != "navigation")
    )
    print(f"  ratio Newsmark/peer: {total / peer_total:.2f}" if peer_total else "  no peer cost")
    notes = replayer.tally.notes
    for bucket, used in replayer.tally.by_origin.items():
        count = notes["quote marked (the model missed it)"] if bucket == "missed" else None
        per = f", {sum(used.values()) / count:.1f} per quote" if count else ""
        print(f"  on quotes the model {bucket}: {sum(used.values())}{per} {dict(used)}")
    for note, count in sorted(notes.items()):
        print(f"  {note}: {count}")
    print(
        f"  speaker actions tried and undone (not counted): {replayer.tally.probes}; "
        f"set-up {t_build:.1f}s, replay {t_replay:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
