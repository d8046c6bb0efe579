"""Entity training with spaCy's own loop: a generated CPU config sourcing the base pipeline,
`ner` updated from the gold, every other component frozen, progress after each evaluation.

Spans are code-point ranges; one that does not fall on token edges is widened to the
tokens it touches (`alignment_mode="expand"`), and one that then overlaps another is
skipped and counted (`NerResult.skipped_spans`).
"""

from __future__ import annotations

import io
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.training.initialize import init_nlp
from spacy.training.loop import DIR_MODEL_BEST, DIR_MODEL_LAST
from spacy.training.loop import train as spacy_train
from spacy.util import filter_spans, registry
from thinc.api import Config

from newsmark.domain.errors import ModelError
from newsmark.domain.training import CancelCheck, GoldDoc, ProgressCallback, TrainProgress
from newsmark.nlp.model import TRAINED_META

log = logging.getLogger(__name__)

STAGE = "ner"
LOGGER_NAME = "newsmark.train_progress.v1"
LOOKUPS_NAME = "newsmark.base_lookups.v1"
# Components never sourced into a training pipeline: Newsmark's own, added at load time.
NOT_SOURCED = ("newsmark_quotes",)


@dataclass
class NerResult:
    """What an entity training left: `pipeline` is model-best (None when it stopped before
    its first evaluation), scores are of that pipeline and of the base on the same dev."""

    pipeline: Path | None
    scores: dict[str, Any] = field(default_factory=dict)
    base_scores: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    steps: int = 0
    cancelled: bool = False
    timed_out: bool = False
    skipped_spans: int = 0
    labels_added: tuple[str, ...] = ()


class _Stop(Exception):
    """Raised from the progress logger to end spaCy's loop (it saves model-last first)."""


@dataclass
class _Watch:
    progress: ProgressCallback
    cancelled: CancelCheck
    deadline: float | None
    started: float
    best: float = 0.0
    steps: int = 0
    timed_out: bool = False
    stopped: bool = False


_bases: dict[str, Language] = {}  # base pipelines this process loaded, by source
_active = threading.local()  # the run in this thread, read by the registered logger


@registry.loggers(LOGGER_NAME)
def _progress_logger() -> Callable[..., Any]:
    """spaCy's logger slot: reports each evaluation, and stops the loop on cancel/time."""

    def setup(
        nlp: Language, stdout: Any = None, stderr: Any = None
    ) -> tuple[Callable[[dict[str, Any] | None], None], Callable[[], None]]:
        watch: _Watch = _active.watch

        def log_step(info: dict[str, Any] | None) -> None:
            if info is not None:
                watch.steps = int(info["step"])
                score = float(info["score"] or 0.0)
                watch.best = max(watch.best, score)
                others = info.get("other_scores") or {}
                scores = {
                    k: float(others[k]) for k in ("ents_f", "ents_p", "ents_r") if k in others
                }
                watch.progress(
                    TrainProgress(
                        stage=STAGE,
                        step=watch.steps,
                        epoch=int(info["epoch"]),
                        loss=float(info["losses"].get("ner", 0.0)),
                        scores=scores,
                        best=watch.best,
                        seconds=time.monotonic() - watch.started,
                    )
                )
            if watch.cancelled():
                watch.stopped = True
                raise _Stop("cancelled")
            if watch.deadline is not None and time.monotonic() > watch.deadline:
                watch.timed_out = watch.stopped = True
                raise _Stop("time limit")

        return log_step, lambda: None

    return setup


@registry.misc(LOOKUPS_NAME)
def _base_lookups(source: str) -> Lookups:
    """The base pipeline's own lookup tables (lexeme_norm): what its tok2vec was trained
    with, and not something to fetch from spacy-lookups-data (not installed)."""
    base = _bases.get(source)
    return (base if base is not None else spacy.load(source)).vocab.lookups


def make_docs(nlp: Language, gold: Iterable[GoldDoc]) -> tuple[list[Doc], int]:
    """Reference Docs with `doc.ents` from the gold spans; how many spans were skipped."""
    docs: list[Doc] = []
    skipped = 0
    for g in gold:
        doc = nlp.make_doc(g.text)
        spans = []
        for s in g.spans:
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
            if span is None:
                skipped += 1
            else:
                spans.append(span)
        kept = filter_spans(spans)
        skipped += len(spans) - len(kept)
        doc.ents = kept  # every other token is gold O: the set is a person's whole answer
        docs.append(doc)
    return docs, skipped


