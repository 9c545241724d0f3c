"""Ages and spans of years read as ranges (text/quantities.py: spans, decade_within)."""

from __future__ import annotations

import math

from assistant.text.quantities import decade_within, quantities, spans


def test_decades_in_words_and_digits_are_ten_year_ranges() -> None:
    assert spans("in people in their seventies") == [(70.0, 79.0)]
    assert spans("patients in their 60s") == [(60.0, 69.0)]
    assert (40.0, 49.0) in spans("most common in the fifth decade of life")
    assert spans("peaks between 70 and 80 years") == [(70.0, 80.0)]
    assert spans("mostly over 50") == [(50.0, math.inf)]


def test_a_decade_is_no_number_a_sentence_must_give() -> None:
    # The wrong-number guard reads quantities: "seventies" must not add 79 to them.
    assert quantities("in their seventies") == set()


def test_a_decade_matches_a_range_that_holds_it_and_no_other() -> None:
    assert decade_within("in their seventies", "peaks between 70 and 80 years")
    assert decade_within("in their 70s", "it affects people over 50")
    assert decade_within("in their seventies", "at about 75")
    assert not decade_within("in their sixties", "peaks between 70 and 80 years")
    assert not decade_within("in their fifties", "at about 75")
    # Only a decade in words is read so; a range in digits is matched as numbers elsewhere.
    assert not decade_within("70 to 79", "between 70 and 80")
