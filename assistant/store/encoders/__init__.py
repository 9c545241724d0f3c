"""One interface for the text encoders of all-MiniLM-L6-v2, with a backend per runtime.

- ``torch``: sentence-transformers, the reference.
- ``onnx``: the model exported once from the packaged weights (``torch.onnx.export``), run with
  onnxruntime; its vectors equal the reference's to a cosine of 1 - 1e-6.
- ``onnx-int8``: that export with its MatMul weights quantized to int8: faster, but it moves
  neighbours (bench/REPORT.md), so it is opt-in only.
- ``numpy``: the forward pass in plain numpy (:mod:`assistant.store.minilm`), for questions when
  no export is cached: it needs no torch and no onnxruntime.

Every backend returns L2-normalised float32 rows, one per text, in the order given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.store.model import model_path, offline

BACKENDS = ("onnx", "torch", "onnx-int8")


class Encoder(Protocol):
    backend: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...


def make_encoder(backend: str, cache_dir: Path, threads: int = 0) -> Encoder:
    """The encoder of ``backend``; an ONNX backend exports (and caches) its model when needed."""
    offline()
    path = model_path()
    if backend == "torch":
        from assistant.store.encoders.torch import TorchEncoder

        return TorchEncoder(path, threads)
    if backend in ("onnx", "onnx-int8"):
        from assistant.store.encoders.export import onnx_model
        from assistant.store.encoders.onnx import OnnxEncoder

        return OnnxEncoder(onnx_model(cache_dir, int8=backend == "onnx-int8"), path, threads,
                           backend=backend)
    if backend == "numpy":
        from assistant.store.encoders.numpy import NumpyEncoder

        return NumpyEncoder(path)
    raise ValueError(f"unknown encoder backend {backend!r} (one of {', '.join(BACKENDS)})")

