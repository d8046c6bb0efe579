"""The `newsmark_quote_tagger` spaCy component: a trained tagger of quote roles (CONTENT, CUE,
SOURCE) that writes doc.spans["quote_roles"] and leaves the entities alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline.ner import EntityRecognizer
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry
from thinc.api import Config, Model

ROLES_KEY = "quote_roles"
CONTENT, CUE, SOURCE = "CONTENT", "CUE", "SOURCE"
ROLES = (CONTENT, CUE, SOURCE)

# spaCy's own entity recognizer model (a transition-based span tagger) over the base
# pipeline's tok2vec: the roles are spans like entities, only longer.
DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "tok2vec"
"""
)["model"]


def score_roles(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """P/R/F of the role spans (doc.spans["quote_roles"]) per role and overall."""
    return Scorer.score_spans(
        examples, ROLES_KEY, getter=lambda doc, key: doc.spans.get(key, []), **kwargs
    )


@registry.scorers("newsmark.quote_roles_scorer.v1")
def make_roles_scorer() -> Callable[..., dict[str, Any]]:
    return score_roles


class QuoteTagger(EntityRecognizer):
    """spaCy's EntityRecognizer trained on quote roles; its spans go to doc.spans, so the
    pipeline's named entities stay those of the base `ner`.

    Training reads the gold roles from the reference Docs' entities (what the recognizer
    learns from); prediction puts them in doc.spans["quote_roles"].
    """

    def set_annotations(self, docs: Iterable[Doc], states_or_beams: Any) -> None:
        docs = list(docs)
        saved = [doc.ents for doc in docs]
        for doc in docs:
            doc.ents = []
        super().set_annotations(docs, states_or_beams)
        for doc, ents in zip(docs, saved, strict=True):
            doc.spans[ROLES_KEY] = list(doc.ents)
            doc.ents = ents


@Language.factory(
    "newsmark_quote_tagger",
    default_config={
        "model": DEFAULT_MODEL,
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "scorer": {"@scorers": "newsmark.quote_roles_scorer.v1"},
    },
    assigns=["doc.spans"],
    default_score_weights={f"{ROLES_KEY}_f": 1.0, f"{ROLES_KEY}_p": 0.0, f"{ROLES_KEY}_r": 0.0},
)
def make_quote_tagger(
    nlp: Language,
    name: str,
    model: Model,
    moves: Any,
    update_with_oracle_cut_size: int,
    scorer: Callable[..., dict[str, Any]] | None,
) -> QuoteTagger:
    """The role tagger (untrained until `nlp.initialize` or loaded from disk)."""
    return QuoteTagger(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        scorer=scorer,
    )
