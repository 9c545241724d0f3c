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


def test_another_form_of_a_corpus_word_is_known() -> None:
    words = _words(["diagnost", "hydroxyvitamin"])
    assert words.known("diagnosi") == "diagnost"


def test_a_shared_first_part_alone_is_another_word() -> None:
    # hydroxychloroquine is not the corpus's hydroxyvitamin D: the question names a drug the
    # corpus never mentions, and the answer must say so.
    assert _words(["hydroxyvitamin"]).known("hydroxychloroquin") is None


@pytest.mark.parametrize("word", ["followed", "stopped", "carried", "used", "tapered"])
def test_past_forms_are_the_frame_of_a_question(word: str) -> None:
    assert past_form(word)


@pytest.mark.parametrize("word", ["breastfeed", "red", "bed"])
def test_a_word_in_ed_that_is_no_past_form_is_a_topic(word: str) -> None:
    assert not past_form(word)
