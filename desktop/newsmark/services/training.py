"""Training use case (CLI and window): gold out of the database, checked, split, trained,
written to models/<name>/ under the data dir and registered.

The gold is what `Repository.gold_docs` gives: sets in a status a person decides that a
person touched (storage/gold.py). Entities train with nlp.ner_training; quotes with
nlp.quote_training.train_quotes (its own component, imported when asked for).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from newsmark import __version__, paths
from newsmark.domain.errors import ModelError, UsageError
from newsmark.domain.training import (
    CancelCheck,
    GoldDoc,
    ProgressCallback,
    TrainProgress,
    gold_hash,
)
from newsmark.services.models import resolve
from newsmark.services.progress import Cancelled
from newsmark.storage import Repository
from newsmark.storage.model_registry import TrainedModel

log = logging.getLogger(__name__)

# Statuses whose sets a person decided on: accepted gold, or work in progress on request.
GOLD_STATUSES = ("accepted", "in_progress")
NER_STEPS = (2000, 100)  # entity training's default steps and steps between evaluations
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class TrainOptions:
    """What `newsmark train` and the Train dialog ask for. Neither `ner` nor `quotes`:
    whatever the gold has (entities when it has spans, quotes when it has quotes)."""

    ner: bool = False
    quotes: bool = False
    status: str = "accepted"
    annotator: str | None = None
    base: str | None = None
    eval_split: float = 0.2
    eval_from: str | None = None  # "STATUS" or "STATUS/ANNOTATOR": dev comes from there
    max_minutes: float | None = None
    seed: int = 0
    name: str | None = None
    # Steps and steps between evaluations for every stage (None: each stage's default,
    # NER_STEPS for entities, the quote trainer's own); small runs (tests) set them.
    max_steps: int | None = None
    eval_frequency: int | None = None


@dataclass
class TrainOutcome:
    model: TrainedModel
    cancelled: bool = False
    timed_out: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GoldSplit:
    train: tuple[GoldDoc, ...]
    dev: tuple[GoldDoc, ...]
    described: str  # "20% split, seed 0" or "dev from accepted/bob"


def parse_eval_from(text: str) -> tuple[str, str | None]:
    """ "accepted/bob" -> ("accepted", "bob"); "accepted" -> ("accepted", None)."""
    status, _, annotator = text.partition("/")
    status = status.strip()
    if status not in GOLD_STATUSES:
        raise UsageError(
            f"--eval-from {text!r}: the status must be one of {', '.join(GOLD_STATUSES)} "
            "(STATUS or STATUS/ANNOTATOR)"
        )
    return status, annotator.strip() or None


def _fraction(doc: GoldDoc, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}:{doc.key}".encode()).hexdigest()
    return int(digest[:13], 16) / 16**13


def split_gold(docs: Sequence[GoldDoc], eval_split: float, seed: int) -> GoldSplit:
    """Deterministic by document key and seed: the same gold and seed give the same
    split, and a document added later does not move the others."""
    if not 0.0 < eval_split < 1.0:
        raise UsageError(f"--eval-split {eval_split}: give a share between 0 and 1, e.g. 0.2")
    if len(docs) < 2:
        raise UsageError(
            f"only {len(docs)} gold document(s): training needs at least 2 (one to train "
            "on, one to evaluate)"
        )
    ranked = sorted(docs, key=lambda d: (_fraction(d, seed), d.key))
    n_dev = sum(1 for d in ranked if _fraction(d, seed) < eval_split)
    n_dev = min(max(n_dev, 1), len(ranked) - 1)  # at least one on each side
    return GoldSplit(
        tuple(ranked[n_dev:]), tuple(ranked[:n_dev]), f"{eval_split:g} split, seed {seed}"
    )


def check_limits(options: TrainOptions) -> None:
    """Steps, steps between evaluations and minutes are above 0: a 0 would read as the
    default (`or`) or as no limit."""
    for flag, value in (
        ("--max-steps", options.max_steps),
        ("--eval-frequency", options.eval_frequency),
        ("--max-minutes", options.max_minutes),
    ):
        if value is not None and value <= 0:
            raise UsageError(f"{flag} {value}: give a number above 0")


def gold_split(repo: Repository, options: TrainOptions) -> GoldSplit:
    """The training and dev gold for `options`, or a UsageError saying why there is none."""
    if options.status not in GOLD_STATUSES:
        raise UsageError(
            f"--status {options.status!r}: training reads gold a person decided on "
            f"({', '.join(GOLD_STATUSES)}); sets in other statuses are model output or "
            "rejected"
        )
    if options.annotator is not None and not repo.annotator_known(options.annotator):
        raise UsageError(f"unknown annotator {options.annotator!r}: no annotation set is theirs")
    docs = repo.gold_docs(options.status, options.annotator)
    if not docs:
        by = f" by {options.annotator}" if options.annotator else ""
        left = repo.untouched_sets(options.status, options.annotator)
        why = f" ({left} such set(s) hold only model output nobody edited)" if left else ""
        have: dict[str, int] = {}
        for (status, who), n in repo.set_counts().items():
            if options.annotator in (None, who):
                have[status] = have.get(status, 0) + n
        there = ", ".join(f"{n} {status}" for status, n in sorted(have.items()))
        hint = f"; the sets there are {there}: accept documents in the window first"
        raise UsageError(
            f"no gold to train on: no {options.status} annotation set{by} a person touched{why}"
            + (hint if there else "")
        )
    if options.eval_from is None:
        return split_gold(docs, options.eval_split, options.seed)
    status, annotator = parse_eval_from(options.eval_from)
    if annotator is not None and not repo.annotator_known(annotator):
        raise UsageError(f"--eval-from: unknown annotator {annotator!r}")
    dev = repo.gold_docs(status, annotator)
    if not dev:
        raise UsageError(f"--eval-from {options.eval_from}: no gold documents there to evaluate on")
    dev_keys = {d.key for d in dev}
    train = tuple(d for d in docs if d.key not in dev_keys)  # never evaluate on training text
    if not train:
        raise UsageError(
            f"--eval-from {options.eval_from}: every gold document is in the dev set; "
            "nothing is left to train on"
        )
    return GoldSplit(train, tuple(dev), f"dev from {options.eval_from}")


def stages(options: TrainOptions, split: GoldSplit) -> tuple[bool, bool]:
    """(train entities, train quotes), refused when the gold has nothing for one asked for."""
    has_spans = any(d.spans for d in split.train)
    has_quotes = any(d.quotes for d in split.train)
    if not options.ner and not options.quotes:
        if not has_spans and not has_quotes:
            raise UsageError("the gold's training documents have no entity spans and no quotes")
        return has_spans, has_quotes
    if options.ner and not has_spans:
        raise UsageError("--ner: the gold's training documents have no entity spans to learn")
    if options.quotes and not has_quotes:
        raise UsageError("--quotes: the gold's training documents have no quotes to learn")
    return options.ner, options.quotes


def quotes_in_dev(options: TrainOptions, which: tuple[bool, bool], split: GoldSplit) -> bool:
    """Whether the quote stage runs: checked before anything trains, since a quote stage
    whose dev documents have no quotes can keep no model (found after the entity stage,
    that cost its run). Refused when --quotes asked for it or nothing else would train;
    otherwise False (the caller says why)."""
    if not which[1] or any(d.quotes for d in split.dev):
        return which[1]
    if options.quotes or not which[0]:
        raise UsageError(
            f"no quotes to evaluate on: the {len(split.dev)} dev document(s) ({split.described})"
            " have none; pick another --seed or --eval-split, or --eval-from gold with quotes"
        )
    return False


def entity_split(split: GoldSplit) -> tuple[GoldSplit, int]:
    """The entity stage's gold: documents with at least one entity span, and how many were
    left out. A set with quotes and no spans (quote gold, e.g. PolNeAR) says nothing of
    entities; read as "no entity here" it would teach the model there are none."""
    train = tuple(d for d in split.train if d.spans)
    dev = tuple(d for d in split.dev if d.spans)
    left_out = len(split.train) + len(split.dev) - len(train) - len(dev)
    return GoldSplit(train, dev, split.described), left_out


def entities_in_dev(options: TrainOptions, which: tuple[bool, bool], split: GoldSplit) -> bool:
    """Whether the entity stage runs: refused before anything trains when its dev
    documents have no entity spans (--ner asked for it, or nothing else would train);
    otherwise False (the caller says why)."""
    if not which[0] or any(d.spans for d in split.dev):
        return which[0]
    if options.ner or not which[1]:
        raise UsageError(
            f"no entity spans to evaluate on: the {len(split.dev)} dev document(s) "
            f"({split.described}) have none; pick another --seed or --eval-split, or "
            "--eval-from gold with entities"
        )
    return False


def check_name(repo: Repository, data_dir: Path, name: str | None) -> str:
    name = name or datetime.now(UTC).strftime("newsmark-%Y%m%d-%H%M%S")
    if not NAME_RE.fullmatch(name):
        raise UsageError(
            f"--name {name!r}: use letters, digits, '.', '_' and '-' (up to 100, "
            "starting with a letter or digit)"
        )
    if repo.trained_model(name) is not None:
        raise UsageError(f"a model named {name!r} is registered already; pick another --name")
    from newsmark.nlp.model import shadows_a_pipeline

    # --model NAME looks in the registry first: a package's name would hide the package.
    if shadows_a_pipeline(name):
        raise UsageError(
            f"--name {name!r} is the name of an installed spaCy package or a default "
            "model; pick another --name"
        )
    if Path(name).exists():
        raise UsageError(
            f"--name {name!r} is an existing path here ({Path(name).resolve()}); "
            "--model would no longer find it; pick another --name"
        )
    if (paths.models_dir(data_dir) / name).exists():
        raise UsageError(f"{paths.models_dir(data_dir) / name} exists already; pick another --name")
    return name


def quote_trainer() -> Any | None:
    """nlp.quote_training.train_quotes (the quote component's trainer, another part of
    issue 14), or None when this build does not have it."""
    try:
        return import_module("newsmark.nlp.quote_training").train_quotes
    except (ImportError, AttributeError):
        return None


def quote_scorer() -> Any | None:
    """nlp.quote_eval.score_pipeline(model_dir, gold) -> flat quote scores, or None."""
    try:
        return import_module("newsmark.nlp.quote_eval").score_pipeline
    except (ImportError, AttributeError):
        return None


def base_source(repo: Repository, base: str | None, configured: str | None) -> tuple[str, str]:
    """(what spaCy sources components from, the name recorded as the base model)."""
    from newsmark.nlp.model import installed_default

    named = base or configured or installed_default()
    return resolve(repo, named) or named, named


def train(
    repo: Repository,
    data_dir: Path,
    options: TrainOptions,
    *,
    configured_model: str | None = None,
    progress: ProgressCallback = lambda _p: None,
    cancelled: CancelCheck = lambda: False,
) -> TrainOutcome:
    """Train, write models/<name>/ and register it. Everything is checked before spaCy
    loads; a cancel once the loop runs keeps the best model so far (spaCy evaluates at
    step 0: registered, meta says cancelled), a cancel before it raises Cancelled and
    leaves nothing."""
    if repo.db.readonly:  # found now, not after the run when registering fails
        raise UsageError(
            "the database is open read-only (another Newsmark is editing it): a trained "
            "model is registered there; close the other one and try again"
        )
    check_limits(options)
    split = gold_split(repo, options)
    do_ner, do_quotes = stages(options, split)
    notes: list[str] = []
    if do_ner and not entities_in_dev(options, (do_ner, do_quotes), split):
        do_ner = False
        notes.append("entities not trained: the dev documents have no entity spans")
    if do_quotes and not quotes_in_dev(options, (do_ner, do_quotes), split):
        do_quotes = False
        notes.append("quotes not trained: the dev documents have none to evaluate on")
    if do_quotes and quote_trainer() is None:
        if options.quotes:
            raise ModelError("quote training is not available in this build (--quotes)")
        do_quotes = False  # not asked for by name: train what can be, and say so
        notes.append("quotes not trained: quote training is not available in this build")
        if not do_ner:
            raise ModelError("the gold has only quotes, and quote training is not available")
    name = check_name(repo, data_dir, options.name)
    source, base_name = base_source(repo, options.base, configured_model)
    started = time.monotonic()
    root = paths.models_dir(data_dir)
    work = root / f".work-{name}"
    dest = root / name
    # A run killed earlier may have left its scratch: this process holds the writer
    # lock (CLI) or is the one window, so no other run is using it.
    shutil.rmtree(work, ignore_errors=True)
    try:
        work.mkdir(parents=True, exist_ok=False)
    except OSError as exc:
        raise UsageError(f"cannot write {work}: {exc.strerror or exc}") from exc
    try:
        return _run(
            repo, options, split, (do_ner, do_quotes), name, (source, base_name), work, dest,
            started, progress, cancelled, notes,
        )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(
    repo: Repository,
    options: TrainOptions,
    split: GoldSplit,
    which: tuple[bool, bool],
    name: str,
    base: tuple[str, str],
    work: Path,
    dest: Path,
    started: float,
    progress: ProgressCallback,
    cancelled: CancelCheck,
    outcome_notes: list[str],
) -> TrainOutcome:
    from newsmark.nlp.ner_training import publish, train_ner

    do_ner, do_quotes = which
    source, base_name = base
    scores: dict[str, Any] = {}
    base_scores: dict[str, Any] = {}
    pipeline: Path | None = None
    stopped = timed_out = False
    meta: dict[str, Any] = {"steps": {}}

    def minutes_left() -> float | None:
        if options.max_minutes is None:
            return None
        return max(options.max_minutes - (time.monotonic() - started) / 60, 0.05)

    if do_ner:
        ner_gold, left_out = entity_split(split)
        if left_out:
            outcome_notes.append(
                f"entities: {left_out} document(s) without entity spans (quote gold) were "
                "left out of the entity stage"
            )
        meta["entity_documents"] = {"train": len(ner_gold.train), "dev": len(ner_gold.dev)}
        ner = train_ner(
            source, ner_gold.train, ner_gold.dev, work / "ner",
            max_minutes=minutes_left(), seed=options.seed,
            max_steps=options.max_steps or NER_STEPS[0],
            eval_frequency=options.eval_frequency or NER_STEPS[1],
            progress=progress, cancelled=cancelled,
        )  # fmt: skip
        if ner.pipeline is None:
            raise Cancelled()  # cancelled before the loop started: no model to keep
        pipeline, stopped, timed_out = ner.pipeline, ner.cancelled, ner.timed_out
        scores["ner"], base_scores["ner"] = ner.scores, ner.base_scores
        meta["steps"]["ner"] = ner.steps
        meta["skipped_spans"] = ner.skipped_spans
        meta["labels_added"] = list(ner.labels_added)
        if ner.skipped_spans:
            outcome_notes.append(
                f"{ner.skipped_spans} span(s) overlapped another once widened to token "
                "edges and were skipped"
            )
    if do_quotes and not (stopped or timed_out):
        train_quotes = quote_trainer()
        assert train_quotes is not None  # checked before anything ran
        quotes_base = str(pipeline) if pipeline is not None else source
        wanted = {"max_steps": options.max_steps, "eval_every": options.eval_frequency}
        accepted = inspect.signature(train_quotes).parameters
        limits = {k: v for k, v in wanted.items() if v is not None and k in accepted}
        result = train_quotes(
            quotes_base, list(split.train), list(split.dev), work / "quotes",
            max_minutes=minutes_left(), seed=options.seed, progress=progress,
            cancelled=cancelled, **limits,
        )  # fmt: skip
        if not getattr(result, "saved", True):
            # Stopped before its first evaluation: only an untrained tagger exists.
            if getattr(result, "timed_out", False):
                raise ModelError(
                    "the time limit ended quote training before its first evaluation: "
                    "nothing to keep; give more --max-minutes"
                )
            raise Cancelled()
        scores["quotes"] = dict(getattr(result, "scores", {}) or {})
        meta["steps"]["quotes"] = int(getattr(result, "best_step", 0) or 0)  # the kept one
        best = work / "quotes" / "model-best"
        pipeline = best if best.is_dir() else work / "quotes"
        stopped = stopped or bool(getattr(result, "cancelled", False)) or cancelled()
        current = quote_scorer()  # the current model's quote scores on the same dev
        if current is not None:
            base_scores["quotes"] = dict(current(source, list(split.dev)))
    assert pipeline is not None
    all_docs = (*split.train, *split.dev)
    digest = gold_hash(all_docs)
    version = f"1.0.0+{digest[:8]}"
    meta.update(
        {
            "gold_hash": digest,
            "documents": {"train": len(split.train), "dev": len(split.dev)},
            "gold": {"status": options.status, "annotator": options.annotator},
            "evaluation": split.described,
            "base_model": base_name,
            "scores": scores,
            "base_scores": base_scores,
            "seconds": round(time.monotonic() - started, 1),
            "seed": options.seed,
            "newsmark_version": __version__,
            "cancelled": stopped,
            "timed_out": timed_out,
        }
    )
    publish(pipeline, dest, name, version, meta)
    try:
        model = repo.register_model(name, str(dest), base_name, version, meta)
    except BaseException:
        # Unregistered files would block the name for good (check_name refuses it).
        shutil.rmtree(dest, ignore_errors=True)
        raise
    progress(
        TrainProgress(
            stage="done", step=sum(meta["steps"].values()), epoch=0, loss=0.0,
            scores=_flat(scores), best=_main_score(scores),
            seconds=meta["seconds"],
        )
    )  # fmt: skip
    return TrainOutcome(model, stopped, timed_out, outcome_notes)


def _main_score(scores: dict[str, Any]) -> float:
    """Entities F1 when entities were trained, else the quotes' F1 over all kinds."""
    if "ner" in scores:
        return float(scores["ner"].get("ents_f", 0.0))
    return float((scores.get("quotes") or {}).get("all_f", 0.0))


