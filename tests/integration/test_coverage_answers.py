"""A question joining two things is answered on both (answering/coverage.py): the sentence
taking up the second joins the answer though it ranks below the companions kept."""

from __future__ import annotations

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, Settings
from assistant.store.embed import Embedder

CORPUS = REPO_ROOT / "eval" / "corpora" / "cidp"


@pytest.fixture(scope="module")
def cidp(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    index = tmp_path_factory.mktemp("cidp") / "idx"
    return Assistant(Settings(corpus=CORPUS, index=index), embedder=embedder)


def test_the_second_topic_of_a_question_gets_its_sentence(cidp: Assistant) -> None:
    # Rituximab and anti-MAG sentences rank first; the one on IVIG is fifth.
    answer = cidp.ask("anti mag neuropathy - does ivig help or doesn't it", backend="extractive")
    assert not answer.abstained
    assert any("response to IVIG" in c.quote for c in answer.citations), answer.answer
    assert "poor" in answer.answer


def test_a_share_in_words_finds_the_figure(tmp_path_factory: pytest.TempPathFactory,
                                           embedder: Embedder) -> None:
    # "one in five" is the "15 to 20 percent" sentence (text/quantities.py same_share).
    index = tmp_path_factory.mktemp("pmr") / "idx"
    pmr = Assistant(Settings(corpus=REPO_ROOT / "eval" / "corpora" / "pmr", index=index),
                    embedder=embedder)
    answer = pmr.ask("roughly one in five pmr pts get gca?", backend="extractive")
    assert not answer.abstained
    assert "15 to 20 percent" in answer.answer, answer.answer


def test_a_near_sentence_adding_a_fact_is_not_dropped_as_redundant(cidp: Assistant) -> None:
    # The two motor-CIDP steroid sentences are close in meaning (cosine > 0.8), but the second
    # is mostly new words (the variant, the deterioration): both are cited.
    answer = cidp.ask("steroids in motor cidp - ok or not?", backend="extractive")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "avoided or used with caution" in quotes, answer.answer
    assert "may cause deterioration" in quotes, answer.answer


def test_an_outlook_question_finds_the_prognosis_sentences(cidp: Assistant) -> None:
    # "outlook" shares no word with "complete remission" or "severe disability": the cue
    # words of the general pack bring that passage into the word search (domain/cues.py).
    answer = cidp.ask("cidp prognosis long term?", backend="extractive")
    hits = " ".join(h.chunk.text for h in answer.retrieved)
    assert "complete remission" in hits


def test_an_outlook_question_is_answered_by_self_limiting(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    # "long term" matches a long-term steroid sentence word for word; "self-limiting" answers.
    index = tmp_path_factory.mktemp("pmr2") / "idx"
    pmr = Assistant(Settings(corpus=REPO_ROOT / "eval" / "corpora" / "pmr", index=index),
                    embedder=embedder)
    answer = pmr.ask("pmr long term outlook?", backend="extractive")
    assert "self-limiting" in answer.answer, answer.answer


def test_a_percentage_of_another_thing_does_not_answer_the_one_asked(cidp: Assistant) -> None:
    # "About 80 percent ... improve" is no share of patients with diabetes.
    answer = cidp.ask("what % of cidp pts have diabetes too?", backend="extractive")
    assert "do not give a percentage" in answer.answer, answer.answer
