"""What an index build embeds: the passages in global order and each distinct text once."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.errors import IndexStateError
from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.ingest.chunk import embed_sentence, embed_text
from assistant.store.embed import Embedder
from assistant.store.vector_cache import VectorCache


@dataclass
class Prepared:
    """A corpus cut into passages, and the distinct texts to embed for it."""

    chunks: list[Chunk]
    passage_texts: list[str]
    sentences: list[str]
    # Each distinct text once: a one-sentence passage with no heading is its own sentence.
    distinct: list[str]


def prepare(chunks: list[Chunk]) -> Prepared:
    # Positions are global (across files) so that vector row i is chunks[i].
    chunks = [c.model_copy(update={"position": i}) for i, c in enumerate(chunks)]
    if not chunks:
        raise IndexStateError("the corpus has no passages to index (are the files empty?)")
    passage_texts = [embed_text(c) for c in chunks]
    sentences = [embed_sentence(c, s) for c in chunks for s in c.sentences]
    # Each distinct text once, in one length-sorted run: a one-sentence passage with no heading
    # is its own sentence, and one run over both kinds pads less than two.
    distinct = list(dict.fromkeys(passage_texts + sentences))
    return Prepared(chunks, passage_texts, sentences, distinct)


def vector_cache(settings: Settings, embedder: Embedder) -> VectorCache | None:
    if not settings.embed.vector_cache:
        return None
    return VectorCache(settings.cache_dir, embedder.backend, embedder.dim)
