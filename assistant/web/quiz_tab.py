"""The Quiz tab of the Gradio app: next item, answer, verdict with its source, progress.

``build_quiz_tab(assistant, settings)`` is called by the chat app inside ``with gr.Tab("Quiz"):``.
The handlers live on ``QuizTab`` (plain methods, testable without a browser). Every corpus text
shown is escaped: a passage holding ``<script>`` or Markdown is displayed as text.
"""

from __future__ import annotations

import html
import re
import uuid
from typing import TYPE_CHECKING, Any

from assistant.core.errors import ImnmError, InputError
from assistant.quiz.bank import Bank, load_bank
from assistant.quiz.items import Grade, Item
from assistant.quiz.progress import Progress, plural, progress_figure, validate_learner

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings

ALL_TOPICS = "all topics"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(text: str) -> str:
    """``text`` shown literally in a Markdown component: no HTML, no Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True)).replace("\n", "  \n")


def code_span(text: str) -> str:
    """``text`` as inline code: nothing inside a code span is Markdown, so it is not escaped
    (a backslash there would be shown); a backtick, which would end the span, is replaced."""
    return "`" + text.replace("`", "'").replace("\n", " ") + "`"


def new_state() -> dict[str, Any]:
    return {"session": uuid.uuid4().hex[:12], "item": None, "asked": []}


def render_item(item: Item, number: int) -> str:
    lines = [f"**Item {number}** · {md_escape(item.topic)} · {code_span(item.id)}", "",
             md_escape(item.question)]  # fmt: skip
    if item.options:
        lines.append("")
        lines.extend(f"- **{chr(65 + i)})** {md_escape(o)}" for i, o in enumerate(item.options))
        lines.append("")
        lines.append("_Answer with the letter or the text._")
    return "\n".join(lines)


# Marks every common text font has (an emoji font is missing on some browsers, which then showed
# an empty box); the verdict is always written out beside its mark as well.
VERDICT_MARK = {"correct": "✓", "partly correct": "◐", "incorrect": "✗"}


def shown_answer(item: Item | None, answer: str) -> str:
    """The learner's answer as they meant it: a choice letter with its option's text."""
    given = " ".join(answer.split())
    if item is not None and item.options and len(given) == 1 and given.isalpha():
        at = ord(given.upper()) - 65
        if 0 <= at < len(item.options):
            return f"{given.upper()}) {item.options[at]}"
    return given


def render_feedback(
    grade: Grade, box: int | None = None, answer: str | None = None, item: Item | None = None
) -> str:
    from assistant.answering.citing import source_label

    mark = VERDICT_MARK.get(grade.verdict, "?")
    lines = [f"### {mark} {grade.verdict.capitalize()} — score {grade.score:.2f}"]
    if answer is not None:
        lines.append(f"**Your answer:** {md_escape(shown_answer(item, answer))}")
        lines.append("")
    lines.extend(f"- {md_escape(p)}" for p in grade.problems)
    lines.append("")
    lines.append(f"**Reference answer:** {md_escape(grade.reference)}")
    for c in grade.citations:
        lines.append("")
        lines.append(f"**Source [{c.marker}]:** {md_escape(source_label(c))}")
        lines.append(f"> {md_escape(c.quote)}")
    if box is not None:
        lines.append("")
        lines.append(
            f"_Saved. Leitner box {box}: "
            + ("this item comes back next session._" if box == 1 else "it comes back later._")
        )
    return "\n".join(lines)


def render_summary(summary: dict[str, Any]) -> str:
    head = (
        f"**{md_escape(summary['learner'])}**: {plural(summary['answered'], 'answer')}, "
        f"{summary['correct']} correct"
        + (f", mean score {summary['mean_score']:.2f}" if summary["mean_score"] is not None
           else "")
        + f"; {summary['due']} due for review, {summary['new']} new."
    )  # fmt: skip
    rows = ["| topic | mean score | answered | seen | mastered |", "|---|---|---|---|---|"]
    for topic, t in summary["by_topic"].items():
        score = f"{t['mean_score']:.2f}" if t["mean_score"] is not None else "–"
        rows.append(
            f"| {md_escape(topic)} | {score} | {t['answered']} | {t['seen']}/{t['items']} | "
            f"{t['mastered']} |"
        )
    boxes = " · ".join(f"box {b}: {n}" for b, n in summary["boxes"].items())
    return "\n".join([head, "", *rows, "", f"Leitner {boxes}"])


class QuizTab:
    """The tab's behaviour: each method is one event handler's work.

    ``per_account``: the learner is the signed-in account (``request.username``), never a typed
    name; a typed name other than one's own is refused, so nobody reads or changes another's
    progress. Without it the typed name is the learner, as on a single-user machine.

    Each item asked gets a ticket, noted in the database with the session: an answer whose page
    state is gone (it reached another replica, or a client retried after a lost reply) is still
    taken, and an answer sent twice is stored once.
    """

    def __init__(self, bank: Bank, progress: Progress, per_account: bool = False) -> None:
        self.bank = bank
        self.progress = progress
        self.per_account = per_account

    def learner(self, typed: str, request: Any = None) -> str:
        """The learner's name: the account when signed in per account, else the typed name."""
        if not self.per_account:
            if not (typed or "").strip():  # the library's message names the CLI's --learner
                raise InputError("type your name in the “Learner name” box first")
            return validate_learner(typed)[0]
        account = getattr(request, "username", None)
        if not account:
            raise InputError("sign in first: quiz progress belongs to an account")
        name, key = validate_learner(account)
        if (typed or "").strip() and validate_learner(typed)[1] != key:
            raise InputError(
                f"signed in as {name}: the progress of another account cannot be read or changed"
            )
        return name

    def topics(self) -> list[str]:
        return [ALL_TOPICS, *self.bank.topics()]

    def _items(self, topic: str | None) -> list[Item]:
        return self.bank.select(None if not topic or topic == ALL_TOPICS else topic)

    def progress_view(self, learner: str, request: Any = None) -> tuple[str, Figure | None]:
        try:
            name = self.learner(learner, request)
            summary = self.progress.summary(name, self.bank.items)
            return render_summary(summary), progress_figure(summary, self.progress.history(name))
        except ImnmError as exc:
            return f"**Cannot show progress:** {md_escape(str(exc))}", None

    def next_item(
        self, learner: str, topic: str | None, state: dict[str, Any] | None, request: Any = None
    ) -> tuple[str, dict[str, Any], str]:
        """(item Markdown, state, feedback Markdown) for the learner's next due or new item."""
        fresh = state is None
        state = _state(state, request)
        try:
            name = self.learner(learner, request)
            if fresh and request is not None:  # items this session answered on another replica
                state["asked"] = [h["item_id"] for h in
                                  self.progress.history(name, state["session"])]  # fmt: skip
            chosen = self.progress.next_items(name, self._items(topic), 1, exclude=state["asked"])
            if chosen:
                ticket = uuid.uuid4().hex
                self.progress.ask(name, state["session"], chosen[0].id, ticket)
        except ImnmError as exc:
            return "", state, f"**Error:** {md_escape(str(exc))}"
        if not chosen:
            state["item"] = None
            return ("**Nothing more is due now.** Every item is answered and none is due for "
                    "review; come back later."), state, ""  # fmt: skip
        item = chosen[0]
        state["item"] = item.id
        state["ticket"] = ticket
        state["asked"] = [*state["asked"], item.id]
        return render_item(item, len(state["asked"])), state, ""

    def submit(
        self, learner: str, answer: str, state: dict[str, Any] | None, request: Any = None
    ) -> tuple[str, dict[str, Any], str, Figure | None, str]:
        """(feedback, state, summary, chart, answer box) after grading and saving an answer."""
        state = _state(state, request)
        try:
            name = self.learner(learner, request)
            if not state.get("item") and request is not None and name:
                # The page state is in another process (or the reply to this answer was lost):
                # the item asked in this session, unless it was answered with something else.
                pending = self.progress.asked(name, state["session"])
                given = self.progress.answered(pending[1]) if pending else None
                if pending and (given is None or given == answer[:2000]):
                    state["item"], state["ticket"] = pending
        except ImnmError as exc:
            return f"**Error:** {md_escape(str(exc))}", state, "", None, answer
        item = self.bank.by_id.get(state.get("item") or "")
        if item is None:
            summary, fig = self.progress_view(learner, request) if name else ("", None)
            return "**Press “Next item” first.**", state, summary, fig, answer
        try:
            grade = self.bank.grade(item, answer)
            saved = self.progress.record(name, item, grade, answer, state["session"],
                                         ticket=state.get("ticket"))  # fmt: skip
        except ImnmError as exc:
            summary, fig = self.progress_view(learner, request)
            return f"**Error:** {md_escape(str(exc))}", state, summary, fig, answer
        state["item"] = None
        summary, fig = self.progress_view(name, request)
        return render_feedback(grade, saved.box_after, answer, item), state, summary, fig, ""


