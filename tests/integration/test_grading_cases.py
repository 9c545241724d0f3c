"""Quiz grading against the cases written before the grader changed (eval/grading/*.jsonl),
through `imnm quiz grade`'s own path: a question not in the bank is graded against the
assistant's grounded answer."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.quiz.bank import load_bank
from assistant.quiz.grading import grade_free

REPO = Path(__file__).resolve().parents[2]
CORPORA = {"imnm": REPO / "corpus", "dermatomyositis": REPO / "eval/corpora/dermatomyositis",
           "pmr": REPO / "eval/corpora/pmr", "cidp": REPO / "eval/corpora/cidp",
           "myasthenia": REPO / "eval/corpora/myasthenia"}  # fmt: skip
# Agreement as measured when the grader was last changed: a regression gate. The dev half was
# tuned on; the test half never was (eval/README.md), which is why its floor is lower.
FLOORS = {"dev": 0.98, "test": 0.77, "dev-2": 0.96, "dev-3": 0.58, "holdout": 0.68,
          "holdout-2": 0.68}  # fmt: skip
# Rows numbered from 101 (e.g. `pmr-g101`) were written later, as more dev material, and
# are gated on their own so the original halves' floors keep their meaning; rows from 201
# (dev-3) later still, blind to the grader as it then was (its first figure, 53/90, is an
# out-of-sample one, like the test half's). The holdout rows (from 301) were written blind
# after all of them, and are measured once per round of grader changes, never tuned on: 67/100
# at their first measure (main at 7d5eec1), 68/100 after the answerer round of 2026-11-26. The
# holdout-2 rows (from 501), a second blind batch, measured 34/50 at their first measure.
LATER = re.compile(r"-g(\d{3,})$")


def half_of(case: dict[str, object]) -> str:
    m = LATER.search(str(case["id"]))
    n = int(m.group(1)) if m and case["split"] == "dev" else 0
    if str(case["split"]).startswith("holdout"):
        return str(case["split"])
    return "dev-3" if n >= 201 else "dev-2" if n > 100 else str(case["split"])


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[dict[str, object], bool]]:
    out = []
    for path in sorted((REPO / "eval" / "grading").glob("*.jsonl")):
        settings = Settings(corpus=CORPORA[path.stem])
        assistant = Assistant(settings)
        bank = load_bank(settings, chunks=assistant.index.chunks)
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            item = bank.find(str(case["question"]))
            grade = (bank.grade(item, str(case["answer"])) if item
                     else grade_free(assistant, str(case["question"]), str(case["answer"])))
            out.append((case, grade.correct))
    return out


def test_the_table_is_big_enough_both_ways(verdicts: list[tuple[dict[str, object], bool]]) -> None:
    cases = [c for c, _ in verdicts]
    assert len(cases) >= 120
    kinds = Counter(str(c["why"]) for c in cases)
    assert kinds["other-words-right"] >= 20 and kinds["same-words-wrong"] >= 20, kinds
    assert {c["split"] for c in cases} == {"dev", "test", "holdout", "holdout-2"}


@pytest.mark.parametrize("half", ["dev", "dev-2", "dev-3", "test", "holdout", "holdout-2"])
def test_each_half_agrees_at_least_at_its_floor(
    verdicts: list[tuple[dict[str, object], bool]], half: str
) -> None:
    mine = [(c, got) for c, got in verdicts if half_of(c) == half]
    right = sum(got == c["correct"] for c, got in mine)
    by = Counter(str(c["why"]) for c, got in mine if got != c["correct"])
    print(f"grading {half}: {right}/{len(mine)}; misses by kind: {dict(by)}")
    assert right / len(mine) >= FLOORS[half], (right, len(mine), by)
    # Answers about something else are never graded correct.
    assert all(not got for c, got in mine if c["why"] == "off")
