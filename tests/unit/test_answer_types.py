"""Kinds of answer a question asks for, as data (text/answer_types.py, answer_types.toml)."""

from __future__ import annotations

from assistant.text.answer_types import answer_types, answering, cue_words
from assistant.text.polarity import opposites
from assistant.text.tokens import stem


def stems(text: str) -> set[str]:
    return {stem(w) for w in text.lower().split()}


def test_a_sex_ratio_is_answered_in_words_of_men_women_and_times() -> None:
    found = answering(stems("what is the sex ratio"), stems)
    assert {stem("men"), stem("women")} <= found[stem("sex")]
    assert stem("twice") in found[stem("ratio")]
    assert "women" in cue_words(stems("what is the sex ratio"), stems)


def test_a_question_asking_no_kind_has_no_cue_words() -> None:
    assert answering(stems("which drug is first line"), stems) == {}
    assert cue_words(stems("which drug is first line"), stems) == []


def test_the_kinds_are_read_from_the_data() -> None:
    kinds = {t.kind for t in answer_types()}
    assert {"sex", "ratio", "age", "duration"} <= kinds


def test_equally_is_not_twice_as_often() -> None:
    assert stem("twice") in opposites(stem("equally"))
