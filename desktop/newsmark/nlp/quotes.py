"""The `newsmark_quotes` spaCy component: direct, indirect and mixed quotes with speaker and cue."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsmark.domain.quote_lexicon import Lexicon, load_lexicon
from newsmark.nlp.crossing import clean_entities, clear_of, dedupe, snap_speakers
from newsmark.nlp.quote_direct import find_direct
from newsmark.nlp.quote_headline import headline_end
from newsmark.nlp.quote_lines import speaker_lines, speech_nouns
from newsmark.nlp.quote_marks import SPEAKER_LINE, Found, find_segments, paragraphs
from newsmark.nlp.quote_reported import candidates, find_reported
from newsmark.nlp.quote_speakers import build_index, resolve

SPANS_KEY = "quotes"
USER_DATA_KEY = "newsmark_quotes"
KINDS = ("direct", "indirect", "mixed")
Range = tuple[int, int]


def _record(doc: Doc, span: Span) -> dict[str, Any] | None:
    """The plain record of a span of doc.spans["quotes"] (by position, else by offsets)."""
    records = doc.user_data.get(USER_DATA_KEY) or []
    group = doc.spans.get(SPANS_KEY, [])
    for i, s in enumerate(group):
        if s.start == span.start and s.end == span.end and s.label == span.label:
            return records[i] if i < len(records) else None
    # A span made anew over the same text (e.g. after copying the group): match the hull.
    for rec in records:
        hull = doc.char_span(
            min(p[0] for p in rec["parts"]),
            max(p[1] for p in rec["parts"]),
            alignment_mode="expand",
        )
        if hull is not None and (hull.start, hull.end) == (span.start, span.end):
            return rec
    return None


def _char_getter(key: str) -> Any:
    def get(span: Span) -> Span | None:
        rec = _record(span.doc, span)
        if not rec or not rec.get(key):
            return None
        s, e = rec[key]
        return span.doc.char_span(s, e, alignment_mode="expand")

    return get


def _entity(span: Span) -> str | None:
    rec = _record(span.doc, span)
    return rec.get("entity") if rec else None


def register_extensions() -> None:
    """Span._.speaker, ._.cue (Spans) and ._.entity (str) over doc.user_data."""
    for name, getter in (
        ("speaker", _char_getter("speaker")),
        ("cue", _char_getter("cue")),
        ("entity", _entity),
    ):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)


def _inside(ranges: list[Range], pos: int) -> bool:
    """Is pos inside one of the sorted, non-nested ranges?"""
    i = bisect.bisect_right(ranges, (pos, 1 << 62)) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def _token_chars(doc: Doc, r: Range | None) -> list[int] | None:
    if r is None or r[1] <= r[0]:
        return None
    last = doc[r[1] - 1]
    return [doc[r[0]].idx, last.idx + len(last)]


# What a verb cue takes before it, as PolNeAR's cues and docs/guidelines.md do ("has
# said", "did not deny", "openly admires"); the window's cue rule takes the same.
_CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})


def with_auxiliaries(doc: Doc, cue: Range | None) -> Range | None:
    """A one-token verb cue widened over its auxiliaries, negation and adverbs right before it."""
    if cue is None or cue[1] - cue[0] != 1:
        return cue
    verb = doc[cue[0]]
    if verb.pos_ not in {"VERB", "AUX"}:
        return cue
    start = cue[0]
    while start > 0 and doc[start - 1].head.i == verb.i and doc[start - 1].dep_ in _CUE_LEFT_DEPS:
        start -= 1
    return (start, cue[1])


def _drop_headline_speakers(doc: Doc, found: list[Found], top: int) -> None:
    """No speaker of a quote below the headline is a headline word ("Carmaker")."""
    for q in found:
        if q.speaker is None or q.start < top:
            continue
        s, e = q.speaker
        if doc[s].idx >= top:
            continue
        first = next((t.i for t in doc[s:e] if t.idx >= top and not t.is_space), None)
        if q.speaker_head is None or doc[q.speaker_head].idx < top or first is None:
            q.speaker = q.speaker_head = None
        else:
            q.speaker = (first, e)


class QuoteComponent:
    """Finds quotes in a parsed Doc and writes doc.spans["quotes"] and user_data."""

    def __init__(self, name: str, lexicon: Lexicon, kinds: Iterable[str], min_length: int) -> None:
        self.name = name
        self.lexicon = lexicon
        self.kinds = frozenset(kinds)
        self.min_length = min_length
        register_extensions()

    def find(self, doc: Doc) -> list[Found]:
        """All quotes of a Doc, in text order, speakers resolved."""
        text = doc.text
        paras = paragraphs(text)
        starts = [int(x) for x in doc.to_array(IDX)] if len(doc) else []
        para_tokens = [
            (bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)) for s, e in paras
        ]
        segments = find_segments(text)
        # A transcript line's opening mark ('"PENCE: ...') opens no quote of its own.
        spoken = [s for s in segments if not SPEAKER_LINE.match(text, s.start)]
        direct = find_direct(doc, spoken, para_tokens, starts, self.lexicon, self.min_length)
        lines = speaker_lines(doc, paras)
        # No reported speech from a headline line, and no speaker or name taken from one.
        top = headline_end(text)
        cues = [i for i in candidates(doc, self.lexicon) if doc[i].idx >= top]
        nouns = speech_nouns(doc, self.lexicon, cues)
        # Words in marks that are no one's quote (titles, lyrics, scare quotes) hold no cues.
        quoted = sorted(p for q in direct for p in q.parts)
        fragments = [(s.start, s.end) for s in spoken if not _inside(quoted, s.start)]
        cues = [i for i in cues if not _inside(fragments, doc[i].idx)]
        reported = find_reported(doc, direct + lines + nouns, cues, self.lexicon, self.min_length)
        direct = direct + lines + nouns
        blocked = [(s.start, s.end) for s in segments]
        index = build_index(doc, [(0, top), *blocked] if top else blocked, top)
        found = dedupe(sorted(direct + reported, key=lambda q: (q.start, -q.end)))
        found = self._without_nested_attitudes(doc, found)
        if top:
            _drop_headline_speakers(doc, found, top)
        # Speakers contain or avoid the names they cut (names that cross a quote are
        # the NER's errors and do not count; preannotate drops them).
        names = clear_of(clean_entities(doc), [p for q in found for p in q.parts])
        snap_speakers(doc, found, names)
        for q in found:
            if q.speaker_head is not None:
                q.entity, q.speaker_label = resolve(doc, doc[q.speaker_head], index)
        return [q for q in found if q.kind in self.kinds]

    def _without_nested_attitudes(self, doc: Doc, found: list[Found]) -> list[Found]:
        """Quotes without those cued by a belief or intent verb inside another's content.

        "He said the government planned to raise taxes": what the government planned is
        part of what he said, not an attribution of its own; a nested attribution needs
        a speech cue ("He said the minister told MPs that ...").
        """
        lex = self.lexicon
        attitudes = (lex.beliefs | lex.intents) - (lex.verbs | lex.objects | lex.prep_verbs)
        contents = sorted(p for q in found for p in q.parts)
        kept = []
        for q in found:
            cue = q.cue_verb
            if cue is not None and doc[cue].lemma_.lower() in attitudes:
                at = doc[cue].idx
                if any(s <= at < e for s, e in contents if (s, e) not in q.parts):
                    continue
            kept.append(q)
        return kept

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        records: list[dict[str, Any]] = []
        for q in self.find(doc):
            span = doc.char_span(q.start, q.end, label=q.kind, alignment_mode="expand")
            if span is None:
                continue
            spans.append(span)
            records.append(
                {
                    "parts": [[s, e] for s, e in q.parts],
                    "speaker": _token_chars(doc, q.speaker),
                    "cue": _token_chars(doc, with_auxiliaries(doc, q.cue)),
                    "entity": q.entity,
                    "speaker_label": q.speaker_label,
                }
            )
        doc.spans[SPANS_KEY] = spans
        doc.user_data[USER_DATA_KEY] = records
        return doc


@Language.factory(
    "newsmark_quotes",
    default_config={"speech_verbs": None, "kinds": list(KINDS), "min_length": 2, "beliefs": True},
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
    assigns=["doc.spans", "doc.user_data"],
)
def make_quote_component(
    nlp: Language,
    name: str,
    speech_verbs: str | None = None,
    kinds: list[str] | None = None,
    min_length: int = 2,
    beliefs: bool = True,
) -> QuoteComponent:
    """Build the component.

    `speech_verbs` is a lexicon file (None = the bundled one); `kinds` are the kinds to
    keep; `min_length` is the fewest words of content; `beliefs` also reports attitudes
    ("X believes that ...", "a poll shows that ..."), which news attribution corpora count.
    """
    chosen = list(kinds) if kinds is not None else list(KINDS)
    unknown = set(chosen) - set(KINDS)
    if unknown:
        raise ValueError(f"newsmark_quotes: unknown kinds {sorted(unknown)}; use {KINDS}")
    lexicon = load_lexicon(speech_verbs)
    if not beliefs:
        lexicon = replace(lexicon, beliefs=frozenset(), intents=frozenset())
    return QuoteComponent(name, lexicon, chosen, min_length)


# At import, not only when the component is built: spaCy imports this module (an entry
# point) whenever a pipeline is created, so a DocBin read anywhere has the getters.
register_extensions()
