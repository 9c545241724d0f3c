"""The ``imnm`` command: thin, it parses, calls the library and renders.

Every ImnmError becomes one line on stderr and a non-zero exit; no traceback reaches the user.
Feature modules add their own commands through ``register(app)`` (see ``_EXTENSIONS``).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from .errors import ImnmError, InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Grounded, cited answers about inflammatory necrotizing myopathy (IMNM).",
    pretty_exceptions_enable=False,
)

CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Folder of .md/.txt files to answer from.")
]
IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Folder where the corpus index is kept.")
]
KOpt = Annotated[int | None, typer.Option("--k", min=1, max=100, help="Passages to retrieve.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per question.")]


def err(message: str) -> None:
    typer.echo(f"imnm: {message}", err=True)


def settings_for(corpus: Path | None, index: Path | None, k: int | None = None) -> Any:
    from .settings import Settings

    overrides: dict[str, Any] = {}
    if corpus is not None:
        overrides["corpus"] = corpus
    if index is not None:
        overrides["index"] = index
    if k is not None:
        overrides["k"] = k
    return Settings(**overrides)


def make_assistant(corpus: Path | None, index: Path | None, k: int | None = None) -> Any:
    from .pipeline import Assistant

    return Assistant(settings_for(corpus, index, k), progress=True, notify=err)


def stdin_lines() -> Iterator[str]:
    """Lines of stdin, decoded leniently (invalid UTF-8 replaced), empty ones skipped."""
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").strip()
        if line:
            yield line


def read_questions(question: str | None) -> tuple[list[str] | Iterator[str], bool]:
    """The questions to run and whether they came from stdin."""
    if question is not None:
        return [question], False
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("give a QUESTION, or pipe one question a line on stdin")
    return stdin_lines(), True


def emit_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@app.command()
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
    from .cite import render_text
    from .types import Turn

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
                Turn(
                    question=answer.question,
                    answer=answer.answer,
                    standalone_question=answer.standalone_question,
                )
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


@app.command()
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


@app.command("index")
def index_cmd(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    if_stale: Annotated[
        bool, typer.Option("--if-stale", help="Build only when missing, stale or damaged.")
    ] = False,
) -> None:
    """Build the index of the corpus now, with progress."""
    from .embed import shared_embedder
    from .index import ensure_index

    settings = settings_for(corpus, index)
    idx = ensure_index(
        settings, shared_embedder(), rebuild=True, force=not if_stale, progress=True, notify=err
    )
    m = idx.manifest
    typer.echo(
        f"index ready at {idx.directory}: {m['n_chunks']} passages, {m['n_sentences']} sentences "
        f"from {len(m['corpus_files'])} file(s)"
    )


# Feature modules that add commands; each defines register(app).
_EXTENSIONS = ("assistant.cli_eval", "assistant.cli_chat", "assistant.cli_quiz")


def _register_extensions() -> None:
    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(app)


_register_extensions()


def main() -> None:
    try:
        # Without standalone mode click returns a typer.Exit's code instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except ImnmError as exc:
        err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err("interrupted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors and anything unforeseen: one line
        # Usage errors (bad option, unknown command): click's own message and exit code 2.
        show = getattr(exc, "show", None)
        code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        if os.environ.get("IMNM_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc} (set IMNM_DEBUG=1 for details)")
        sys.exit(1)


if __name__ == "__main__":
    main()
