"""The plain LangChain baseline: HuggingFaceEmbeddings, a FAISS flat index, similarity search.

This is what a LangChain tutorial builds: langchain-huggingface's ``HuggingFaceEmbeddings`` with
its defaults over the same model, the vectors in a ``faiss.IndexFlatL2`` (the index LangChain's
community FAISS store creates by default) and a top-k similarity search. The community package's
store itself is not used: it keeps its docstore as a pickle, which this project never loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import faiss
import numpy as np


@dataclass
class FlatFaissStore:
    embeddings: Any  # langchain_huggingface.HuggingFaceEmbeddings
    texts: list[str] = field(default_factory=list)
    metadatas: list[dict[str, Any]] = field(default_factory=list)
    index: faiss.Index | None = None

    def add_texts(self, texts: list[str], metadatas: list[dict[str, Any]]) -> None:
        vectors = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)
        if self.index is None:
            self.index = faiss.IndexFlatL2(vectors.shape[1])
        self.index.add(vectors)
        self.texts += texts
        self.metadatas += metadatas

    def similarity_search(self, query: str, k: int = 4) -> list[tuple[str, dict[str, Any]]]:
        assert self.index is not None
        vector = np.asarray([self.embeddings.embed_query(query)], dtype=np.float32)
        _, ids = self.index.search(vector, k)
        return [(self.texts[i], self.metadatas[i]) for i in ids[0] if i >= 0]


def make_embeddings(model_path: str) -> Any:
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=model_path, model_kwargs={"device": "cpu"})
