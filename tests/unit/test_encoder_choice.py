"""Encoder settings, the manifest check between backends, the vector cache, the Ray flag and the
IVF-PQ kind for 10M+ passages: no model needed."""

from __future__ import annotations

import builtins
import sys
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest

from assistant.cli.index import ray_flag_args
from assistant.core.settings import Settings
from assistant.store.index import staleness
from assistant.store.vector_cache import VectorCache, encode_cached
from assistant.store.vectors import choose_index_type, index_kind, make_vector_index

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.scaling import recall_vs, synthetic


def test_default_backend_is_fp32_onnx_and_int8_is_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMNM_EMBED_BACKEND", raising=False)
    assert Settings().embed.backend == "onnx"
    monkeypatch.setenv("IMNM_EMBED_BACKEND", "onnx-int8")
    assert Settings().embed.backend == "onnx-int8"
    monkeypatch.setenv("IMNM_EMBED_BACKEND", "tensorflow")
    with pytest.raises(ValueError, match="backend"):
        Settings()


def test_an_index_of_another_backend_is_refused_with_its_reason() -> None:
    expected = {"format_version": 1, "model": "m", "chunking": {}, "corpus_hash": "h",
                "domain": "d", "encoder": "onnx"}
    assert staleness(expected, expected) is None
    why = staleness(expected | {"encoder": "onnx-int8"}, expected)
    assert why is not None and "onnx-int8 encoder" in why and "IMNM_EMBED_BACKEND" in why
    # Indexes from before the encoder was recorded were built with sentence-transformers.
    old = {k: v for k, v in expected.items() if k != "encoder"}
    assert "torch encoder" in str(staleness(old, expected))
    assert staleness(old, expected | {"encoder": "torch"}) is None


def test_vector_cache_encodes_only_what_it_has_not_seen(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path, "onnx", 4)
    asked: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return np.array([[len(t), 1, 2, 3] for t in texts], dtype=np.float32)

    first, n = encode_cached(["a", "bb", "a"], encode, cache, 4)
    assert n == 3 and first[:, 0].tolist() == [1, 2, 1]
    again, n = encode_cached(["ccc", "bb", "a"], encode, cache, 4)
    assert n == 1 and asked[-1] == ["ccc"]
    assert again[:, 0].tolist() == [3, 2, 1]
    # Another backend has a cache of its own.
    _, n = encode_cached(["a"], encode, VectorCache(tmp_path, "torch", 4), 4)
    assert n == 1


def test_unwritable_vector_cache_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    notes: list[str] = []
    out, n = encode_cached(["a"], lambda t: np.ones((len(t), 4), np.float32),
                           VectorCache(blocker, "onnx", 4), 4, notes.append)
    assert n == 1 and out.shape == (1, 4) and "vector cache" in notes[0]


def test_bare_ray_flag_means_local_ray() -> None:
    assert ray_flag_args(["index", "--ray"]) == ["index", "--ray=local"]
    assert ray_flag_args(["index", "--ray", "--corpus", "c"]) == ["index", "--ray=local",
                                                                 "--corpus", "c"]
    assert ray_flag_args(["index", "--ray", "ray://h:10001"]) == ["index", "--ray",
                                                                  "ray://h:10001"]


def test_missing_ray_extra_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.store.ray_build import RayMissing, import_ray

    real = builtins.__import__

    def no_ray(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ray" or name.startswith("ray."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(RayMissing) as caught:
        import_ray()
    assert "pip install 'imnm[ray]'" in str(caught.value) and "\n" not in str(caught.value)


def test_ten_million_passages_get_ivf_pq() -> None:
    assert choose_index_type(9_999_999) == "ivf"
    assert choose_index_type(10_000_000) == "ivfpq"


def test_ivf_pq_index_keeps_most_neighbours_in_a_tenth_of_the_memory() -> None:
    vectors, queries = synthetic(4_000, 100, seed=2)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    _, truth = flat.search(queries, 10)
    index = make_vector_index(vectors, "ivfpq")
    index = faiss.deserialize_index(faiss.serialize_index(index))  # settings travel with it
    assert index_kind(index) == "ivfpq" and index.ntotal == len(vectors)
    _, found = index.search(queries, 10)
    # (on these hard synthetic clusters; bench/REPORT.md has it at 1M)
    assert recall_vs(found, truth) >= 0.75
    # Bytes a vector: PQ codes plus 8-bit codes for re-ranking, against 4 x 384 floats.
    per_vector = sum(faiss.downcast_index(i).code_size
                     for i in (index.base_index, index.refine_index))
    assert per_vector == 48 + 384 < 0.3 * 4 * vectors.shape[1]


def test_ray_address_that_nothing_answers_at_fails_at_once() -> None:
    import socket

    from assistant.core.errors import ImnmError
    from assistant.store.ray_build import check_reachable

    with socket.socket() as s:  # a loopback port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ImnmError, match=f"no Ray cluster answers at 127.0.0.1:{port}"):
        check_reachable(f"127.0.0.1:{port}", timeout=2)
    check_reachable("auto")  # left to Ray
