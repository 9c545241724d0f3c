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

from assistant.core.errors import ImnmError
from assistant.quiz.bank import Bank, load_bank
from assistant.quiz.items import Grade, Item
from assistant.quiz.progress import Progress, progress_figure, validate_learner

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings

ALL_TOPICS = "all topics"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(text: str) -> str:
    """``text`` shown literally in a Markdown component: no HTML, no Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True)).replace("\n", "  \n")


def new_state() -> dict[str, Any]:
    return {"session": uuid.uuid4().hex[:12], "item": None, "asked": []}


def render_item(item: Item, number: int) -> str:
    lines = [f"**Item {number}** · {md_escape(item.topic)} · `{md_escape(item.id)}`", "",
             md_escape(item.question)]  # fmt: skip
    if item.options:
        lines.append("")
        lines.extend(f"- **{chr(65 + i)})** {md_escape(o)}" for i, o in enumerate(item.options))
        lines.append("")
        lines.append("_Answer with the letter or the text._")
    return "\n".join(lines)


def render_feedback(grade: Grade, box: int | None = None) -> str:
    from assistant.answering.citing import source_label

    icon = {"correct": "✅", "partly correct": "🟡", "incorrect": "❌"}.get(grade.verdict, "❔")
    lines = [f"### {icon} {grade.verdict.capitalize()} — score {grade.score:.2f}"]
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
        f"**{md_escape(summary['learner'])}**: {summary['answered']} answers, "
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
    """The tab's behaviour: each method is one event handler's work."""

    def __init__(self, bank: Bank, progress: Progress) -> None:
        self.bank = bank
        self.progress = progress

    def topics(self) -> list[str]:
        return [ALL_TOPICS, *self.bank.topics()]

    def _items(self, topic: str | None) -> list[Item]:
        return self.bank.select(None if not topic or topic == ALL_TOPICS else topic)

    def progress_view(self, learner: str) -> tuple[str, Figure | None]:
        try:
            name, _ = validate_learner(learner)
            summary = self.progress.summary(name, self.bank.items)
            return render_summary(summary), progress_figure(summary, self.progress.history(name))
        except ImnmError as exc:
            return f"**Cannot show progress:** {md_escape(str(exc))}", None

    def next_item(
        self, learner: str, topic: str | None, state: dict[str, Any] | None
    ) -> tuple[str, dict[str, Any], str]:
        """(item Markdown, state, feedback Markdown) for the learner's next due or new item."""
        state = dict(state or new_state())
        try:
            name, _ = validate_learner(learner)
            chosen = self.progress.next_items(name, self._items(topic), 1, exclude=state["asked"])
        except ImnmError as exc:
            return "", state, f"**Error:** {md_escape(str(exc))}"
        if not chosen:
            state["item"] = None
            return ("**Nothing more is due now.** Every item is answered and none is due for "
                    "review; come back later."), state, ""  # fmt: skip
        item = chosen[0]
        state["item"] = item.id
        state["asked"] = [*state["asked"], item.id]
        return render_item(item, len(state["asked"])), state, ""

    def submit(
        self, learner: str, answer: str, state: dict[str, Any] | None
    ) -> tuple[str, dict[str, Any], str, Figure | None, str]:
        """(feedback, state, summary, chart, answer box) after grading and saving an answer."""
        state = dict(state or new_state())
        item = self.bank.by_id.get(state.get("item") or "")
        if item is None:
            summary, fig = self.progress_view(learner) if learner.strip() else ("", None)
            return "**Press “Next item” first.**", state, summary, fig, answer
        try:
            name, _ = validate_learner(learner)
            grade = self.bank.grade(item, answer)
            saved = self.progress.record(name, item, grade, answer, state["session"])
        except ImnmError as exc:
            summary, fig = self.progress_view(learner)
            return f"**Error:** {md_escape(str(exc))}", state, summary, fig, answer
        state["item"] = None
        summary, fig = self.progress_view(name)
        return render_feedback(grade, saved.box_after), state, summary, fig, ""


def build_quiz_tab(assistant: Assistant, settings: Settings) -> None:
    """The Quiz tab's components and events (call inside ``with gr.Tab("Quiz"):``)."""
    import gradio as gr

    try:
        tab = QuizTab(load_bank(settings, chunks=assistant.index.chunks),
                      Progress.for_settings(settings))  # fmt: skip
    except ImnmError as exc:
        gr.Markdown(f"**The quiz is unavailable:** {md_escape(str(exc))}")
        return
    gr.Markdown(
        f"Test yourself on the sources: {len(tab.bank)} items (gold questions, fill-in-the-blank "
        "and multiple choice). Answers are graded, saved as you go, and missed items come back "
        "sooner."
    )
    state = gr.State(None)
    with gr.Row():
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

    # Named endpoints, prefixed: the chat app's own events must not collide with them.
    next_btn.click(
        tab.next_item, [learner, topic, state], [item_md, state, feedback], api_name="quiz_next"
    ).then(tab.progress_view, [learner], [summary, chart], api_name="quiz_progress")
    check_btn.click(tab.submit, [learner, answer, state],
                    [feedback, state, summary, chart, answer], api_name="quiz_submit")  # fmt: skip
    answer.submit(tab.submit, [learner, answer, state], [feedback, state, summary, chart, answer],
                  api_visibility="private")  # fmt: skip
