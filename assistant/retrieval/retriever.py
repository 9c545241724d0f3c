"""The LangChain face of the hybrid search: a ``BaseRetriever`` the pipeline calls.

Each Document carries its typed :class:`Hit` (passage, rank, fused and per-retriever scores) in
its metadata, so the next stage reads the hit itself, not fields copied out of it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.core.types import Hit, Mode
from assistant.retrieval.search import Searcher


class HybridRetriever(BaseRetriever):
    """Dense + BM25 passages for a query, as Documents (``k``, ``mode`` and a precomputed
    question vector ``qvec`` may be given per call)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = 5
    mode: Mode = "hybrid"

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        mode: Mode | None = None,
        qvec: np.ndarray | None = None,
        **_: Any,
    ) -> list[Document]:
        hits = self.searcher.search(query, k or self.k, mode or self.mode, qvec=qvec)
        return [hit_to_document(h) for h in hits]


def hit_to_document(hit: Hit) -> Document:
    meta: dict[str, Any] = {
        "hit": hit,
        "chunk_id": hit.chunk.chunk_id,
        "source": hit.chunk.source,
        "section": hit.chunk.section,
        "rank": hit.rank,
        "score": hit.score,
    }
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.chunk_id)


def hits_of(documents: list[Document]) -> list[Hit]:
    """The typed hits behind the retriever's Documents, in rank order."""
    return [d.metadata["hit"] for d in documents]
