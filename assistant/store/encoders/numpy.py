"""The numpy backend: the question encoder that needs neither torch nor onnxruntime."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.core.errors import ModelError


class NumpyEncoder:
    backend = "numpy"

    def __init__(self, path: Path) -> None:
        try:
            from assistant.store.minilm import NumpyMiniLM

            self.model = NumpyMiniLM(path)
        except Exception as exc:  # any load failure is one message
            raise ModelError(f"cannot load the embedding model from {path}: {exc}") from exc
        self.dim = self.model.dim

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(texts, batch_size=batch_size)
