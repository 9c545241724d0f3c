"""``imnm eval``: run (or score) the gold set and print metrics, optionally a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


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
) -> None:
    """Evaluate answers and citations against the gold question-answer pairs."""
    import json

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
