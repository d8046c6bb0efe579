"""Reported speech: a cue with a clausal, infinitive or quoted-object complement; "according to"."""

from __future__ import annotations

import bisect

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from newsmark.domain.quote_lexicon import Lexicon
from newsmark.nlp.quote_headline import breaks
from newsmark.nlp.quote_marks import Found
from newsmark.nlp.quote_speakers import (
    active_with_object,
    is_passive,
    mention_span,
    subject_of,
)

Range = tuple[int, int]
MARKS = set('"“”„‟«»') | {"''", "``"}
CONCESSIVE = {"although", "though", "while", "whereas"}
_TRIM = {",", ";", ":", "—", "–", "-", "(", ")", ".", "!", "?"} | MARKS


def trim_content(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Tokens [s, e) without edge punctuation and marks, keeping a fragment's closing mark."""
    while s < e and (doc[s].text in _TRIM or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].text in _TRIM or doc[e - 1].is_space or doc[e - 1].dep_ == "cc"):
        e -= 1
    # A quote mark that closes a fragment inside the content stays with it ('“a
    # disgrace.”' ends content at 'disgrace' then takes back '.”').
    if sum(1 for t in doc[s:e] if t.text in MARKS) % 2 == 1:
        for k in range(e, min(e + 2, len(doc))):
            if doc[k].text in MARKS:
                e = k + 1
                break
    return s, e


def _kind(doc: Doc, s: int, e: int) -> str:
    return "mixed" if any(t.text in MARKS for t in doc[s:e]) else "indirect"


def _speaker(doc: Doc, verb: Token) -> tuple[int | None, Range | None]:
    subj = subject_of(verb)
    if subj is None:
        return None, None
    if subj.tag_ in {"WDT", "WP"} or subj.lower_ == "that":
        # "officials who said ...": the mention is the relative pronoun as written; it
        # resolves through what the relative clause modifies.
        clause = next((a for a in verb.ancestors if a.dep_ == "relcl"), None)
        clause = verb if verb.dep_ == "relcl" else clause
        if clause is None or clause.head.pos_ not in {"NOUN", "PROPN", "PRON"}:
            return None, None
        return clause.head.i, (subj.i, subj.i + 1)
    s, e = mention_span(doc, subj, subj.left_edge.i, subj.right_edge.i + 1, verb.i)
    return subj.i, (s, e)


def _is_break(t: Token) -> bool:
    return t.text == ";" or (t.is_space and "\n" in t.text)


def _clip(doc: Doc, s: int, e: int, cue: int) -> Range:
    """Keep the content on the cue's side of a semicolon or paragraph break."""
    if cue < s:
        for t in doc[s:e]:
            if _is_break(t):
                return s, t.i
    elif cue >= e:
        for t in reversed(doc[s:e]):
            if _is_break(t):
                return t.i + 1, e
    return s, e


def _cut_next_report(doc: Doc, s: int, e: int, lex: Lexicon) -> tuple[int, Token | None]:
    """'X, and ... the mother said Y' / 'X and warned Y': stop before a coordinated report."""
    for t in doc[s:e]:
        if t.pos_ != "VERB" or t.left_edge.i <= s:
            continue
        if t.dep_ == "advcl" and t.tag_ == "VBG" and doc[t.left_edge.i - 1].text == ",":
            # "..., citing X" / "..., adding that Y": the writer's frame, not the content.
            if t.lemma_.lower() in lex.verbs | lex.objects | lex.prep_verbs:
                return t.left_edge.i - 1, t
            continue
        if t.dep_ != "conj":
            continue
        # "said the plan was leaked and described it as ...": the second verb is the
        # speaker's own report (see subject_of), not part of what was said.
        climbs = is_passive(t.head) and active_with_object(t)
        if climbs and t.lemma_.lower() in lex.objects | lex.prep_verbs:
            k = t.left_edge.i
            while k > s and (doc[k - 1].dep_ == "cc" or doc[k - 1].is_punct):
                k -= 1
            return k, None
        if t.lemma_.lower() not in lex.verbs and not any(
            x.lemma_.lower() in lex.verbs and x.pos_ == "VERB" for x in t.subtree if x is not t
        ):
            continue
        k = t.left_edge.i
        while k > s and (doc[k - 1].dep_ == "cc" or doc[k - 1].is_punct):
            k -= 1
        return k, t if t.lemma_.lower() in lex.verbs else None
    return e, None


