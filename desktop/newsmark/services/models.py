"""Trained models: resolve a registered name to its pipeline directory, list, delete.

Every place that takes a model (`--model`, the settings, the window's Model menu) goes
through `resolve` before nlp.model.load_model: a registered name becomes its directory;
anything else (a package name, a path, None for the defaults) is passed on unchanged.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from newsmark import paths
from newsmark.domain.errors import ModelError, UsageError

if TYPE_CHECKING:  # the window imports this module: SQLAlchemy and spaCy load on use
    from newsmark.nlp.model import LoadedModel
    from newsmark.storage import Repository
    from newsmark.storage.model_registry import TrainedModel


def resolve(repo: Repository | None, name_or_path: str | None) -> str | None:
    """A registered model's directory for its name; anything else unchanged."""
    if not name_or_path or repo is None:
        return name_or_path
    found = repo.trained_model(name_or_path)
    return found.path if found is not None else name_or_path


def missing(model: TrainedModel) -> bool:
    """Whether a registered model's folder is gone (deleted by hand, a data dir restored
    without it)."""
    return not Path(model.path).is_dir()


def present(repo: Repository | None, name: str | None) -> TrainedModel | None:
    """The registered model `name` (None when it is not one), refused when its folder is
    missing: a moved data dir finds its models (they are stored relative), a deleted
    folder does not."""
    found = repo.trained_model(name) if repo is not None and name else None
    if found is not None and missing(found):
        raise ModelError(
            f"trained model {found.name!r}: its folder {found.path} is missing; restore it, "
            f"or unregister it with `newsmark models delete {found.name}`"
        )
    return found


def load_resolved(repo: Repository | None, name_or_path: str | None) -> LoadedModel:
    """load_model of what `name_or_path` resolves to (spaCy loads here, not on import).

    A registered model that does not load says so, with what to do: no `pip install`
    hint, which is for packages."""
    from newsmark.nlp.model import load_model

    found = present(repo, name_or_path)
    if found is None:
        return load_model(name_or_path)
    try:
        return load_model(found.path)
    except ModelError:
        raise ModelError(
            f"trained model {found.name!r} ({found.path}) could not be loaded as a spaCy "
            f"pipeline; train it again, or `newsmark models delete {found.name}`"
        ) from None


def loader(repo: Repository | None) -> Callable[[str | None], LoadedModel]:
    """The NLP worker's loader: registered names load from their directory."""
    return lambda name: load_resolved(repo, name)


def in_use(model: TrainedModel, configured: str | None) -> bool:
    """Whether `configured` (the settings' model) names or points at `model`."""
    if not configured:
        return False
    if configured == model.name:
        return True
    try:
        return Path(configured).resolve() == Path(model.path).resolve()
    except OSError:
        return False


def list_models(repo: Repository) -> list[TrainedModel]:
    return repo.trained_models()


def delete_model(
    repo: Repository,
    data_dir: Path,
    name: str,
    configured: str | None,
    running: str | None = None,
) -> TrainedModel:
    """Unregister `name` and remove its directory (only inside the data dir's models/).

    Refused for the model in use: the configured one, or `running` (what this command or
    window runs: --model, $NEWSMARK_MODEL, the NLP worker's), which can differ. Switch first.
    """
    found = repo.trained_model(name)
    if found is None:
        raise UsageError(f"no registered model named {name!r} (`newsmark models` lists them)")
    if in_use(found, configured):
        raise UsageError(
            f"model {name!r} is in use (the configured model); choose another one in the "
            "Model menu or Preferences first"
        )
    if in_use(found, running):
        raise UsageError(
            f"model {name!r} is in use (given by --model or $NEWSMARK_MODEL, or loaded in "
            "the window); run with another model first"
        )
    repo.unregister_model(name)
    where = Path(found.path).resolve()
    root = paths.models_dir(data_dir).resolve()
    if where.is_relative_to(root) and where != root:
        shutil.rmtree(where, ignore_errors=True)
    return found


def summary_scores(model: TrainedModel) -> str:
    """ "ents_f 0.842; quotes f 0.71" from the model's meta, for lists and menus."""
    scores = model.meta.get("scores") or {}
    parts = []
    ner = scores.get("ner") or {}
    if "ents_f" in ner:
        parts.append(f"entities F1 {float(ner['ents_f']):.3f}")
    quotes = scores.get("quotes") or {}
    for key in ("f", "quote_f", "all_f"):
        if key in quotes:
            parts.append(f"quotes F1 {float(quotes[key]):.3f}")
            break
    return "; ".join(parts) or "no scores"
