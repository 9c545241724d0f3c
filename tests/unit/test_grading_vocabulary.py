"""General wording the free grader reads as data: units of measurement, numbers in words, scale
words, groups of equivalent clinical words, and the guards on figures."""

from __future__ import annotations

from assistant.quiz.guards import wrong_numbers
from assistant.text.quantities import quantities


def test_a_number_in_another_unit_of_measurement_is_not_the_sources() -> None:
    assert quantities("at least 8 kPa") == {(8.0, "kpa")}
    source = "an increase of at least 8 kPa on the vigorimeter is regarded as meaningful."
    assert wrong_numbers("at least 8 kg", source, "what rise is meaningful?", set()) == [8.0]
    assert wrong_numbers("at least 8 kPa", source, "what rise is meaningful?", set()) == []
