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


# Quote gold: two attributions per article (an attitude and a direct quote), no entity spans.
QUOTE_NAMES = ["Lindsey Graham", "Maria Lopez", "Tom Baker", "Anna Weiss", "Peter Moss"]
QUOTE_TEMPLATE = (
    "{a} has long been critical of the tax plan.\n\n"
    "“We will fight this bill to the end,” {b} said on Tuesday."
)


def quote_text(i: int) -> str:
    text = QUOTE_TEMPLATE.format(a=QUOTE_NAMES[i % 5], b=QUOTE_NAMES[(i + 1) % 5])
    return f"{text}\n\nReport number {i}."  # every text differs (documents are unique)


def add_quote_gold(
    repo: Repository, n: int, annotator: str = "alice", status: str = "accepted"
) -> list[int]:
    """Import `n` articles with their two quotes marked by `annotator` (no spans); doc ids."""
    from newsmark.domain.quotes import Quote, QuoteKind

    texts = [quote_text(i) for i in range(n)]
    items = [
        (DocumentInput(t, {"title": f"quotes {i}"}), toks)
        for i, (t, toks) in enumerate(zip(texts, tokenize_many(texts), strict=True))
    ]
    ids = [doc_id for doc_id, _ in repo.add_documents(items, "import:test")]
    for i, (doc_id, text) in enumerate(zip(ids, texts, strict=True)):
        a, b = QUOTE_NAMES[i % 5], QUOTE_NAMES[(i + 1) % 5]
        second = text.index("\n\n") + 2

        def at(part: str, after: int = 0, text: str = text) -> tuple[int, int]:
            start = text.index(part, after)
            return start, start + len(part)

        aset = repo.annotation_set(doc_id, annotator)
        assert aset is not None
        for quote in (
            Quote((at("the tax plan"),), QuoteKind.INDIRECT, speaker=at(a),
                  cue=at("has long been critical of")),
            Quote((at("“We will fight this bill to the end,”"),), QuoteKind.DIRECT,
                  speaker=at(b, second), cue=at("said", second)),
        ):  # fmt: skip
            repo.add_quote(aset.id, quote, annotator)
        repo.set_status(aset.id, status, annotator)
    return ids
