"""How questions and source clauses are read for what they ask and answer (quiz/asks.py)."""

from __future__ import annotations

from assistant.quiz.asks import ASKS_IF, CONDITION, PURPOSE


def test_a_purpose_after_a_verb_is_read() -> None:
    m = PURPOSE.search("Serum levels are measured to look for myeloma.")
    assert m is not None and m.group(1) == "measured" and m.group(2).startswith("look for")


def test_a_condition_in_a_question_and_a_clause() -> None:
    assert ASKS_IF.search("What should be done if there is little response?")
    assert not ASKS_IF.search("When is rituximab given?")
    assert CONDITION.match("If there is little or no response after one week")
