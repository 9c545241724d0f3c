"""The FAISS vector index: its kind chosen by size, built with the search settings it keeps.

Exact search stays fast up to ~50k x 384 (0.6 ms a query at 10k, 16 ms at 100k on 2 cores);
above it a graph (HNSW) keeps recall near 1 at sub-millisecond latency (12 s to build 100k);
above ``hnsw_max`` that build (minutes per million) gives way to an inverted file: 8 s for 1M,
2.5 ms a query, recall 0.998 of exact. From ``ivfpq_min`` (10M) the float vectors no longer fit
beside everything else (15.4 GB for 10M): IVF-PQ codes with an 8-bit re-ranking stage, ~450
bytes a vector. bench/REPORT.md has the measurements.
"""

from __future__ import annotations

import faiss
import numpy as np

from assistant.core.settings import VectorSettings


def choose_index_type(
    n: int, flat_max: int | None = None, hnsw_max: int | None = None,
    ivfpq_min: int | None = None,
) -> str:
    """The FAISS index kind for ``n`` vectors: "flat", "hnsw", "ivf" or "ivfpq"."""
    defaults = VectorSettings()
    if n <= (flat_max if flat_max is not None else defaults.flat_max):
        return "flat"
    if n <= (hnsw_max if hnsw_max is not None else defaults.hnsw_max):
        return "hnsw"
    return "ivfpq" if n >= (ivfpq_min if ivfpq_min is not None else defaults.ivfpq_min) else "ivf"


def make_vector_index(
    vectors: np.ndarray,
    kind: str | None = None,
    seed: int = 0,
    settings: VectorSettings | None = None,
) -> faiss.Index:
    """An inner-product index over ``vectors`` (normalised: cosine), of the kind fit for its size.

    Search settings (efSearch, nprobe) are stored in the index file, so a loaded index searches
    as it was measured.
    """
    s = settings or VectorSettings()
    n, dim = vectors.shape
    kind = kind or choose_index_type(n, s.flat_max, s.hnsw_max, s.ivfpq_min)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index: faiss.Index
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, s.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = s.hnsw_ef_construction
        index.hnsw.efSearch = s.hnsw_ef_search
    elif kind == "ivf":
        nlist = max(1, min(int(np.sqrt(n)), n // 40))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        # k-means on a sample: 40 points a list is enough and keeps training to seconds.
        rng = np.random.default_rng(seed)
        sample = vectors[np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))]
        index.train(sample)
        index.nprobe = min(s.ivf_nprobe, nlist)
    elif kind == "ivfpq":
        nlist = max(1, min(int(np.sqrt(n)), n // 40))
        base = faiss.IndexIVFPQ(faiss.IndexFlatIP(dim), dim, nlist, s.pq_m, 8,
                                faiss.METRIC_INNER_PRODUCT)
        base.nprobe = min(s.ivf_nprobe, nlist)
        refine = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit,
                                            faiss.METRIC_INNER_PRODUCT)
        index = faiss.IndexRefine(base, refine)
        index.k_factor = s.pq_refine_factor
        # The PQ codebooks need ~40 points for each of their 256 centroids, whatever nlist is.
        rng = np.random.default_rng(seed)
        size = min(n, max(40 * nlist, 10_240))
        index.train(vectors[np.sort(rng.choice(n, size=size, replace=False))])
    else:
        raise ValueError(f"unknown index type {kind!r}")
    index.add(vectors)
    return index


def index_kind(index: faiss.Index) -> str:
    if isinstance(index, faiss.IndexRefine):
        return "ivfpq"
    if isinstance(index, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(index, faiss.IndexIVF):
        return "ivf"
    return "flat"


