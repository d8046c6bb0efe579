"""The `newsmark_quote_linker` spaCy component: turns the tagger's role spans into quotes
(content -> its cue -> the cue's source) and merges them with the rules' quotes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsmark.domain.quote_lexicon import Lexicon, load_lexicon
from newsmark.domain.quotes import guess_quote_kind
from newsmark.nlp.quote_reported import trim_content
from newsmark.nlp.quote_speakers import build_index, resolve
from newsmark.nlp.quote_tagger import CONTENT, CUE, ROLE_MARGINS_KEY, ROLES_KEY, SOURCE
from newsmark.nlp.quotes import SPANS_KEY, USER_DATA_KEY

LINKER_PIPE = "newsmark_quote_linker"
TRAINED = "trained"
Range = tuple[int, int]
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_GOVERN_STEPS = 3  # how far above the content's root its cue may be


@dataclass(slots=True)
class Linked:
    """One quote built from role spans: content parts, its cue and source (token spans)."""

    parts: list[Span]
    cue: Span | None = None
    source: Span | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _gap(a: Span, b: Span) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(0, b.start - a.end, a.start - b.end)


def _sent_range(span: Span) -> Range:
    sent = span[0].sent
    return sent.start, sent.end


def _nearest(target: Span, spans: Sequence[Span], lo: int, hi: int) -> Span | None:
    """The span of `spans` inside tokens [lo, hi) nearest to target (earlier on ties)."""
    best: Span | None = None
    for s in spans:
        if s.start < lo or s.end > hi:
            continue
        if best is None or _gap(target, s) < _gap(target, best):
            best = s
    return best


def _subject(doc: Doc, cue: Span, parts: Sequence[Span]) -> Span | None:
    """The subject of the cue's verb as written (its whole phrase, as docs/guidelines.md
    takes a speaker: "Lopez, who was angry"), from the parse; no edge punctuation."""
    for tok in cue:
        for verb in (tok, tok.head):
            for child in verb.children:
                # "“...” was the reply of Lopez": a subject inside the content is not it.
                if child.dep_ in _SUBJECTS and not any(p.start <= child.i < p.end for p in parts):
                    left, right = child.left_edge.i, child.right_edge.i + 1
                    if right - left > 8:  # a long clause: keep its head noun phrase
                        left, right = child.i, child.i + 1
                    while right - left > 1 and doc[right - 1].is_punct:
                        right -= 1
                    while right - left > 1 and doc[left].is_punct:
                        left += 1
                    return doc[left:right]
    return None


def link(
    doc: Doc, roles: Sequence[Span], window: int = 0, subject_first: bool = True
) -> list[Linked]:
    """Quotes from role spans: each content goes to the nearest cue of its sentence (or of
    the `window` sentences around it); contents sharing a cue are one quote's parts; the
    source is the cue's subject, else the SOURCE span nearest the cue in its sentence
    (`subject_first`; else the other way round). The defaults scored best on dev (ADR 0008)."""
    contents = [s for s in roles if s.label_ == CONTENT]
    cues = [s for s in roles if s.label_ == CUE]
    sources = [s for s in roles if s.label_ == SOURCE]
    by_cue: dict[tuple[int, int], Linked] = {}
    order: list[Linked] = []
    for content in contents:
        lo, hi = _sent_range(content)
        cue = _nearest(content, cues, lo, hi)
        if cue is None and window:
            wide_lo = doc[lo - 1].sent.start if lo > 0 else lo
            wide_hi = doc[hi].sent.end if hi < len(doc) else hi
            cue = _nearest(content, cues, wide_lo, wide_hi)
        if cue is None:
            linked = Linked([content])
            order.append(linked)
            continue
        key = (cue.start, cue.end)
        if key in by_cue:
            by_cue[key].parts.append(content)
            continue
        linked = Linked([content], cue)
        by_cue[key] = linked
        order.append(linked)
    for linked in order:
        if linked.cue is None:
            continue
        lo, hi = _sent_range(linked.cue)
        free = [s for s in sources if not any(_gap(s, p) == 0 for p in linked.parts)]
        if subject_first:
            linked.source = _subject(doc, linked.cue, linked.parts) or _nearest(
                linked.cue, free, lo, hi
            )
        else:
            linked.source = _nearest(linked.cue, free, lo, hi) or _subject(
                doc, linked.cue, linked.parts
            )
    return order


def attributed(q: Linked, lexicon: Lexicon) -> bool:
    """Whether a tagger's reported content looks like an attribution: its cue holds a
    speech verb or noun of the lexicon, or it has a speaker and the cue governs the content
    (the content's root or one of its nearest heads is a cue word). On dev most reported
    contents failing both were not attributions at all ("the ad features [images of ...]").
    Content with no cue is left to `require_cue`."""
    cue = q.cue
    if cue is None:
        return True
    if any(t.lemma_.lower() in lexicon.verbs or t.lemma_.lower() in lexicon.nouns for t in cue):
        return True
    if q.source is None:
        return False
    root = q.parts[-1].root
    heads = [root, *list(root.ancestors)[:_GOVERN_STEPS]]
    return any(cue.start <= t.i < cue.end for t in heads)


def _chars(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start_char, span.end_char]


def _overlap(a: Range, b: Range) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class QuoteLinker:
    """Adds the tagger's quotes to the rules' (doc.spans["quotes"] + user_data): a rules'
    quote wins where both found one; a tagger's quote the rules missed is added."""

    def __init__(
        self,
        name: str,
        require_cue: bool,
        min_tokens: int,
        attribution_check: bool = True,
        extend_margin: float | None = 2.0,
    ) -> None:
        self.name = name
        self.require_cue = require_cue
        self.min_tokens = min_tokens
        self.attribution_check = attribution_check
        self.extend_margin = extend_margin
        self.lexicon = load_lexicon()

    def trained_quotes(self, doc: Doc) -> list[tuple[Span, dict[str, Any]]]:
        """The tagger's quotes as (hull span with the kind as label, record)."""
        roles = list(doc.spans.get(ROLES_KEY, []))
        if not roles:
            return []
        index = build_index(doc, [])
        text = doc.text  # built anew at each access: once per Doc, not per quote
        out: list[tuple[Span, dict[str, Any]]] = []
        for q in link(doc, roles):
            if self.require_cue and q.cue is None:
                continue
            if sum(len(p) for p in q.parts) < self.min_tokens:
                continue
            parts = sorted((p.start_char, p.end_char) for p in q.parts)
            kind = guess_quote_kind(text, parts).value
            if self.attribution_check and kind == "indirect" and not attributed(q, self.lexicon):
                continue
            hull = doc.char_span(parts[0][0], parts[-1][1], label=kind, alignment_mode="expand")
            if hull is None:
                continue
            entity = label = None
            if q.source is not None:
                entity, label = resolve(doc, q.source.root, index)
            out.append(
                (
                    hull,
                    {
                        "parts": [list(p) for p in parts],
                        "speaker": _chars(q.source),
                        "cue": _chars(q.cue),
                        "entity": entity,
                        "speaker_label": label,
                        "by": TRAINED,
                    },
                )
            )
        return out

    def extend_rules(self, doc: Doc, spans: list[Span], records: list[dict[str, Any]]) -> bool:
        """A rules' reported quote (one part) lying inside a longer tagger CONTENT, the only
        one it meets, takes that content when the tagger was sure of it (its margin at least
        `extend_margin`): the rules stop at ", which ..." and at a second conjunct, where
        PolNeAR's content often goes on. Returns whether a quote changed."""
        if self.extend_margin is None:
            return False
        margins = {
            (int(a), int(b)): float(m) for a, b, m in doc.user_data.get(ROLE_MARGINS_KEY, [])
        }
        contents = [s for s in doc.spans.get(ROLES_KEY, []) if s.label_ == CONTENT]
        text = doc.text
        changed = False
        for i, rec in enumerate(records):
            if spans[i].label_ != "indirect" or len(rec["parts"]) != 1:
                continue
            ((start, end),) = [(int(a), int(b)) for a, b in rec["parts"]]
            met = [c for c in contents if _overlap((c.start_char, c.end_char), (start, end))]
            if len(met) != 1:
                continue
            c = met[0]
            wider = (
                c.start_char <= start
                and end <= c.end_char
                and (c.start_char, c.end_char) != (start, end)
            )
            if not wider or margins.get((c.start_char, c.end_char), 0.0) < self.extend_margin:
                continue
            s, e = trim_content(doc, c.start, c.end)
            if e <= s:
                continue
            part = (doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
            kind = guess_quote_kind(text, [part]).value
            hull = doc.char_span(part[0], part[1], label=kind, alignment_mode="expand")
            if hull is None:
                continue
            rec["parts"] = [list(part)]
            spans[i] = hull
            changed = True
        return changed

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(SPANS_KEY, []))
        records = list(doc.user_data.get(USER_DATA_KEY) or [])
        added = self.extend_rules(doc, spans, records)
        taken = [(int(p[0]), int(p[1])) for rec in records for p in rec["parts"]]
        ruled = len(records)
        for hull, rec in self.trained_quotes(doc):
            parts = [(p[0], p[1]) for p in rec["parts"]]
            if any(_overlap(p, t) for p in parts for t in taken):
                # The rules' quote stays; it takes the tagger's speaker if it has none.
                for old in records[:ruled]:
                    if old.get("speaker") is None and rec["speaker"] and _meets(old, parts):
                        old.update(
                            speaker=rec["speaker"],
                            entity=rec["entity"],
                            speaker_label=rec["speaker_label"],
                        )
                continue
            spans.append(hull)
            records.append(rec)
            taken.extend(parts)
            added = True
        if added:
            pairs = sorted(zip(spans, records, strict=True), key=lambda x: (x[0].start, -x[0].end))
            doc.spans[SPANS_KEY] = [s for s, _ in pairs]
            doc.user_data[USER_DATA_KEY] = [r for _, r in pairs]
        return doc


def _meets(record: dict[str, Any], parts: Sequence[Range]) -> bool:
    return any(_overlap((int(a), int(b)), p) for a, b in record["parts"] for p in parts)


@Language.factory(
    LINKER_PIPE,
    default_config={
        "require_cue": True,
        "min_tokens": 1,
        "attribution_check": True,
        "extend_margin": 2.0,
    },
    requires=["doc.spans", "token.dep"],
    assigns=["doc.spans", "doc.user_data"],
)
def make_quote_linker(
    nlp: Language,
    name: str,
    require_cue: bool = True,
    min_tokens: int = 1,
    attribution_check: bool = True,
    extend_margin: float | None = 2.0,
) -> QuoteLinker:
    """Build the linker: `require_cue` drops content with no cue near it; `min_tokens` is
    the fewest words of content a tagger's quote needs; `attribution_check` drops a
    tagger's reported (indirect) quote that does not look like an attribution (`attributed`);
    `extend_margin` (None: never) is how sure the tagger must be of a longer content for a
    rules' reported quote to take it (`QuoteLinker.extend_rules`)."""
    return QuoteLinker(name, require_cue, min_tokens, attribution_check, extend_margin)
