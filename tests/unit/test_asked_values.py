"""What a question asks for: the kind of value (answering/gaps.py intents) and shorthand read."""

from __future__ import annotations

import pytest

from assistant.answering.dosing import DOSE_INTENT


@pytest.mark.parametrize(
    "question", ["MabThera regimen for nodopathy?", "pulsed dexamethasone regimen?",
                 "what regimen of rituximab"],
)  # fmt: skip
def test_asking_a_drugs_regimen_asks_its_dose(question: str) -> None:
    assert DOSE_INTENT.search(question)


def test_the_regimen_in_place_is_no_dose_asked() -> None:
    assert not DOSE_INTENT.search("Why add a steroid-sparing drug to the regimen?")


@pytest.mark.parametrize(
    "question", ["how long does a dose of pyridostigmine last?", "how often is each dose given",
                 "what if she missed a dose"],
)  # fmt: skip
def test_one_dose_counted_asks_no_amount(question: str) -> None:
    assert not DOSE_INTENT.search(question)
    assert DOSE_INTENT.search("what's a typical dose of it?")  # a kind of dose is asked


def test_sats_is_read_as_oxygen_saturation() -> None:
    from assistant.domain.vocabulary import general_vocabulary

    rewritten, _ = general_vocabulary().rewrite("isn't a sats probe enough?")
    assert "oxygen saturation" in rewritten


def test_lab_shorthand_and_signs_are_read_as_written() -> None:
    from assistant.domain.vocabulary import general_vocabulary

    rewritten, _ = general_vocabulary().rewrite("csf wcc high, musk +ve, antibody -ve")
    assert rewritten == "csf white cell count high, musk positive, antibody negative"


def test_a_sex_ratio_is_read_in_the_words_texts_report_it_in() -> None:
    from assistant.domain.vocabulary import general_vocabulary

    # "M:F" as texts give it: "men are affected twice as often as women".
    rewritten, _ = general_vocabulary().rewrite("m:f ratio? and the F:M ratio")
    assert rewritten == "men to women ratio? and the women to men ratio"


@pytest.mark.parametrize(
    ("question", "dosed"),
    [("vitamin D dose for patients on steroids?", "vitamin D"),
     ("what is the usual starting calcium dose", "calcium"),
     ("what dose of prednisolone", None), ("dose?", None), ("the dose for adults", None),
     # a drug by its form (INN stem) that no pack knows, named after "dose of"
     ("what dose of ambrisentan?", "ambrisentan"), ("dose of sildenafil", "sildenafil")],
)  # fmt: skip
def test_the_thing_named_before_dose_is_whose_dose_it_is(question: str, dosed: str | None) -> None:
    from assistant.answering.dosing import dosed_phrase
    from assistant.domain.vocabulary import general_vocabulary

    assert dosed_phrase(question, general_vocabulary()) == dosed


@pytest.mark.parametrize(
    ("question", "good", "bad"),
    [
        ("what's behind the swallowing problems?",
         "It is caused mainly by dysfunction of the cricopharyngeal muscle.",
         "Patients are asked about swallowing at every visit."),
        ("why start so early?",
         "Treatment starts early because atrophy happens early.",
         "Treatment starts early."),
        ("when to check the fvc?",
         "Check the forced vital capacity if there are breathing symptoms.",
         "The forced vital capacity is a breathing test."),
    ],
)
def test_a_reason_a_cause_or_a_condition_asked_is_what_a_sentence_gives_or_lacks(
    question: str, good: str, bad: str
) -> None:
    from assistant.answering.features import Asks

    asks = Asks.of(question)
    assert asks.fit(good) == (1, 0)
    assert asks.fit(bad) == (0, 1)


@pytest.mark.parametrize(
    "sentence",
    ["An echocardiogram yearly to screen for pulmonary hypertension.",
     "Lung function is measured annually.", "Bloods are checked fortnightly at first.",
     "Eye review quarterly."],
)  # fmt: skip
def test_a_frequency_in_one_word_gives_how_often(sentence: str) -> None:
    """"how often?" is answered by "yearly" as by "weekly": the sentence gives what is asked,
    and no note says the frequency is not given."""
    from assistant.answering.features import Asks

    assert Asks.of("echo frequency in this disease?").fit(sentence) == (1, 0)
