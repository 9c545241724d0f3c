"""The checker's wider reading of a claim's words (verify/wording.py): other forms of a word
and general paraphrases count as said; nothing that changes what a claim commits to does."""

from __future__ import annotations

import pytest

from assistant.text.tokens import stem
from assistant.verify.check import supports
from assistant.verify.wording import Said, same_word


@pytest.mark.parametrize(
    ("a", "b"),
    [("responds", "response"), ("treat", "treatment"), ("necrotic", "necrosis"),
     ("adjusted", "adjustment")],
)  # fmt: skip
def test_forms_of_one_word_are_the_same_word(a: str, b: str) -> None:
    assert same_word(stem(a), stem(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("effective", "ineffective"), ("tolerated", "intolerance"), ("present", "prevent"),
     ("improve", "impress")],
)  # fmt: skip
def test_a_negating_prefix_or_a_short_shared_start_is_another_word(a: str, b: str) -> None:
    assert not same_word(stem(a), stem(b))


def test_paraphrase_groups_count_as_said() -> None:
    said = Said(stem(w) for w in ["trials", "shown", "benefit"])
    assert said.covered({stem("studies"), stem("found"), stem("help")}) == {
        stem("studies"), stem("found"), stem("help")}  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "passage", "ok"),
    [
        # A reworded honest claim: other forms, general paraphrases, reordered clauses.
        ("Steroids are a first-line therapy for the disease.",
         "Corticosteroids are a first-line treatment for the disease.", True),
        ("Infliximab should not be used, as studies found it did not help.",
         "Infliximab is not recommended, because trials have shown no benefit.", True),
        ("Relapse is commonly caused by tapering too quickly.",
         "Tapering too fast is a common cause of relapse.", True),
        # The wider reading never excuses a distortion the word-for-word checks catch.
        ("Infliximab should be used, as studies found it helped.",
         "Infliximab is not recommended, because trials have shown no benefit.", False),
        ("Steroids always help the disease.",
         "Corticosteroids often help the disease.", False),
        ("Rituximab is a first-line therapy for the disease.",
         "Corticosteroids are a first-line treatment for the disease.", False),
        ("Prednisone is a first-line therapy for the disease.",
         "Prednisolone is a first-line treatment for the disease.", False),
        ("Relapse is commonly caused by tapering too quickly in children.",
         "Tapering too fast is a common cause of relapse.", False),
    ],
)  # fmt: skip
def test_wider_reading_keeps_paraphrases_and_removes_distortions(
    sentence: str, passage: str, ok: bool
) -> None:
    assert supports(sentence, passage)[0] is ok, supports(sentence, passage)
