"""Hand-written gold for the training tests: a few articles whose entities a person
marked (real edits through the Repository, so the edit log says a person touched them)."""

from __future__ import annotations

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Origin, Span
from newsmark.nlp.tokens import tokenize_many
from newsmark.storage import Repository

# (text, [(mention, label), ...]); PARTY is a label the base model does not know.
GOLD = [
    (
        "Mara Velka of the Green Dawn Party spoke in Tallinn on Monday.",
        [("Mara Velka", "PERSON"), ("Green Dawn Party", "PARTY"), ("Tallinn", "GPE")],
    ),
    (
        "The Green Dawn Party said Joren Aask will lead the list in Tartu.",
        [("Green Dawn Party", "PARTY"), ("Joren Aask", "PERSON"), ("Tartu", "GPE")],
    ),
    (
        "Orvel Steelworks cut 300 jobs, Ilsa Brenner told reporters in Riga.",
        [("Orvel Steelworks", "ORG"), ("Ilsa Brenner", "PERSON"), ("Riga", "GPE")],
    ),
    (
        "Ilsa Brenner left Orvel Steelworks to join the Blue Harbour Party.",
        [("Ilsa Brenner", "PERSON"), ("Orvel Steelworks", "ORG"), ("Blue Harbour Party", "PARTY")],
    ),
    (
        "In Vilnius, the Blue Harbour Party chose Tomas Rell as its leader.",
        [("Vilnius", "GPE"), ("Blue Harbour Party", "PARTY"), ("Tomas Rell", "PERSON")],
    ),
    (
        "Joren Aask met Mara Velka in Tallinn to talk about Orvel Steelworks.",
        [("Joren Aask", "PERSON"), ("Mara Velka", "PERSON"), ("Tallinn", "GPE"),
         ("Orvel Steelworks", "ORG")],
    ),
]  # fmt: skip


def spans_of(text: str, mentions: list[tuple[str, str]]) -> list[Span]:
    out = []
    for mention, label in mentions:
        start = text.index(mention)
        out.append(Span(start, start + len(mention), label, Origin.HUMAN))
    return out


def add_gold(
    repo: Repository, annotator: str = "alice", gold: list = GOLD, status: str = "accepted"
) -> list[int]:
    """Import the texts, mark their entities as `annotator` and set `status`; doc ids."""
    texts = [t for t, _ in gold]
    items = [
        (DocumentInput(t, {"title": t[:30]}), toks)
        for t, toks in zip(texts, tokenize_many(texts), strict=True)
    ]
    ids = [doc_id for doc_id, _ in repo.add_documents(items, "import:test")]
    labels, repo.labels = repo.labels, None  # PARTY is not in the default label set
    try:
        for doc_id, (text, mentions) in zip(ids, gold, strict=True):
            aset = repo.annotation_set(doc_id, annotator)
            assert aset is not None
            for span in spans_of(text, mentions):
                repo.add_span(aset.id, span, annotator)
            repo.set_status(aset.id, status, annotator)
    finally:
        repo.labels = labels
    return ids
