"""A follow-up given what the last answer already said (answering/extractive.py, repeats.py)."""

from __future__ import annotations

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, Settings
from assistant.store.embed import Embedder


@pytest.fixture(scope="module")
def pmr(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    index = tmp_path_factory.mktemp("pmr") / "idx"
    return Assistant(Settings(corpus=REPO_ROOT / "eval" / "corpora" / "pmr", index=index),
                     embedder=embedder)


def test_a_sentence_giving_what_the_follow_up_asks_is_no_repeat(pmr: Assistant) -> None:
    # The first answer may already quote the taper after a relapse; "how fast back down?"
    # asks exactly that duration: the sentence giving it is not held back as said before,
    # and "back" is no detail the answer leaves out.
    first = pmr.ask("pmr relapse on the taper - what do i do?", backend="extractive")
    answer = pmr.ask("and how fast back down?", [first.as_turn()], backend="extractive")
    assert not answer.abstained, answer.answer
    assert "4 to 8 weeks" in answer.answer
    assert "for back" not in answer.answer
