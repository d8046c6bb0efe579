"""Documents longer than spaCy takes at once are pre-annotated in pieces cut at paragraphs."""

from __future__ import annotations

import itertools

import pytest

from newsmark.nlp.model import LoadedModel, load_model
from newsmark.nlp.preannotate import pieces, predict_texts

PARAGRAPH = (
    '"We will not sign this agreement," Olena Petrenko told reporters in Kyiv on Monday. '
    "Jonas Weber of the Berlin office said the talks would resume in March.\n\n"
)


@pytest.fixture(scope="module")
def model() -> LoadedModel:
    return load_model()


def test_pieces_cover_the_text_and_end_at_paragraph_breaks() -> None:
    text = PARAGRAPH * 40
    ranges = pieces(text, 1000)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(0 < end - start <= 1000 for start, end in ranges)
    assert all(text[start:end].endswith("\n\n") for start, end in ranges[:-1])


def test_a_paragraph_longer_than_a_piece_is_cut_at_a_line_or_word() -> None:
    text = ("word " * 500).strip() + "\nline two\n\nend"
    ranges = pieces(text, 300)
    assert "".join(text[s:e] for s, e in ranges) == text
    assert all(e - s <= 300 for s, e in ranges)
    assert all(text[e - 1] in " \n" for _, e in ranges[:-1])


def test_pieces_predict_what_the_whole_text_predicts(model: LoadedModel) -> None:
    text = PARAGRAPH * 6
    (whole,) = predict_texts(model, [text])
    (cut,) = predict_texts(model, [text], max_piece=len(PARAGRAPH) * 2)
    # Each paragraph stands alone, so cutting between paragraphs changes nothing.
    assert [(s.start, s.end, s.label) for s in cut.spans] == [
        (s.start, s.end, s.label) for s in whole.spans
    ]
    assert [(q.parts, q.speaker, q.cue, q.kind) for q in cut.quotes] == [
        (q.parts, q.speaker, q.cue, q.kind) for q in whole.quotes
    ]
    # Each paragraph: the direct quote and Weber's reported speech.
    speakers = [text[slice(*q.speaker)] for q in cut.quotes if q.speaker]
    assert speakers == ["Olena Petrenko", "Jonas Weber of the Berlin office"] * 6
    assert cut.tokens == whole.tokens


def test_a_text_over_spacy_max_length_is_predicted_not_refused(model: LoadedModel) -> None:
    text = PARAGRAPH * 30
    limit = model.nlp.max_length
    model.nlp.max_length = len(text) // 3  # as a 1,000,000-character article meets spaCy
    try:
        (pred,) = predict_texts(model, [text, "Short one."][:1])
    finally:
        model.nlp.max_length = limit
    last = text.rindex("Jonas Weber")
    assert any((s.start, s.end) == (last, last + len("Jonas Weber")) for s in pred.spans)
    assert len(pred.quotes) == 2 * 30  # a direct quote and a reported one per paragraph
