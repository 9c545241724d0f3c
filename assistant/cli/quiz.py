"""``imnm quiz``: a self-test session in the terminal, grading, progress and the item bank.

    imnm quiz --learner NAME [--n N] [--topic T]      a session (interactive, or answers on stdin)
    imnm quiz grade --question Q --answer A [--json]  grade one answer
    imnm quiz progress --learner NAME [--json] [--chart FILE.png]
    imnm quiz items [--topic T] [--json]              the item bank

Imports stay inside the commands: ``imnm`` starts fast when the quiz is not used.
"""

from __future__ import annotations

import json
import sys
import textwrap
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from assistant.quiz.items import Grade, Item

CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Folder of .md/.txt files to quiz on.")
]
IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Folder where the corpus index is kept.")
]
LearnerOpt = Annotated[str | None, typer.Option("--learner", help="Your name (progress key).")]
TopicOpt = Annotated[
    str | None, typer.Option("--topic", help="Only items on this topic (see `imnm quiz items`).")
]
WIDTH = 100


def _settings(corpus: Path | None, index: Path | None) -> Any:
    from assistant.cli.common import settings_for

    return settings_for(corpus, index)


def _emit(line: str = "") -> None:
    typer.echo(line)  # click flushes: a script reading the pipe sees each line at once


def render_grade(grade: Grade) -> str:
    """Verdict, reference answer and citation, for a terminal."""
    from assistant.answering.citing import source_label

    lines = [f"verdict: {grade.verdict} (score {grade.score:.2f})"]
    lines.extend(f"  note: {p}" for p in grade.problems)
    lines.append(textwrap.fill(f"reference: {grade.reference}", WIDTH, subsequent_indent="  "))
    for c in grade.citations:
        lines.append(f"source [{c.marker}]: {source_label(c)}")
        lines.append(textwrap.fill(f'"{c.quote}"', WIDTH, initial_indent="    ",
                                   subsequent_indent="    "))  # fmt: skip
    return "\n".join(lines)


def _read_answer(interactive: bool) -> str | None:
    """One answer: a prompt on a terminal, the next stdin line otherwise; None at the end."""
    if interactive:
        try:
            return input("answer> ")
        except EOFError:
            return None
    raw = sys.stdin.buffer.readline()
    if not raw:
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def run_session(learner: str, n: int, topic: str | None, settings: Any) -> dict[str, int]:
    """Ask up to ``n`` items, grade and save each answer as it is given."""
    from assistant.core.errors import InputError
    from assistant.quiz.bank import load_bank
    from assistant.quiz.progress import INTERVALS, Progress, summary_text, validate_learner

    name, _ = validate_learner(learner)
    bank = load_bank(settings)
    items = bank.select(topic)
    progress = Progress.for_settings(settings)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    session = uuid.uuid4().hex[:12]
    asked: list[str] = []
    counts = {"answered": 0, "correct": 0, "partly correct": 0, "incorrect": 0, "skipped": 0}
    _emit(
        f"quiz for {name}: up to {n} item(s){f' on {topic}' if topic else ''} from "
        f"{len(items)} in the bank. An empty answer skips an item; "
        + ("Ctrl-D stops." if interactive else "end of input stops.")
    )
    for i in range(1, n + 1):
        chosen = progress.next_items(name, items, 1, exclude=asked)
        if not chosen:
            _emit("nothing more is due now: every item is answered and none is due for review.")
            break
        item = chosen[0]
        asked.append(item.id)
        _emit("")
        _emit(f"[{i}/{n}] {item.id} · {item.topic}")
        _emit(textwrap.fill(item.question, WIDTH))
        for j, option in enumerate(item.options):
            _emit(f"  {chr(65 + j)}) {option}")
        answer = _read_answer(interactive)
        if answer is None:
            if interactive:
                _emit("")  # Ctrl-D leaves the cursor after the prompt
            _emit("stopped: no more answers.")
            break
        if not interactive:  # a transcript of piped answers shows what was answered
            _emit(f"answer> {answer}")
        if not answer.strip():
            counts["skipped"] += 1
            _emit("skipped (not recorded).")
            continue
        try:
            grade = bank.grade(item, answer)
        except InputError as exc:
            _emit(f"not graded: {exc}")
            continue
        saved = progress.record(name, item, grade, answer, session)
        counts["answered"] += 1
        counts[grade.verdict] = counts.get(grade.verdict, 0) + 1
        _emit(render_grade(grade))
        wait = INTERVALS[saved.box_after] / 86400
        _emit(
            f"saved: box {saved.box_after}; "
            + ("comes back next session" if wait == 0 else f"next review in {wait:g} day(s)")
        )
    _emit("")
    _emit(
        f"session: {counts['answered']} answered, {counts['correct']} correct, "
        f"{counts['partly correct']} partly correct, {counts['incorrect']} incorrect, "
        f"{counts['skipped']} skipped"
    )
    _emit(summary_text(progress.summary(name, bank.items)))
    return counts


