"""The Gradio chat (and quiz) app: thin; it calls the assistant and renders what comes back.

Everything shown is escaped first (corpus text and answers are data, never markup): a corpus
passage holding ``<script>`` is displayed as text. The chat endpoint is ``/chat``: a message in,
the answer Markdown with its ``[n]`` markers and source cards out.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.answering.citing import NOT_COVERED_PREFIX, source_label
from assistant.core.errors import ImnmError, InputError
from assistant.core.types import Answer, Turn
from assistant.web.feedback import FeedbackStore

if TYPE_CHECKING:
    import gradio as gr

    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings

log = logging.getLogger("imnm.app")

NOTICE = (
    "**Not medical advice.** Answers are built only from the indexed source text, with a "
    "numbered citation after every sentence; check the cited passage before acting on it. "
    "This tool does not know your patient and is no substitute for clinical judgement."
)
EXAMPLES = [
    "What is the first-line treatment for IMNM?",
    "Which patients respond well to IVIG?",
    "What is favored early in anti-SRP IMNM?",
    "What is a poor prognostic factor?",
    "How is the treatment response monitored?",
]
SOURCES_HEADING = "**Sources**"
NOT_COVERED_HINT = (
    "Nothing here is guessed: ask about the treatment, diagnosis, prognosis or monitoring of "
    "IMNM, or rephrase the question."
)
_MD_SPECIAL = re.compile(r"([\\`*_{}#+!|~>])")


def escape(text: str) -> str:
    """``text`` as literal characters in a Markdown message: no HTML, no emphasis.

    Square brackets stay, so the ``[n]`` markers read as written.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True))


def highlight(passage: str, quote: str) -> str:
    """The passage, escaped, with each cited sentence wrapped in ``<mark>``."""
    out = html.escape(passage, quote=True)
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", quote):
        sentence = sentence.strip()
        if sentence:
            safe = html.escape(sentence, quote=True)
            out = out.replace(safe, f"<mark>{safe}</mark>", 1)
    return out


def render_answer(answer: Answer) -> str:
    """The chat message: the answer, then a card per citation, then the retrieved passages."""
    parts = [escape(answer.answer)]
    if answer.abstained or answer.answer.startswith(NOT_COVERED_PREFIX):
        parts.append(f"\n\n_{escape(NOT_COVERED_HINT)}_")
    parts.extend(f"\n\n_Note: {escape(n)}_" for n in answer.notes)
    if answer.citations:
        parts.append(f"\n\n{SOURCES_HEADING}\n")
        for c in answer.citations:
            parts.append(
                f'\n<details open class="imnm-source"><summary>[{c.marker}] '
                f"{html.escape(source_label(c))}</summary>"
                f"<blockquote>{highlight(c.text, c.quote)}</blockquote></details>"
            )
    if answer.retrieved:
        items = "".join(
            f"<li><code>{html.escape(h.chunk.chunk_id)}</code> "
            f"({h.score:.3f}) {html.escape(h.chunk.section)}: {html.escape(h.chunk.text)}</li>"
            for h in answer.retrieved
        )
        parts.append(
            f'\n\n<details class="imnm-retrieved"><summary>Retrieved passages '
            f"({len(answer.retrieved)})</summary><ol>{items}</ol></details>"
        )
    return "".join(parts)


