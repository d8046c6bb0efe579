"""Direct quotes: quoted segments whose frame is an attribution ("..., she said"), split quotes."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsmark.domain.quote_lexicon import Lexicon
from newsmark.nlp.quote_marks import Found, Segment
from newsmark.nlp.quote_speakers import inverted_speaker, mention_span, subject_of

Range = tuple[int, int]
SENT_END = {".", "!", "?"}
DASH_CHARS = "―—–-"
FRAME_CAP = 40
# A short frame after a quote that opens a sentence is an attribution even with a verb
# missing from the lexicon ("“...,” Trump tweeted"); longer ones are ordinary clauses.
SHORT_FRAME = 6


@dataclass(slots=True)
class Attribution:
    """A cue with its speaker, found in the frame of a quote."""

    cue: Range
    verb: int | None
    speaker_head: int | None
    speaker: Range | None


def _words(doc: Doc, lo: int, hi: int) -> list[Token]:
    return [t for t in doc[lo:hi] if not (t.is_punct or t.is_space)]


def _speaker(doc: Doc, verb: Token, lo: int, hi: int) -> tuple[int | None, Range | None]:
    subj = subject_of(verb)
    head: Token | None
    # The parser sometimes hangs the subject on a verb inside the quote: then the
    # outermost noun before the cue is the speaker, else the noun right after it.
    before = [t for t in doc[lo : verb.i] if t.pos_ in {"PROPN", "NOUN", "PRON"}]
    if subj is not None and lo <= subj.i < hi:
        head = subj
    elif before:
        head = min(before, key=lambda t: (_depth(t), -t.i))
    else:
        head = inverted_speaker(doc, verb, hi)
    if head is None:
        return None, None
    return head.i, mention_span(doc, head, lo, hi, verb.i)


def _depth(t: Token) -> int:
    n = 0
    while t.head is not t and n < 50:
        t, n = t.head, n + 1
    return n


def _clausal(t: Token, lo: int, hi: int) -> bool:
    """A verb heading a clause of the frame, not one inside a mention ("the states suing")."""
    if t.pos_ not in {"VERB", "AUX"} or t.dep_ in {"aux", "auxpass", "amod", "compound"}:
        return False
    return not any(lo <= a.i < hi and a.pos_ in {"NOUN", "PROPN"} for a in t.ancestors)


def _according(doc: Doc, lo: int, hi: int) -> Attribution | None:
    for t in doc[lo:hi]:
        if t.lower_ == "according" and t.i + 1 < hi and doc[t.i + 1].lower_ == "to":
            pobj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is None and t.i + 2 < hi:
                pobj = doc[t.i + 2]
            if pobj is None:
                return None
            return Attribution(
                (t.i, t.i + 2), None, pobj.i, mention_span(doc, pobj, t.i + 2, hi, t.i)
            )
    return None


def attribution(doc: Doc, lo: int, hi: int, lex: Lexicon, after: bool) -> Attribution | None:
    """The cue and speaker in tokens [lo, hi) next to a quote, if the frame is one."""
    words = _words(doc, lo, hi)
    if not words:
        return None
    acc = _according(doc, lo, hi)
    if acc is not None:
        return acc
    first = next((t for t in doc[lo:hi] if not t.is_space), None)
    if after and first is not None and first.text[:1] in DASH_CHARS and first.i - lo <= 2:
        names = [t for t in doc[first.i + 1 : hi] if t.pos_ == "PROPN"]
        if names:  # reader comments and epigraphs: "― Jane Doe"
            head = names[-1]
            dash = first.i
            return Attribution(
                (dash, dash + 1), None, head.i, mention_span(doc, head, dash, hi, dash)
            )
    verbs = [t for t in words if _clausal(t, lo, hi)]
    cues = [t for t in verbs if t.lemma_.lower() in lex.verbs]
    if after:
        if not cues and len(words) <= SHORT_FRAME and verbs and verbs[0].pos_ == "VERB":
            cues = verbs[:1]
        if not cues or verbs[0] is not cues[0]:
            return None
        verb = cues[0]
    else:
        last = doc[hi - 1]
        if last.text not in {":", ","} and last.lemma_.lower() not in lex.verbs:
            return None
        if not cues:
            if last.text == ":" and len(words) <= 4 and words[-1].pos_ == "PROPN":
                name = words[-1]  # transcripts: "PENCE: ..."
                return Attribution(
                    (hi - 1, hi), None, name.i, mention_span(doc, name, lo, hi, hi - 1)
                )
            if last.text == ":":
                return _colon_frame(doc, words, lex, hi)
            return None
        verb = cues[-1]
    head_i, span = _speaker(doc, verb, lo, hi)
    return Attribution((verb.i, verb.i + 1), verb.i, head_i, span)


def _colon_frame(doc: Doc, words: list[Token], lex: Lexicon, hi: int) -> Attribution | None:
    """'X put it bluntly: “...”': a colon before a quote makes its clause the attribution.

    The cue is a lexicon word even when mis-tagged ('The statement read:'), else the
    clause's verb with a subject; the speaker is the outermost noun before it.
    """
    cue = next((t for t in reversed(words) if t.lower_ in lex.verbs), None)
    if cue is None:
        cue = next(
            (
                t
                for t in reversed(words)
                if t.pos_ == "VERB" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)
            ),
            None,
        )
    if cue is None:
        return None
    nouns = [t for t in words if t.i < cue.i and t.pos_ in {"NOUN", "PROPN", "PRON"}]
    if not nouns:
        return None
    # The outermost noun: the one no other noun of the frame dominates.
    head = min(nouns, key=lambda t: sum(1 for _ in t.ancestors))
    lo = words[0].i
    return Attribution((cue.i, cue.i + 1), cue.i, head.i, mention_span(doc, head, lo, cue.i, cue.i))


def _frames(doc: Doc, a: int, b: int, lo: int, hi: int) -> tuple[int, int]:
    """Start of the left frame and end of the right frame of the quote tokens [a, b)."""
    left = a
    while left > lo and a - left < FRAME_CAP and doc[left - 1].text not in SENT_END:
        left -= 1
    right = b
    while right < hi and right - b < FRAME_CAP and doc[right].text not in SENT_END:
        right += 1
    return left, right


def _title_case(words: list[Token]) -> bool:
    """Most content words capitalised, as in the title of a song, film or book."""
    content = [t for t in words if t.is_alpha and not t.is_stop]
    return len(words) >= 2 and bool(content) and all(t.text[0].isupper() for t in content)


def find_direct(
    doc: Doc,
    segments: list[Segment],
    para_tokens: list[Range],
    starts: list[int],
    lex: Lexicon,
    min_length: int,
) -> list[Found]:
    """Direct quotes in text order; segments inside a clause are left to reported speech.

    `starts` are the tokens' character offsets (bisected to map marks to tokens).
    """
    bounds = [
        (bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end)) for s in segments
    ]
    found: list[Found] = []
    last_para = -1
    for k, seg in enumerate(segments):
        a, b = bounds[k]
        if b <= a:
            continue
        plo = para_tokens[seg.paragraph][0]
        phi = para_tokens[seg.last_paragraph][1]
        lo = bounds[k - 1][1] if k and segments[k - 1].last_paragraph == seg.paragraph else plo
        hi = phi
        for j in range(k + 1, len(segments)):
            # A nickname or term in marks inside the frame ("Marcia "Cia" Price") is skipped.
            nb_a, nb_b = bounds[j]
            if segments[j].paragraph != seg.last_paragraph:
                break
            if len(_words(doc, nb_a, nb_b)) > 3 or j - k > 3:
                hi = nb_a
                break
        left, right = _frames(doc, a, b, max(lo, plo), min(hi, phi))
        inner = _words(doc, a, b)
        left_attr = attribution(doc, left, a, lex, after=False) if left < a else None
        if left < a and left_attr is None and _words(doc, left, a):
            continue  # the quote sits inside a clause: a fragment, not a direct quote
        if left_attr is not None and doc[a - 1].text not in {":", ","} and _title_case(inner):
            continue  # 'sang “We Are the Champions”': a title, not words spoken
        if left == plo and a == plo and seg.paragraph > 0:
            prev_lo, prev_hi = para_tokens[seg.paragraph - 1]
            if prev_hi > prev_lo and doc[prev_hi - 1].text == ":":
                # "The statement read:\n\n“...”": the previous paragraph introduces it.
                p_left, _ = _frames(doc, prev_hi - 1, prev_hi, prev_lo, prev_hi)
                left_attr = attribution(doc, p_left, prev_hi, lex, after=False)
        right_attr = attribution(doc, b, right, lex, after=True) if right > b else None
        if right_attr is None and _words(doc, b, right) and left_attr is None:
            continue  # "“Fake news” is a term ...": the quote is a noun phrase
        attr = left_attr or right_attr
        prev = found[-1] if found and last_para == seg.paragraph else None
        if prev is not None and (
            (attr is None and prev.speaker is not None)
            or (attr is not None and attr.verb is not None and attr.verb == prev.cue_verb)
        ):
            prev.parts.append((seg.start, seg.end))
            continue
        if len(inner) < min_length:
            continue
        if attr is None:
            text = doc[a:b].text.rstrip("”\"'»")
            if len(inner) < 3 or not (text[-1:] in ".!?…—-" or not seg.closed or b >= phi):
                continue
            q = Found([(seg.start, seg.end)], "direct")
            if found and found[-1].speaker is not None and seg.paragraph - last_para <= 2:
                src = found[-1]  # a paragraph of quote only: the previous speaker goes on
                q.speaker, q.speaker_head = src.speaker, src.speaker_head
        else:
            q = Found(
                [(seg.start, seg.end)],
                "direct",
                attr.speaker,
                attr.cue,
                attr.speaker_head,
                attr.verb,
            )
        found.append(q)
        last_para = seg.last_paragraph
    return found
