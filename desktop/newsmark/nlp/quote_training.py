"""Trains the quote role tagger with spaCy's own training loop and saves a pipeline that
pre-annotates with it: the base components, the rules, the tagger and the linker."""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as spacy_train
from spacy.util import registry
from thinc.api import Config

from newsmark.domain.errors import InputError, ModelError, UsageError
from newsmark.domain.training import CancelCheck, GoldDoc, ProgressCallback, TrainProgress
from newsmark.nlp.model import QUOTE_PIPE, candidates
from newsmark.nlp.quote_gold import role_doc
from newsmark.nlp.quote_linking import LINKER_PIPE
from newsmark.nlp.quote_tagger import ROLES_KEY

TAGGER_PIPE = "newsmark_quote_tagger"
MAIN_SCORE = f"{ROLES_KEY}_f"


@dataclass(frozen=True, slots=True)
class QuoteTrainResult:
    """What a training run left: dev scores (role tagging and quotes, per kind), its time,
    the epochs it ran and the step of the model it kept."""

    scores: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    epochs: int = 0
    best_step: int = 0
    cancelled: bool = False
    timed_out: bool = False
    # False: stopped (cancel or time) before the first evaluation, so there is no trained
    # model to keep and nothing was written to out_dir.
    saved: bool = True


class _Stop(Exception):
    """Raised inside spaCy's loop to end it (cancelled, or out of time)."""


@dataclass(slots=True)
class _Run:
    """The callbacks of the run in progress (spaCy builds its hooks from the config, by name)."""

    progress: ProgressCallback | None
    cancelled: CancelCheck | None
    deadline: float | None
    started: float
    best: float = 0.0
    best_step: int = 0
    epoch: int = 0
    stopped_by: str = ""


_run: _Run | None = None
_run_lock = threading.Lock()


@registry.callbacks("newsmark.quote_train_stop.v1")
def make_stop_check() -> Callable[[Language, dict[str, Any]], None]:
    def check(nlp: Language, args: dict[str, Any]) -> None:
        run = _run
        if run is None:
            return
        run.epoch = int(args.get("epoch", 0))
        if run.cancelled is not None and run.cancelled():
            run.stopped_by = "cancelled"
            raise _Stop("cancelled")
        if run.deadline is not None and time.monotonic() > run.deadline:
            run.stopped_by = "time"
            raise _Stop("out of time")

    return check


@registry.loggers("newsmark.quote_train_logger.v1")
def make_logger() -> Callable[..., Any]:
    def setup(nlp: Language, stdout: Any = None, stderr: Any = None) -> Any:
        def log_step(info: dict[str, Any] | None) -> None:
            run = _run
            if info is None or run is None:
                return
            score = float(info.get("score") or 0.0)
            if score >= run.best:
                run.best, run.best_step = score, int(info["step"])
            scores = _flat(info.get("other_scores") or {})
            if run.progress is not None:
                run.progress(
                    TrainProgress(
                        stage="quotes",
                        step=int(info["step"]),
                        epoch=int(info["epoch"]),
                        loss=float(sum((info.get("losses") or {}).values())),
                        scores=scores,
                        best=run.best,
                        seconds=time.monotonic() - run.started,
                    )
                )

        return log_step, lambda: None

    return setup


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _flat(scores: dict[str, Any]) -> dict[str, float]:
    """spaCy's scores with the per-role dict spread out: "quote_roles_f", "CONTENT_f"..."""
    out = {k: float(v) for k, v in scores.items() if _number(v)}
    for role, prf in (scores.get(f"{ROLES_KEY}_per_type") or {}).items():
        out.update({f"{role}_{k}": float(v) for k, v in prf.items() if _number(v)})
    return out


def _config(
    base: str, train_path: Path, dev_path: Path, seed: int, steps: int, eval_every: int
) -> Config:
    """spaCy's training config: the tagger alone, trained on the role Docs, with the base's
    tokenizer and vocab (its tok2vec starts from the base's: see `start_from_base`)."""
    text = f"""
[paths]
train = null
dev = null

[system]
seed = {seed}
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["{TAGGER_PIPE}"]
batch_size = 64

[components]

[components.{TAGGER_PIPE}]
factory = "{TAGGER_PIPE}"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
seed = {seed}
gpu_allocator = null
dropout = 0.1
accumulate_gradient = 1
patience = 3000
max_epochs = 0
max_steps = {steps}
eval_frequency = {eval_every}
frozen_components = []
annotating_components = []
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"

[training.before_update]
@callbacks = "newsmark.quote_train_stop.v1"

[training.logger]
@loggers = "newsmark.quote_train_logger.v1"

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
{MAIN_SCORE} = 1.0
{ROLES_KEY}_p = 0.0
{ROLES_KEY}_r = 0.0

[initialize]

[initialize.before_init]
@callbacks = "spacy.copy_from_base_model.v1"
tokenizer = "{base}"
vocab = "{base}"
"""
    return Config().from_str(
        text, overrides={"paths.train": str(train_path), "paths.dev": str(dev_path)}
    )


