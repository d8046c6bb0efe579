"""Attributions without a verb: transcript lines ("PENCE: ..."), "Name: ..." heads, speech nouns."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsmark.domain.quote_lexicon import Lexicon
from newsmark.nlp.quote_marks import SPEAKER_LINE, Found
from newsmark.nlp.quote_reported import trim_content
from newsmark.nlp.quote_speakers import mention_span, subject_of

Range = tuple[int, int]
MARKS = set('"“”„‟«»') | {"''", "``"}
# Labels of a paragraph, not speakers.
NOT_SPEAKERS = {
    "NOTE", "UPDATE", "CORRECTION", "ABSTRACT", "FULL TEXT", "PHOTO", "VIDEO", "WATCH",
    "READ MORE", "RELATED", "Q", "A", "EDITOR'S NOTE", "LETTERS", "SOURCE", "CAPTION",
}  # fmt: skip
SPEAKER_ENTS = {"PERSON", "ORG"}
_EDGE = " \t\n\"“”'‘’`"


def _kind(text: str) -> str:
    inner = text.strip(_EDGE + ".,")
    return "mixed" if any(m in inner for m in '"“”«»') or "''" in inner else "indirect"


def _token_range(starts: list[int], doc: Doc, s: int, e: int) -> Range | None:
    span = doc.char_span(s, e, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def speaker_lines(doc: Doc, paras: list[Range]) -> list[Found]:
    """'WALLACE: ...' transcript lines and 'Bernie Sanders: ...' heads, one per paragraph."""
    text = doc.text
    out: list[Found] = []
    for ps, pe in paras:
        m = SPEAKER_LINE.match(text, ps, pe)
        name: Range | None = None
        if m and m.group(1).strip() not in NOT_SPEAKERS:
            name = (m.start(1), m.end(1))
        else:
            colon = text.find(": ", ps, min(pe, ps + 60))
            if colon > ps:
                head = doc.char_span(ps, colon, alignment_mode="contract")
                # The whole head is one named speaker ("Rush Limbaugh: ..."), not "Poll:".
                if head is not None and len(head) and len(head.ents) == 1:
                    ent = head.ents[0]
                    if (
                        ent.label_ in SPEAKER_ENTS
                        and ent.start == head.start
                        and ent.end == head.end
                    ):
                        name = (ps, colon)
        if name is None:
            continue
        cs = text.index(":", name[1]) + 1
        while cs < pe and text[cs] in _EDGE:
            cs += 1
        ce = pe
        while ce > cs and text[ce - 1] in _EDGE:
            ce -= 1
        if ce - cs < 8:
            continue
        spk = _token_range([], doc, *name)
        cue = _token_range([], doc, name[1], name[1] + 1)
        head_i = spk[1] - 1 if spk else None
        out.append(Found([(cs, ce)], _kind(text[cs:ce]), spk, cue, head_i))
    return out


def _noun_speaker(noun: Token) -> Token | None:
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.ent_type_ in SPEAKER_ENTS):
            return c  # "his claim", "a New York Times report"
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ in SPEAKER_ENTS or pobj.pos_ == "PRON"):
                return pobj
    return None


def speech_nouns(doc: Doc, lex: Lexicon, cue_tokens: list[int]) -> list[Found]:
    """'his claim that ...', 'the ministry's statement that ...': the that-clause is content."""
    out: list[Found] = []
    for i in cue_tokens:
        noun = doc[i]
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lex.nouns:
            continue
        clause = next(
            (
                c
                for c in noun.rights
                if c.dep_ in {"acl", "ccomp", "relcl"}
                and any(x.dep_ == "mark" and x.lower_ == "that" for x in c.children)
            ),
            None,
        )
        if clause is None:
            continue
        s, e = trim_content(doc, clause.left_edge.i, clause.right_edge.i + 1)
        if e - s < 3:
            continue
        spk = _noun_speaker(noun)
        cue_i = i
        verb = noun.head.head if noun.head.dep_ == "prep" else None
        if verb is not None and verb.pos_ == "VERB" and verb.lemma_.lower() in lex.verbs:
            # "X said in a statement that ...": the verb is the cue, its subject speaks.
            spk, cue_i = subject_of(verb), verb.i
        span = mention_span(doc, spk, spk.left_edge.i, spk.right_edge.i + 1, cue_i) if spk else None
        chars = (doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
        out.append(
            Found(
                [chars],
                _kind(doc.text[chars[0] : chars[1]]),
                span,
                (cue_i, cue_i + 1),
                spk.i if spk is not None else None,
                cue_i,
            )
        )
    return out