def training_config(
    base: Language, source: str, *, seed: int, max_steps: int, eval_frequency: int
) -> Config:
    """The base pipeline's config with every component sourced from `source`, `ner`
    trained and the rest frozen, the corpora read from ${paths.train}/${paths.dev}."""
    config = base.config.copy()
    pipeline = [p for p in config["nlp"]["pipeline"] if p not in NOT_SOURCED]
    config["nlp"]["pipeline"] = pipeline
    config["nlp"]["disabled"] = [p for p in config["nlp"].get("disabled", []) if p in pipeline]
    config["components"] = {name: {"source": source} for name in pipeline}
    reader = {"@readers": "spacy.Corpus.v1", "gold_preproc": False, "max_length": 0}
    config["corpora"] = {
        "train": {**reader, "path": "${paths.train}", "limit": 0, "augmenter": None},
        "dev": {**reader, "path": "${paths.dev}", "limit": 0, "augmenter": None},
    }
    training = dict(config["training"])
    training.update(
        {
            "seed": seed,
            "gpu_allocator": None,
            "frozen_components": [p for p in pipeline if p != "ner"],
            "annotating_components": [],
            "max_epochs": 0,
            "max_steps": max_steps,
            "eval_frequency": eval_frequency,
            "patience": max(4 * eval_frequency, 400),
            "dropout": 0.2,
            "logger": {"@loggers": LOGGER_NAME},
            "batcher": {
                "@batchers": "spacy.batch_by_words.v1",
                "discard_oversize": False,
                "tolerance": 0.2,
                "get_length": None,
                "size": {
                    "@schedules": "compounding.v1",
                    "start": 100,
                    "stop": 1000,
                    "compound": 1.001,
                    "t": 0.0,
                },
            },
            # The frozen components' scores do not move: only ents_f picks model-best.
            "score_weights": {
                **{k: None for k in config["training"].get("score_weights", {})},
                "ents_f": 1.0,
                "ents_p": 0.0,
                "ents_r": 0.0,
            },
        }
    )
    config["training"] = training
    config["system"] = {"seed": seed, "gpu_allocator": None}
    initialize = dict(config["initialize"])
    initialize["lookups"] = {"@misc": LOOKUPS_NAME, "source": source}
    config["initialize"] = initialize
    return Config(config)


def evaluate(nlp: Language, docs: Sequence[Doc]) -> dict[str, Any]:
    """ents_p/r/f and per-label p/r/f of `nlp` on the reference `docs`."""
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p in NOT_SOURCED]):
        found = nlp.evaluate(examples)
    per = found.get("ents_per_type") or {}
    return {
        "ents_p": float(found.get("ents_p") or 0.0),
        "ents_r": float(found.get("ents_r") or 0.0),
        "ents_f": float(found.get("ents_f") or 0.0),
        "per_label": {
            label: {k: round(float(v), 4) for k, v in s.items()} for label, s in sorted(per.items())
        },
    }


def publish(pipeline: Path, dest: Path, name: str, version: str, meta: dict[str, Any]) -> None:
    """Write the trained `pipeline` to `dest` with its registered name and version in
    meta.json (what provenance records) and the training's record under TRAINED_META."""
    nlp = spacy.load(pipeline)
    nlp.meta["name"] = name
    nlp.meta["version"] = version
    nlp.meta[TRAINED_META] = meta
    nlp.to_disk(dest)


def train_ner(
    base: str,
    train: Sequence[GoldDoc],
    dev: Sequence[GoldDoc],
    out_dir: Path,
    *,
    max_minutes: float | None = None,
    seed: int = 0,
    max_steps: int = 2000,
    eval_frequency: int = 100,
    progress: ProgressCallback = lambda _p: None,
    cancelled: CancelCheck = lambda: False,
) -> NerResult:
    """Train `ner` of the pipeline `base` (package name or directory) on `train`, scored
    on `dev`; out_dir gets the corpora, model-last and model-best.

    Cancel and --max-minutes end the loop after the step in hand; model-best (the best
    evaluation so far) is what is kept. Labels the base does not know are added.
    """
    started = time.monotonic()
    try:
        base_nlp = spacy.load(base)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"base model {base!r} could not be loaded: {exc}") from exc
    _bases[base] = base_nlp
    if "ner" not in base_nlp.pipe_names:
        raise ModelError(f"base model {base!r} has no `ner` to start from")
    train_docs, skipped_train = make_docs(base_nlp, train)
    dev_docs, skipped_dev = make_docs(base_nlp, dev)
    corpus = out_dir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    DocBin(docs=train_docs, store_user_data=False).to_disk(corpus / "train.spacy")
    DocBin(docs=dev_docs, store_user_data=False).to_disk(corpus / "dev.spacy")
    config = training_config(
        base_nlp, base, seed=seed, max_steps=max_steps, eval_frequency=eval_frequency
    )
    config["paths"]["train"] = str(corpus / "train.spacy")
    config["paths"]["dev"] = str(corpus / "dev.spacy")
    nlp = init_nlp(config)
    ner = nlp.get_pipe("ner")
    known = set(ner.labels)  # type: ignore[attr-defined]
    wanted = sorted({e.label_ for d in train_docs for e in d.ents} - known)
    for label in wanted:
        ner.add_label(label)  # type: ignore[attr-defined]
    if cancelled():  # before the loop: nothing trained, nothing to keep
        _bases.pop(base, None)
        return NerResult(pipeline=None, cancelled=True, seconds=time.monotonic() - started)
    deadline = started + max_minutes * 60 if max_minutes else None
    watch = _Watch(progress, cancelled, deadline, started)
    _active.watch = watch
    quiet = io.StringIO()
    try:
        spacy_train(nlp, out_dir, stdout=quiet, stderr=quiet)
    except _Stop:
        log.info(
            "training stopped (%s) after step %d",
            "time" if watch.timed_out else "cancel",
            watch.steps,
        )
    finally:
        _active.watch = None
    best = out_dir / DIR_MODEL_BEST
    result = NerResult(
        pipeline=best if best.is_dir() else None,
        steps=watch.steps,
        cancelled=watch.stopped and not watch.timed_out,
        timed_out=watch.timed_out,
        skipped_spans=skipped_train + skipped_dev,
        labels_added=tuple(wanted),
    )
    if result.pipeline is not None:
        result.scores = evaluate(spacy.load(result.pipeline), dev_docs)
        result.base_scores = evaluate(base_nlp, dev_docs)
    shutil.rmtree(out_dir / DIR_MODEL_LAST, ignore_errors=True)
    _bases.pop(base, None)  # the run's copy of the base goes with it
    result.seconds = time.monotonic() - started
    return result
