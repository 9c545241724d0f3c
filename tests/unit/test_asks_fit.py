"""Which kinds of value a question asks, and whether a sentence gives them (answering/features
``Asks.fit``): only the kinds asked are read."""

from __future__ import annotations

import pytest

from assistant.answering.features import Asks


@pytest.mark.parametrize(
    ("question", "sentence", "fit"),
    [
        ("what is it?", "The usual dose is 2 mg/kg a day for 3 months.", (0, 0)),
        ("mtx dose?", "The usual dose is 15 mg once weekly.", (1, 0)),
        ("mtx dose?", "Methotrexate is a second-line drug.", (0, 1)),
        ("how long on mtx, and at what dose?", "Give 15 mg weekly for two years.", (2, 0)),
        ("how long on mtx, and at what dose?", "Give 15 mg weekly.", (1, 1)),
    ],
)
def test_a_sentence_fits_the_kinds_of_value_asked(
    question: str, sentence: str, fit: tuple[int, int]
) -> None:
    assert Asks.of(question).fit(sentence) == fit
