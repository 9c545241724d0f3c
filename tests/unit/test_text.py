"""The shared text skills, tested once: sentences, numbers and units, polarity, abbreviations."""

from __future__ import annotations

import pytest

from assistant.text.abbreviations import definitions
from assistant.text.polarity import negations, neutralise, opposites
from assistant.text.quantities import frequencies, numbers, quantities, spell_numbers
from assistant.text.sentences import split_sentences
from assistant.text.tokens import stem


def test_sentences_keep_abbreviations_and_markers() -> None:
    text = "Use drugs, e.g. steroids. Taper after 2 weeks [1]. Then stop. 3 cases followed."
    assert split_sentences(text) == [
        "Use drugs, e.g. steroids.", "Taper after 2 weeks [1].", "Then stop.", "3 cases followed."
    ]


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("four to six weeks", "4 to 6 weeks"),
        ("forty-five minutes", "45 minutes"),
        ("one to two years", "1 to 2 years"),
        ("one of the drugs", "one of the drugs"),
        ("half to one mg per kg", "0.5 to 1 mg per kg"),
        ("twelve patients and one week", "12 patients and 1 week"),
    ],
)
def test_numbers_in_words(text: str, spelled: str) -> None:
    assert spell_numbers(text) == spelled


def test_quantities_read_ranges_units_and_words_alike() -> None:
    a = quantities("prednisone 0.5-1 mg/kg/day for 2–4 wks")
    b = quantities("prednisone 0.5 to 1 mg/kg per day for two to four weeks")
    assert a == b == {(0.5, "mg/kg"), (1.0, "mg/kg"), (2.0, "week"), (4.0, "week")}
    assert quantities("about 30 percent") == {(30.0, "%")}
    assert numbers("3-hydroxy-3-methylglutaryl and two") == [3.0, 3.0, 2.0]


def test_polarity() -> None:
    assert stem("late") in opposites(stem("early"))
    assert stem("poor") in opposites(stem("better"))
    assert not opposites(stem("drug"))
    assert negations(["it", "is", "not", "cannot", "isn't"]) == {"not", "cannot", "isn't"}
    assert "unknown" in neutralise("the cause is not yet known")


def test_abbreviations_a_text_defines() -> None:
    text = ("Patients get intravenous immunoglobulin (IVIG). The erythrocyte sedimentation rate "
            "(ESR) and C-reactive protein (CRP) are raised (2). Seen in (see below) cases.")
    assert definitions(text) == {
        "IVIG": "intravenous immunoglobulin",
        "ESR": "erythrocyte sedimentation rate",
        "CRP": "C-reactive protein",
    }


def test_the_checker_fails_closed_on_synonyms_it_does_not_know() -> None:
    from assistant.verify.check import supports
    from assistant.verify.vocabulary import Equivalents

    eq = Equivalents.for_corpus({"IVIG": "intravenous immunoglobulin"})
    lab = eq.apply("Serum immunoglobulin levels")
    assert eq.apply("IVIG") not in lab
    assert eq.apply("IVIG") == eq.apply("intravenous immunoglobulin")
    given = "Intravenous immunoglobulin (IVIG) is given monthly."
    assert supports("IVIG is given monthly.", given)[0]  # the passage defines it
    assert supports("Steroids are given monthly.", "Glucocorticoids are given monthly.")[0]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("once a week", {7.0}),
        ("weekly", {7.0}),
        ("every 7 days", {7.0}),
        ("three-weekly", {21.0}),
        ("twice a week", {3.5}),
        ("every other day", {2.0}),
        ("every 3-4 days", {3.0, 4.0}),
        ("every 3 to 4 weeks", {21.0, 28.0}),
        ("never daily", set()),
        ("no numbers here", set()),
    ],
)
def test_frequencies_are_days_between_times(text: str, days: set[float]) -> None:
    assert frequencies(text) == days


@pytest.mark.parametrize(
    ("asked", "text", "same"),
    [
        ("one in five", "About 15 to 20 percent of patients develop it.", True),
        ("1 in 5", "15-20% develop it.", True),
        ("a third", "About 30% relapse.", True),
        ("half of them", "40 to 50 percent have symptoms.", True),
        ("two thirds", "About 15 to 20 percent of patients develop it.", False),
        ("one in ten", "About a quarter reach remission.", False),
    ],
)
def test_a_share_in_words_matches_the_figure_near_it(asked: str, text: str, same: bool) -> None:
    from assistant.text.quantities import same_share, shares

    assert same_share(shares(asked), text) is same


def test_the_words_of_a_share_are_share_words() -> None:
    from assistant.text.quantities import is_share_word

    assert all(is_share_word(w) for w in ("one", "five", "third", "thirds", "half", "10"))
    assert not any(is_share_word(w) for w in ("patients", "relapse", "gca"))
