"""Shorthand whose reading depends on its case: "US" typed in capitals is an ultrasound, "us"
the pronoun; "IM" is intramuscular, "im" left alone. And shorthand in any case: "jab", "ab"."""

from __future__ import annotations

from assistant.domain.vocabulary import general_vocabulary


def test_capitalised_shorthand_is_written_out_and_the_word_in_lower_case_is_not() -> None:
    text, changes = general_vocabulary().rewrite("already on pred - how long is US still useful?")
    assert "how long is ultrasound still useful" in text and ("US", "ultrasound") in changes
    assert general_vocabulary().rewrite("tell us if USS shows a halo")[0] == (
        "tell us if ultrasound scan shows a halo"
    )
    assert general_vocabulary().rewrite("give it IM or let us give it po")[0].startswith(
        "give it intramuscular or let us give it"
    )


def test_colloquial_and_antibody_shorthand_is_written_out() -> None:
    text, _ = general_vocabulary().rewrite("which is a jab? which ab goes w/ it? MuSK abs?")
    assert text == "which is a injection? which antibody goes with it? MuSK antibodies?"


def test_clipped_drugs_brands_and_shorthand_of_the_eleventh_session_are_written_out() -> None:
    text, _ = general_vocabulary().rewrite("tacro or ritux? pyrido dose? how much does ofev help,"
                                           " and esbriet? which resp params?")
    assert text == ("tacrolimus or rituximab? pyridostigmine dose? how much does nintedanib help,"
                    " and pirfenidone? which respiratory parameters?")


def test_words_asking_how_exact_or_how_kept_are_question_words() -> None:
    # "ballpark %?" names no thing asked about, nor does "how long do I hold it?"
    vocab = general_vocabulary()
    for word in ("ballpark", "roughly", "hold", "well", "parameters", "actually", "send", "hard"):
        assert set(vocab.terms(word)) <= vocab.question_words, word


def test_vital_sign_and_lab_shorthand_is_written_out() -> None:
    text, _ = general_vocabulary().rewrite("sudden htn + rising cr, max dose? Cr up. CR rate?")
    assert text == ("sudden hypertension + rising creatinine, maximum dose? creatinine up."
                    " CR rate?")


def test_shorthand_read_by_the_words_around_it() -> None:
    # "pts" beside a score is points; elsewhere patients.
    vocab = general_vocabulary()
    assert vocab.rewrite("how many pts is hip pain worth on the criteria?")[0] == (
        "how many points is hip pain worth on the criteria?")
    assert vocab.rewrite("how many pts relapse?")[0] == "how many patients relapse?"
    # "hr" beside a target or a pulse is a heart rate; an hour elsewhere.
    assert vocab.rewrite("target hr?")[0] == "target heart rate?"
    assert vocab.rewrite("a 24 hr urine?")[0] == "a 24 hour urine?"
    # "ca" beside a sample or a lab word is calcium; left alone elsewhere ("ca risk").
    assert vocab.rewrite("urine ca high?")[0] == "urine calcium high?"
    assert vocab.rewrite("ca risk in dm?")[0] == "ca risk in dm?"
    # "im" beside a dose or a route is intramuscular; "min" beside a count or a maximum is a
    # minimum; each left alone elsewhere.
    assert vocab.rewrite("depot steroid im - regimen?")[0] == (
        "depot steroid intramuscular - regimen?")
    assert vocab.rewrite("im not sure what it is")[0] == "im not sure what it is"
    assert vocab.rewrite("how many nerves min?")[0] == "how many nerves minimum?"
    assert vocab.rewrite("a 30 min infusion?")[0] == "a 30 min infusion?"


def test_spreading_a_course_or_stressing_names_no_thing_asked_about() -> None:
    vocab = general_vocabulary()
    for word in ("spread", "anyway"):
        assert set(vocab.terms(word)) <= vocab.question_words, word


def test_x_between_a_count_and_its_measure_is_times() -> None:
    vocab = general_vocabulary()
    assert vocab.rewrite("how many x uln? 3 x weekly?")[0] == "how many times uln? 3 times weekly?"
    assert vocab.rewrite("low factor X? x-ray?")[0] == "low factor X? x-ray?"
