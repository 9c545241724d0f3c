"""Everyday ways of saying what texts say in their own words (general pack terms): a question and
the passage answering it then share a term for the word search ("more than one drug" and
"combination therapy", "no better" and "no response", "crept up" and "a rise in")."""

from __future__ import annotations

import pytest

from assistant.domain.vocabulary import general_vocabulary


@pytest.mark.parametrize(
    ("asked", "written", "term"),
    [
        ("do most pts need more than one drug?", "frequently require combination therapy",
         "combination"),
        ("how big was the drop in hospital stays?", "fewer hospital admissions", "admission"),
        ("a week of pred and no better", "little or no response after one week", "refractory"),
        ("crp crept up", "a rise in ESR or CRP", "elevated"),
        ("pt feels fine", "markers alone, without symptoms", "asymptomatic"),
        ("bump the pred?", "should not trigger an increase in steroids", "increase"),
    ],
)
def test_a_question_and_its_passage_share_the_term(asked: str, written: str, term: str) -> None:
    vocab = general_vocabulary()
    assert term in vocab.terms(asked)
    assert term in vocab.terms(written)


def test_better_alone_is_not_a_failed_treatment() -> None:
    assert "refractory" not in general_vocabulary().terms("better outcomes with early treatment")
