"""Stage 3: embeddings with all-MiniLM-L6-v2, through the backend the settings name.

The :class:`Embedder` holds two encoders, each loaded on first use: the batch encoder of the
configured backend (index builds) and the question encoder, the fastest one that gives the same
vectors (onnxruntime when its export is cached, else the numpy pass; never torch, whose import is
most of a cold start). With ``onnx-int8`` questions go through the int8 model too: an index is
searched with vectors of its own kind.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.core.errors import ModelError
from assistant.core.settings import EmbedSettings, Settings
from assistant.store.encoders import Encoder, make_encoder
from assistant.store.model import DIM, MODEL_NAME, model_id, model_path, offline

__all__ = ["DIM", "MODEL_NAME", "Embedder", "model_id", "model_path", "shared_embedder"]


class Embedder:
    """Encodes texts to L2-normalised float32 vectors with one backend; models load on first use."""

    name = MODEL_NAME
    dim = DIM

    def __init__(
        self,
        settings: EmbedSettings | None = None,
        cache_dir: Path | None = None,
        fast_queries: bool = True,
    ) -> None:
        self.settings = settings or EmbedSettings()
        self.cache_dir = cache_dir or Settings().cache_dir
        self.fast_queries = fast_queries
        self._batch: Encoder | None = None
        self._query: Encoder | None = None
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        """The backend of index vectors: recorded in the manifest, checked on load."""
        return self.settings.backend

    @property
    def batch_size(self) -> int:
        return self.settings.batch_size

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._batch is None:
                self._batch = make_encoder(self.backend, self.cache_dir, self.settings.threads)
            return self._batch

    @property
    def query_encoder(self) -> Encoder:
        with self._lock:
            if self._query is None:
                self._query = self._make_query_encoder()
            return self._query

    def _make_query_encoder(self) -> Encoder:
        choice = self.settings.query if self.fast_queries else "backend"
        if self.backend == "onnx-int8" or choice == "backend":
            return self._batch or make_encoder(self.backend, self.cache_dir, 1)
        if choice == "auto":
            from assistant.store.encoders.export import model_file, verified

            # One question is a dozen tokens: one thread, and no export made on the question path.
            if verified(model_file(self.cache_dir)):
                try:
                    return make_encoder("onnx", self.cache_dir, 1)
                except ModelError:
                    pass
        return make_encoder("numpy", self.cache_dir)

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoder = self.encoder
        if hasattr(encoder, "show_progress"):
            setattr(encoder, "show_progress", show_progress)  # noqa: B010 (torch only)
        return encoder.encode(texts, self.batch_size)

    def encode_one(self, text: str) -> np.ndarray:
        return self.query_encoder.encode([text])[0]

    def similarity(self, cache_size: int = 4096) -> TextSimilarity:
        """Cosine of two texts' vectors: the citation checker's paraphrase test, used alike by
        ``imnm eval`` and the LLM check."""
        return TextSimilarity(self.query_encoder.encode, cache_size)


class TextSimilarity:
    """Cosine of two texts' vectors, each text encoded once (passage sentences come back
    question after question): called as ``(a, b)``; ``best`` encodes the texts it has not seen
    in one batch, as one call costs about what one text does."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], cache_size: int = 4096) -> None:
        self._encode = encode
        self._size = cache_size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: list[str]) -> list[np.ndarray]:
        with self._lock:  # one chat's texts at a time: the encoder is busy anyway
            new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
            found = dict(zip(new, self._encode(new), strict=True)) if new else {}
            out = []
            for t in texts:
                if t in found:
                    self._vectors[t] = found[t]
                else:
                    self._vectors.move_to_end(t)
                out.append(self._vectors[t])
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
            return out

    def __call__(self, a: str, b: str) -> float:
        va, vb = self.vectors([a, b])
        return float(va @ vb)

    def best(self, probe: str, others: list[str]) -> float:
        """The highest cosine of ``probe`` with any of ``others`` (0.0 with none)."""
        if not others:
            return 0.0
        first, *rest = self.vectors([probe, *others])
        return max(float(first @ v) for v in rest)


_shared: dict[tuple[str, str], Embedder] = {}


def shared_embedder(settings: Settings | None = None) -> Embedder:
    """One embedder per process and backend: loading a model is the cold-start cost."""
    offline()
    settings = settings or Settings()
    key = (settings.embed.model_dump_json(), str(settings.cache_dir))
    if key not in _shared:
        _shared[key] = Embedder(settings.embed, settings.cache_dir)
    return _shared[key]
