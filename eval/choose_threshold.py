"""Choose the sentence scorer's evidence threshold (``answer_min``) by the real dev figures.

    .venv/bin/python eval/choose_threshold.py           # prints the grid and the choice
    .venv/bin/python eval/choose_threshold.py --write   # and writes it into scorer.json
    .venv/bin/python eval/choose_threshold.py --halves dev,dev-2,dev-3   # on every dev half

fit_scorer.py chooses the threshold on a proxy (the best sentence's probability against each
question's labels); answers also depend on the companion and stand-out rules, off-topic checks
and follow-up reading, so the proxy and the figures part (a threshold of 0.74 declined
answerable dev questions that lower ones answer right). Here each threshold of a grid is run
through the answerer on the ``dev`` half of every question set of eval/suites.toml (or the
development halves ``--halves`` names; never any other half) and scored as ``imnm eval`` scores
it. The choice: most dev items right, then fewest answerable questions declined outright, then
the highest threshold (the most cautious). Each set is also predicted by the threshold the other
sets choose (leave one corpus out), printed so that what carries to an unseen corpus is visible.
The gold set must stay at 1.000.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))

from fit_scorer import dev_sets, halves_option  # noqa: E402

from assistant.answering.pipeline import Assistant  # noqa: E402
from assistant.answering.scorer import WEIGHTS, load_scorer  # noqa: E402
from assistant.core.settings import Settings  # noqa: E402
from assistant.evaluation.gold import DEFAULT_GOLD, GoldItem, load_gold  # noqa: E402
from assistant.evaluation.scoring import run_item, summarise  # noqa: E402

GRID = (0.8, 0.74, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)
Figures = dict[float, tuple[int, int]]  # threshold -> (items right, flat declines)


def figures(assistant: Assistant, items: list[GoldItem], grid: tuple[float, ...]) -> Figures:
    kept = assistant.pipeline.answerer.scorer
    out: Figures = {}
    similarity = assistant.embedder.similarity()
    for t in grid:
        assistant.pipeline.answerer.scorer = replace(kept, answer_min=t)
        report = summarise([run_item(assistant, i, similarity=similarity) for i in items])
        right = sum(1 for i in report["items"] if not i["failed"])
        out[t] = (right, int(report["metrics"].get("flat_declines") or 0))
    assistant.pipeline.answerer.scorer = kept
    return out


def best(per_set: dict[str, Figures], names: list[str]) -> float:
    def key(t: float) -> tuple[int, int, float]:
        return (sum(per_set[n][t][0] for n in names), -sum(per_set[n][t][1] for n in names), t)

    return max(GRID, key=key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write the choice into scorer.json")
    halves_option(parser)
    args = parser.parse_args()
    per_set: dict[str, Figures] = {}
    for name, assistant, items in dev_sets(args.halves):
        per_set[name] = figures(assistant, items, GRID)
    gold_items = load_gold(DEFAULT_GOLD)
    gold = figures(Assistant(Settings()), gold_items, GRID)
    names = sorted(per_set)
    print("threshold  " + "  ".join(f"{n[:10]:>10}" for n in names) + "   total (flat)  gold")
    for t in GRID:
        cells = "  ".join(f"{per_set[n][t][0]:>7} ({per_set[n][t][1]})" for n in names)
        total = sum(per_set[n][t][0] for n in names), sum(per_set[n][t][1] for n in names)
        print(f"{t:<9}  {cells}   {total[0]} ({total[1]})  {gold[t][0]}/{len(gold_items)}")
    left_out = [per_set[n][best(per_set, [o for o in names if o != n])] for n in names]
    print(f"leave one corpus out: {sum(r for r, _ in left_out)} right, "
          f"{sum(f for _, f in left_out)} flat")  # fmt: skip
    full = max(g for g, _ in gold.values())
    chosen = best(per_set, names)
    if gold[chosen][0] < full:
        sys.exit(f"the choice {chosen} loses a gold item: nothing written")
    print(f"chosen: {chosen}")
    if args.write:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        data["answer_min"] = chosen
        WEIGHTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        load_scorer.cache_clear()
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
