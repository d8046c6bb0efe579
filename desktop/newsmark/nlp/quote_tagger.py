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

from newsmark.nlp.uncertainty import greedy_with_margins

ROLES_KEY = "quote_roles"
# doc.user_data: [[start_char, end_char, margin], ...] for each role span: the smallest
# margin between the tagger's best and second-best valid action over its tokens.
ROLE_MARGINS_KEY = "newsmark_role_margins"
_TOKEN_MARGINS = "newsmark_role_token_margins"  # from predict to set_annotations only
_MAX_MARGIN = 100.0  # a token no step was unsure of has margin inf: keep the value finite
CONTENT, CUE, SOURCE = "CONTENT", "CUE", "SOURCE"
ROLES = (CONTENT, CUE, SOURCE)

# spaCy's own entity recognizer model (a transition-based span tagger) with a tok2vec of
# its own, built like en_core_web_sm's shared one so training can start from its weights.
DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 128
maxout_pieces = 2
use_upper = true
nO = null

[model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"]
rows = [5000, 1000, 2500, 2500, 50, 50]
include_static_vectors = false

[model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3
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
    learns from); prediction puts them in doc.spans["quote_roles"]. It runs right after
    `tok2vec`, before `parser` and `ner`: spaCy's recognizer keeps entities already set
    and ends its spans at sentence starts, and roles cross both (a quote runs over
    several sentences).
    """

    def predict(self, docs: Any) -> Any:
        """The parser's greedy prediction, keeping each token's action margin."""
        docs = [docs] if isinstance(docs, Doc) else list(docs)
        if self.cfg.get("beam_width", 1) != 1 or not all(len(d) for d in docs):
            return super().predict(docs)
        states, margins = greedy_with_margins(self, docs)
        for doc, m in zip(docs, margins, strict=True):
            doc.user_data[_TOKEN_MARGINS] = m.tolist()
        return states

    def set_annotations(self, docs: Iterable[Doc], states_or_beams: Any) -> None:
        docs = list(docs)
        saved = [doc.ents if doc.has_annotation("ENT_IOB") else None for doc in docs]
        for doc in docs:
            doc.ents = []
        super().set_annotations(docs, states_or_beams)
        for doc, ents in zip(docs, saved, strict=True):
            doc.spans[ROLES_KEY] = list(doc.ents)
            margins = doc.user_data.pop(_TOKEN_MARGINS, None)
            if margins is not None:
                doc.user_data[ROLE_MARGINS_KEY] = [
                    [s.start_char, s.end_char, min(_MAX_MARGIN, *margins[s.start : s.end])]
                    for s in doc.ents
                ]
            if ents is None:  # no entities yet (the tagger runs before `ner`): none set
                doc.set_ents([], default="missing")
            else:
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
