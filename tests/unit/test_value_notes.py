"""A note that the sources do not give a value must not contradict the answer it ends
(answering/gaps.py): a dose stated in a sentence that names no drug, in a passage about the
drug asked, is its dose; so is one stated for the drug in another form of its name; a count
answers "how many"; a condition answers "when"."""

from __future__ import annotations

import pytest

from assistant.answering.gaps import missing_detail
from assistant.core.types import Reading
from assistant.domain.vocabulary import general_vocabulary


def _reading(question: str) -> Reading:
    return Reading(question=question, standalone=question, search_text=question, k=5,
                   candidates=5)


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
