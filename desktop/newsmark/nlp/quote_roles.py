"""Word lists and checks that tell people from organisations and places around speakers.

The small English model often mislabels unfamiliar names (a person after "Mayor" as
ORG, a town after "in" as PERSON). Speaker resolution must not inherit those errors:
a pronoun "he" that resolves to a town is worse for an annotator than no entity at all.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

# Titles and roles held only by people: a name right after one ("Mayor X") or in
# apposition with one ("X, the chief engineer") is a person whatever the NER says.
PERSON_ROLES = frozenset(
    [
        "mayor", "president", "minister", "senator", "governor", "leader",
        "spokesman", "spokeswoman", "spokesperson", "director", "chairman",
        "chairwoman", "chair", "secretary", "chancellor", "premier", "ambassador",
        "judge", "general", "chief", "executive", "officer", "engineer",
        "economist", "official", "commissioner", "prosecutor", "lawyer", "attorney",
        "councillor", "councilor", "councilman", "councilwoman", "congressman",
        "congresswoman", "representative", "deputy", "mp", "lawmaker", "legislator",
        "treasurer", "manager", "founder", "owner", "analyst", "professor",
        "doctor", "dr", "mr", "mrs", "ms", "sen", "rep", "gov", "pope", "king",
        "queen", "prince", "princess", "duke", "duchess", "head", "adviser",
        "advisor", "aide", "inspector", "captain", "colonel", "sheriff",
        "superintendent", "businessman", "businesswoman", "actor", "actress",
        "activist", "campaigner", "researcher", "scientist",
    ]
)  # fmt: skip
# Grammatical gender of role words and honorifics, for he/she agreement when the
# tagger has nothing to say about a proper name.
ROLE_GENDER = {
    **dict.fromkeys(
        [
            "mr", "mr.", "spokesman", "chairman", "congressman", "councilman",
            "businessman", "king", "prince", "duke", "actor", "father",
            "husband", "son", "brother", "uncle", "grandfather", "sir",
        ],
        "Masc",
    ),
    **dict.fromkeys(
        [
            "mrs", "mrs.", "ms", "ms.", "miss", "spokeswoman", "chairwoman",
            "congresswoman", "councilwoman", "businesswoman", "queen",
            "princess", "duchess", "actress", "mother", "wife", "daughter",
            "sister", "aunt", "grandmother", "widow", "madam", "dame", "lady",
        ],
        "Fem",
    ),
}  # fmt: skip
# Nouns that stand for an organisation or a state, never for one person.
GROUP_NOUNS = frozenset(
    [
        "company", "firm", "group", "agency", "ministry", "department",
        "government", "party", "campaign", "bank", "newspaper", "network", "union",
        "court", "committee", "council", "organization", "organisation",
        "administration", "office", "channel", "paper", "authority", "regulator",
        "commission", "board", "association", "federation", "institute",
        "university", "police", "army", "embassy", "cabinet", "parliament",
        "senate", "corporation", "watchdog",
    ]
)  # fmt: skip
# Prepositions of place: a "PERSON" governed by one is almost always a mislabelled town.
PLACE_PREPS = frozenset(["in", "at", "near", "inside", "outside", "across", "throughout", "around"])


def role_word(t: Token) -> str:
    """The word as a role: honorifics as written ("Mrs."), other words by lemma."""
    return t.lower_ if t.lower_ in ROLE_GENDER else t.lemma_.lower()


def corrected_label(ent: Span) -> str:
    """The entity's label after the two NER errors that matter for speakers."""
    label = ent.label_
    root = ent.root
    if label == "PERSON" and root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS:
        return "GPE"
    if label != "PERSON" and len(ent) >= 2 and all(t.pos_ == "PROPN" for t in ent):
        before = ent.doc[ent.start - 1] if ent.start > 0 else None
        if before is not None and role_word(before).rstrip(".") in PERSON_ROLES:
            return "PERSON"  # "Mayor Jane Roe", "said Governor X"
        if root.dep_ == "appos" and role_word(root.head) in PERSON_ROLES:
            return "PERSON"  # "the ministry's spokesman, Jane Roe"
        role = next((c for c in root.children if c.dep_ == "appos"), None)
        if role is not None and role_word(role) in PERSON_ROLES:
            return "PERSON"  # "Jane Roe, the chief engineer"
    return label


def gender_near(ent: Span) -> str | None:
    """Masc/Fem from an honorific or role word next to a person's name, else None."""
    doc = ent.doc
    root = ent.root
    near: list[Token] = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        near.append(root.head)
    left = ent.start - 1
    while left >= 0 and doc[left].text == ",":
        left -= 1
    if left >= 0:
        near.append(doc[left])
    for t in near:
        g = ROLE_GENDER.get(role_word(t))
        if g:
            return g
    return None
