"""``imnm eval``: run (or score) the gold set and print metrics, optionally a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.evaluation.halves import HALVES, HALVES_HELP


def eval_cmd(
    gold: Annotated[Path | None, typer.Option(help="Gold JSONL file.")] = None,
    answers: Annotated[
        Path | None, typer.Option(help="Score these `imnm ask --json` lines instead.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write REPORT.md, metrics.json and a chart here.")
    ] = None,
    ablation: Annotated[
        bool, typer.Option(help="Also run dense-only and BM25-only (in the report).")
    ] = True,
    gate: Annotated[
        bool, typer.Option(help="Exit 1 when a metric is under its threshold.")
    ] = False,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
    index: Annotated[Path | None, typer.Option("--index")] = None,
    suites: Annotated[
        bool, typer.Option("--suites", help="Run every question set of eval/suites.toml.")
    ] = False,
    suite: Annotated[
        list[str] | None, typer.Option("--suite", help="Run this set of eval/suites.toml.")
    ] = None,
    split: Annotated[
        str | None, typer.Option(help=f"Only this half of the sets: {HALVES_HELP}.")
    ] = None,
    adversary: Annotated[
        bool,
        typer.Option("--adversary", help="Distort answers as LLMs do; count what the checker "
                     "removes (gold set and every question set)."),
    ] = False,
) -> None:
    """Evaluate answers and citations against the gold question-answer pairs."""
    import json

    if adversary:
        run_adversary_sets(json_out)
        return
    if suites or suite:
        run_sets(suite or [], split, json_out, gate)
        return

    from assistant.cli.common import err, make_assistant, settings_for
    from assistant.evaluation.gold import DEFAULT_GOLD, load_gold
    from assistant.evaluation.report import write_report
    from assistant.evaluation.scoring import METRICS, evaluate, evaluate_answers, regressions

    items = load_gold(gold or DEFAULT_GOLD)
    abl = None
    if answers is not None:
        from assistant.domain.vocabulary import vocabulary_for
        from assistant.store.embed import shared_embedder
        from assistant.verify.vocabulary import Equivalents

        corpus_dir = settings_for(corpus, index).corpus
        equivalents = Equivalents.for_corpus(vocabulary_for(corpus_dir).abbreviations)
        summary = evaluate_answers(answers, items, shared_embedder().similarity(), equivalents)
    else:
        assistant = make_assistant(corpus, index)
        summary = evaluate(assistant, items)
        if report is not None and ablation:
            abl = {m: evaluate(assistant, items, m) for m in ("dense", "sparse")}
            abl["hybrid"] = summary
    if report is not None:
        err(f"report written to {write_report(summary, report, abl)}")
    if json_out:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        typer.echo(f"gold items: {summary['n']}")
        for m in METRICS:
            v = summary["metrics"][m]
            typer.echo(f"  {m:<22} {'—' if v is None else f'{v:.3f}'}")
        if summary.get("latency"):
            lat = summary["latency"]
            typer.echo(f"  latency p50/p95 ms     {lat['p50_ms']} / {lat['p95_ms']}")
    failed = regressions(summary)
    for line in failed:
        err(f"regression: {line}")
    if gate and failed:
        raise typer.Exit(1)


def run_sets(names: list[str], split: str | None, json_out: bool, gate: bool) -> None:
    """The question sets on their corpora: metrics per set and per half."""
    import json

    from assistant.cli.common import err
    from assistant.core.errors import InputError
    from assistant.evaluation.suites import load_suites, run_suite, suite_regressions

    if split is not None and split not in HALVES:
        raise InputError(f"unknown --split {split!r}: use {HALVES_HELP}")
    chosen = load_suites()
    if names:
        unknown = sorted(set(names) - {s.name for s in chosen})
        if unknown:
            raise InputError(f"no suite named {unknown[0]!r} in eval/suites.toml")
        chosen = [s for s in chosen if s.name in names]
    failed: list[str] = []
    reports = []
    for s in chosen:
        report = run_suite(s, split)
        reports.append(report)
        failed += suite_regressions(report, s)
        if json_out or not report["all"]["n"]:  # a set with nothing in the half asked for
            continue
        for half in ("all", *HALVES):
            if half not in report or (half == "all" and any(h in report for h in HALVES)):
                continue
            m = report[half]["metrics"]
            shown = "  ".join(
                f"{k} {'—' if m.get(k) is None else format(m[k], '.3f')}"
                for k in ("grounded_accuracy", "missing_named", "followup_accuracy",
                          "abstention_accuracy", "citation_precision")
            )
            flat = m.get("flat_declines")
            typer.echo(f"{s.name:<16} {half:<9} n={report[half]['n']:<3} {shown}  flat "
                       f"{'—' if flat is None else f'{flat:g}'}")
    if json_out:
        typer.echo(json.dumps(reports, ensure_ascii=False))
    for line in failed:
        err(f"regression: {line}")
    if gate and failed:
        raise typer.Exit(1)


def run_adversary_sets(json_out: bool) -> None:
    """The adversarial generator over the gold set and every question set."""
    import json
    from collections import Counter

    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings
    from assistant.evaluation.adversary import ADVERSARIAL, FAITHFUL, rates, run_adversary
    from assistant.evaluation.gold import DEFAULT_GOLD, load_gold
    from assistant.evaluation.suites import load_suites

    total: Counter[str] = Counter()
    runs = [(Settings().corpus, DEFAULT_GOLD)] + [(s.corpus, s.questions) for s in load_suites()]
    for corpus, questions in runs:
        assistant = Assistant(Settings(corpus=corpus))
        items = load_gold(questions)
        total += run_adversary(assistant, [i.question for i in items if not i.turns])
    shown = rates(total)
    if json_out:
        typer.echo(json.dumps({"counts": dict(total), "rates": shown}))
        return
    typer.echo(f"answers distorted: {total['answers']}")
    for kind in ADVERSARIAL:
        n = total[f"{kind} written"]
        typer.echo(f"  {kind:<18} removed {total[f'{kind} removed']:>4} of {n:<4} "
                   f"({shown.get(f'{kind} removed', 0):.1%})")
    for kind in FAITHFUL:
        n = total[f"{kind} written"]
        typer.echo(f"  {kind:<18} kept    {total[f'{kind} kept']:>4} of {n:<4} "
                   f"({shown.get(f'{kind} kept', 0):.1%})")
