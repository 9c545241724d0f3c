"""What every command shares: the common options, settings, the assistant, stdin and JSON out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.core.errors import InputError

CorpusOpt = Annotated[
    Path | None, typer.Option(
        "--corpus",
        help="Folder of sources to answer from (.md, .txt, .pdf, PubMed .nbib/.xml, .html).",
    )
]
IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Folder where the corpus index is kept.")
]
KOpt = Annotated[int | None, typer.Option("--k", min=1, max=100, help="Passages to retrieve.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per question.")]


def err(message: str) -> None:
    typer.echo(f"imnm: {message}", err=True)


def settings_for(corpus: Path | None, index: Path | None, k: int | None = None) -> Any:
    from assistant.core.settings import Settings

    overrides: dict[str, Any] = {}
    if corpus is not None:
        overrides["corpus"] = corpus
    if index is not None:
        overrides["index"] = index
    settings = Settings(**overrides)
    if k is not None:
        settings.retrieval.k = k
    return settings


def make_assistant(corpus: Path | None, index: Path | None, k: int | None = None) -> Any:
    from assistant.answering.pipeline import Assistant

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


