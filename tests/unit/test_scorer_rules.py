"""The evidence an answer needs (answering/scorer.py): the threshold, or a stand-out best."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.answering.scorer import WEIGHTS, Scorer, load_scorer

RULE = Scorer(np.zeros(1), 0.0, answer_min=0.7, companion_min=0.1, companion_ratio=0.35,
              standout_min=0.2, standout_ratio=1.5)


def test_the_threshold_alone_answers() -> None:
    assert RULE.answers([0.71, 0.7])
    assert not RULE.answers([])


def test_a_best_far_ahead_of_the_rest_answers_below_the_threshold() -> None:
    # A terse question sharing few words with the one sentence that answers it.
    assert RULE.answers([0.38, 0.02])
    assert RULE.answers([0.3])  # the only candidate


def test_a_poor_lot_none_far_ahead_is_declined() -> None:
    assert not RULE.answers([0.6, 0.45])  # below the threshold, not 1.5 times the next
    assert not RULE.answers([0.15, 0.01])  # far ahead, but too weak in itself


def test_without_the_rule_only_the_threshold_counts() -> None:
    plain = replace(RULE, standout_min=1.0, standout_ratio=float("inf"))
    assert not plain.answers([0.6, 0.01])
    assert plain.answers([0.7, 0.69])


def test_the_rule_is_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "scorer.json"
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    data.update(replace(load_scorer(), answer_min=0.7, standout_min=0.25,
                        standout_ratio=2.0).to_json())  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")
    read = load_scorer(path)
    assert (read.standout_min, read.standout_ratio) == (0.25, 2.0)
    # A file from before the rule (no such keys) has none.
    for key in ("standout_min", "standout_ratio"):
        data.pop(key)
    path.write_text(json.dumps(data), encoding="utf-8")
    old = load_scorer.__wrapped__(path)
    assert not old.answers([0.5, 0.01])


def test_the_shipped_scorer_has_the_rule() -> None:
    shipped = load_scorer()
    assert shipped.standout_ratio < float("inf")
    assert shipped.standout_min < shipped.answer_min
