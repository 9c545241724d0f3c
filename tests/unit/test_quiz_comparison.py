"""A comparison read from the side a question asks about (quiz/comparison.py)."""

from __future__ import annotations

from assistant.quiz.comparison import from_asked_side
from assistant.text.scales import agree

SOURCE = "Calcinosis is much more common than in adults."


def test_the_side_after_than_is_stated_for_itself() -> None:
    got = from_asked_side(SOURCE, "How common is calcinosis in adults?")
    assert got == "Calcinosis is much less common in adults."
    assert from_asked_side("CK is higher than in PMR.", "How high is CK in PMR?") == (
        "CK is lower in PMR."
    )


def test_a_question_about_the_other_side_leaves_the_comparison() -> None:
    assert from_asked_side(SOURCE, "How common is calcinosis in children?") == SOURCE


def test_less_common_leans_rare_on_the_frequency_scale() -> None:
    turned = from_asked_side(SOURCE, "How common is calcinosis in adults?")
    assert agree("rare", turned) == (True, False)
    assert agree("it affects most adults", turned)[1]

