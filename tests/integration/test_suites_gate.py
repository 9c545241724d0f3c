"""Every question set of eval/suites.toml, on its own corpus, held at its floors per half.

The floors are what was measured where a half is below the target (eval/suites.toml says
which): this gate catches a regression of answer generality on any corpus, not only IMNM.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.evaluation.gold import load_gold
from assistant.evaluation.suites import (
    SET_THRESHOLDS,
    Suite,
    load_suites,
    run_suite,
    suite_regressions,
)

SUITES = [s for s in load_suites() if s.name != "imnm-gold"]  # the gold set has its own gate


@pytest.mark.parametrize("suite", SUITES, ids=[s.name for s in SUITES])
def test_each_suite_holds_its_floors_on_both_halves(suite: Suite) -> None:
    report = run_suite(suite)
    # Every half the set has is scored (a set written for tuning has a dev half only).
    assert {item.split for item in load_gold(suite.questions)} <= report.keys()
    failed = suite_regressions(report, suite)
    assert not failed, "a question set regressed:\n" + "\n".join(failed)


def _summary(**metrics: Any) -> dict[str, Any]:
    items = [
        {"id": "q1", "failed": ["grounded_accuracy"], "grounded_correct": False, "abstained": True}
    ]
    return {"metrics": metrics, "items": items}


def test_the_gate_fails_under_a_floor_and_on_extra_declines(tmp_path: Any) -> None:
    suite = Suite(
        name="s",
        corpus=tmp_path,
        questions=tmp_path / "q.jsonl",
        thresholds={"grounded_accuracy": 0.5, "flat_declines": 1},
    )
    fine = {"dev": _summary(grounded_accuracy=0.5, flat_declines=1)}
    assert suite_regressions(fine, suite) == []
    low = {"test": _summary(grounded_accuracy=0.49, flat_declines=2)}
    lines = suite_regressions(low, suite)
    assert any("grounded_accuracy = 0.490 < 0.5 (q1)" in line for line in lines)
    assert any("2 answerable question(s) declined (q1)" in line for line in lines)
    # contradicting notes are gated only where a most is set, and then beyond it
    contra = {"dev": _summary(grounded_accuracy=0.5, flat_declines=1, contradictions=2)}
    assert suite_regressions(contra, suite) == []
    capped = suite.model_copy(update={"thresholds": {**suite.thresholds, "contradictions": 1}})
    assert any("2 answer(s) contradicted" in line for line in suite_regressions(contra, capped))
    # a floor of one half holds that half only
    later = suite.model_copy(update={"half_thresholds": {"holdout": {"grounded_accuracy": 0.3}}})
    assert suite_regressions({"holdout": _summary(grounded_accuracy=0.3, flat_declines=1)},
                             later) == []
    assert suite_regressions({"dev": _summary(grounded_accuracy=0.3, flat_declines=1)}, later)
    # without a floor of its own, a set is held to the targets
    plain = Suite(name="p", corpus=tmp_path, questions=tmp_path / "q.jsonl")
    target = SET_THRESHOLDS["grounded_accuracy"]
    assert suite_regressions({"dev": _summary(grounded_accuracy=target - 0.01)}, plain)
    assert suite_regressions({"dev": _summary(grounded_accuracy=target, flat_declines=1)}, plain)
