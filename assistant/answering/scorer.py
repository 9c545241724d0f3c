"""The sentence scorer: a logistic model over answering/features.py, its weights as data.

``scorer.json`` holds the feature names, weights, bias and the evidence thresholds, written by
``eval/fit_scorer.py`` from the development halves of the question sets (and the gold set);
its evidence threshold (``answer_min``) is then chosen by the real dev figures with
``eval/choose_threshold.py --write``. The weights shipped are from a fit on the dev halves of
an earlier day: refitted on today's larger dev data they lose dev questions under their floors
and gain nothing left-one-corpus-out (eval/cv_scorer.py), so they were kept (README, Eval).
A file whose features do not match the code's is refused with one line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.answering.features import FEATURES
from assistant.core.errors import ModelError

WEIGHTS = Path(__file__).with_name("scorer.json")


@dataclass(frozen=True)
class Scorer:
    weights: np.ndarray
    bias: float
    # The best sentence must reach this probability, or the sources do not answer.
    answer_min: float
    # Another sentence joins the answer at this probability and this share of the best one.
    companion_min: float
    companion_ratio: float
    # ... or stand out: reach ``standout_min`` and ``standout_ratio`` times the next best. A
    # sentence far ahead of every other candidate is the one that answers even when its own
    # probability is modest (a terse question sharing few words with it); the sentences of a
    # question the sources do not cover are a poor lot, none far ahead. (inf: no such rule.)
    standout_min: float = 1.0
    standout_ratio: float = float("inf")

    def answers(self, probs: Sequence[float]) -> bool:
        """Whether the best of ``probs`` (best first) is evidence enough to answer."""
        if not probs:
            return False
        if probs[0] >= self.answer_min:
            return True
        second = probs[1] if len(probs) > 1 else 0.0
        return probs[0] >= self.standout_min and probs[0] >= self.standout_ratio * second

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(the sentence answers the question) for each row of features."""
        z = rows @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "answer_min": round(self.answer_min, 4),
            "companion_min": round(self.companion_min, 4),
            "companion_ratio": round(self.companion_ratio, 4),
            "standout_min": round(self.standout_min, 4),
            "standout_ratio": round(self.standout_ratio, 4) if self.standout_ratio < 1e9 else None,
        }


@lru_cache(maxsize=4)
def load_scorer(path: Path = WEIGHTS) -> Scorer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = data["features"]
        if names != list(FEATURES):
            raise ModelError(
                f"{path}: its features {names} are not the code's {list(FEATURES)}; "
                "run eval/fit_scorer.py"
            )
        return Scorer(
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
            float(data["answer_min"]),
            float(data["companion_min"]),
            float(data["companion_ratio"]),
            float(data.get("standout_min", 1.0)),
            float(data.get("standout_ratio") or float("inf")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"cannot read the sentence scorer {path}: {exc}") from exc