def _state(state: dict[str, Any] | None, request: Any) -> dict[str, Any]:
    """The page's quiz state; its session is Gradio's (the same on every replica)."""
    out = dict(state or new_state())
    session = getattr(request, "session_hash", None)
    if state is None and session:
        out["session"] = str(session)[:64]
    return out


def build_quiz_tab(assistant: Assistant, settings: Settings, per_account: bool = False) -> None:
    """The Quiz tab's components and events (call inside ``with gr.Tab("Quiz"):``)."""
    import gradio as gr

    try:
        progress = Progress.for_settings(settings, eager=False)
        tab = QuizTab(load_bank(settings, chunks=assistant.index.chunks), progress, per_account)
    except ImnmError as exc:
        gr.Markdown(f"**The quiz is unavailable:** {md_escape(str(exc))}")
        return
    try:
        progress.ensure()  # the schema is made at start; a server down now is said per answer
    except ImnmError as exc:
        gr.Markdown(f"**Quiz progress cannot be saved now:** {md_escape(str(exc))}")
    gr.Markdown(
        f"Test yourself on the sources: {len(tab.bank)} items (gold questions, fill-in-the-blank "
        "and multiple choice). Answers are graded, saved as you go, and missed items come back "
        "sooner."
    )
    state = gr.State(None)
    with gr.Row():
        if per_account:
            _signed_in.__annotations__["request"] = gr.Request
            learner = gr.Textbox(value=_signed_in, label="Signed in as", max_lines=1,
                                 interactive=False, elem_id="quiz-learner")  # fmt: skip
        else:
            learner = gr.Textbox(label="Learner name", placeholder="e.g. ann", max_lines=1,
                                 elem_id="quiz-learner")  # fmt: skip
        topic = gr.Dropdown(tab.topics(), value=ALL_TOPICS, label="Topic", elem_id="quiz-topic")
        next_btn = gr.Button("Next item", elem_id="quiz-next")
    item_md = gr.Markdown(elem_id="quiz-item")
    answer = gr.Textbox(label="Your answer", lines=2, elem_id="quiz-answer")
    check_btn = gr.Button("Check answer", variant="primary", elem_id="quiz-check")
    feedback = gr.Markdown(elem_id="quiz-feedback")
    with gr.Accordion("Progress", open=True):
        summary = gr.Markdown(elem_id="quiz-summary")
        chart = gr.Plot(label="Progress chart", format="png", elem_id="quiz-chart")

    # Gradio passes the request (the account, the session) to a parameter annotated gr.Request.
    def next_item(learner: str, topic: str | None, state: Any, request: gr.Request) -> Any:
        return tab.next_item(learner, topic, state, request)

    def progress_view(learner: str, request: gr.Request) -> Any:
        return tab.progress_view(learner, request)

    def submit(learner: str, answer: str, state: Any, request: gr.Request) -> Any:
        return tab.submit(learner, answer, state, request)

    for fn in (next_item, progress_view, submit):
        fn.__annotations__["request"] = gr.Request  # real classes, not postponed strings

    # Named endpoints, prefixed: the chat app's own events must not collide with them.
    next_btn.click(
        next_item, [learner, topic, state], [item_md, state, feedback], api_name="quiz_next"
    ).then(progress_view, [learner], [summary, chart], api_name="quiz_progress")
    check_btn.click(submit, [learner, answer, state],
                    [feedback, state, summary, chart, answer], api_name="quiz_submit")  # fmt: skip
    answer.submit(submit, [learner, answer, state], [feedback, state, summary, chart, answer],
                  api_visibility="private")  # fmt: skip


def _signed_in(request: Any = None) -> str:
    """The account shown in the tab (each page load)."""
    return str(getattr(request, "username", None) or "")
