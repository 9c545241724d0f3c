"""How many things a question asks for and an answer gives (quiz/plural.py)."""

from __future__ import annotations

from assistant.quiz.asks import asked_count
from assistant.quiz.items import Grade
from assistant.quiz.plural import capped, items, listed, too_few


def test_a_number_of_things_asked_is_read() -> None:
    assert asked_count("Which two blood tests are checked before rituximab?") == 2
    assert asked_count("Name the three steroid-sparing agents.") == 3
    assert asked_count("What is first-line therapy and what is given alongside it?") == 2
    assert asked_count("What is the first-line treatment?") == 0
    # A range of numbers is not a count of things asked.
    assert asked_count("Is the dose given over two to five days?") == 0


def test_items_part_at_commas_and_conjunctions_not_at_units() -> None:
    assert items("hepatitis B serology") == 1
    assert items("IVIG and steroids") == 2
    assert items("0.2 g/kg per week") == 1
    assert items("0.2 or 0.4 g/kg per week") == 2


def test_a_plural_ask_counts_what_the_source_lists() -> None:
    source = "Most improve with one of the first-line treatments: IVIG, steroids or PLEX."
    assert listed("What are the first-line treatments for CIDP?", source) == 3
    assert listed("What is the first-line treatment for CIDP?", source) == 0
    assert too_few("What are the first-line treatments for CIDP?", "IVIG and steroids", source)
    assert not too_few("What are the first-line treatments?", "IVIG, steroids and PLEX", source)


def test_a_correct_grade_giving_too_few_is_partly_correct() -> None:
    right = Grade(correct=True, score=1.0, verdict="correct", reference="", citations=[])
    q = "Name the two tests used to confirm the diagnosis."
    assert capped(right, q, "temporal artery biopsy", "").verdict == "partly correct"
    assert capped(right, q, "ultrasound or biopsy", "").verdict == "correct"

