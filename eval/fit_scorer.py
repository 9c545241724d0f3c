"""Fit the extractive answerer's sentence scorer on the development questions; write its weights.

    .venv/bin/python eval/fit_scorer.py            # writes assistant/answering/scorer.json
    .venv/bin/python eval/fit_scorer.py --keep-weights   # only the stand-out rule chosen anew
    .venv/bin/python eval/fit_scorer.py --halves dev,dev-2,dev-3   # on every development half

Training data: every item of the IMNM gold set, and the ``dev`` half of each question set of
eval/suites.toml (never a ``test`` item); ``--halves`` names other development halves to read
instead (only halves whose name starts with ``dev``; pass the same to choose_threshold.py). For
each question (follow-ups after their earlier turns), every sentence of the retrieved passages
is a row of answering/features.py; it is a positive when it holds one of the item's support
spans. A logistic model (L2, Newton steps) is fitted on the rows; then the evidence threshold,
the companion-sentence rule and the stand-out rule (answering/scorer.py) are chosen on the same
questions. With ``--keep-weights`` the file's weights, threshold and companion rule stay; only
the stand-out rule is chosen, for them. The threshold chosen here rests on a proxy (how the best
sentence's probability sorts each question); run ``eval/choose_threshold.py --write`` afterwards
to choose it by the answers.

A follow-up's earlier turns are answered by the scorer in the file, so the rows depend on it:
the fit is repeated on the file it wrote until the file stays the same (at most ``ROUNDS``
times). The run is deterministic: the same data give the same file. The shipped file predates
later changes to the features and readings around it: a fit from scratch now answers fewer dev
questions than it does (README, Limits), so it is kept until the two are refitted together.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.answering.pipeline import Assistant  # noqa: E402
from assistant.answering.scorer import WEIGHTS, Scorer, load_scorer  # noqa: E402
from assistant.core.settings import Settings  # noqa: E402
from assistant.core.types import Request, Turn  # noqa: E402
from assistant.evaluation.gold import DEFAULT_GOLD, GoldItem, load_gold  # noqa: E402
from assistant.evaluation.halves import DEV_HALVES  # noqa: E402
from assistant.evaluation.suites import load_suites  # noqa: E402

L2 = 1.0
# Fits, each on the file the last one wrote, before the file is taken as settled.
ROUNDS = 6
# What an answer sentence that answers nothing costs, against one question answered in full.
EXTRA_COST = 0.1


@dataclass
class Question:
    item: GoldItem
    feats: np.ndarray
    labels: np.ndarray  # 1 where the sentence holds a support span
    spans_of: list[set[int]] = field(default_factory=list)  # per span: the rows holding it
    off_topic: bool = False  # the answerer's own off-topic rule declines it anyway


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2013", "-").replace("\u2011", "-").lower().split())


def questions_of(assistant: Assistant, items: list[GoldItem]) -> list[Question]:
    out = []
    pipe = assistant.pipeline
    for item in items:
        history: list[Turn] = []
        turns = item.turns or [item.question]
        for q in turns[:-1]:
            history.append(assistant.ask(q, history, backend="extractive").as_turn())
        reading = pipe.reader.read(Request(question=turns[-1], history=history))
        retrieved = pipe.retrieve(reading)
        said = " ".join(history[-1].quotes) if reading.focus and history else ""
        rows, feats = pipe.answerer.features(
            reading.standalone, retrieved.qvec, retrieved.hits, reading.focus, said
        )
        unmentioned, topic = pipe.answerer.unmentioned(reading.focus or reading.standalone)
        off = topic > 0 and pipe.answerer.unknown_words(unmentioned) >= topic
        spans = [_norm(s) for s in item.support_spans()] if item.answerable else []
        sentences = [_norm(c.sentences[j]) for c, j, _ in rows]
        spans_of = [
            {i for i, s in enumerate(sentences) if sp in s or (len(s) > 30 and s in sp)}
            for sp in spans
        ]
        labels = np.zeros(len(rows))
        for hit in spans_of:
            labels[list(hit)] = 1.0
        out.append(Question(item, feats, labels, spans_of, off))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton steps (positives weighted to balance)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    pos = max(1.0, y.sum())
    weight = np.where(y > 0, (len(y) - pos) / pos, 1.0)
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(xb.shape[1])
    reg[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (weight * (p - y)) + reg @ w
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def choose_rules(qs: list[Question], scorer: Scorer) -> Scorer:
    """The evidence threshold and companion rule that answer most dev questions right."""
    probs = [scorer.probability(q.feats) if len(q.feats) else np.zeros(0) for q in qs]
    best_t, best_right = 0.5, -1.0
    for t in np.linspace(0.02, 0.9, 45):
        right = 0.0
        for q, p in zip(qs, probs, strict=True):
            top = p.max() if len(p) else 0.0
            if q.item.answerable:
                right += top >= t
            elif q.item.kind != "missing":
                right += q.off_topic or top < t
        if right > best_right:
            best_t, best_right = float(t), right
    best_rule, best_value = (0.5, 0.85), -1e9
    for cmin in np.linspace(0.1, 0.9, 17):
        for ratio in np.linspace(0.3, 1.0, 15):
            value = 0.0
            for q, p in zip(qs, probs, strict=True):
                if not q.item.answerable or not len(p) or not q.spans_of:
                    continue
                order = list(np.argsort(-p))
                chosen = [order[0]]
                floor = max(cmin, ratio * p[order[0]])
                chosen += [i for i in order[1:4] if p[i] >= floor]
                covered = all(any(i in span for i in chosen) for span in q.spans_of)
                extra = sum(1 for i in chosen if q.labels[i] == 0)
                value += covered - EXTRA_COST * extra
            if value > best_value:
                best_rule, best_value = (float(cmin), float(ratio)), value
    return choose_standout(qs, Scorer(scorer.weights, scorer.bias, best_t, *best_rule))


def choose_standout(qs: list[Question], scorer: Scorer) -> Scorer:
    """The stand-out rule (answering/scorer.py) that, on top of the evidence threshold, answers
    most dev questions right; of rules as good, the strictest (none, if none does better)."""
    probs = [np.sort(scorer.probability(q.feats))[::-1] if len(q.feats) else np.zeros(0)
             for q in qs]

    def right(rule: Scorer) -> float:
        total = 0.0
        for q, p in zip(qs, probs, strict=True):
            if q.item.answerable:
                total += rule.answers(list(p[:2]))
            elif q.item.kind != "missing":
                total += q.off_topic or not rule.answers(list(p[:2]))
        return total

    best, best_right = scorer, right(scorer)
    # Strictest first: a looser rule must answer more questions right to be chosen.
    for ratio in (5.0, 4.0, 3.0, 2.5, 2.0, 1.5):
        for low in np.linspace(0.5, 0.1, 9):
            rule = replace(scorer, standout_min=float(low), standout_ratio=ratio)
            if (r := right(rule)) > best_right:
                best, best_right = rule, r
    return best


def dev_halves(text: str) -> tuple[str, ...]:
    """The halves named in ``text`` (comma-separated); only development halves are accepted."""
    names = tuple(dict.fromkeys(h.strip() for h in text.split(",") if h.strip()))
    if not names:
        raise argparse.ArgumentTypeError("no half named")
    for h in names:
        if h not in DEV_HALVES:
            raise argparse.ArgumentTypeError(f"{h!r} is not a development half")
    return names


def halves_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--halves", type=dev_halves, default=("dev",), metavar="dev[,dev-2,...]",
        help="the development halves of the question sets to read (default: dev)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep-weights", action="store_true",
                        help="keep the file's weights, threshold and companion rule")
    parser.add_argument("--l2", type=float, default=L2, help="L2 strength of the fit")
    halves_option(parser)
    args = parser.parse_args()
    for n in range(1, ROUNDS + 1):
        before = WEIGHTS.read_text(encoding="utf-8")
        fit_once(args.halves, args.keep_weights, args.l2)
        load_scorer.cache_clear()
        if (after := WEIGHTS.read_text(encoding="utf-8")) == before:
            print(f"settled: fit {n} wrote the file it was given", file=sys.stderr)
            break
    else:
        print(f"warning: the file still changed at fit {ROUNDS}", file=sys.stderr)
    print(after, end="")


def dev_sets(halves: tuple[str, ...] = ("dev",)) -> list[tuple[str, Assistant, list[GoldItem]]]:
    """Each question set of eval/suites.toml with items in ``halves``: its name, an assistant on
    its corpus, and those items (the only halves the fitting scripts read; development only)."""
    if any(h not in DEV_HALVES for h in halves):
        raise ValueError(f"only development halves may be read, not {halves}")
    out = []
    for suite in load_suites():
        items = [i for i in load_gold(suite.questions) if i.split in halves]
        if items:
            out.append((suite.name, Assistant(Settings(corpus=suite.corpus)), items))
    return out


def fit_once(
    halves: tuple[str, ...] = ("dev",), keep_weights: bool = False, l2: float = L2
) -> None:
    qs: list[Question] = []
    gold = Assistant(Settings())
    # The gold set is a CI gate: its questions count twice.
    qs += questions_of(gold, load_gold(DEFAULT_GOLD)) * 2
    for name, assistant, items in dev_sets(halves):
        qs += questions_of(assistant, items)
        print(f"{name}: {len(items)} questions of {','.join(halves)}", file=sys.stderr)
    train = [q for q in qs if q.item.answerable and q.labels.any()]
    x = np.vstack([q.feats for q in train])
    y = np.concatenate([q.labels for q in train])
    if keep_weights:
        kept = load_scorer()
        scorer = choose_standout(qs, replace(kept, standout_min=1.0, standout_ratio=float("inf")))
    else:
        w, b = fit_logistic(x, y, l2)
        scorer = choose_rules(qs, Scorer(w, b, 0.5, 0.5, 0.85))
    WEIGHTS.write_text(json.dumps(scorer.to_json(), indent=2) + "\n", encoding="utf-8")
    found = sum(bool(q.labels.any()) for q in qs if q.item.answerable)
    answerable = sum(q.item.answerable for q in qs)
    print(f"rows {len(y)}, positives {int(y.sum())}; answerable questions with a support "
          f"sentence among the candidates: {found}/{answerable}", file=sys.stderr)


if __name__ == "__main__":
    main()
