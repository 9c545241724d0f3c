"""Free grading's reading of a learner's words, on the eval corpora: what goes unsaid, what the
question already says, and the corpus's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.quiz.grading import grade_free

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cidp() -> Assistant:
    return Assistant(Settings(corpus=REPO / "eval/corpora/cidp"))


def test_the_zero_a_scale_starts_from_goes_unsaid(cidp: Assistant) -> None:
    q = "what does the MRC sum score measure and what is its range?"
    assert grade_free(cidp, q, "power in twelve muscle groups, max sixty").correct
    assert not grade_free(cidp, q, "power in twelve muscle groups, max fifty").correct


def test_what_is_always_spared_is_never_affected() -> None:
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    q = "are the pupils affected in mg?"
    assert grade_free(mg, q, "no, pupils are always spared").correct
    assert not grade_free(mg, q, "yes, the pupils are affected").correct