def _cut_asides(doc: Doc, s: int, e: int) -> int:
    """End of content without a trailing ", which ..." clause or ", the ..." apposition."""
    for t in doc[s:e]:
        if t.dep_ not in {"relcl", "appos", "advcl"} or t.left_edge.i <= s:
            continue
        if t.right_edge.i + 1 < e - 1 or doc[t.left_edge.i - 1].text != ",":
            continue
        k = t.left_edge.i
        if t.dep_ == "appos" or doc[k].tag_ in {"WDT", "WP"} or doc[k].lower_ in CONCESSIVE:
            return k - 1
    return e


def _rest_of_sentence(verb: Token) -> Range | None:
    """'Republicans said they're convinced ...' parsed without a ccomp: the clause after."""
    doc = verb.doc
    j = verb.i + 1
    end = verb.sent.end
    while j < end and doc[j].head is verb and doc[j].dep_ in {"npadvmod", "advmod", "prep"}:
        j = doc[j].right_edge.i + 1
    first = j + 1 if j < end and doc[j].text in MARKS else j  # 'said "budget reforms" ...'
    if first >= end or doc[first].pos_ not in {
        "PRON",
        "PROPN",
        "NOUN",
        "DET",
        "NUM",
        "ADJ",
        "SCONJ",
    }:
        return None
    k = j
    while k < end and doc[k].text not in {";", ":"}:
        k += 1
    if not any(t.pos_ in {"VERB", "AUX"} and t.dep_ != "aux" for t in doc[j:k]):
        return None
    return j, k


def _complement(verb: Token, lex: Lexicon) -> tuple[int, int] | None:
    """Token range of what the cue reports, or None when it reports nothing we take."""
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    if lemma in lex.verbs or lemma in lex.beliefs:
        for c in kids:
            if c.dep_ != "ccomp":
                continue
            cut = breaks(verb.doc, c.i, verb.i) if c.i < verb.i else []
            if cut:
                # A headline the parser ran into the sentence ("Council backs bridge
                # plan\nThe mayor ... said ..."): only what is below it counts.
                s, e = max(c.left_edge.i, cut[-1] + 1), c.right_edge.i + 1
                if any(t.pos_ in {"VERB", "AUX"} and t.dep_ != "aux" for t in verb.doc[s:e]):
                    return s, e
                continue
            if c.i < verb.i and any(t.text == ":" for t in verb.doc[c.i : verb.i]):
                # "Fireworks erupted: Republicans said they ...": the parse took the wrong
                # clause; what follows the cue is the content.
                return _rest_of_sentence(verb) if lemma in lex.verbs else None
            return c.left_edge.i, c.right_edge.i + 1
    if lemma in lex.xcomp or lemma in lex.intents:
        for c in kids:
            if c.dep_ == "xcomp" and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children):
                # PolNeAR's content holds the addressee: "called on [X to resign]".
                obj = next((o for o in kids if o.dep_ == "dobj" and verb.i < o.i < c.i), None)
                start = obj.left_edge.i if obj is not None else c.left_edge.i
                return start, c.right_edge.i + 1
    for c in kids:
        if c.dep_ in {"prep", "prt"} and (lemma, c.lower_) in lex.preps:
            obj = next((x for x in c.children if x.dep_ in {"pobj", "pcomp"}), None)
            if obj is not None:
                return obj.left_edge.i, obj.right_edge.i + 1
    if lemma in lex.objects:
        obj = next((c for c in kids if c.dep_ == "dobj" and c.i > verb.i), None)
        # Criticising a person or "the budget" reports no content; "cited the release of
        # political prisoners" does, and so does any object holding a quoted fragment.
        if obj is not None and (obj.pos_ == "PRON" or obj.ent_type_ == "PERSON"):
            obj = None
        if obj is not None and obj.right_edge.i - obj.left_edge.i < 1:
            quoted = any(t.text in MARKS for t in verb.doc[obj.i : verb.right_edge.i + 1])
            obj = obj if quoted else None
        if obj is not None:
            # "called her vote a mistake", "described the showdown as ominous"
            tail = [c for c in kids if c.i > obj.i and c.dep_ in {"oprd", "ccomp", "xcomp"}]
            tail += [
                c for c in kids if c.i > obj.i and c.dep_ == "prep" and c.lower_ in {"as", "to"}
            ]
            e = max([obj.right_edge.i] + [c.right_edge.i for c in tail]) + 1
            return obj.left_edge.i, e
    bare = not any(c.dep_ in {"dobj", "xcomp", "ccomp"} for c in kids)
    if lemma in lex.verbs and bare and verb.dep_ not in {"parataxis", "ccomp", "advcl", "relcl"}:
        return _rest_of_sentence(verb)
    return None


