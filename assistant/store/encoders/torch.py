"""The reference backend: sentence-transformers on torch (CPU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import ModelError
from assistant.store.model import DIM


class TorchEncoder:
    backend = "torch"

    def __init__(self, path: Path, threads: int = 0) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            if threads:
                torch.set_num_threads(threads)
            hf_logging.disable_progress_bar()
            self.model = SentenceTransformer(str(path), device="cpu")
        except ImportError as exc:
            raise ModelError(
                "the torch encoder needs sentence-transformers and torch; run `make install`"
            ) from exc
        except Exception as exc:  # any load failure is one message
            raise ModelError(f"cannot load the embedding model from {path}: {exc}") from exc
        self.dim = DIM
        self.show_progress = False

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors: Any = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=self.show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
