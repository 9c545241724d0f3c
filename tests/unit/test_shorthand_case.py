"""Shorthand whose reading depends on its case: "US" typed in capitals is an ultrasound, "us"
the pronoun; "IM" is intramuscular, "im" left alone. And shorthand in any case: "jab", "ab"."""

from __future__ import annotations

from assistant.domain.vocabulary import general_vocabulary


def test_capitalised_shorthand_is_written_out_and_the_word_in_lower_case_is_not() -> None:
    text, changes = general_vocabulary().rewrite("already on pred - how long is US still useful?")
    assert "how long is ultrasound still useful" in text and ("US", "ultrasound") in changes
    assert general_vocabulary().rewrite("tell us if USS shows a halo")[0] == (
        "tell us if ultrasound scan shows a halo"
    )
    assert general_vocabulary().rewrite("give it IM or let us give it po")[0].startswith(
        "give it intramuscular or let us give it"
    )


def test_colloquial_and_antibody_shorthand_is_written_out() -> None:
    text, _ = general_vocabulary().rewrite("which is a jab? which ab goes w/ it? MuSK abs?")
    assert text == "which is a injection? which antibody goes with it? MuSK antibodies?"
