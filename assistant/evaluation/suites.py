"""Question sets on several corpora (eval/suites.toml), scored per corpus and per half.

Each set's items carry a fixed ``split``: the ``dev`` half may be used to tune the answerer,
the ``test`` half is only measured. The gate holds every suite to its thresholds on each half.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from assistant.core.errors import InputError
from assistant.core.settings import REPO_ROOT, Settings
from assistant.evaluation.gold import GoldItem, load_gold
from assistant.evaluation.halves import HALVES
from assistant.evaluation.scoring import run_item, summarise

DEFAULT_SUITES = REPO_ROOT / "eval" / "suites.toml"
# What every set must reach on each half (the original gold set keeps its own THRESHOLDS).
SET_THRESHOLDS = {"grounded_accuracy": 0.95, "missing_named": 0.9, "followup_accuracy": 0.9}


class Suite(BaseModel):
    name: str
    corpus: Path
    questions: Path
    # Per-suite floors that replace SET_THRESHOLDS where a measured half is below the target:
    # a regression gate at what was measured, never a claim that the target is met.
    # "flat_declines" here is the most answerable questions a half may decline, and
    # "contradictions" the most fully answered ones that may end by saying a value asked is
    # not given (scoring.VALUE_NOTE); absent, contradictions are not gated.
    thresholds: dict[str, float] = {}
    # Floors of one half only ("holdout"), over ``thresholds``: a half written later and
    # measured blind starts from its own first figure.
    half_thresholds: dict[str, dict[str, float]] = {}


def load_suites(path: Path = DEFAULT_SUITES) -> list[Suite]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        suites = [Suite.model_validate(s) for s in data.get("suite", [])]
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise InputError(f"{path} is not a valid suites file: {exc}") from exc
    root = path.resolve().parent.parent
    return [
        s.model_copy(update={"corpus": root / s.corpus, "questions": root / s.questions})
        for s in suites
    ]


def run_suite(
    suite: Suite, split: str | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """The suite's items (one half, or both) scored: overall and per half."""
    from assistant.answering.pipeline import Assistant

    base = settings or Settings()
    assistant = Assistant(base.model_copy(update={"corpus": suite.corpus, "index": None}))
    items: list[GoldItem] = [
        i for i in load_gold(suite.questions) if split is None or i.split == split
    ]
    similarity = assistant.embedder.similarity()
    results = [run_item(assistant, item, similarity=similarity) for item in items]
    out: dict[str, Any] = {
        "suite": suite.name, "corpus": str(suite.corpus), "all": summarise(results)
    }
    for half in HALVES:
        part = [r for r in results if r.split == half]
        if part:
            out[half] = summarise(part)
    return out


def suite_regressions(report: dict[str, Any], suite: Suite) -> list[str]:
    """One line per metric of a half under its threshold."""
    lines = []
    for half in HALVES:
        summary = report.get(half)
        if not summary:
            continue
        thresholds = SET_THRESHOLDS | suite.thresholds | suite.half_thresholds.get(half, {})
        # "flat_declines" is a most, not a least: answerable questions a suite may decline.
        allowed_flat = thresholds.pop("flat_declines", 0)
        allowed_contra = thresholds.pop("contradictions", None)
        for name, minimum in thresholds.items():
            value = summary["metrics"].get(name)
            if value is not None and value < minimum:
                failing = [i["id"] for i in summary["items"] if name in i["failed"]]
                lines.append(f"{suite.name} {half}: {name} = {value:.3f} < {minimum} "
                             f"({', '.join(failing[:10])})")
        flat = summary["metrics"].get("flat_declines")
        if flat and flat > allowed_flat:
            declined = [i["id"] for i in summary["items"]
                        if i["grounded_correct"] is False and i["abstained"]]
            lines.append(f"{suite.name} {half}: {flat:g} answerable question(s) declined "
                         f"({', '.join(declined[:10])})")
        contra = summary["metrics"].get("contradictions")
        if allowed_contra is not None and contra and contra > allowed_contra:
            said = [i["id"] for i in summary["items"] if "contradictions" in i["failed"]]
            lines.append(f"{suite.name} {half}: {contra:g} answer(s) contradicted by a note "
                         f"that a value is not given ({', '.join(said[:10])})")
    return lines
