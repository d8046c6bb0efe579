"""Speaker mentions of a cue and their resolution to a named entity (names, titles, pronouns)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsmark.nlp.quote_headline import breaks
from newsmark.nlp.quote_roles import GROUP_NOUNS, PERSON_ROLES, corrected_label, gender_near

Range = tuple[int, int]

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
# Groups that can be "it"/"they"; a building or a bridge does not speak.
GROUP_LABELS = ("ORG", "GPE", "NORP")
# Used when the tagger leaves a pronoun's Gender feature unset.
PRONOUN_GENDER = {"he": "Masc", "him": "Masc", "she": "Fem", "her": "Fem"}
# Number agreement for groups: a state or an organisation is "it"; "they" is a
# people or a party ("the Republicans", NORP) or an organisation's staff.
GROUP_PRONOUNS = {"it": ("ORG", "GPE"), "they": ("ORG", "NORP"), "them": ("ORG", "NORP")}
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
    groups: dict[str, list[int]] = field(default_factory=dict)


def _clean_name(span: Span) -> str:
    # The NER often takes a title into a person's name ("Councillor Ivo Stark"); the
    # entity is the person, so the title goes (it stays in the mention as written).
    while len(span) > 1 and span[0].lower_.rstrip(".") in PERSON_ROLES and span[0].is_title:
        span = span[1:]
    text = span.text
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return text.removeprefix("the ").removeprefix("The ").strip()


def _title_key(tokens: list[Token]) -> str:
    return " ".join(t.lemma_.lower() for t in tokens if t.is_alpha)


def _group_nouns_next_to(doc: Doc, ent: Span) -> set[str]:
    near = [c for c in ent.root.children if c.dep_ == "appos"]
    if ent.root.dep_ == "appos":
        near.append(ent.root.head)
    if ent.start > 0 and doc[ent.start - 1].pos_ == "NOUN":
        near.append(doc[ent.start - 1])
    return {t.lemma_.lower() for t in near if t.lemma_.lower() in GROUP_NOUNS}


def build_index(doc: Doc, blocked: list[Range], top: int = 0) -> EntityIndex:
    """Index named entities outside `blocked` char ranges (quoted text names others).

    `top` is where the headline ends: names in it do not count (its words are no one's
    speaker), and a name the NER ran over a break ("Carmaker\nVolvo") counts with its
    part after the break only.
    """
    idx = EntityIndex()
    bstarts = [b[0] for b in blocked]
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        cut = breaks(doc, ent.start, ent.end) if "\n" in ent.text else []
        if cut:
            if cut[-1] + 1 >= ent.end:
                continue
            ent = Span(doc, cut[-1] + 1, ent.end, label=ent.label)
        i = bisect.bisect_right(bstarts, ent.start_char) - 1
        if i >= 0 and blocked[i][1] > ent.start_char:
            continue
        name = _clean_name(ent)
        label = corrected_label(ent)
        if label not in NAME_LABELS:
            continue
        if label == "PERSON":
            gender = gender_near(ent)
            if gender:
                idx.genders[name] = gender
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
            # A role in apposition after the name ("Jane Roe, the chief engineer") is
            # the same link: "the chief engineer" later means Jane Roe.
            for role_head in (c for c in ent.root.children if c.dep_ == "appos"):
                if role_head.pos_ != "NOUN" or role_head.lemma_.lower() in GROUP_NOUNS:
                    continue
                mods = [c for c in role_head.lefts if c.dep_ in {"compound", "amod"}]
                for key in {_title_key([*mods, role_head]), role_head.lemma_.lower()}:
                    idx.titles.setdefault(key, []).append((ent.start, name))
        elif label in GROUP_LABELS:
            # "Shell, the oil company," / "the oil company Shell": what "the company"
            # will mean later. Kept as positions in the index lists.
            for noun in _group_nouns_next_to(doc, ent):
                idx.groups.setdefault(noun, []).append(len(idx.starts))
        idx.starts.append(ent.start)
        idx.names.append(name)
        idx.labels.append(label)
        # The name in apposition to a subject ("The agency's director, X, said") is
        # the topic as much as a subject itself.
        root = ent.root
        subj = root.dep_ in SUBJ_DEPS or (root.dep_ == "appos" and root.head.dep_ in SUBJ_DEPS)
        idx.subjects.append(subj)
    for key in idx.titles:
        idx.titles[key].sort()
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


def _newline(t: Token) -> bool:
    return t.is_space and "\n" in t.text


def ent_of(doc: Doc, i: int) -> Span | None:
    """The entity holding token i, found by walking its IOB tags (no scan of doc.ents).

    Only its part on token i's side of a paragraph break or the headline's end: the NER
    runs a headline word into the first line's name ("Carmaker\nVolvo").
    """
    if not doc[i].ent_type_:
        return None
    s = i
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    e = i + 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    cut = breaks(doc, s, e) if e - s > 1 else []
    if cut:
        if i in cut:
            return None
        s = max([s] + [b + 1 for b in cut if b < i])
        e = min([e] + [b for b in cut if b > i])
    return Span(doc, s, e, label=doc[i].ent_type_)


def _definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)


def _named(doc: Doc, tok: Token) -> tuple[str, str] | None:
    """(name, label) of the entity holding `tok`, with the NER's label corrected."""
    if tok.ent_type_ not in NAME_LABELS and tok.ent_type_ != "LOC":
        return None
    ent = ent_of(doc, tok.i)
    if ent is None:
        return None
    label = corrected_label(ent)
    return (_clean_name(ent), label) if label in NAME_LABELS else None


