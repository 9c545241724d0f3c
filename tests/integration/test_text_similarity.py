"""The paraphrase test's vectors (store/embed.TextSimilarity): each text encoded once, the texts a
word list has not seen encoded in one batch, with the real model."""

from __future__ import annotations

import numpy as np

from assistant.store.embed import Embedder, TextSimilarity


def test_best_is_the_highest_pairwise_cosine_from_one_batch(embedder: Embedder) -> None:
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return embedder.query_encoder.encode(texts)

    similar = TextSimilarity(encode)
    words = ["children", "imaging", "prednisolone", "weekly"]
    best = similar.best("kids", words)
    assert calls == [["kids", *words]]  # one batch for all five
    pairwise = [float(embedder.encode_one("kids") @ embedder.encode_one(w)) for w in words]
    assert abs(best - max(pairwise)) < 1e-4
    assert max(pairwise) == pairwise[0]  # "children" is the nearest, as the reading relies on
    # Seen texts are not encoded again; a pair is the same cosine as the batch gave.
    assert abs(similar("kids", "children") - pairwise[0]) < 1e-4
    assert len(calls) == 1
    assert similar.best("kids", []) == 0.0


def test_the_cache_keeps_only_the_latest_texts(embedder: Embedder) -> None:
    seen: list[str] = []

    def encode(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return embedder.query_encoder.encode(texts)

    similar = TextSimilarity(encode, cache_size=2)
    similar("a dose", "a rate")
    similar("a dose", "a length")  # "a rate" is now the oldest and goes
    similar("a dose", "a rate")
    assert seen == ["a dose", "a rate", "a length", "a rate"]
