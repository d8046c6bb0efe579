"""How unsure the model is of a document: NER action margins and quotes the rules left open.

The document list sorts by it ("Most uncertain first") so annotators correct first the
documents that teach a trained model most. Definition (docs/architecture.md):

- an entity's margin is the smallest, over its tokens, of the difference between the
  best and the second-best valid action score of spaCy's `ner` when it took that token;
  its unsureness is 2 / (1 + e^margin): 1 at a tie, about 0.01 at a margin of 5;
- a quote is unsure (1) when the rules found no speaker or no cue for it, else sure (0);
- a document's uncertainty is the mean unsureness of its TOP_K least sure items (all of
  them when it has fewer), 0.0 when the model proposed nothing.

The margins come from running the `ner` component's greedy decoding here instead of in
its C loop (`ScoredNER`): the same model, the same actions, the same entities, one pass.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

MARGINS_KEY = "newsmark_ner_margins"  # doc.user_data: [[start_char, end_char, margin], ...]
TOP_K = 5
_TOP_ACTIONS = 6  # valid actions are nearly always among the best few
_lock = threading.Lock()


def unsure_entity(margin: float) -> float:
    """Unsureness of an entity from its margin: 1 at a tie, towards 0 as it grows."""
    if margin > 50:
        return 0.0
    return 2.0 / (1.0 + math.exp(max(margin, 0.0)))


def document_uncertainty(unsure: Sequence[float]) -> float:
    """Mean of the TOP_K largest unsureness values; 0.0 for none."""
    if not unsure:
        return 0.0
    top = sorted(unsure, reverse=True)[:TOP_K]
    return round(sum(top) / len(top), 6)


class ScoredNER:
    """spaCy's `ner` that also keeps each predicted entity's margin (MARGINS_KEY).

    Everything but prediction goes to the wrapped component, so the pipeline still
    saves, loads and reports it as the `ner` it is.
    """

    def __init__(self, ner: Any) -> None:
        self.ner = ner
        moves = ner.moves
        self._names = [moves.get_class_name(i) for i in range(moves.n_moves)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ner, name)

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128, **_: Any) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self._annotate(list(batch))
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        nonempty = [d for d in docs if len(d)]
        if not nonempty:
            self.ner.set_annotations(docs, self.ner.predict(docs))
            return
        states, margins = self._decode(nonempty)
        self.ner.set_annotations(nonempty, states)
        for doc, token_margins in zip(nonempty, margins, strict=True):
            doc.user_data[MARGINS_KEY] = [
                [ent.start_char, ent.end_char, float(token_margins[ent.start : ent.end].min())]
                for ent in doc.ents
            ]

    def _decode(self, docs: list[Doc]) -> tuple[list[Any], list[numpy.ndarray]]:
        return greedy_with_margins(self.ner, docs, self._names)


def greedy_with_margins(
    component: Any, docs: list[Doc], names: list[str] | None = None
) -> tuple[list[Any], list[numpy.ndarray]]:
    """Greedy decoding of a transition-based component (`ner` or the quote tagger) as its
    `greedy_parse` does it, keeping each token's margin (inf where no step had two valid
    actions). Every Doc must have tokens."""
    moves = component.moves
    if names is None:
        names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    step = component.model.predict(docs)
    states = moves.init_batch(docs)
    margins = [numpy.full(len(d), numpy.inf, dtype="f") for d in docs]
    todo = [(i, s) for i, s in enumerate(states) if not s.is_final()]
    while todo:
        current = [s for _, s in todo]
        scores = step.predict(current)
        ranked = numpy.argsort(-scores, axis=1)[:, :_TOP_ACTIONS]
        for row, (i, state) in enumerate(todo):
            best = [scores[row, k] for k in ranked[row] if moves.is_valid(state, names[k])]
            token = state.B(0)
            if len(best) >= 2 and token >= 0:
                margins[i][token] = best[0] - best[1]
        left = {id(s) for s in component.transition_states(current, scores)}
        todo = [(i, s) for i, s in todo if id(s) in left]
    step.clear_memory()
    return states, margins


def score_entities(nlp: Language) -> None:
    """Make the pipeline's `ner` keep its margins (once; a pipeline without one is left)."""
    with _lock:
        for i, (name, proc) in enumerate(nlp._components):
            if name != "ner" or isinstance(proc, ScoredNER) or not hasattr(proc, "moves"):
                continue
            if getattr(proc, "cfg", {}).get("beam_width", 1) != 1:
                return  # beam search decodes otherwise; no margins
            nlp._components[i] = (name, ScoredNER(proc))


def entity_margin(doc: Doc, start: int, end: int) -> float | None:
    """The stored margin of the entity at [start, end) characters, if the NER kept one."""
    for s, e, m in doc.user_data.get(MARGINS_KEY) or ():
        if s == start and e == end:
            return float(m)
    return None
