"""General wording the free grader reads as data: units of measurement, numbers in words, scale
words, groups of equivalent clinical words, and the guards on figures."""

from __future__ import annotations

from assistant.quiz.guards import opposite, other_shares, swapped, wrong_numbers
from assistant.text.equivalents import rewrite_phrases, same
from assistant.text.quantities import quantities, spell_numbers
from assistant.text.scales import agree
from assistant.text.tokens import stem


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


def test_one_of_a_time_unit_is_a_time() -> None:
    # "For a week" is a time of one week; "once a week" stays a frequency.
    assert (1.0, "week") in quantities("500 mg daily for a week")
    assert spell_numbers("once a week") == "once a week"
    # "Within a week" is the speed scale's phrase for quick, not a number to check.
    assert spell_numbers("improves within a week") == "improves within a week"
    assert agree("improves within a week", "improves rapidly")[0]


def test_figures_given_to_each_others_things_are_swapped() -> None:
    src = ("In a placebo-controlled trial, 79% of patients given the drug had responded at 16"
           " weeks, compared with 44% of those given placebo.")
    assert swapped("44% on the drug vs 79% on placebo", src)
    assert swapped("79% on the drug vs 44% on placebo", src) is None
    assert swapped("about 79 percent with the drug", src) is None


def test_a_percentage_the_answering_sentence_does_not_give_is_wrong() -> None:
    rns = "RNS at 3 Hz is positive when the amplitude falls by more than 10 percent."
    q = "What decrement of the amplitude counts as positive?"
    assert other_shares("more than 50 percent", rns, q) == [50.0]
    assert other_shares("over ten per cent", rns, q) == []
    # A sentence without a percentage leaves the passage's figures to the number check.
    assert other_shares("50%", "The pupils are never affected.", q) == []


def test_a_sentence_whose_figures_are_about_something_else_leaves_the_figure_alone() -> None:
    thymoma = "About 10 to 15 percent of patients have a thymoma."
    assert other_shares("about 50 percent", thymoma, "What decrement on RNS is positive?") == []
    assert other_shares("about 50 percent", thymoma, "How many have a thymoma?") == [50.0]


def test_the_figure_of_another_thing_the_sentence_gives_is_wrong() -> None:
    src = "The criteria have a sensitivity of about 68% and a specificity of about 78 percent."
    q = "What is the sensitivity of the criteria?"
    assert other_shares("about 78 percent", src, q) == [78.0]
    assert other_shares("about 68 percent", src, q) == []
    # Both asked: either figure is the source's.
    assert other_shares("78%", src, "What are the sensitivity and specificity?") == []


def test_general_clinical_words_that_say_the_same() -> None:
    assert rewrite_phrases("starts in the upper limbs") == "starts in the arms"
    assert rewrite_phrases("weak lower extremities") == "weak legs"
    assert same(stem("outlook"), stem("prognosis"))
    assert not same(stem("arms"), stem("legs"))


def test_poorer_and_more_severe_say_worse() -> None:
    assert rewrite_phrases("more severe lung disease") == "worsen lung disease"
    assert same(stem("poorer"), stem("worse"))
    assert not same(stem("worse"), stem("better"))


def test_below_and_above_are_two_ends_of_a_level() -> None:
    source = "The CSF white cell count is usually below 10 cells per microliter"
    assert agree("usually above 10 cells per microliter", source)[1]
    assert not agree("usually below 10 cells", source)[1]


def test_another_form_of_a_scale_word_is_weighed_on_its_scale_not_as_an_opposite() -> None:
    src = "necrosis with minimal inflammatory infiltrates, highly elevated creatine kinase levels"
    assert opposite("very high, massively raised", src) is None
    # The scale still tells the two ends apart where they describe the same thing.
    assert agree("massive inflammatory infiltrates", "minimal inflammatory infiltrates")[1]


def test_always_spared_is_never_affected() -> None:
    from assistant.text.polarity import neutralise

    assert "never affected" in neutralise("the pupils are always spared")
    # A bare "spared" is left as written, to be stated by an answer that repeats it.
    assert neutralise("the face is spared") == "the face is spared"


def test_not_on_the_same_day_is_on_a_different_day() -> None:
    from assistant.text.polarity import neutralise

    assert "different day" in neutralise("5 mg once a week, not on the methotrexate day")
    assert "not" not in neutralise("not on the same day")


def test_always_asked_of_a_source_that_says_it_may_is_answered_no() -> None:
    from assistant.quiz.paraphrase import yes_no
    from assistant.text.tokens import STOPWORDS, words

    def stems(t: str) -> set[str]:
        return {stem(w) for w in words(t) if w not in STOPWORDS}

    q = "Does the rash always come before the weakness?"
    src = "The rash may appear before, at the same time as, or after the weakness."
    assert yes_no(q, src, "no, it can come after it", stems) == 1
    assert yes_no(q, src, "yes, always", stems) == -1
    assert yes_no(q, "The rash always appears before the weakness.", "no", stems) == -1


def test_a_percentage_the_passage_gives_in_words_is_given() -> None:
    src = "Adverse effects are common, and more than half of patients experience at least one."
    q = "how common are side effects?"
    assert wrong_numbers("over 50% get at least one", src, q, set()) == []
    assert wrong_numbers("over 80% get at least one", src, q, set()) == [80.0]
    # A bare number is no percentage: "50 patients" is not "half of patients".
    assert wrong_numbers("50 patients get one", src, q, set()) == [50.0]


def test_superlatives_of_speed_say_the_same() -> None:
    assert same(stem("fastest"), stem("quickest"))
    assert same(stem("slowest"), stem("slow"))
    assert not same(stem("fastest"), stem("slowest"))


def test_a_maximum_is_what_a_dose_needs_not_exceed() -> None:
    assert same(stem("max"), stem("maximum"))
    assert same(stem("max"), stem("exceed"))
    assert not same(stem("max"), stem("minimum"))


def test_abbreviations_typed_in_lower_case_are_searched_as_the_corpus_writes_them() -> None:
    from assistant.quiz.grading import _cased

    abbreviations = {"MG": "Myasthenia gravis", "MuSK": "Muscle-specific kinase"}
    assert _cased("what is the hallmark of mg?", abbreviations) == "what is the hallmark of MG?"
    # Not a unit: "10 mg", "mg/kg", "mg per day" stay as typed.
    assert _cased("is 10 mg enough?", abbreviations) == "is 10 mg enough?"
    assert _cased("how many mg/kg?", abbreviations) == "how many mg/kg?"
    assert _cased("how many mg per day?", abbreviations) == "how many mg per day?"
    assert _cased("how many mg is usual?", abbreviations) == "how many mg is usual?"