def _parenthetical(verb: Token, lex: Lexicon) -> list[Range] | None:
    """'The plan, he said, is dead': the host clause around the cue, in two parts."""
    if verb.dep_ not in {"parataxis", "ccomp"} or verb.lemma_.lower() not in lex.verbs:
        return None
    if any(c.dep_ in {"ccomp", "dobj", "xcomp"} for c in verb.children):
        return None
    host = verb.head
    if host is verb or (host.i < verb.i and verb.dep_ == "ccomp"):
        return None
    if host.lemma_.lower() in lex.verbs:
        return None  # "Talks are continuing, he said": the host is the report, not content
    s, e = host.left_edge.i, host.right_edge.i + 1
    vs, ve = _frame_of(verb)
    parts = [p for p in ((s, vs), (ve, e)) if p[1] > p[0]]
    return parts or None


def _frame_of(verb: Token) -> Range:
    """Tokens of 'he said in a statement': the cue, its subject and its adjuncts."""
    vs = ve = verb.i
    ve += 1
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"} or (c.i < verb.i and c.dep_ == "advmod"):
            vs = min(vs, c.left_edge.i)
        elif c.i > verb.i and c.dep_ in {"npadvmod", "prep", "advmod", "agent", "dative"}:
            ve = max(ve, c.right_edge.i + 1)
    return vs, ve


def _postposed_conj(verb: Token, comp: Range, lex: Lexicon) -> Range | None:
    """'X, the agency said, and Y': a clause coordinated after a postposed cue is content."""
    if comp[1] > verb.i:
        return None
    for c in verb.children:
        if (
            c.dep_ == "conj"
            and c.i > verb.i
            and c.lemma_.lower() not in lex.verbs
            and any(x.dep_ in {"nsubj", "expl"} for x in c.children)
        ):
            return c.left_edge.i, c.right_edge.i + 1
    return None


def _according(doc: Doc, tok: Token) -> Found | None:
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    host = tok.head if tok.head is not tok else tok
    sent = tok.sent
    s, e = (sent.start, sent.end) if host is tok else (host.left_edge.i, host.right_edge.i + 1)
    a_s, a_e = tok.i, max(pobj.right_edge.i + 1, to.i + 1)
    parts = [p for p in ((s, a_s), (a_e, e)) if p[1] - p[0] > 0]
    parts = [trim_content(doc, *p) for p in parts]
    parts = [p for p in parts if p[1] - p[0] > 2]
    if not parts:
        return None
    spk = mention_span(doc, pobj, to.i + 1, a_e, tok.i)
    return Found(
        [(doc[p[0]].idx, doc[p[1] - 1].idx + len(doc[p[1] - 1])) for p in parts],
        _kind(doc, parts[0][0], parts[-1][1]),
        spk,
        (tok.i, tok.i + 2),
        pobj.i,
    )


def _mostly_title(doc: Doc, s: int, e: int) -> bool:
    """'sang “We Are the Champions” as ...': a quoted title is most of the content."""
    quoted: list[Token] = []
    inside = False
    if s > 0 and doc[s - 1].text in MARKS:
        s -= 1  # _trim dropped the opening mark of a leading quoted title
    for t in doc[s:e]:
        if t.text in MARKS:
            inside = not inside
        elif inside and t.is_alpha:
            quoted.append(t)
    content = [t for t in quoted if not t.is_stop]
    if len(quoted) < 2 or not content or not all(t.text[0].isupper() for t in content):
        return False
    starts_quoted = doc[s].text in MARKS
    return starts_quoted or 2 * len(quoted) >= sum(1 for t in doc[s:e] if t.is_alpha)


def _covered(starts: list[int], taken: list[Range], s: int, e: int) -> bool:
    """Does [s, e) lie mostly (half or more) inside an already found quote?"""
    i = bisect.bisect_right(starts, e) - 1
    for j in range(i, max(-1, i - 4), -1):
        ts, te = taken[j]
        inter = max(0, min(e, te) - max(s, ts))
        if e > s and inter / (e - s) >= 0.5:
            return True
    return False


