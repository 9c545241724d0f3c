"""Which sentences join the best one in an answer (answering/extractive.py, select)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from assistant.answering.extractive import Answerer, Scored
from assistant.answering.scorer import Scorer
from assistant.core.settings import AnswerSettings
from assistant.core.types import Chunk

CHUNK = Chunk(chunk_id="c", source="s", section="", text="", sentences=[], position=0, line=1)


def _answerer(near_best_ratio: float = 0.85) -> Answerer:
    """An answerer with what select() reads: no two sentences alike, so none is redundant."""
    answerer = Answerer.__new__(Answerer)
    answerer.settings = AnswerSettings(max_words=60, covering_max_words=90,
                                       near_best_ratio=near_best_ratio)
    answerer.max_words = 60
    answerer.scorer = Scorer(np.zeros(1), 0.0, 0.7, 0.1, 0.35)
    answerer.index = SimpleNamespace(sentence_vectors=np.eye(10))  # type: ignore[assignment]
    return answerer


def _scored(scores: list[float], words: list[int]) -> list[Scored]:
    return [
        Scored(CHUNK, n, " ".join(["word"] * w), n, 0.0, 0.0, score)
        for n, (score, w) in enumerate(zip(scores, words, strict=True))
    ]


def test_a_sentence_nearly_as_likely_as_the_best_joins_from_further_down() -> None:
    # The fifth candidate says the second fact asked: nearly as likely as the best, it joins
    # though three others rank above it and the answer then passes max_words (within 90).
    scored = _scored([0.99, 0.98, 0.92, 0.91, 0.91, 0.01], [14, 17, 31, 31, 20, 10])
    chosen = _answerer().select(scored)
    assert scored[4] in chosen
    assert scored[5] not in chosen
    assert sum(len(s.sentence.split()) for s in chosen) <= 90


def test_without_the_rule_only_the_next_three_within_max_words_join() -> None:
    scored = _scored([0.99, 0.98, 0.92, 0.91, 0.91], [14, 17, 31, 31, 20])
    chosen = _answerer(near_best_ratio=1.0).select(scored)
    assert chosen == scored[:2]


def test_a_weaker_companion_keeps_to_max_words() -> None:
    scored = _scored([0.9, 0.5, 0.45], [30, 25, 20])
    chosen = _answerer().select(scored)
    assert chosen == scored[:2]  # 30 + 25 fit in 60; 20 more would not, and it is not near


def _passage(*sentences: str) -> tuple[Chunk, Answerer, list[Scored]]:
    """One passage of ``sentences``, an answerer over it, and each sentence as a candidate
    (scored 0.9 down)."""
    chunk = CHUNK.model_copy(update={"sentences": list(sentences)})
    answerer = _answerer()
    answerer.row_of = {(0, j): j for j in range(len(sentences))}
    return chunk, answerer, [Scored(chunk, j, t, j, 0.0, 0.0, 0.9 - 0.1 * j)
                             for j, t in enumerate(sentences)]


def test_a_sentence_pointing_back_brings_the_one_before_it() -> None:
    chunk, answerer, (_, pointing, plain) = _passage(
        "Single-fibre electromyography shows increased jitter.",
        "It is the most sensitive test.",
        "The ice pack test helps in ptosis.",
    )
    got = [s.sentence for s in answerer.with_antecedents([pointing, plain])]
    assert got == chunk.sentences
    # ... once, and not when it is chosen already or the sentence says what it is about.
    again = answerer.with_antecedents([answerer.with_antecedents([pointing])[0], pointing])
    assert [s.sentence_index for s in again] == [0, 1]
    assert answerer.with_antecedents([plain]) == [plain]


def test_a_best_sentence_announcing_a_class_brings_the_one_naming_its_members() -> None:
    chunk, answerer, (announcing, _, plain) = _passage(
        "The disease is associated with other immune conditions.",
        "Sjogren's syndrome is found in a minority of patients.",
        "Exercise is safe.",
    )
    got = [s.sentence for s in answerer.with_antecedents([announcing])]
    assert got == chunk.sentences[:2]
    # ... only for the best sentence, and a sentence naming its own things brings nothing.
    assert [s.sentence_index for s in answerer.with_antecedents([plain, announcing])] == [2, 0]
