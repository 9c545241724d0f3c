"""Typed settings; every field can be set from the environment with the prefix ``IMNM_``."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO_ROOT / "corpus"
DEFAULT_INDEX = REPO_ROOT / "index"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imnm"


class Settings(BaseSettings):
    """What a run can be told: corpus, index, retrieval and answer knobs, the optional LLM."""

    model_config = SettingsConfigDict(env_prefix="IMNM_", extra="ignore")

    corpus: Path = DEFAULT_CORPUS
    # None: the committed index/ for the default corpus, a per-corpus cache folder otherwise.
    index: Path | None = None
    cache_dir: Path = Field(default_factory=_default_cache)
    data_dir: Path = REPO_ROOT / "data"

    # Retrieval.
    k: int = Field(default=5, ge=1, le=100)
    rrf_k: int = 60
    dense_weight: float = 1.0
    sparse_weight: float = 1.0

    # Chunking.
    chunk_max_chars: int = Field(default=800, ge=100)

    # Answers.
    max_question_chars: int = Field(default=1000, ge=10)
    answer_max_words: int = 60
    # A question whose best sentence scores below this is declined as off-topic.
    min_evidence: float = 0.3

    # Optional LLM over an OpenAI-compatible endpoint.
    llm_base_url: str | None = None
    llm_model: str | None = None
    # Secrets stay out of repr(): settings may end up in a log or an error message.
    llm_api_key: str | None = Field(default=None, repr=False)
    # Seconds the endpoint may stay silent (per read, so a streamed answer may take longer).
    llm_timeout: float = Field(default=30.0, gt=0)
    llm_max_retries: int = Field(default=1, ge=0, le=5)

    # Chat app.
    auth: str | None = Field(default=None, repr=False)  # user:password

    @model_validator(mode="after")
    def _openai_key_fallback(self) -> Settings:
        # The usual variable of OpenAI clients, read when IMNM_LLM_API_KEY is not set.
        if not self.llm_api_key and os.environ.get("OPENAI_API_KEY"):
            self.llm_api_key = os.environ["OPENAI_API_KEY"]
        return self

    def index_dir(self) -> Path:
        """Where the index of ``self.corpus`` lives."""
        if self.index is not None:
            return self.index
        if self.corpus.resolve() == DEFAULT_CORPUS.resolve():
            return DEFAULT_INDEX
        import hashlib

        tag = hashlib.sha256(str(self.corpus.resolve()).encode()).hexdigest()[:16]
        return self.cache_dir / "indexes" / f"{self.corpus.resolve().name}-{tag}"
