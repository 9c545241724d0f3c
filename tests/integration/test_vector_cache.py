"""Vectors cached by text hash never change answers: a rebuild after an edit re-embeds only the
changed texts and gives the vectors, passages and answers of a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.store.embed import Embedder
from assistant.store.index import ensure_index

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "What is the first-line treatment for IMNM?",
    "Which antibodies are associated with IMNM?",
    "How is IMNM diagnosed?",
    "What is the prognosis of anti-SRP myopathy?",
]


def settings_for(corpus: Path, index: Path, cache: Path, use_cache: bool) -> Settings:
    settings = Settings(corpus=corpus, index=index, cache_dir=cache)
    settings.embed.vector_cache = use_cache
    return settings


def test_rebuild_after_an_edit_equals_a_clean_build(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("imnm.md",):
        shutil.copy(REPO / "corpus" / name, corpus / name)
    (corpus / "notes.md").write_text(
        "# Notes\n\nAnti-HMGCR myopathy may follow statin exposure.\n\n"
        "Creatine kinase is usually above 10,000 IU/L.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cached = settings_for(corpus, tmp_path / "cached", cache, True)
    embedder = Embedder(cached.embed, cache)
    ensure_index(cached, embedder)

    # One file edited: a sentence changed, one added.
    (corpus / "notes.md").write_text(
        "# Notes\n\nAnti-HMGCR myopathy often follows statin exposure.\n\n"
        "Creatine kinase is usually above 10,000 IU/L.\n\nIVIG helps refractory disease.\n",
        encoding="utf-8")
    messages: list[str] = []
    rebuilt = ensure_index(cached, embedder, notify=messages.append)
    reused = [m for m in messages if "from the cache" in m]
    assert reused, messages
    total = len(dict.fromkeys(
        [t for c in rebuilt.chunks for t in c.sentences]
        + [c.text for c in rebuilt.chunks]))
    assert int(reused[0].split()[0]) >= total - 8  # only the edited file's texts were embedded

    clean_settings = settings_for(corpus, tmp_path / "clean", tmp_path / "nocache", False)
    clean = ensure_index(clean_settings, Embedder(clean_settings.embed, tmp_path / "nocache"))
    assert [c.model_dump() for c in rebuilt.chunks] == [c.model_dump() for c in clean.chunks]
    assert rebuilt.manifest["corpus_hash"] == clean.manifest["corpus_hash"]
    a = rebuilt.vectors.reconstruct_n(0, rebuilt.vectors.ntotal)
    b = clean.vectors.reconstruct_n(0, clean.vectors.ntotal)
    np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(rebuilt.sentence_vectors, clean.sentence_vectors, atol=1e-5)

    # The same answers, word for word, with the same citations.
    one = Assistant(cached, embedder=embedder, rebuild=False)
    two = Assistant(clean_settings, embedder=embedder, rebuild=False)
    for q in QUESTIONS:
        x, y = one.ask(q), two.ask(q)
        assert (x.answer, x.abstained, x.citations) == (y.answer, y.abstained, y.citations), q
        assert [h.chunk.chunk_id for h in x.retrieved] == [h.chunk.chunk_id for h in y.retrieved]