def start_from_base(nlp: Language, base_nlp: Language) -> bool:
    """Copy the base's tok2vec weights into the tagger's own tok2vec (same architecture in
    en_core_web_sm): training starts from its features instead of from zero. False when
    the base's tok2vec is built otherwise (the tagger then starts from random weights)."""
    if "tok2vec" not in base_nlp.pipe_names:
        return False
    tagger: Any = nlp.get_pipe(TAGGER_PIPE)
    source: Any = base_nlp.get_pipe("tok2vec")
    target = tagger.model.get_ref("tok2vec").layers[0]
    try:
        target.from_bytes(source.model.to_bytes())
    except (ValueError, KeyError):
        return False
    return True


def load_base(base: str | None) -> tuple[Language, str]:
    """The base pipeline and the name or path it loaded from (as load_model resolves it)."""
    errors: list[str] = []
    for name in candidates(base):
        try:
            return spacy.load(name), name
        except (OSError, ImportError, ValueError) as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0] if str(exc) else exc!r}")
    raise ModelError(f"base model could not be loaded ({'; '.join(errors)})")


def _check_gold(train_docs: Sequence[GoldDoc], dev_docs: Sequence[GoldDoc]) -> None:
    if not any(d.quotes for d in train_docs):
        raise UsageError(
            f"no quotes to train on: the {len(train_docs)} training documents have none"
        )
    if not any(d.quotes for d in dev_docs):
        raise UsageError(f"no quotes to evaluate on: the {len(dev_docs)} dev documents have none")


def _write_docbin(nlp: Language, docs: Sequence[GoldDoc], path: Path) -> None:
    db = DocBin(store_user_data=False)
    for gold in docs:
        db.add(role_doc(nlp, gold))
    db.to_disk(path)


def assemble(base_nlp: Language, tagger_from: Language, name: str) -> Language:
    """The base pipeline + the rules + the trained tagger + the linker that combines them."""
    nlp = base_nlp
    if QUOTE_PIPE not in nlp.pipe_names:
        nlp.add_pipe(QUOTE_PIPE, after="ner" if "ner" in nlp.pipe_names else None)
    # Right after tok2vec, before parser and ner: see QuoteTagger.
    nlp.add_pipe(TAGGER_PIPE, source=tagger_from, after="tok2vec")
    nlp.add_pipe(LINKER_PIPE, after=QUOTE_PIPE)
    nlp.meta["name"] = name
    return nlp


def train_quotes(
    base: str,
    train: Sequence[GoldDoc],
    dev: Sequence[GoldDoc],
    out_dir: Path,
    *,
    max_minutes: float | None = None,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    max_steps: int = 20000,
    eval_every: int = 400,
) -> QuoteTrainResult:
    """Train the role tagger on `train`, keep the best on `dev`, save the whole pipeline
    (base + rules + tagger + linker) to `out_dir`, and score it on `dev`.

    Cancel (or `max_minutes`) stops training and keeps the best model so far; stopped
    before the first evaluation, it writes nothing and returns `saved=False`. Raises
    UsageError when the training or dev gold has no quotes, InputError when `out_dir`
    holds anything. `max_steps` and
    `eval_every` (steps between dev evaluations) are for small runs (tests); the defaults
    suit a corpus.
    """
    global _run
    _check_gold(train, dev)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InputError(out_dir, None, "the model folder exists and is not empty")
    started = time.monotonic()
    base_nlp, base_name = load_base(base)
    deadline = started + max_minutes * 60 if max_minutes else None
    run = _Run(progress, cancelled, deadline, started)
    with tempfile.TemporaryDirectory(prefix="newsmark-quotes-") as tmp, _run_lock:
        work = Path(tmp)
        _write_docbin(base_nlp, train, work / "train.spacy")
        _write_docbin(base_nlp, dev, work / "dev.spacy")
        config = _config(
            base_name, work / "train.spacy", work / "dev.spacy", seed, max_steps, eval_every
        )
        nlp = init_nlp(config)
        start_from_base(nlp, base_nlp)
        (work / "out").mkdir()
        _run = run
        try:
            spacy_train(nlp, work / "out", stdout=io.StringIO(), stderr=io.StringIO())
        except _Stop:
            pass
        finally:
            _run = None
        kept = work / "out" / "model-best"
        if not kept.exists() and run.stopped_by:
            # Stopped before the first update was scored: model-last is the untrained
            # initial tagger, which must not pass for a trained model.
            return QuoteTrainResult(
                seconds=time.monotonic() - started,
                cancelled=run.stopped_by == "cancelled",
                timed_out=run.stopped_by == "time",
                saved=False,
            )
        if not kept.exists():
            kept = work / "out" / "model-last"
        trained = spacy.load(kept)
        final = assemble(base_nlp, trained, f"{base_nlp.meta.get('name', 'pipeline')}_quotes")
        # Written beside out_dir, then moved in: a crash leaves no half-written model.
        staged = out_dir.with_name(f".{out_dir.name}.partial")
        shutil.rmtree(staged, ignore_errors=True)
        final.to_disk(staged)
        if out_dir.exists():
            out_dir.rmdir()
        staged.rename(out_dir)
    from newsmark.nlp.quote_eval import score_pipeline

    scores = {MAIN_SCORE: run.best, **score_pipeline(str(out_dir), dev)}
    return QuoteTrainResult(
        scores=scores,
        seconds=time.monotonic() - started,
        epochs=run.epoch,
        best_step=run.best_step,
        cancelled=run.stopped_by == "cancelled",
        timed_out=run.stopped_by == "time",
    )
