"""The sentence signal (RetrievalSettings.sentence_share): a passage is also scored by its
best sentence, so a question matching one sentence of a long passage finds that passage even
when the passage's own vector, an average over all its sentences, ranks it lower. It ranks
only: each hit keeps the two-signal fusion as its base score, what the answerer's scorer reads."""

from __future__ import annotations

import numpy as np

from assistant.answering.pipeline import Assistant
from assistant.core.settings import RetrievalSettings
from assistant.retrieval.search import Searcher


def searcher(assistant: Assistant, share: float) -> Searcher:
    p = assistant.pipeline
    return Searcher(
        p.index, assistant.embedder, RetrievalSettings(sentence_share=share), p.vocab,
        p.neighbours,
    )


def rank(hits: list[int], target: int) -> int:
    return hits.index(target) if target in hits else len(hits)


def test_one_sentence_lifts_its_passage(assistant: Assistant) -> None:
    on, off = searcher(assistant, 0.5), searcher(assistant, 0.0)
    index = assistant.index
    # Sentences of long passages whose passage vector does not rank the passage first when the
    # sentence itself is the question: there the sentence signal must move it up.
    cases = 0
    for row, (owner, _) in enumerate(index.sentence_owner):
        if len(index.chunks[owner].sentences) < 2:
            continue
        qvec = np.asarray(index.sentence_vectors[row])
        dense_first = off.dense(qvec, 1)[0][0]
        if dense_first == owner:
            continue
        assert on.by_sentence(qvec)[0][0] == owner
        query = index.chunks[owner].sentences[0]
        with_signal = [h.chunk.position for h in on.search(query, 8, "dense", qvec=qvec)]
        without = [h.chunk.position for h in off.search(query, 8, "dense", qvec=qvec)]
        assert rank(with_signal, owner) < rank(without, owner)
        cases += 1
        if cases == 2:
            break
    assert cases == 2
    assert off.by_sentence(np.asarray(index.sentence_vectors[0])) == []


def test_the_sentence_signal_keeps_the_first_hits_when_more_are_asked(
    assistant: Assistant,
) -> None:
    on = searcher(assistant, 0.3)
    for chunk in assistant.index.chunks[:40]:
        question = chunk.sentences[-1]
        first = [h.chunk.chunk_id for h in on.search(question, 5)]
        assert first == [h.chunk.chunk_id for h in on.search(question, 30)][:5], question


def test_the_base_score_is_the_fusion_without_the_sentence_signal(assistant: Assistant) -> None:
    on, off = searcher(assistant, 0.5), searcher(assistant, 0.0)
    for chunk in assistant.index.chunks[:20]:
        question = chunk.sentences[-1]
        without = {h.chunk.chunk_id: h.score for h in off.search(question, 30)}
        hits = on.search(question, 5)
        assert all(h.base_score == without.get(h.chunk.chunk_id, 0.0) for h in hits), question
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.base_score is None for h in off.search(assistant.index.chunks[0].text, 5))
