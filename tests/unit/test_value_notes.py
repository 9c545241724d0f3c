"""A note that the sources do not give a value must not contradict the answer it ends
(answering/gaps.py): a dose stated in a sentence that names no drug, in a passage about the
drug asked, is its dose; so is one stated for the drug in another form of its name; a count
answers "how many"; a condition answers "when"."""

from __future__ import annotations

import pytest
from readings import plain_reading as _reading

from assistant.answering.gaps import missing_detail
from assistant.domain.vocabulary import general_vocabulary


def test_a_dose_in_a_passage_about_the_drug_is_its_dose() -> None:
    vocab = general_vocabulary()
    sentence = "The usual dose is 2 mg/kg a day, in one or two doses."
    question = "azathioprine dose for refractory disease?"
    # Alone, the sentence says nothing of whose dose it is: the gap is named ...
    assert missing_detail(_reading(question), [sentence], vocab) is not None
    # ... but in a passage about azathioprine it is that drug's dose.
    context = {sentence: "Treatment > Azathioprine. Azathioprine is used next. " + sentence}
    assert missing_detail(_reading(question), [sentence], vocab, contexts=context) is None
    # A passage about another drug does not make it this one's.
    other = {sentence: "Treatment > Rituximab. Rituximab is used second. " + sentence}
    assert missing_detail(_reading(question), [sentence], vocab, contexts=other) is not None


def test_a_dose_for_the_drug_in_another_form_of_its_name_is_its_dose() -> None:
    vocab = general_vocabulary()
    sentence = "A bisphosphonate such as alendronic acid 70 mg once weekly is offered."
    assert missing_detail(_reading("alendronate dose?"), [sentence], vocab) is None


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("plex course - how many exchanges?", "A course is usually five exchanges."),
        ("when to check fvc?", "Check the forced vital capacity if there are breathing symptoms."),
    ],
)
def test_a_count_answers_how_many_and_a_condition_answers_when(
    question: str, sentence: str
) -> None:
    assert missing_detail(_reading(question), [sentence], general_vocabulary()) is None


def test_a_frequency_asked_by_its_noun_is_named_in_it() -> None:
    gap = missing_detail(_reading("probe frequency for the scan?"),
                         ["The scan is the first test."], general_vocabulary())
    assert gap is not None and "how often" in gap and "frequency" in gap


def test_a_note_names_the_measure_a_frequency_is_asked_of() -> None:
    # With no drug asked about, "how often" is said of the measure the corpus defines ("CK"),
    # in the corpus's spelling; the subject of the whole text is never that measure.
    vocab = general_vocabulary()
    sentence = "Patients are usually reviewed every 6 to 12 months with strength testing."
    question = "how often repeat ck in ibm f/u?"
    measure = {"ck": "CK", "fvc": "FVC"}.get
    said = missing_detail(_reading(question), ["CK is mildly raised."], vocab, measure=measure)
    assert said == "The indexed sources do not say how often for CK."
    assert missing_detail(_reading(question), ["CK is mildly raised."], vocab) == (
        "The indexed sources do not say how often."
    )
    # A frequency given is a frequency given, whatever it is said of.
    assert missing_detail(_reading(question), [sentence], vocab, measure=measure) is None


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # "at full dose" is the state asked about: the question asks how long, answered.
        ("how long at full dose before tapering?",
         "The full dose is continued for four to six weeks."),
        # A share in words is a figure: "how many" is answered by "about one third".
        ("how many pts get trouble swallowing?",
         "Dysphagia occurs in about one third of patients."),
        # A schedule of visits answers how often.
        ("how often f/u in the first yr?",
         "Patients are reviewed at 1 to 3 weeks, at 6 weeks, and then at 3, 6 and 12 months."),
        # "how often is X raised?" asks what share: a percentage answers it.
        ("how often is the esr raised?", "The ESR is raised in over 95 percent of patients."),
    ],
)
def test_a_value_the_answer_gives_in_other_words_is_no_gap(question: str, sentence: str) -> None:
    assert missing_detail(_reading(question), [sentence], general_vocabulary()) is None


def test_a_dose_asked_while_at_full_dose_names_no_phrase_of_the_question() -> None:
    from assistant.answering.dosing import asks_dose, dosed_phrase

    assert not asks_dose("how long at full dose before tapering?")
    assert asks_dose("what is the full dose?") and asks_dose("dose?")
    assert dosed_phrase("how long at full dose?", general_vocabulary()) is None
    assert dosed_phrase("vitamin D dose for patients on steroids?", general_vocabulary()) == (
        "vitamin D"
    )


def test_a_word_the_value_note_names_is_not_named_again_as_never_mentioned() -> None:
    gap = missing_detail(_reading("scan interval?"), ["The scan is the first test."],
                         general_vocabulary(), unmentioned=["interval"])
    assert gap is not None and "(no interval is given)" in gap
    assert "mention interval" not in gap
    long = missing_detail(_reading("max duration of the infusions?"),
                          ["The infusions are given in hospital."], general_vocabulary(),
                          unmentioned=["duration"])
    assert long is not None and "mention duration" not in long and "no duration is given" in long


