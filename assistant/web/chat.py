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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.answering.citing import NOT_COVERED_PREFIX, pubmed_url, source_label
from assistant.core.errors import ImnmError, InputError
from assistant.core.types import Answer, Citation
from assistant.storage.feedback import FeedbackStore
from assistant.text.sentences import split_sentences
from assistant.web.login import Login, parse_auth

__all__ = ["ChatApp", "build_app", "launch", "parse_auth"]

if TYPE_CHECKING:
    import gradio as gr

    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings
    from assistant.web.serve import Server

log = logging.getLogger("imnm.app")

NOTICE = (
    "**Not medical advice.** Answers are built only from the indexed source text, with a "
    "numbered citation after every sentence; check the cited passage before acting on it. "
    "This tool does not know your patient and is no substitute for clinical judgement."
)
# Shown when a corpus's domain pack gives no example questions of its own.
EXAMPLES = [
    "What is the first-line treatment?",
    "How is the diagnosis made?",
    "What is the prognosis?",
    "How is the treatment response monitored?",
]
SOURCES_HEADING = "**Sources**"
NOT_COVERED_HINT = (
    "Nothing here is guessed: ask about the treatment, diagnosis, prognosis or monitoring "
    "covered by the sources, or rephrase the question."
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
    for sentence in split_sentences(quote):
        sentence = sentence.strip()
        if sentence:
            safe = html.escape(sentence, quote=True)
            out = out.replace(safe, f"<mark>{safe}</mark>", 1)
    return out


def render_answer(answer: Answer) -> str:
    """The chat message: the answer, then a card per citation, then the retrieved passages."""
    parts = [escape(answer.answer)]
    if answer.standalone_question and not answer.abstained:  # a misreading shows at once
        parts.append(f"\n\n_{escape('Read as: ' + answer.standalone_question)}_")
    if answer.abstained or answer.answer.startswith(NOT_COVERED_PREFIX):
        parts.append(f"\n\n_{escape(NOT_COVERED_HINT)}_")
    parts.extend(f"\n\n_Note: {escape(n)}_" for n in answer.notes)
    if answer.citations:
        parts.append(f"\n\n{SOURCES_HEADING}\n")
        for c in answer.citations:
            parts.append(
                f'\n<details open class="imnm-source"><summary>[{c.marker}] '
                f"{html.escape(source_label(c))}</summary>"
                f"<blockquote>{highlight(c.text, c.quote)}</blockquote>{source_links(c)}</details>"
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
    if answer.edition is not None:  # the footer: which edition of the sources answered
        parts.append(f"\n\n_{escape('Answered from the sources: ' + answer.edition.label())}_")
    return "".join(parts)


def source_links(c: Citation) -> str:
    """Links back to the original record (PubMed, DOI): links only, nothing is fetched."""
    from urllib.parse import quote

    links = []
    url = pubmed_url(c)
    if url:
        links.append(
            f'<a href="{url}" target="_blank" rel="noopener noreferrer">PubMed {c.pmid}</a>'
        )
    if c.doi:
        href = html.escape("https://doi.org/" + quote(c.doi, safe="/:;()._-"), quote=True)
        links.append(
            f'<a href="{href}" target="_blank" rel="noopener noreferrer">'
            f"doi:{html.escape(c.doi)}</a>"
        )
    return f'<p class="imnm-origin">{" · ".join(links)}</p>' if links else ""


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
    """The chat's handlers as plain methods (testable without a browser).

    A session's conversation is kept as data: the Answer objects of its turns, in a ``gr.State``
    next to the chat. When that state is missing or does not match the history the browser
    sends (a reloaded page, another replica, an API client), the earlier questions are asked
    again to rebuild it: rendered answers are never parsed back.
    """

    def __init__(
        self, assistant: Assistant, settings: Settings, refresh_every: float | None = None
    ):
        self.assistant = assistant
        self.settings = settings
        self.feedback = FeedbackStore.for_settings(settings)
        self.refresh_every = (
            settings.chat.refresh_seconds if refresh_every is None else refresh_every
        )
        self._last_refresh = time.monotonic()
        self._refresh_lock = threading.Lock()
        self._refresh_problem: str | None = None  # shown under answers until a refresh works

    def conversation(self, history: list[Any], answers: list[Answer] | None) -> list[Answer]:
        """The Answers of the earlier turns: the session's own, or rebuilt from its questions."""
        asked = [
            message_text(m.get("content"))
            for m in history or []
            if isinstance(m, dict) and m.get("role") == "user"
        ]
        turns = self.settings.answer.history_turns
        answers = list(answers or [])
        if len(answers) == len(asked) and all(
            _same_question(a.question, q) for a, q in zip(answers, asked, strict=True)
        ):
            return answers
        rebuilt: list[Answer] = []
        for question in asked[-turns:]:
            try:
                rebuilt.append(
                    self.assistant.ask(question, [a.as_turn() for a in rebuilt],
                                       backend="extractive")
                )
            except InputError:
                continue
        return rebuilt

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

    def respond(
        self,
        message: Any,
        history: list[Any],
        answers: list[Answer] | None = None,
        shown: list[Any] | None = None,
    ) -> Iterator[tuple[str, list[Answer]]]:
        """The chat handler: streams the answer text, then the full message with its sources,
        each with the session's answers (the last one added when it is complete).

        ``shown`` is the conversation as the browser (or an API client) holds it: when given it
        is the one read (this process may hold none, or only the turns since the session came
        here from another replica)."""
        earlier: list[Answer] = list(answers or [])
        try:
            self.maybe_refresh()
            asked = message_text(message)
            if shown:
                history = client_history(shown, asked)
            earlier = self.conversation(history, answers)
            turns = [a.as_turn() for a in earlier]
            for item in self.assistant.stream(asked, turns):
                if isinstance(item, Answer):
                    rendered = render_answer(item)
                    if self._refresh_problem:
                        rendered += f"\n\n_⚠️ {escape(self._refresh_problem)}_"
                    # The passages stay with the index; the state keeps what a turn said.
                    yield rendered, [*earlier, item.model_copy(update={"retrieved": []})]
                else:
                    yield escape(item), earlier
        except ImnmError as exc:
            yield f"⚠️ {escape(str(exc))}", earlier
        except Exception as exc:  # the chat must answer something, never show a traceback
            log.exception("chat handler failed")
            yield (
                f"⚠️ Internal error ({escape(type(exc).__name__)}); the question was not answered.",
                earlier,
            )

    def record_feedback(
        self,
        answer: Answer | None,
        liked: bool,
        session: str = "",
        account: str = "",
        key: str | None = None,
    ) -> str:
        """Store a thumbs-up/down on one answer; returns a one-line notice for the page. With a
        ``key`` (session, message, rating) a rating sent twice is stored once."""
        if answer is None:
            return "Feedback not saved: that answer is no longer in this session."
        try:
            self.feedback.add(
                1 if liked else -1,
                answer.question,
                answer.answer,
                [c.model_dump() for c in answer.citations],
                session=session,
                account=account,
                key=key,
            )
        except ImnmError as exc:
            return f"⚠️ {exc}"
        return "Thanks: feedback saved." if liked else "Thanks: feedback saved; we will look at it."


def _same_question(kept: str, asked: str) -> bool:
    """Whether an Answer's (cleaned, possibly cut) question is the one a message asked."""
    words = " ".join("".join(c if c.isprintable() else " " for c in asked).split())
    return bool(kept) and words.startswith(kept)


def client_history(shown: list[Any], asked: str) -> list[Any]:
    """The earlier turns of a conversation a client sent, without the message being answered
    (the browser shows it before the answer comes)."""
    turns = [m for m in shown if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
    last = turns[-1] if turns else {}
    if last.get("role") == "user" and message_text(last.get("content")) == asked:
        turns = turns[:-1]
    return turns


def liked_answer(index: Any, answers: list[Answer] | None) -> Answer | None:
    """The Answer behind the chat message at ``index`` (user and answer messages alternate)."""
    position = index[0] if isinstance(index, list | tuple) else index
    if not isinstance(position, int) or position < 0:
        return None
    turn = position // 2
    answers = answers or []
    return answers[turn] if turn < len(answers) else None


def build_app(
    assistant: Assistant, settings: Settings, login: Login | None = None
) -> gr.Blocks:
    import gradio as gr

    chat = ChatApp(assistant, settings)
    try:
        chat.feedback.ensure()  # the schema is made at start; a server down now is said per rating
    except ImnmError as exc:
        log.warning("feedback database: %s", exc)
    vocab = assistant.pipeline.vocab
    title = vocab.title or f"imnm — an assistant for {vocab.subject_name}"
    examples = vocab.examples or EXAMPLES
    with gr.Blocks(title=title, analytics_enabled=False) as demo:
        gr.Markdown(f"# {escape(title)}")
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
            answers = gr.State([])
            gr.ChatInterface(
                fn=chat.respond,
                chatbot=chatbot,
                # The chatbot as an input too: its history comes from the browser, so any
                # replica can read a follow-up (an API client may send its own as `history`).
                additional_inputs=[answers, chatbot],
                additional_outputs=[answers],
                # None for the chatbot: a clicked example leaves the conversation shown as it is.
                examples=[[e, [], None] for e in examples],
                api_name="chat",
                api_description="A question in; the cited answer (Markdown with [n]) out.",
                flagging_mode="never",
                analytics_enabled=False,
                autofocus=True,
                concurrency_limit=8,
                fill_height=False,
            )
            status = gr.Markdown(elem_id="imnm-feedback-status")

            def rate(
                index: Any, liked: bool, kept: list[Answer], shown: list[Any], request: Any
            ) -> str:
                session = getattr(request, "session_hash", "") or uuid.uuid4().hex[:8]
                account = getattr(request, "username", None) or ""
                answer = liked_answer(index, kept)
                if answer is None and shown:  # this replica did not answer it: rebuild
                    answer = liked_answer(index, chat.conversation(shown, None))
                position = index[0] if isinstance(index, list | tuple) else index
                key = f"{account}:{session}:{position}:{1 if liked else -1}"
                return chat.record_feedback(answer, bool(liked), session, account, key)

            def on_like(
                data: gr.LikeData, kept: list[Answer], shown: list[Any], request: gr.Request
            ) -> str:
                return rate(data.index, bool(data.liked), kept, shown, request)

            def on_rate(
                message: float, liked: bool, kept: list[Answer], shown: list[Any],
                request: gr.Request,
            ) -> str:  # fmt: skip
                return rate(int(message), liked, kept, shown, request)

            # Gradio finds LikeData/Request by annotation: real classes, not postponed strings.
            on_like.__annotations__ = {"data": gr.LikeData, "kept": list, "shown": list,
                                       "request": gr.Request, "return": str}  # fmt: skip
            on_rate.__annotations__ = {"message": float, "liked": bool, "kept": list,
                                       "shown": list, "request": gr.Request, "return": str}
            chatbot.like(on_like, [answers, chatbot], status, api_visibility="private")
            # The same over the API: /rate(message index, liked, history).
            rate_index = gr.Number(value=1, precision=0, visible=False, label="message")
            rate_liked = gr.Checkbox(value=True, visible=False, label="liked")
            rate_button = gr.Button(visible=False)
            rate_button.click(on_rate, [rate_index, rate_liked, answers, chatbot], status,
                              api_name="rate")  # fmt: skip
        try:
            from assistant.web.quiz_tab import build_quiz_tab
        except ImportError:
            build_quiz_tab = None  # type: ignore[assignment]
        if build_quiz_tab is not None:
            with gr.Tab("Quiz"):
                build_quiz_tab(assistant, settings, per_account=bool(login and login.per_account))
    return demo


def launch(
    assistant: Assistant,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    block: bool = True,
) -> Server:
    """Serve the app (login routes, then Gradio) until stopped; ``block=False`` returns the
    running server (``close()`` stops it)."""
    from assistant.web.serve import serve

    login = Login.for_settings(settings)
    demo = build_app(assistant, settings, login)
    demo.queue(default_concurrency_limit=8)
    return serve(demo, login, host, port, block)
