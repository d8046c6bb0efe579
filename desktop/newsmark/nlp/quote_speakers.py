"""Speaker mentions of a cue and their resolution to a named entity (names, titles, pronouns)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

Range = tuple[int, int]

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
GROUP_LABELS = ("ORG", "GPE", "NORP", "FAC")
HONORIFIC_GENDER = {
    "mr": "Masc", "mr.": "Masc", "mrs": "Fem", "mrs.": "Fem", "ms": "Fem", "ms.": "Fem",
}  # fmt: skip
# Used when the tagger leaves a pronoun's Gender feature unset.
PRONOUN_GENDER = {"he": "Masc", "him": "Masc", "she": "Fem", "her": "Fem"}
GROUP_PRONOUNS = {"it", "they", "them"}
# Nouns that stand for an organisation named before ("the company", "the ministry").
GROUP_NOUNS = {
    "company", "firm", "group", "agency", "ministry", "department", "government", "party",
    "campaign", "bank", "newspaper", "network", "union", "court", "committee", "council",
    "organization", "organisation", "administration", "office", "channel", "paper",
}  # fmt: skip
_EDGE_PUNCT = {",", ";", ":", "-", "--", "—", "–", "(", '"', "“", "”", "''", "``"}


@dataclass(slots=True)
class EntityIndex:
    """Named mentions of one Doc in order, with what earlier context teaches about them.

    `names` are canonical names by token start; `titles` maps a role ("prime minister")
    to the name it stood next to; `surnames` maps a last word to the fullest name seen.
    """

    starts: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    subjects: list[bool] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)
    titles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)


def _clean_name(span: Span) -> str:
    text = span.text
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return text.removeprefix("the ").removeprefix("The ").strip()


def _title_key(tokens: list[Token]) -> str:
    return " ".join(t.lemma_.lower() for t in tokens if t.is_alpha)


def build_index(doc: Doc, blocked: list[Range]) -> EntityIndex:
    """Index named entities outside `blocked` char ranges (quoted text names others)."""
    idx = EntityIndex()
    bstarts = [b[0] for b in blocked]
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        i = bisect.bisect_right(bstarts, ent.start_char) - 1
        if i >= 0 and blocked[i][1] > ent.start_char:
            continue
        name = _clean_name(ent)
        if ent.label_ == "PERSON":
            words = name.split()
            full = idx.surnames.get(words[-1].lower())
            if len(words) == 1 and full:
                name = full
            elif len(words) > 1:
                idx.surnames[words[-1].lower()] = name
            # A role written right before a name ("Prime Minister Benjamin Netanyahu",
            # "the company's spokesman, John Smith") teaches what the role refers to.
            left = ent.start - 1
            if left >= 0 and doc[left].text in {",", "Mr.", "Mrs.", "Ms."}:
                hon = HONORIFIC_GENDER.get(doc[left].lower_)
                if hon:
                    idx.genders[name] = hon
                left -= 1
            role: list[Token] = []
            while left >= 0 and len(role) < 4:
                t = doc[left]
                if t.ent_type_ in {"NORP", "GPE"} or t.pos_ not in {"PROPN", "NOUN"}:
                    break
                role.insert(0, t)
                left -= 1
            if role:
                key = _title_key(role)
                idx.titles.setdefault(key, []).append((ent.start, name))
                last = role[-1].lemma_.lower()
                if last != key:
                    idx.titles.setdefault(last, []).append((ent.start, name))
        idx.starts.append(ent.start)
        idx.names.append(name)
        idx.labels.append(ent.label_)
        idx.subjects.append(ent.root.dep_ in SUBJ_DEPS)
    return idx


def _recent(idx: EntityIndex, before: int, labels: tuple[str, ...], gender: str | None) -> int:
    """Index of the nearest entity before token `before` with a wanted label, or -1."""
    i = bisect.bisect_left(idx.starts, before) - 1
    fallback = -1
    for j in range(i, max(-1, i - 40), -1):
        if idx.labels[j] not in labels:
            continue
        if gender and idx.genders.get(idx.names[j], gender) != gender:
            continue
        # Pronouns mostly continue the topic: the nearest name that was a subject, else
        # the nearest name at all.
        if idx.subjects[j]:
            return j
        if fallback < 0:
            fallback = j
    return fallback


def ent_of(doc: Doc, i: int) -> Span | None:
    """The entity holding token i, found by walking its IOB tags (no scan of doc.ents)."""
    if not doc[i].ent_type_:
        return None
    s = i
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    e = i + 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return Span(doc, s, e, label=doc[i].ent_type_)


def _definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)


def resolve(doc: Doc, head: Token, idx: EntityIndex) -> tuple[str | None, str | None]:
    """(entity name, label) the speaker headed by `head` refers to, when it can be told."""
    if head.ent_type_ in NAME_LABELS:
        ent = ent_of(doc, head.i)
        if ent is not None:
            name = _clean_name(ent)
            if ent.label_ == "PERSON" and len(name.split()) == 1:
                name = idx.surnames.get(name.lower(), name)
            return name, ent.label_
    low = head.lower_
    if head.pos_ == "PRON":
        if low in PRONOUN_GENDER:
            gender = next(iter(head.morph.get("Gender", [])), PRONOUN_GENDER[low])
            j = _recent(idx, head.i, ("PERSON",), gender)
        elif low in GROUP_PRONOUNS:
            j = _recent(idx, head.i, GROUP_LABELS, None)
        else:
            return None, None
        return (idx.names[j], idx.labels[j]) if j >= 0 else (None, None)
    if head.pos_ == "NOUN" and head.lemma_.lower() in GROUP_NOUNS and _definite(head):
        # "the company said": the organisation named last
        j = _recent(
            idx, head.i, ("ORG",) if head.lemma_.lower() != "government" else ("GPE", "ORG"), None
        )
        if j >= 0:
            return idx.names[j], idx.labels[j]
    if head.pos_ == "PROPN" and low in idx.surnames:
        return idx.surnames[low], "PERSON"  # a surname the NER missed ("Yellen wrote")
    if head.pos_ in {"NOUN", "PROPN"}:
        mods = [c for c in head.lefts if c.dep_ in {"compound", "amod"} and c.ent_type_ == ""]
        for key in (_title_key([*mods, head]), head.lemma_.lower()):
            seen = idx.titles.get(key)
            if seen:
                k = bisect.bisect_left(seen, (head.i, "")) - 1
                if k >= 0:
                    name = seen[k][1]
                    return name, "PERSON"
    return None, None


def mention_span(doc: Doc, head: Token, lo: int, hi: int) -> Range:
    """Token range [s, e) of the noun phrase headed by `head`, kept inside [lo, hi)."""
    s = max(head.left_edge.i, lo)
    e = min(head.right_edge.i + 1, hi)
    while s < e - 1 and (doc[s].text in _EDGE_PUNCT or doc[s].is_space):
        s += 1
    while e - 1 > s and (doc[e - 1].text in _EDGE_PUNCT or doc[e - 1].is_space):
        e -= 1
    # A relative or participle clause is not part of the mention ("officials who ...").
    for t in doc[s:e]:
        if t.head == head and t.dep_ in {"relcl", "acl"} and t.i > head.i:
            e = min(e, t.left_edge.i)
            while e - 1 > s and doc[e - 1].text in _EDGE_PUNCT:
                e -= 1
            break
    return s, e


def subject_of(verb: Token) -> Token | None:
    """The grammatical speaker of a cue verb: subject, passive agent, or inherited one."""
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            if c.dep_ == "nsubjpass" or (c.lower_ == "it" and verb.tag_ == "VBN"):
                for a in verb.children:
                    if a.dep_ == "agent":
                        pobj = next((p for p in a.children if p.dep_ == "pobj"), None)
                        if pobj is not None:
                            return pobj
            return c
    # "..., adding that ...", "went on to say", "X said and added": the head's subject.
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head is not verb:
        return subject_of(verb.head) if verb.head.pos_ in {"VERB", "AUX"} else None
    if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    # "began by saying ...": the verb the preposition hangs on has the subject.
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return subject_of(verb.head.head)
    return None


def inverted_speaker(doc: Doc, verb: Token, hi: int) -> Token | None:
    """The noun after a cue ("said Putin", "said the ministry's spokesman")."""
    for t in doc[verb.i + 1 : hi]:
        if t.pos_ in {"PROPN", "NOUN", "PRON"}:
            head = t
            while head.head.i < hi and head.head.i > verb.i and head.dep_ in {"compound", "poss"}:
                head = head.head
            return head
        if t.pos_ in {"VERB", "AUX", "ADP"} or t.is_sent_end:
            return None  # "said in an interview": a place or channel, not a speaker
    return None
