"""Search latency, memory and recall of the index type the library picks, at 10k..1M vectors.

The vectors are synthetic but shaped like text embeddings: unit vectors in clusters (topics), and
queries near stored vectors. Uniform random vectors would have no neighbourhoods to find, and
approximate indexes would look worse than they are on real text.
"""

from __future__ import annotations

import gc
import time
from typing import Any

import faiss
import numpy as np

from assistant.store.vectors import choose_index_type, make_vector_index

DIM = 384
K = 10


def synthetic(n: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_topics = max(10, n // 500)
    centers = rng.standard_normal((n_topics, DIM), dtype=np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    vectors = np.empty((n, DIM), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        labels = rng.integers(0, n_topics, m)
        noise = rng.standard_normal((m, DIM), dtype=np.float32) / np.sqrt(DIM, dtype=np.float32)
        block = centers[labels] + noise
        vectors[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    picks = rng.choice(n, n_queries, replace=False)
    queries = vectors[picks] + 0.5 * rng.standard_normal((n_queries, DIM), dtype=np.float32) / (
        np.sqrt(DIM, dtype=np.float32)
    )
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return vectors, queries


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def percentile_ms(samples: list[float], q: float) -> float:
    return round(float(np.percentile(np.array(samples) * 1e3, q)), 3)


def single_query_latency(index: faiss.Index, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    """One query a call, as a chat user sends them."""
    times: list[float] = []
    found = np.empty((len(queries), K), dtype=np.int64)
    for i, q in enumerate(queries):
        t = time.perf_counter()
        _, ids = index.search(q.reshape(1, -1), K)
        times.append(time.perf_counter() - t)
        found[i] = ids[0]
    return times, found


def recall_vs(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f) & set(t)) for f, t in zip(found, truth, strict=True))
    return round(hits / truth.size, 4)


def measure(n: int, n_queries: int = 200, kind: str | None = None) -> dict[str, Any]:
    """One size; ``kind`` forces an index kind (IVF-PQ, chosen from 10M, is measured at 1M)."""
    vectors, queries = synthetic(n, n_queries, seed=n)
    kind = kind or choose_index_type(n)
    flat = faiss.IndexFlatIP(DIM)
    flat.add(vectors)
    flat_times, truth = single_query_latency(flat, queries)
    del flat
    gc.collect()
    before = rss_bytes()
    t = time.perf_counter()
    index = make_vector_index(vectors, kind) if kind != "flat" else None
    build_s = time.perf_counter() - t
    row: dict[str, Any] = {
        "n": n,
        "index_type": kind,
        "flat_p50_ms": percentile_ms(flat_times, 50),
        "flat_p95_ms": percentile_ms(flat_times, 95),
        "vectors_mb": round(vectors.nbytes / 2**20, 1),
    }
    if index is None:
        row |= {"p50_ms": row["flat_p50_ms"], "p95_ms": row["flat_p95_ms"], "recall_vs_flat": 1.0,
                "build_s": 0.0, "index_mb": row["vectors_mb"]}
        return row
    # The index holds its own copy of the vectors (and the graph or lists): its memory is the
    # process growth while building it.
    index_mb = (rss_bytes() - before) / 2**20
    times, found = single_query_latency(index, queries)
    row |= {
        "p50_ms": percentile_ms(times, 50),
        "p95_ms": percentile_ms(times, 95),
        "recall_vs_flat": recall_vs(found, truth),
        "build_s": round(build_s, 1),
        "index_mb": round(max(index_mb, 0.0), 1),
    }
    return row


def run(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        rows.append(measure(n))
        gc.collect()
    return rows


def ivfpq(n: int) -> dict[str, Any]:
    """The 10M+ kind at a size this machine holds: recall, latency and bytes a vector."""
    row = measure(n, kind="ivfpq")
    row["bytes_per_vector"] = round(row["index_mb"] * 2**20 / n, 1)
    row["projected_10m_gib"] = round(row["bytes_per_vector"] * 10_000_000 / 2**30, 2)
    row["flat_10m_gib"] = round(4 * DIM * 10_000_000 / 2**30, 2)
    return row
