"""A pronoun subject read as the name the sentence before opens with (quiz/antecedent.py)."""

from __future__ import annotations

from assistant.quiz.antecedent import opening_name, resolve

PASSAGE = ("- Anti-XYZ1 (a gloss of the name): extensive skin disease. In adults it is strongly "
           "associated with cancer, but in children it is not linked to cancer.")  # fmt: skip
SENTENCE = ("In adults it is strongly associated with cancer, but in children it is not linked "
            "to cancer.")  # fmt: skip


def test_the_opening_name_of_a_sentence() -> None:
    assert opening_name("Anti-XYZ1 (a gloss): extensive skin disease.") == "Anti-XYZ1"
    assert opening_name("Rituximab is given in two doses.") == "Rituximab"
    # A sentence that opens with no short name gives none.
    assert opening_name("in most patients the disease is mild and responds well.") is None


def test_a_pronoun_subject_takes_the_name_before() -> None:
    got = resolve(SENTENCE, PASSAGE)
    assert got.startswith("In adults Anti-XYZ1 is strongly associated with cancer")


def test_no_pronoun_or_no_sentence_before_leaves_the_reference_alone() -> None:
    assert resolve("Adults have cancer more often.", PASSAGE) == "Adults have cancer more often."
    assert resolve(SENTENCE, SENTENCE) == SENTENCE