def _flat(scores: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for stage in scores.values():
        for key, value in stage.items():
            if isinstance(value, int | float):
                out[key] = float(value)
    return out


def curve_subset(train: Sequence[GoldDoc], fraction: float, seed: int) -> list[GoldDoc]:
    """The first `fraction` of the training gold in a fixed order (by key and seed): each
    share holds the smaller ones, so the learning curve adds documents, never swaps them."""
    ranked = sorted(train, key=lambda d: (_fraction(d, seed + 1), d.key))
    return ranked[: max(1, round(fraction * len(ranked)))]


def score_fraction(
    repo: Repository,
    data_dir: Path,
    fraction: float,
    *,
    configured_model: str | None = None,
    options: TrainOptions | None = None,
    minutes_each: float = 5.0,
    cancelled: CancelCheck = lambda: False,
) -> float:
    """Entities F1 on the dev gold after training on `fraction` of the training gold:
    one point of the dashboard's learning curve. Nothing is registered or kept; a cancel
    stops the run after its step and raises Cancelled (a part-trained score is no point)."""
    import tempfile

    from newsmark.nlp.ner_training import train_ner

    options = options or TrainOptions(ner=True)
    split = gold_split(repo, options)
    stages(TrainOptions(ner=True), split)  # refused when the gold has no spans
    entities_in_dev(TrainOptions(ner=True), (True, False), split)
    split, _left_out = entity_split(split)  # as `train` does: documents with spans only
    source, _named = base_source(repo, options.base, configured_model)
    root = paths.models_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".curve-", dir=root) as tmp:
        result = train_ner(
            source, curve_subset(split.train, fraction, options.seed), split.dev, Path(tmp),
            max_minutes=options.max_minutes or minutes_each, seed=options.seed,
            max_steps=options.max_steps or NER_STEPS[0],
            eval_frequency=options.eval_frequency or NER_STEPS[1], cancelled=cancelled,
        )  # fmt: skip
    if cancelled():
        raise Cancelled()
    return float(result.scores.get("ents_f", 0.0))