def message_text(content: Any) -> str:
    """The text of a chat message, whatever shape Gradio gives it."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, list | tuple):
        return " ".join(message_text(c) for c in content)
    return ""


class ChatApp:
    """The chat's handlers as plain methods (testable without a browser)."""

    def __init__(
        self, assistant: Assistant, settings: Settings, refresh_every: float | None = None
    ):
        self.assistant = assistant
        self.settings = settings
        self.feedback = FeedbackStore(settings.data_dir / "feedback.sqlite3")
        self.refresh_every = (
            settings.chat.refresh_seconds if refresh_every is None else refresh_every
        )
        self._last_refresh = time.monotonic()
        self._refresh_lock = threading.Lock()
        self._refresh_problem: str | None = None  # shown under answers until a refresh works
        # Rendered message -> its Answer: follow-ups and feedback need the data behind the text.
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._answers_lock = threading.Lock()

    def remember(self, rendered: str, answer: Answer, key: str | None = None) -> None:
        with self._answers_lock:
            self._answers[rendered] = answer
            if key is not None:
                self._answers[key] = answer
            while len(self._answers) > 4000:
                self._answers.popitem(last=False)

    def recall(self, rendered: str) -> Answer | None:
        with self._answers_lock:
            return self._answers.get(rendered)

    @staticmethod
    def turn_key(before: str, question: str, rendered: str) -> str:
        """A turn's identity: its whole conversation so far, not its text alone. The same text
        answers many turns ("Tell me more." repeats a passage, in this session or another)."""
        import hashlib

        return hashlib.sha256(f"{before}\0{question}\0{rendered}".encode()).hexdigest()

    def turns(self, history: list[Any]) -> list[Turn]:
        """Earlier turns from Gradio's message history (user message, then the answer)."""
        return self._turns_and_key(history)[0]

    def _turns_and_key(self, history: list[Any]) -> tuple[list[Turn], str]:
        turns: list[Turn] = []
        question: str | None = None
        key = ""
        for msg in history or []:
            role = msg.get("role") if isinstance(msg, dict) else None
            text = message_text(msg.get("content") if isinstance(msg, dict) else msg)
            if role == "user":
                question = text
            elif role == "assistant" and question is not None:
                key = self.turn_key(key, question, text)
                with self._answers_lock:
                    known = self._answers.get(key)
                if known is not None:
                    turns.append(
                        Turn(
                            question=known.question,
                            answer=known.answer,
                            standalone_question=known.standalone_question,
                        )
                    )
                else:
                    turns.append(Turn(question=question, answer=text.split(SOURCES_HEADING)[0]))
                question = None
        return turns, key

    def maybe_refresh(self) -> None:
        """Pick up a changed corpus (rebuilding the index) at most every few seconds."""
        now = time.monotonic()
        if now - self._last_refresh < self.refresh_every or not self._refresh_lock.acquire(False):
            return
        try:
            self._last_refresh = now
            self.assistant.refresh()
            self._refresh_problem = None
        except ImnmError as exc:
            log.warning("corpus refresh failed: %s", exc)
            # Answers still come from the index already loaded: say so, never silently.
            self._refresh_problem = (
                f"The sources could not be reloaded ({exc}); answers come from the index "
                "loaded before."
            )
        finally:
            self._refresh_lock.release()

    def respond(self, message: Any, history: list[Any]) -> Iterator[str]:
        """The chat handler: streams the answer text, then the full message with its sources."""
        try:
            self.maybe_refresh()
            asked = message_text(message)
            turns, before = self._turns_and_key(history)
            for item in self.assistant.stream(asked, turns):
                if isinstance(item, Answer):
                    rendered = render_answer(item)
                    if self._refresh_problem:
                        rendered += f"\n\n_⚠️ {escape(self._refresh_problem)}_"
                    self.remember(rendered, item, self.turn_key(before, asked, rendered))
                    yield rendered
                else:
                    yield escape(item)
        except ImnmError as exc:
            yield f"⚠️ {escape(str(exc))}"
        except Exception as exc:  # the chat must answer something, never show a traceback
            log.exception("chat handler failed")
            yield f"⚠️ Internal error ({escape(type(exc).__name__)}); the question was not answered."

    def record_feedback(self, rendered: str, liked: bool, session: str = "") -> str:
        """Store a thumbs-up/down; returns a one-line notice for the page."""
        answer = self.recall(rendered)
        if answer is None:
            return "Feedback not saved: that answer is no longer in this session."
        try:
            self.feedback.add(
                1 if liked else -1,
                answer.question,
                answer.answer,
                [c.model_dump() for c in answer.citations],
                session=session,
            )
        except ImnmError as exc:
            return f"⚠️ {exc}"
        return "Thanks: feedback saved." if liked else "Thanks: feedback saved; we will look at it."


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InputError("IMNM_AUTH must be user:password")
    return user, password


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    import gradio as gr

    chat = ChatApp(assistant, settings)
    with gr.Blocks(title="imnm — IMNM assistant", analytics_enabled=False) as demo:
        gr.Markdown("# imnm — inflammatory necrotizing myopathy assistant")
        gr.Markdown(f"⚕️ {NOTICE}", elem_id="imnm-notice")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(
                height=560,
                sanitize_html=True,
                render_markdown=True,
                feedback_options=["Like", "Dislike"],
                buttons=["copy"],
                elem_id="imnm-chatbot",
                label="Answers cite the source after every sentence",
            )
            gr.ChatInterface(
                fn=chat.respond,
                chatbot=chatbot,
                examples=EXAMPLES,
                api_name="chat",
                api_description="A question in; the cited answer (Markdown with [n]) out.",
                flagging_mode="never",
                analytics_enabled=False,
                autofocus=True,
                concurrency_limit=8,
                fill_height=False,
            )
            status = gr.Markdown(elem_id="imnm-feedback-status")

            def on_like(data: gr.LikeData, request: gr.Request) -> str:
                value = data.value
                text = message_text(value.get("value") if isinstance(value, dict) else value)
                session = getattr(request, "session_hash", "") or uuid.uuid4().hex[:8]
                return chat.record_feedback(text, bool(data.liked), session)

            # Gradio finds LikeData/Request by annotation: real classes, not postponed strings.
            on_like.__annotations__ = {"data": gr.LikeData, "request": gr.Request, "return": str}
            chatbot.like(on_like, None, status, api_visibility="private")
        try:
            from assistant.web.quiz_tab import build_quiz_tab
        except ImportError:
            build_quiz_tab = None  # type: ignore[assignment]
        if build_quiz_tab is not None:
            with gr.Tab("Quiz"):
                build_quiz_tab(assistant, settings)
    return demo


def launch(
    assistant: Assistant,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    block: bool = True,
) -> gr.Blocks:
    demo = build_app(assistant, settings)
    demo.queue(default_concurrency_limit=8)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=parse_auth(settings.auth),
        prevent_thread_lock=not block,
        quiet=True,
        show_error=False,
    )
    return demo
