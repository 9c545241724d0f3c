"""Notes that a value is not given, made where the answer gives it (eleventh session): each case
here ended an answer that quoted the value with a note saying it was not given."""

from __future__ import annotations

import pytest
from readings import plain_reading as _reading

from assistant.answering.dosing import asks_dose
from assistant.answering.gaps import dose_stated_for, missing_detail
from assistant.domain.vocabulary import general_vocabulary
from assistant.text.quantities import FIGURE, RATE_FIGURE


def test_a_word_saying_which_dose_does_not_hide_the_dose() -> None:
    # "target" only says which dose; an unknown word of another kind may be what the value is
    # of ("dose in pregnancy?"), and the note stays.
    vocab = general_vocabulary()
    sentence = "Azathioprine: built up to 2 to 3 mg/kg/day."
    reading = _reading("target azathioprine dose?")
    assert missing_detail(reading, [sentence], vocab, unmentioned=["target"]) == (
        "The indexed sources do not mention target.")
    gap = missing_detail(_reading("azathioprine dose in blorp?"), [sentence], vocab,
                         unmentioned=["blorp"])
    assert gap is not None and "dose" in gap


def test_a_dose_naming_no_drug_is_the_drug_named_before_it_in_its_passage() -> None:
    vocab = general_vocabulary()
    sentence = "The usual target dose is 1.5 g twice daily, given for at least 2 years."
    context = ("Mycophenolate mofetil is the first-line drug. " + sentence
               + " Nintedanib is given at 150 mg twice daily.")
    assert dose_stated_for("mycophenolate mofetil", sentence, vocab, context)
    assert not dose_stated_for("nintedanib", sentence, vocab, context)
    # How long: the two years are mycophenolate's, not nintedanib's.
    reading = _reading("how long do pts stay on nintedanib")
    gap = missing_detail(reading, [sentence], vocab, contexts={sentence: context})
    assert gap is not None and "how long" in gap


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("how much does nintedanib slow the fvc decline", False),
        ("how much is it better than placebo?", False),
        ("how much pred do i start?", True),
        ("how much methotrexate?", True),
    ],
)
def test_how_much_asks_a_dose_only_of_a_drug(question: str, asks: bool) -> None:
    assert asks_dose(question) is asks


@pytest.mark.parametrize(
    "text", ["the annual incidence is about 0.5 per million",
             "3 per 100,000 person-years", "40 percent", "12 of 40 patients"],
)
def test_a_rate_per_a_population_is_a_figure(text: str) -> None:
    assert FIGURE.search(text) or RATE_FIGURE.search(text)


def test_a_rate_per_a_population_answers_the_incidence() -> None:
    sentence = "The annual incidence is about 0.5 per million and the prevalence 2.5 per million."
    assert missing_detail(_reading("incidence + prevalence?"), [sentence],
                          general_vocabulary()) is None


@pytest.mark.parametrize(
    ("question", "sentence", "given"),
    [
        ("how many hours does one infusion take", "The dose is given over two to five days.",
         False),
        ("how many wks at full dose?", "Give the full dose for 4 weeks, then taper.", True),
        ("how many mins per session?", "Sessions last 30 minutes.", True),
        ("how long on it?", "Treatment lasts 2 years.", True),
    ],
)
def test_a_unit_asked_by_name_is_given_in_that_unit(
    question: str, sentence: str, given: bool
) -> None:
    gap = missing_detail(_reading(question), [sentence], general_vocabulary())
    assert (gap is None) is given, gap
