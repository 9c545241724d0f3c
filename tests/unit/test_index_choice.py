"""The vector index kind follows the passage count, and approximate kinds keep recall."""

from __future__ import annotations

import sys
from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.store.vectors import choose_index_type, index_kind, make_vector_index

# bench/ is not an installed package: it runs from the repository (python -m bench.run).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.scaling import recall_vs, synthetic


def test_kind_by_size() -> None:
    assert choose_index_type(21) == "flat"
    assert choose_index_type(50_000) == "flat"
    assert choose_index_type(50_001) == "hnsw"
    assert choose_index_type(2_000_000) == "ivf"
    assert choose_index_type(5_000, flat_max=1_000, hnsw_max=4_000) == "ivf"


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_index_keeps_recall_of_flat(kind: str) -> None:
    vectors, queries = synthetic(20_000, 100, seed=1)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    _, truth = flat.search(queries, 10)
    index = make_vector_index(vectors, kind)
    assert index_kind(index) == kind
    assert index.ntotal == len(vectors)
    # The search settings travel with the index file.
    index = faiss.deserialize_index(faiss.serialize_index(index))
    _, found = index.search(queries, 10)
    assert recall_vs(found, truth) >= 0.95
    # Cosine scores, not distances: the best hit of a stored vector is itself, near 1.
    scores, ids = index.search(vectors[:5], 1)
    assert np.allclose(scores[:, 0], 1.0, atol=1e-4)
    assert list(ids[:, 0]) == [0, 1, 2, 3, 4]
