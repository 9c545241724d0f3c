"""A word the corpus lacks is read through its nearest corpus words, above a threshold only."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from assistant.store.embed import Embedder
from assistant.store.neighbours import Neighbours, content_words

# Made-up vectors: "malignancy" lies near "cancer", "outlook" near nothing.
VECTORS = {
    "cancer": [1.0, 0.0, 0.0],
    "children": [0.0, 1.0, 0.0],
    "treatment": [0.0, 0.0, 1.0],
    "malignancy": [0.9, 0.1, 0.0],
    "outlook": [0.5, 0.5, 0.5],
    "prednisolone": [0.0, 0.6, 0.8],
    "prednisone": [0.0, 0.55, 0.83],
    "atorvastatin": [0.0, 0.0, -1.0],
    "simvastatin": [0.0, 0.55, -0.83],
}


class FakeEmbedder:
    dim = 3

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def _vec(self, text: str) -> np.ndarray:
        v = np.array(VECTORS[text], dtype=np.float32)
        return v / np.linalg.norm(v)

    def encode(self, texts: list[str], *_: object) -> np.ndarray:
        self.encoded += texts
        return np.stack([self._vec(t) for t in texts])

    @property
    def query_encoder(self) -> FakeEmbedder:
        return self


def make(min_similarity: float = 0.7) -> tuple[Neighbours, FakeEmbedder]:
    fake = FakeEmbedder()
    texts = ["Cancer in children.", "The treatment of it.", "Prednisolone or atorvastatin."]
    return Neighbours(texts, cast(Any, fake), None, min_similarity), fake


def test_content_words_drop_function_words() -> None:
    assert content_words(["The treatment of cancer in it."]) == ["cancer", "treatment"]


def test_near_finds_a_close_corpus_word_only() -> None:
    near, fake = make()
    assert fake.encoded == []  # nothing is embedded until a word needs it
    assert [w for w, _ in near.near("malignancy")] == ["cancer"]
    assert near.near("outlook") == []
    assert near.near("Cancer") == []  # the corpus's own word needs no stand-in


def test_embedder_protocol_is_what_neighbours_use() -> None:
    # The real Embedder has the three members the fake stands in for.
    assert all(hasattr(Embedder, name) for name in ("encode", "query_encoder", "dim"))


def test_a_drug_stands_for_another_only_when_all_but_identical() -> None:
    near, _ = make()
    assert [w for w, _ in near.near("prednisone")] == ["prednisolone"]  # cosine 0.99
    assert near.near("simvastatin") == []  # cosine 0.83: another drug
