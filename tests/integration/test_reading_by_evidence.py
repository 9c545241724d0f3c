"""A question that could stand alone but may lean on its conversation is read both ways, on a
real index, and the reading whose best sentence the scorer trusts more is answered
(answering/reading.py ``may_lean``, extractive.py ``better_reading``)."""

from pathlib import Path

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, AnswerSettings, Settings
from assistant.core.types import Request
from assistant.store.embed import Embedder


def _bot(tmp_path: Path, embedder: Embedder, lean: int = 3) -> Assistant:
    corpus = REPO_ROOT / "eval" / "corpora" / "cidp"
    settings = Settings(corpus=corpus, index=tmp_path / "cidp",
                        answer=AnswerSettings(lean_max_words=lean))
    return Assistant(settings, embedder=embedder)


SCORE = "INCAT disability score in cidp - what's the range?"
MEANINGFUL = "what change counts as meaningful?"


def test_a_question_naming_its_own_words_is_answered_in_its_conversation_when_that_reads_better(
    tmp_path: Path, embedder: Embedder
) -> None:
    bot = _bot(tmp_path, embedder)
    first = bot.ask(SCORE)
    answer = bot.ask(MEANINGFUL, [first.as_turn()])
    assert "improvement of at least 1 point" in answer.answer
    assert answer.standalone_question and "context:" in answer.standalone_question
    # Off (0), the same question is read alone and the disability score's change is not quoted.
    off = _bot(tmp_path, embedder, lean=0)
    alone = off.ask(MEANINGFUL, [off.ask(SCORE).as_turn()])
    assert "improvement of at least 1 point" not in alone.answer
    assert alone.standalone_question is None


def test_only_a_question_naming_neither_the_subject_nor_a_drug_may_lean(
    tmp_path: Path, embedder: Embedder
) -> None:
    bot = _bot(tmp_path, embedder)
    history = [bot.ask(SCORE).as_turn()]
    reader = bot.pipeline.reader
    assert reader.read(Request(question=MEANINGFUL, history=history)).in_context is not None
    # Naming the corpus's subject, or a drug, it stands alone and is read only so.
    for own in ("what is the prognosis of cidp?", "what dose of ivig is given?"):
        assert reader.read(Request(question=own, history=history)).in_context is None
    # With no conversation there is nothing to lean on.
    assert reader.read(Request(question=MEANINGFUL)).in_context is None