def _appositive_name(doc: Doc, head: Token) -> tuple[str, str] | None:
    """A name in apposition to a role noun ("the agency's director, Jane Roe").

    NER first; when it misses the name, a run of capitalised proper nouns will do. The
    label follows the role: people hold titles, organisations are groups.
    """
    for app in (c for c in head.children if c.dep_ == "appos"):
        if app.pos_ not in {"PROPN", "NOUN"}:
            continue
        named = _named(doc, app)
        # A role is held by a person, a group noun names an organisation; anything else
        # in apposition (a party-and-district tag, a place) is not who spoke.
        wanted = {"ORG", "GPE"} if head.lemma_.lower() in GROUP_NOUNS else {"PERSON"}
        if named is not None:
            if named[1] in wanted:
                return named
            continue
        words = [c for c in app.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        words.append(app)
        if app.pos_ == "PROPN" and all(w.is_title for w in words):
            lemma = head.lemma_.lower()
            label = "ORG" if lemma in GROUP_NOUNS else "PERSON"
            if label == "ORG" or lemma in PERSON_ROLES or len(words) >= 2:
                return " ".join(w.text for w in words), label
    return None


def _group_link(idx: EntityIndex, head: Token, labels: tuple[str, ...]) -> int:
    """The nearest earlier group entity whose name or apposition says what `head` says.

    "The agency" is "the National Water Agency" because the name contains the word, and
    "the company" is Shell after "Shell, the oil company"; the last organisation named
    before may be anything (a party, a ministry, a person the NER took for an ORG).
    """
    lemma = head.lemma_.lower()
    i = bisect.bisect_left(idx.starts, head.i) - 1
    linked = set(idx.groups.get(lemma, ()))
    for j in range(i, max(-1, i - 40), -1):
        if idx.labels[j] not in labels:
            continue
        words = {w.lower().rstrip(".") for w in idx.names[j].split()}
        if j in linked or lemma in words or head.lower_ in words:
            return j
    return -1


def _full(idx: EntityIndex, named: tuple[str, str]) -> tuple[str, str]:
    """A person's surname alone stands for the fullest name seen ("Netanyahu")."""
    name, label = named
    if label == "PERSON" and len(name.split()) == 1:
        name = idx.surnames.get(name.lower(), name)
    return name, label


def resolve(doc: Doc, head: Token, idx: EntityIndex) -> tuple[str | None, str | None]:
    """(entity name, label) the speaker headed by `head` refers to, when it can be told."""
    named = _named(doc, head)
    if named is not None:
        return _full(idx, named)
    low = head.lower_
    if head.pos_ == "PRON":
        if low in PRONOUN_GENDER:
            # he/she: only people, of the pronoun's gender when anything tells it.
            gender = next(iter(head.morph.get("Gender", [])), PRONOUN_GENDER[low])
            j = _recent(idx, head.i, ("PERSON",), gender)
        elif low in GROUP_PRONOUNS:
            j = _recent(idx, head.i, GROUP_PRONOUNS[low], None)
        else:
            return None, None
        return (idx.names[j], idx.labels[j]) if j >= 0 else (None, None)
    if head.pos_ in {"NOUN", "PROPN"}:
        appositive = _appositive_name(doc, head)
        if appositive is not None:
            return appositive
    lemma = head.lemma_.lower()
    if head.pos_ == "NOUN" and lemma in GROUP_NOUNS:
        # "the Trump campaign", "Netanyahu's office": a group named after whom it speaks
        # for. (Not for roles: "Trump's lawyer" is someone else.)
        for c in head.children:
            if c.dep_ in {"compound", "poss"} and c.i < head.i:
                owner = _named(doc, c)
                if owner is not None and owner[1] in {"PERSON", "ORG", "GPE"}:
                    return _full(idx, owner)
        # "the agency said": an organisation or state, and only one whose name was
        # seen to carry the noun; a group noun never stands for a person.
        if _definite(head):
            labels = ("GPE", "ORG") if lemma == "government" else ("ORG",)
            j = _group_link(idx, head, labels)
            if j >= 0:
                return idx.names[j], idx.labels[j]
        return None, None
    if head.pos_ == "PROPN" and low in idx.surnames:
        return idx.surnames[low], "PERSON"  # a surname the NER missed ("Yellen wrote")
    if head.pos_ in {"NOUN", "PROPN"} and head.tag_ not in {"NNS", "NNPS"}:
        # A role ("the chief engineer") is a person seen next to that role before; a
        # plural role ("advisers to X") is several people, none of them in particular.
        mods = [c for c in head.lefts if c.dep_ in {"compound", "amod"} and c.ent_type_ == ""]
        for key in (_title_key([*mods, head]), lemma):
            seen = idx.titles.get(key)
            if seen:
                k = bisect.bisect_left(seen, (head.i, "")) - 1
                if k >= 0:
                    return seen[k][1], "PERSON"
    return None, None


def _in_cue_paragraph(doc: Doc, s: int, e: int, cue: int) -> Range:
    """[s, e) cut to the cue's paragraph: a live blog's "7:45 a.m.\n\nHillary Clinton
    said" parses as one phrase, but a mention never runs over a paragraph break."""
    cs, ce = s, e
    for t in doc[s : min(e, cue)]:
        if t.is_space and "\n" in t.text:
            cs = t.i + 1
    ce = next((t.i for t in doc[max(cs, cue + 1) : e] if t.is_space and "\n" in t.text), e)
    return (cs, ce) if cs < ce else (s, e)


def mention_span(doc: Doc, head: Token, lo: int, hi: int, cue: int) -> Range:
    """Token range [s, e) of the noun phrase headed by `head`, kept inside [lo, hi).

    The mention is the whole phrase as written (docs/guidelines.md, "Speaker mentions"):
    titles, modifiers, appositives and clauses that describe the speaker ("Jane Roe, a
    spokeswoman for the agency, who ...") stay in; a clause holding the cue token `cue`
    ("officials who said ...") is the attribution itself, and ", speaking at a rally," is
    the occasion, not the speaker: both go.
    """
    s = max(head.left_edge.i, lo)
    e = min(head.right_edge.i + 1, hi)
    s, e = _in_cue_paragraph(doc, s, e, cue)
    while s < e - 1 and (doc[s].text in _EDGE_PUNCT or doc[s].is_space):
        s += 1
    while e - 1 > s and (doc[e - 1].text in _EDGE_PUNCT or doc[e - 1].is_space):
        e -= 1
    for t in doc[s:e]:
        if t.head != head or t.dep_ not in {"relcl", "acl"} or t.i < head.i:
            continue
        holds_cue = t.left_edge.i <= cue <= t.right_edge.i
        occasion = t.tag_ == "VBG" and t.left_edge.i > 0 and doc[t.left_edge.i - 1].text == ","
        if holds_cue or occasion:
            e = min(e, t.left_edge.i)
            while e - 1 > s and doc[e - 1].text in _EDGE_PUNCT:
                e -= 1
            break
    return s, e


def is_passive(verb: Token) -> bool:
    """Has the verb a passive subject or auxiliary ("was leaked")?"""
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def active_with_object(verb: Token) -> bool:
    """An active verb with an object or clause: it cannot share a passive's subject."""
    return not is_passive(verb) and any(c.dep_ in {"dobj", "ccomp"} for c in verb.children)


def subject_of(verb: Token) -> Token | None:
    """The grammatical speaker of a cue verb: subject, passive agent, or inherited one.

    Never across a paragraph break or the headline's end (quote_headline.breaks): a
    subject up there is a headline the parser ran into the first sentence ("Carmaker
    slashes jobs\n\nWorkers said ..."); the phrase opening the cue's line is the
    speaker then, when there is one.
    """
    subj = _subject_of(verb)
    if subj is None or breaks(verb.doc, min(subj.i, verb.i) + 1, max(subj.i, verb.i)):
        return _line_opening_subject(verb)
    return subj


def _subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if len(subjects) > 1:
        # Two subjects is a misparse, mostly a dateline ("LEEDS, England — Leeds mayor
        # John Carter said"): the one nearest before the verb speaks.
        before = [c for c in subjects if c.i < verb.i]
        subjects = before[-1:] or subjects[:1]
    for c in subjects:
        if True:
            if c.dep_ == "nsubjpass" or (c.lower_ == "it" and verb.tag_ == "VBN"):
                for a in verb.children:
                    if a.dep_ == "agent":
                        pobj = next((p for p in a.children if p.dep_ == "pobj"), None)
                        if pobj is not None:
                            return pobj
            return c
    # "..., adding that ...", "went on to say", "X said and added": the head's subject.
    if verb.dep_ == "conj" and is_passive(verb.head) and active_with_object(verb):
        # "X said the plan was leaked and described it as ...": an active verb with an
        # object cannot share a passive verb's subject (that is its patient); the
        # parser put the coordination one clause too low, so climb to the clause's head.
        up = verb.head
        if up.dep_ in {"ccomp", "xcomp"} and up.head.pos_ in {"VERB", "AUX"}:
            return subject_of(up.head)
        return None
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head is not verb:
        return subject_of(verb.head) if verb.head.pos_ in {"VERB", "AUX"} else None
    if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    # "began by saying ...": the verb the preposition hangs on has the subject.
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return subject_of(verb.head.head)
    return None


def _line_opening_subject(verb: Token, reach: int = 60) -> Token | None:
    """The noun phrase opening the cue's line when the parser hung it on the line before.

    A headline run into the next sentence takes its subject ("Council backs bridge
    plan\n\nThe mayor of Leeds, John Carter, said": "mayor" in apposition to "plan");
    the phrase between the line break and the cue is still who speaks.
    """
    doc = verb.doc
    k = verb.i
    while k > max(0, verb.i - reach) and not _newline(doc[k - 1]):
        k -= 1
    if k == 0 or not breaks(doc, k - 1, k):
        return None  # only the line after a paragraph break or the headline
    roots = [t for t in doc[k : verb.i] if not t.is_punct and not (k <= t.head.i <= verb.i)]
    # "Workers at the plant said": the parser may hang the phrase's modifiers on the
    # headline as well; the noun that opens the line still heads it.
    if not roots or any(t.dep_ not in {"prep", "appos", "acl", "relcl"} for t in roots[1:]):
        return None
    head = roots[0]
    if head.pos_ not in {"NOUN", "PROPN", "PRON"} or head.head.i >= k:
        return None
    return head


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
