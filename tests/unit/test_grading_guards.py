"""Guards and number reading the free-answer grader relies on when it looks beyond the first
cited sentence (no corpus needed)."""

from __future__ import annotations

from assistant.quiz.guards import swapped, wrong_numbers
from assistant.text.quantities import quantities, same_time


def test_a_range_written_between_and() -> None:
    assert quantities("somewhere between 12 and 24 months") == {(12.0, "month"), (24.0, "month")}
    # "between ... and" without a second number is no range.
    assert quantities("between 12 and twice") == {(12.0, "")}


def test_weeks_and_months_are_the_same_time_within_a_tenth() -> None:
    assert same_time(2, "more than 2 months", "at least 8 weeks")
    assert same_time(12, "between 12 and 24 months", "one to two years")
    assert not same_time(3, "3 months", "8 weeks")
    assert not same_time(9, "9 days", "8 days")  # days to days stay exact


def test_a_number_the_passage_gives_in_another_unit_is_wrong() -> None:
    src = "A common regimen is 375 mg/m2 weekly for four weeks."
    assert wrong_numbers("375 mg/kg weekly for four weeks", src, "", set()) == [375.0]
    assert wrong_numbers("375 mg/m2 weekly for 4 weeks", src, "", set()) == []
    assert wrong_numbers("for 28 days", src, "", set()) == []  # a time in other units


def test_a_comparison_made_the_other_way_round() -> None:
    src = "women are affected about twice as often as men"
    assert swapped("men are affected twice as often as women", src)
    assert not swapped("women are affected twice as often as men", src)
    assert not swapped("women, about twice as often", src)  # no comparison of its own