def candidates(doc: Doc, lex: Lexicon) -> list[int]:
    """Indices of tokens that may be cues, picked from arrays without building Tokens."""
    strings = doc.vocab.strings
    words = lex.verbs | lex.objects | lex.prep_verbs | lex.beliefs | lex.intents | lex.nouns
    wanted = numpy.array([strings[w] for w in words], dtype="uint64")
    lemma = doc.to_array(LEMMA).astype("uint64")
    lower = doc.to_array(LOWER).astype("uint64")
    hit = numpy.isin(lemma, wanted) | (lower == numpy.uint64(strings["according"]))
    return [int(i) for i in numpy.flatnonzero(hit)]


def find_reported(
    doc: Doc, direct: list[Found], cues: list[int], lex: Lexicon, min_length: int
) -> list[Found]:
    """Indirect and mixed quotes at the `cues` candidates; content already found is skipped.

    What counts as reported content of a cue:
    - a speech verb's clausal complement: "the Kremlin reported [that Putin ...]", also
      with no "that" and after the content ("[The plant will close], the company said");
    - a mid-sentence cue's host clause, in two parts ("[The economy], he said, [is ...]");
    - an infinitive after a directive or commissive verb ([xcomp] in the lexicon): "X
      asked [Russia to put pressure ...]", "X pledged [to ...]": the request or promise
      with its addressee, as PolNeAR marks it;
    - the object of a verb that reports through it ([object]): "X cited [the figures]",
      "X called [the plan "a disgrace"]", unless it is a person or a pronoun;
    - a prepositional object ([prep]): "X called for [a moratorium]";
    - "according to X" and "in a statement, X said" (the clause around them);
    - with `beliefs` on, belief and intention verbs ("X believes [that ...]").
    Kind is "mixed" when the content holds double quotation marks, else "indirect".
    """
    taken = sorted((q.start, q.end) for q in direct)
    starts = [t[0] for t in taken]
    cue_verbs = {q.cue_verb for q in direct if q.cue_verb is not None}
    out: list[Found] = []
    inherited: dict[int, tuple[int | None, Range | None]] = {}
    for i in cues:
        tok = doc[i]
        if tok.lower_ == "according":
            q = _according(doc, tok)
            if q is not None and not _covered(starts, taken, q.start, q.end):
                out.append(q)
            continue
        if tok.pos_ != "VERB" or tok.i in cue_verbs:
            continue
        if tok.tag_ == "VBN" and tok.dep_ in {"advcl", "acl", "amod"}:
            continue  # "Asked about the strike, ...", "a film called ...": no speaker speaks
        lemma = tok.lemma_.lower()
        if not (
            lemma in lex.verbs
            or lemma in lex.objects
            or lemma in lex.prep_verbs
            or lemma in lex.beliefs
            or lemma in lex.intents
        ):
            continue
        comp = _complement(tok, lex)
        found_parts = [comp] if comp else _parenthetical(tok, lex)
        if not found_parts:
            continue
        parts: list[Range] = found_parts
        extra = _postposed_conj(tok, comp, lex) if comp else None
        if extra:
            parts.append(extra)
        parts = [trim_content(doc, *_clip(doc, *p, tok.i)) for p in parts]
        parts = [p for p in parts if p[1] > p[0]]
        if parts:
            ps, pe = parts[-1]
            pe = _cut_asides(doc, ps, pe)
            pe, inner = _cut_next_report(doc, ps, pe, lex)
            parts[-1] = trim_content(doc, ps, pe)
        else:
            inner = None
        n_words = sum(1 for p in parts for t in doc[p[0] : p[1]] if not t.is_punct)
        if n_words < min_length:
            continue
        if _mostly_title(doc, parts[0][0], parts[-1][1]):
            continue
        chars = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in parts]
        if _covered(starts, taken, chars[0][0], chars[-1][1]):
            continue
        head, spk = inherited.pop(tok.i) if tok.i in inherited else _speaker(doc, tok)
        if inner is not None and not any(c.dep_ == "nsubj" for c in inner.children):
            inherited[inner.i] = (head, spk)  # "said X and warned Y": one speaker
        kind = _kind(doc, parts[0][0], parts[-1][1])
        out.append(Found(chars, kind, spk, (tok.i, tok.i + 1), head, tok.i))
    return out
