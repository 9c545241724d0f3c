"""``imnm ask`` and ``imnm search``: answers and ranked passages."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.common import (
    CorpusOpt,
    IndexOpt,
    JsonOpt,
    KOpt,
    emit_json,
    err,
    make_assistant,
    read_questions,
)
from assistant.core.errors import InputError
from assistant.core.types import Chunk


def ask(
    question: Annotated[
        str | None, typer.Argument(help="The question; omit to read stdin.")
    ] = None,
    json_out: JsonOpt = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    k: KOpt = None,
    conversation: Annotated[
        bool, typer.Option("--conversation", help="Stdin lines are turns of one conversation.")
    ] = False,
) -> None:
    """Answer a question with numbered inline citations (or each stdin line, one model load)."""
    from assistant.answering.citing import render_text
    from assistant.core.types import Turn

    questions, batch = read_questions(question)
    assistant = make_assistant(corpus, index, k)
    history: list[Turn] = []
    failures = 0
    for i, q in enumerate(questions):
        try:
            answer = assistant.ask(q, history if conversation else ())
        except InputError as exc:
            if not batch:
                raise
            failures += 1
            if json_out:
                emit_json({"question": q, "error": str(exc)})
            else:
                err(str(exc))
            continue
        if conversation:
            history.append(
                answer.as_turn()
            )
        if json_out:
            emit_json(answer.to_json_dict())
        else:
            if batch and i:
                typer.echo("")
            if batch:
                typer.echo(f"Q: {answer.question}")
            typer.echo(render_text(answer))
    if failures and not json_out:
        raise typer.Exit(1)


def search(
    query: Annotated[str | None, typer.Argument(help="The query; omit to read stdin.")] = None,
    json_out: JsonOpt = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    k: KOpt = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or sparse.")] = "hybrid",
) -> None:
    """The ranked passages for a query (or each stdin line)."""
    if mode not in ("hybrid", "dense", "sparse"):
        raise InputError(f"unknown --mode {mode!r}: use hybrid, dense or sparse")
    queries, batch = read_questions(query)
    assistant = make_assistant(corpus, index, k)
    failures = 0
    for i, q in enumerate(queries):
        try:
            hits = assistant.search(q, k, mode)
        except InputError as exc:
            # One bad line (only control characters, say) must not end the whole batch.
            if not batch:
                raise
            failures += 1
            if json_out:
                emit_json({"query": q, "error": str(exc)})
            else:
                err(str(exc))
            continue
        if json_out:
            emit_json(
                {
                    "query": q,
                    "results": [
                        {
                            "rank": h.rank,
                            "score": h.score,
                            "chunk_id": h.chunk.chunk_id,
                            "source": h.chunk.source,
                            "section": h.chunk.section,
                            "text": h.chunk.text,
                        }
                        | origin(h.chunk)
                        for h in hits
                    ],
                }
            )
            continue
        if batch and i:
            typer.echo("")
        typer.echo(f"Q: {q}")
        for h in hits:
            typer.echo(f"{h.rank}. [{h.score:.4f}] {h.chunk.chunk_id} — {h.chunk.section}")
            typer.echo(f"   {h.chunk.text}")
    if failures and not json_out:
        raise typer.Exit(1)


def origin(chunk: Chunk) -> dict[str, object]:
    """Where a passage is in the original, when known (page, PubMed record)."""
    keys = ("page", "pages", "pmid", "title", "journal", "year", "doi")
    return {k: getattr(chunk, k) for k in keys if getattr(chunk, k) is not None}