def test_a_threshold_answers_when_as_a_condition_does() -> None:
    from assistant.answering.features import Asks

    vocab = general_vocabulary()
    sentence = "The rule helps decide on intubation: FVC below 20 mL/kg or NIF weaker than -30."
    # No "do not say how long" after a threshold that answers "when to intubate?" ...
    assert missing_detail(_reading("when to intubate?"), [sentence], vocab) is None
    # ... and the sentence gives the kind of value asked.
    assert Asks.of("when to intubate?").fit(sentence) == (1, 0)
    assert Asks.of("when to intubate?").fit("Crisis may need intubation.") == (0, 1)


def test_a_word_naming_the_kind_of_value_does_not_void_the_values_given() -> None:
    # "Relapse rate?": the corpus never says "rate", but the word names the value asked, not a
    # thing the answer's figures are not about (the words themselves are still named as never
    # used); a word that is a thing ("blind") voids them.
    vocab = general_vocabulary()
    sentence = "Relapse occurs in about 40 to 50 percent of patients."
    gap = missing_detail(_reading("relapse rate?"), [sentence], vocab, ["relapse rate"])
    assert gap == "The indexed sources do not mention relapse rate."
    blind = missing_detail(_reading("what % go blind?"), [sentence], vocab, ["blind"])
    assert blind is not None and "percentage" in blind


@pytest.mark.parametrize(
    "question",
    ["drug X for a crisis - how many days b4 it starts working?", "how long till it works?",
     "how long does it take to work?", "how soon does it kick in?"],
)  # fmt: skip
def test_the_time_a_drug_is_given_over_is_not_how_soon_it_works(question: str) -> None:
    """"given over 2 to 5 days" and "every 3 weeks" say how a drug is given, not how soon it
    acts: asked that, the note says it is not given; a time to act answers it."""
    vocab = general_vocabulary()
    given = ["It is given at a total dose of 2 g/kg, usually over 2 to 5 days, and then every "
             "3 weeks."]
    note = missing_detail(_reading(question), given, vocab)
    assert note is not None and "how long" in note
    acts = ["It can take four to six months to have its full effect."]
    assert missing_detail(_reading(question), acts, vocab) is None
    # Asked how long it is given, the time it is given over answers.
    assert missing_detail(_reading("how long is it given over?"), given, vocab) is None


def test_how_often_a_drug_is_given_is_not_how_long_it_is_kept_on() -> None:
    """"then every 4 to 8 weeks" says how often, not for how long: asked how long a patient
    stays on a drug, the note says it is not given; asked the time between doses, it answers;
    "for four consecutive days" is a length of time."""
    vocab = general_vocabulary()
    every = ["Drug X 3 to 5 mg/kg at weeks 0 and 2, then every 4 to 8 weeks."]
    note = missing_detail(_reading("how long do we keep them on it?"), every, vocab)
    assert note is not None and "how long" in note
    assert missing_detail(_reading("how long between infusions?"), every, vocab) is None
    cycles = ["It is given as 40 mg daily for four consecutive days every four weeks."]
    assert missing_detail(_reading("for how many days each cycle?"), cycles, vocab) is None


def test_a_length_asked_in_a_unit_is_named_in_that_unit() -> None:
    # "over how many days?" is told it is not given in days, however the unit was typed.
    vocab = general_vocabulary()
    course = ["Plasma exchange, a course of about 5 exchanges, helps in a crisis."]
    note = missing_detail(_reading("five exchanges over how many days?"), course, vocab)
    assert note == "The indexed sources do not say how long (in days)."
    note = missing_detail(_reading("how many wks at full dose?"), course, vocab)
    assert note is not None and note.endswith("how long (in weeks).")
    assert missing_detail(_reading("how long is it given?"), course, vocab) == (
        "The indexed sources do not say how long.")


def test_a_dose_asked_after_an_alternative_is_not_the_set_aside_drugs() -> None:
    # "Any alternative to oral prednisolone?" then "regimen?": the regimen asked is the
    # alternative's, which the answer gives; no note that prednisolone's dose is missing.
    from assistant.core.types import Reading

    vocab = general_vocabulary()
    standalone = "regimen? (context: any alternative to oral prednisolone tablets in pmr)"
    reading = Reading(question="regimen?", standalone=standalone, search_text=standalone, k=5,
                      candidates=5)
    sentences = ["Intramuscular methylprednisolone is an alternative to oral tablets.",
                 "The usual regimen is 120 mg every three weeks."]
    context = {s: " ".join(sentences) for s in sentences}
    assert missing_detail(reading, sentences, vocab, contexts=context) is None
