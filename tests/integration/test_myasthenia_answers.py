"""Answers on the myasthenia corpus (dev only): how long something lasts, as texts write it
(text/quantities.py DURATION_VALUE); a sentence naming its subject only as "the condition"
(answering/extractive.py features); kinds of question answered in other words (cues)."""

from __future__ import annotations

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, Settings
from assistant.store.embed import Embedder

CORPUS = REPO_ROOT / "eval" / "corpora" / "myasthenia"


@pytest.fixture(scope="module")
def mg(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    index = tmp_path_factory.mktemp("mg") / "idx"
    return Assistant(Settings(corpus=CORPUS, index=index), embedder=embedder)


@pytest.mark.parametrize("question", [
    "how long does neonatal MG last", "neonatal MG – how long does it last",
])
def test_the_condition_that_resolves_is_the_one_its_passage_names(
    mg: Assistant, question: str
) -> None:
    # "The condition resolves ..., usually within 2 to 3 months" shares no word with the
    # question: its passage's heading and first sentence say which condition it is.
    answer = mg.ask(question, backend="extractive")
    assert not answer.abstained, answer.answer
    assert "2 to 3 months" in answer.answer
    assert "do not say how long" not in answer.answer


def test_a_length_of_time_in_words_is_a_duration(mg: Assistant) -> None:
    answer = mg.ask("how long does thymectomy take to work", backend="extractive")
    assert "over months to years" in answer.answer, answer.answer
    assert "do not say how long" not in answer.answer


def test_which_one_acts_quicker_is_answered_by_the_one_that_works_faster(mg: Assistant) -> None:
    # "kicks in quicker" shares no word with "works faster" (a speed cue of the general pack);
    # "one" of "which one" is a pronoun, not a detail the answer leaves out.
    first = mg.ask("myasthenic crisis - ivig or plex?", backend="extractive")
    answer = mg.ask("which one kicks in quicker?", [first.as_turn()], backend="extractive")
    assert "PLEX works faster" in answer.answer, answer.answer
    assert "for one" not in answer.answer


def test_why_is_answered_by_the_reason_not_by_a_dose(mg: Assistant) -> None:
    # "full dose" in a why-question asks no dose; the sentence giving the reason answers.
    answer = mg.ask("why don't we start pred at full dose in mg", backend="extractive")
    assert "transient worsening" in answer.answer, answer.answer
    assert "do not state a dose" not in answer.answer


def test_and_the_side_effects_are_those_of_what_answered(mg: Assistant) -> None:
    first = mg.ask("1st line symptomatic tx for mg?", backend="extractive")
    answer = mg.ask("and the side effects?", [first.as_turn()], backend="extractive")
    assert "abdominal cramps" in answer.answer, answer.answer