quiz_app = typer.Typer(
    help="Test yourself on the sources: items, graded answers, progress that lasts.",
    no_args_is_help=False,
)

@quiz_app.callback(invoke_without_command=True)
def quiz(
    ctx: typer.Context,
    learner: LearnerOpt = None,
    n: Annotated[int, typer.Option("--n", min=1, max=500, help="Items to ask.")] = 10,
    topic: TopicOpt = None,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """A quiz session: `imnm quiz --learner NAME` (answers typed, or one a line on stdin)."""
    if ctx.invoked_subcommand is not None:
        return
    from assistant.core.errors import InputError

    if learner is None:
        raise InputError(
            "give --learner NAME to start a quiz (or a command: grade, progress, items)"
        )
    run_session(learner, n, topic, _settings(corpus, index))

@quiz_app.command("grade")
def grade(
    question: Annotated[
        str | None, typer.Option("--question", help="The item's question (or any question).")
    ] = None,
    answer: Annotated[str, typer.Option("--answer", help="The answer to grade.")] = "",
    item: Annotated[str | None, typer.Option("--item", help="An item id instead.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """Grade one answer: against the bank's item, else against the assistant's own answer."""
    from assistant.core.errors import InputError
    from assistant.quiz.bank import load_bank
    from assistant.quiz.grading import grade_free

    if not answer.strip():
        raise InputError("empty answer: give --answer TEXT")
    settings = _settings(corpus, index)
    bank = load_bank(settings)
    found = bank.by_id.get(item) if item else bank.find(question or "")
    if item and found is None:
        raise InputError(f"no quiz item with id {item!r} (see `imnm quiz items`)")
    if found is not None:
        result = bank.grade(found, answer)
    else:
        if not (question or "").strip():
            raise InputError("give --question TEXT (or --item ID)")
        from assistant.cli.common import make_assistant

        result = grade_free(make_assistant(corpus, index), question or "", answer)
    if json_out:
        sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
        return
    _emit(render_grade(result))

@quiz_app.command("progress")
def progress_cmd(
    learner: LearnerOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="The summary as JSON.")] = False,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Write the progress chart (PNG) here.")
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Include every answer (with --json).")
    ] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """A learner's scores by topic, Leitner boxes and what is due."""
    from assistant.core.errors import InputError
    from assistant.quiz.bank import load_bank
    from assistant.quiz.progress import Progress, save_chart, summary_text, validate_learner

    if learner is None:
        raise InputError("give --learner NAME")
    name, _ = validate_learner(learner)
    settings = _settings(corpus, index)
    bank = load_bank(settings)
    store = Progress.for_settings(settings)
    summary = store.summary(name, bank.items)
    rows = store.history(name)
    if chart is not None:
        save_chart(summary, rows, chart)
    if json_out:
        data = summary | ({"history": rows} if history else {})
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    _emit(summary_text(summary))
    if chart is not None:
        _emit(f"chart written to {chart}")

@quiz_app.command("items")
def items_cmd(
    topic: TopicOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """The item bank (gold items and items generated from the corpus)."""
    from assistant.quiz.bank import load_bank

    bank = load_bank(_settings(corpus, index))
    chosen: list[Item] = bank.select(topic)
    for it in chosen:
        if json_out:
            sys.stdout.write(json.dumps(it.model_dump(), ensure_ascii=False) + "\n")
        else:
            _emit(f"{it.id}  {it.kind:<6} {it.topic:<10} {it.question[:70]}")
    if not json_out:
        _emit(f"{len(chosen)} item(s); topics: {', '.join(bank.topics())}")

