"""Vectors kept by text hash across rebuilds: an edited corpus re-embeds only what changed.

One SQLite file per model and backend under the cache folder (no pickle: a row is the text's
SHA-256 and the float32 bytes of its vector). A vector comes back exactly as it was stored, so a
rebuild gives the vectors a clean build gives, up to the last bits that batching moves (cosine
1 - 1e-6; tests/integration/test_vector_cache.py checks vectors and answers). A cache that
cannot be written is skipped, never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from assistant.store.model import model_version

LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...)


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).digest()


class VectorCache:
    def __init__(self, cache_dir: Path, backend: str, dim: int) -> None:
        from assistant.store.encoders.export import EXPORT_VERSION
        from assistant.store.minilm import MAX_SEQ_LENGTH

        tag = f"minilm-{model_version()}-{backend}-e{EXPORT_VERSION}-t{MAX_SEQ_LENGTH}-d{dim}"
        self.path = cache_dir / "vectors" / f"{tag}.sqlite"
        self.dim = dim

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=60)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS v (k BLOB PRIMARY KEY, x BLOB) WITHOUT ROWID")
            yield db
            db.commit()
        finally:
            db.close()

    def lookup(self, texts: list[str]) -> dict[int, np.ndarray]:
        """Row number -> vector for each of ``texts`` already in the cache."""
        keys = [_key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._db() as db:
            for s in range(0, len(keys), LOOKUP_CHUNK):
                part = keys[s : s + LOOKUP_CHUNK]
                marks = ",".join("?" * len(part))
                for k, x in db.execute(f"SELECT k, x FROM v WHERE k IN ({marks})", part):
                    vector = np.frombuffer(x, dtype=np.float32)
                    if vector.shape == (self.dim,):
                        found[bytes(k)] = vector
        return {i: found[k] for i, k in enumerate(keys) if k in found}

    def store(self, texts: list[str], vectors: np.ndarray) -> None:
        rows = [(_key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for t, v in zip(texts, vectors, strict=True)]
        with self._db() as db:
            db.executemany("INSERT OR REPLACE INTO v (k, x) VALUES (?, ?)", rows)


def encode_cached(
    texts: list[str],
    encode: Callable[[list[str]], np.ndarray],
    cache: VectorCache | None,
    dim: int,
    notify: Callable[[str], None] = lambda _: None,
) -> tuple[np.ndarray, int]:
    """Vectors of ``texts``; only those not in ``cache`` are encoded. Returns (vectors, encoded)."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    hits: dict[int, np.ndarray] = {}
    if cache is not None:
        try:
            hits = cache.lookup(texts)
        except (OSError, sqlite3.Error) as exc:
            notify(f"warning: vector cache not used ({exc})")
            cache = None
    for i, vector in hits.items():
        out[i] = vector
    missing = [i for i in range(len(texts)) if i not in hits]
    if missing:
        fresh = encode([texts[i] for i in missing])
        out[missing] = fresh
        if cache is not None:
            try:
                cache.store([texts[i] for i in missing], fresh)
            except (OSError, sqlite3.Error) as exc:
                notify(f"warning: vector cache not written ({exc})")
    return out, len(missing)
