"""The answerer answers on a stand-out best sentence and declines a poor lot (scorer.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answering.pipeline import Assistant


@pytest.fixture
def strict(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> Assistant:
    """The assistant with a threshold no sentence reaches: only the stand-out rule answers."""
    answerer = assistant.pipeline.answerer
    monkeypatch.setattr(answerer, "scorer", replace(answerer.scorer, answer_min=1.01))
    return assistant


def test_a_stand_out_sentence_is_answered(strict: Assistant) -> None:
    answerer = strict.pipeline.answerer
    question = "How much remains to be learned about this condition?"
    answer = strict.ask(question, backend="extractive")
    assert not answer.abstained
    assert "remain" in answer.answer.lower()
    # ... and without the rule it is declined: the rule, not the threshold, answered it.
    answerer.scorer = replace(answerer.scorer, standout_ratio=float("inf"))
    assert strict.ask(question, backend="extractive").abstained


def test_a_question_the_sources_do_not_cover_is_declined(strict: Assistant) -> None:
    assert strict.ask("Who won the football World Cup in 2018?", backend="extractive").abstained
