"""Leave-one-corpus-out cross-validation of eval/fit_scorer.py's procedure, on dev halves only.

    .venv/bin/python eval/cv_scorer.py            # L2 of fit_scorer.py
    .venv/bin/python eval/cv_scorer.py --l2 3     # another L2 strength

For each question set of eval/suites.toml with a ``dev`` half, the scorer is fitted (as
fit_scorer.py does: gold set twice, the other sets' dev halves) without that set, and that
set's dev half is answered with it and scored. Only ``dev`` items are read. scorer.json is
neither read for the folds' weights nor written; the earlier turns of a follow-up used as
training rows are answered by the scorer in scorer.json, as in fit_scorer.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))

from fit_scorer import (  # noqa: E402
    L2,
    Question,
    choose_rules,
    dev_sets,
    fit_logistic,
    questions_of,
)

from assistant.answering.pipeline import Assistant  # noqa: E402
from assistant.answering.scorer import Scorer  # noqa: E402
from assistant.core.settings import Settings  # noqa: E402
from assistant.evaluation.gold import DEFAULT_GOLD, load_gold  # noqa: E402
from assistant.evaluation.scoring import run_item, summarise  # noqa: E402

COUNTS = ("grounded", "missing", "followups", "flat")


def fit(qs: list[Question], l2: float) -> Scorer:
    import numpy as np

    train = [q for q in qs if q.item.answerable and q.labels.any()]
    x = np.vstack([q.feats for q in train])
    y = np.concatenate([q.labels for q in train])
    w, b = fit_logistic(x, y, l2)
    return choose_rules(qs, Scorer(w, b, 0.5, 0.5, 0.85))


def counts(summary: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """(right, asked) per figure of one half; flat declines as (declined, answerable)."""
    items = summary["items"]

    def share(key: str, of: list[dict[str, Any]]) -> tuple[int, int]:
        known = [i for i in of if i[key] is not None]
        return sum(1 for i in known if i[key]), len(known)

    answerable = [i for i in items if i["kind"] == "answerable"]
    return {
        "grounded": share("grounded_correct", items),
        "missing": share("missing_named", items),
        "followups": share("grounded_correct", [i for i in items if i["followup"]]),
        "flat": (sum(1 for i in answerable if i["abstained"]), len(answerable)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args()
    gold = questions_of(Assistant(Settings()), load_gold(DEFAULT_GOLD))
    sets = []
    for name, assistant, items in dev_sets():
        sets.append((name, assistant, items, questions_of(assistant, items)))
    total = dict.fromkeys(COUNTS, (0, 0))
    for name, assistant, items, _ in sets:
        train = gold * 2 + [q for other, _, _, qs in sets if other != name for q in qs]
        assistant.pipeline.answerer.scorer = fit(train, args.l2)
        similarity = assistant.embedder.similarity()
        got = counts(summarise([run_item(assistant, i, similarity=similarity) for i in items]))
        total = {k: (total[k][0] + got[k][0], total[k][1] + got[k][1]) for k in COUNTS}
        print(f"{name:<16} " + "  ".join(f"{k} {r}/{n}" for k, (r, n) in got.items()))
    print(f"{'all (l2 ' + format(args.l2, 'g') + ')':<16} "
          + "  ".join(f"{k} {r}/{n}" for k, (r, n) in total.items()))


if __name__ == "__main__":
    main()
