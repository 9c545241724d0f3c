"""Shared fixtures: one real assistant on the committed index, corpora written under tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.store.embed import Embedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    """The real assistant over the committed IMNM index (the model loads once per run)."""
    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings

    return Assistant(Settings(), rebuild=False)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    from assistant.store.embed import shared_embedder

    return shared_embedder()


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No IMNM_* from the caller's environment; caches and data under tmp_path."""
    for key in list(os.environ):
        if key.startswith("IMNM_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("IMNM_DATA_DIR", str(tmp_path / "data"))
    return tmp_path
