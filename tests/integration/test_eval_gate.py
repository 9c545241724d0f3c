"""The CI gate: the assistant on the whole gold set, every metric at or above its threshold.

On failure the message is the eval's own account: each metric under its threshold with the
items that failed it and their answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.evaluation.gold import DEFAULT_GOLD, load_gold
from assistant.evaluation.report import write_report
from assistant.evaluation.scoring import THRESHOLDS, evaluate, regressions


@pytest.fixture(scope="module")
def summary(assistant: Assistant) -> dict[str, object]:
    return evaluate(assistant, load_gold(DEFAULT_GOLD))


def test_gold_eval_meets_every_threshold(summary: dict[str, object]) -> None:
    failed = regressions(summary)  # type: ignore[arg-type]
    assert not failed, "the eval regressed:\n" + "\n".join(failed)


def test_gate_thresholds_are_the_documented_ones() -> None:
    assert THRESHOLDS == {"answer_accuracy": 0.95, "citation_precision": 0.95,
                          "citation_recall": 0.95, "abstention_accuracy": 0.9}


def test_report_has_metrics_chart_ablation_and_failures(
    assistant: Assistant, summary: dict[str, object], tmp_path: Path
) -> None:
    gold = load_gold(DEFAULT_GOLD)
    ablation = {m: evaluate(assistant, gold, m) for m in ("dense", "sparse")} | {"hybrid": summary}
    report = write_report(summary, tmp_path, ablation)  # type: ignore[arg-type]
    text = report.read_text()
    assert "| answer_accuracy |" in text and "## By category" in text
    assert "## Ablation: retrieval mode" in text
    assert all(f"| {mode} |" in text for mode in ("dense", "sparse", "hybrid"))
    png = tmp_path / "metrics_by_category.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a degraded summary lists its failing items with their answers
    broken = dict(summary)
    items = [dict(i) for i in summary["items"]]  # type: ignore[attr-defined]
    passing = next(i for i in items if not i["failed"])
    before = sum(bool(i["failed"]) for i in items)
    passing |= {"failed": ["answer_accuracy"], "answer": "A wrong answer."}
    broken["items"] = items
    text = write_report(broken, tmp_path / "b").read_text()  # type: ignore[arg-type]
    assert f"## Failing items ({before + 1})" in text and "A wrong answer." in text
