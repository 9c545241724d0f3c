"""Which question words the corpus is taken to mention (answering/wording.py)."""

from __future__ import annotations

import pytest

from assistant.answering.wording import QuestionWords, past_form


def _words(corpus_terms: list[str]) -> QuestionWords:
    words = QuestionWords()
    words.corpus_terms = set(corpus_terms)
    words.corpus_words = set()
    words._by_prefix = {}
    for v in corpus_terms:
        words._by_prefix.setdefault(v[:5], []).append(v)
    return words


@pytest.mark.parametrize("word", ["followed", "stopped", "carried", "used", "tapered"])
def test_past_forms_are_the_frame_of_a_question(word: str) -> None:
    assert past_form(word)


@pytest.mark.parametrize("word", ["breastfeed", "red", "bed"])
def test_a_word_in_ed_that_is_no_past_form_is_a_topic(word: str) -> None:
    assert not past_form(word)
