"""General wording the free grader reads as data: units of measurement, numbers in words, scale
words, groups of equivalent clinical words, and the guards on figures."""

from __future__ import annotations

from assistant.quiz.guards import wrong_numbers
from assistant.text.quantities import quantities, spell_numbers


def test_a_number_in_another_unit_of_measurement_is_not_the_sources() -> None:
    assert quantities("at least 8 kPa") == {(8.0, "kpa")}
    source = "an increase of at least 8 kPa on the vigorimeter is regarded as meaningful."
    assert wrong_numbers("at least 8 kg", source, "what rise is meaningful?", set()) == [8.0]
    assert wrong_numbers("at least 8 kPa", source, "what rise is meaningful?", set()) == []


def test_numbers_in_words_read_as_the_figures_they_are() -> None:
    assert spell_numbers("about two point four percent") == "about 2.4 percent"
    assert (45.0, "minute") in quantities("over three quarters of an hour")
    assert (30.0, "minute") in quantities("half an hour")
    assert (90.0, "minute") in quantities("an hour and a half")
