"""Model resolution: fallbacks, provenance, the quote component, and a clear failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmark.domain.errors import ModelError
from newsmark.nlp.model import FALLBACK_MODELS, INSTALL_HINT, load_model


def test_default_model_is_an_english_fallback_with_quotes() -> None:
    model = load_model()
    assert model.name in FALLBACK_MODELS
    assert model.version.startswith("3.8")
    assert model.provenance == f"{model.name}=={model.version}"
    assert "newsmark_quotes" in model.nlp.pipe_names
    assert model.nlp.pipe_names.index("newsmark_quotes") > model.nlp.pipe_names.index("ner")


def test_loaded_once() -> None:
    assert load_model() is load_model()


def test_unknown_model_names_the_package_to_install() -> None:
    with pytest.raises(ModelError) as info:
        load_model("does-not-exist")
    assert "does-not-exist" in str(info.value)
    assert INSTALL_HINT in str(info.value)


def test_model_from_a_directory(tmp_path: Path) -> None:
    base = load_model(quotes=False)
    target = tmp_path / "pipeline"
    base.nlp.to_disk(target)
    model = load_model(str(target))
    assert [e.label_ for e in model.nlp("Vladimir Putin spoke.").ents] == ["PERSON"]
    assert model.version == base.version
