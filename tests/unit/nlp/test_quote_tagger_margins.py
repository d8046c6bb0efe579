"""The quote tagger keeps each role span's action margin (doc.user_data) and, decoding
for them, still finds the spans spaCy's own greedy decoding finds."""

from __future__ import annotations

import spacy
from spacy.pipeline.ner import EntityRecognizer
from spacy.training import Example

from newsmark.nlp.quote_tagger import ROLE_MARGINS_KEY, ROLES_KEY, QuoteTagger

TEXTS = [
    ("Graham has long been critical of the tax plan.", "Graham", "has long been critical of"),
    ("Lopez is deeply skeptical of the border rules.", "Lopez", "is deeply skeptical of"),
]


def test_role_spans_carry_margins_and_match_spacy_s_own_decoding() -> None:
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("newsmark_quote_tagger")
    assert isinstance(tagger, QuoteTagger)
    examples = []
    for text, source, cue in TEXTS:
        doc = nlp.make_doc(text)
        content = text[text.index(cue) + len(cue) + 1 : -1]
        ents = [
            (text.index(w), text.index(w) + len(w), label)
            for w, label in [(source, "SOURCE"), (cue, "CUE"), (content, "CONTENT")]
        ]
        examples.append(Example.from_dict(doc, {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    text = "Baker has long been critical of the new rules."
    doc = nlp(text)
    roles = [(s.start_char, s.end_char, s.label_) for s in doc.spans[ROLES_KEY]]
    assert roles  # the tiny model finds something to measure
    kept = doc.user_data[ROLE_MARGINS_KEY]
    assert [(a, b) for a, b, _ in kept] == [(a, b) for a, b, _ in roles]
    assert all(0.0 <= m <= 100.0 for _, _, m in kept)
    assert doc.ents == ()  # the roles never become the Doc's entities
    # spaCy's own greedy decoding of the same model gives the same spans.
    plain = nlp.make_doc(text)
    tagger.set_annotations([plain], EntityRecognizer.predict(tagger, [plain]))
    assert [(s.start_char, s.end_char, s.label_) for s in plain.spans[ROLES_KEY]] == roles
    assert ROLE_MARGINS_KEY not in plain.user_data
