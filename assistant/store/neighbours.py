"""A word the corpus never uses, read through the corpus words nearest to it in meaning.

A question says "malignancy" where the passages say "cancer", "kids" where they say
"children": no stem or spelling rule joins such pairs, but the embedding model does. The
corpus's content words are embedded once (kept in the vector cache, which an index build fills,
so a load reads them rather than encodes them), and a question word the corpus lacks is
embedded on its own (a few milliseconds) and compared with them all. Only neighbours at least
``min_similarity`` close count: single-word embeddings are noisy below that ("outlook" lies
near "exchange" at 0.55).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable

import numpy as np

from assistant.store.embed import Embedder
from assistant.store.vector_cache import VectorCache, encode_cached
from assistant.text.drugs import looks_like_drug
from assistant.text.tokens import STOPWORDS

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
# Words whose neighbours are kept between questions (a few MB at most).
MAX_REMEMBERED = 20_000
# Shorter words are mostly abbreviations, whose single-word embeddings say little.
MIN_LENGTH = 3
DEFAULT_MIN_SIMILARITY = 0.7
# Drug names embed close by their shared spelling though they name different drugs
# (simvastatin ~ atorvastatin 0.72, hydroxychloroquine ~ chloroquine 0.77): one stands for
# another only when all but identical (a prodrug and its active form, 0.91). Asking about a drug the
# corpus never names must still be told so.
DEFAULT_DRUG_MIN_SIMILARITY = 0.9


def content_words(texts: Iterable[str]) -> list[str]:
    """The distinct lower-cased content words of ``texts``, sorted (the neighbour candidates)."""
    found = {w.lower() for text in texts for w in _WORD.findall(text)}
    return sorted(w for w in found if len(w) >= MIN_LENGTH and w not in STOPWORDS and w.isalpha())


def prime(texts: Iterable[str], embedder: Embedder, cache: VectorCache | None) -> None:
    """Put the corpus words' vectors in ``cache`` (an index build): a later load reads them."""
    if cache is None:
        return
    words = content_words(texts)
    try:
        encode_cached(words, embedder.encode, cache, embedder.dim)
    except (OSError, sqlite3.Error):
        return  # a cache that cannot be written only makes the first lookup slower


class Neighbours:
    """The corpus words nearest to a word in meaning; the word vectors are made on first use."""

    def __init__(
        self,
        texts: Iterable[str],
        embedder: Embedder,
        cache: VectorCache | None = None,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        drug_min_similarity: float = DEFAULT_DRUG_MIN_SIMILARITY,
    ) -> None:
        self.words = content_words(texts)
        self.known = frozenset(self.words)
        self.embedder = embedder
        self.cache = cache
        self.min_similarity = min_similarity
        self.drug_min_similarity = drug_min_similarity
        self._matrix: np.ndarray | None = None
        self._found: dict[str, list[tuple[str, float]]] = {}
        self._lock = threading.Lock()

    @property
    def matrix(self) -> np.ndarray:
        with self._lock:
            if self._matrix is None:
                self._matrix, _ = encode_cached(
                    self.words, self.embedder.encode, self.cache, self.embedder.dim
                )
            return self._matrix

    def _askable(self, low: str) -> bool:
        return low not in self.known and len(low) >= MIN_LENGTH and low.isalpha()

    def look_up(self, words: Iterable[str], limit: int = 3) -> None:
        """Find the neighbours of all ``words`` at once: one encoder call for a question's
        unknown words, not one each."""
        new = list(dict.fromkeys(
            low for w in words if self._askable(low := w.lower()) and low not in self._found
        ))
        if not new or not self.words:
            return
        if len(self._found) > MAX_REMEMBERED:  # a long-running chat meets ever new words
            self._found.clear()
        # The question encoder: the batch one would be a second model to load on this path.
        vectors = self.embedder.query_encoder.encode(new)
        sims = vectors @ self.matrix.T
        for low, row in zip(new, sims, strict=True):
            order = np.argsort(-row)[:limit]
            self._found[low] = [
                (self.words[i], float(row[i])) for i in order
                if row[i] >= self.threshold(low, self.words[i])
            ]

    def threshold(self, word: str, neighbour: str) -> float:
        drug = looks_like_drug(word) or looks_like_drug(neighbour)
        return self.drug_min_similarity if drug else self.min_similarity

    def near(self, word: str) -> list[tuple[str, float]]:
        """The corpus words at least ``min_similarity`` close to ``word``, closest first; none
        for a word the corpus uses itself (it needs no stand-in) or a short one."""
        low = word.lower()
        if not self._askable(low):
            return []
        if low not in self._found:
            self.look_up([low])
        return self._found.get(low, [])
