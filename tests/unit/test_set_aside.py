"""What a question sets aside ("apart from drug X, what else?": answering/besides.py)."""

from __future__ import annotations

import pytest

from assistant.answering.asides import set_aside
from assistant.answering.besides import about_set_aside
from assistant.domain.vocabulary import general_vocabulary


@pytest.mark.parametrize(
    "question",
    ["apart from tocilizumab what else spares steroids?", "besides tocilizumab?",
     "other than tocilizumab, which drug?", "any steroid sparer except for tocilizumab?",
     "any alternative to tocilizumab?", "what instead of tocilizumab?"],
)
def test_the_drug_after_apart_from_is_set_aside(question: str) -> None:
    assert set_aside(question, general_vocabulary()) == {"tocilizumab"}


def test_nothing_is_set_aside_without_such_words() -> None:
    assert set_aside("is tocilizumab a steroid sparer?", general_vocabulary()) == set()


def test_a_sentence_is_about_its_first_drug_or_its_passages() -> None:
    vocab = general_vocabulary()
    aside = {"tocilizumab"}
    first = "Tocilizumab is given weekly with a tapering course of prednisolone."
    assert about_set_aside(first, aside, vocab)
    assert not about_set_aside("Methotrexate is an alternative, given with folic acid.", aside,
                               vocab)
    # Naming no drug: the drug its passage named first or last before it.
    later = "In England, NICE recommends it for relapsing disease."
    assert about_set_aside(later, aside, vocab, first + " Remission was 56 percent.")
    assert not about_set_aside(later, aside, vocab, "Methotrexate is an alternative.")
    assert not about_set_aside(later, aside, vocab, "")
