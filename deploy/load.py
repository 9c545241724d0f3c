"""Chat sessions over HTTP, as many at once as asked: the load of the tests and of the bench.

Each session is a ``gradio_client.Client`` (signed in when given an account) that asks its
conversation's questions one after another, sending its own history with each (as the browser
does: any replica can then read a follow-up), rates one answer (``/rate``) and answers one quiz
item (``/quiz_next``, ``/quiz_submit``). A call that fails (its replica died, the connection was
cut) is sent again on the same client, after a short pause, up to ``retries`` times: nginx routes
it to another replica. Latencies are kept per question; nothing here asserts anything.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

# Short follow-ups ("What dose?", "Why?") are read from the session's own earlier turns: a session
# given another's history would get another conversation's answer.
CONVERSATIONS = [
    ["What is the first-line treatment for IMNM?", "What dose?", "Why?"],
    ["Which treatment is favored for anti-HMGCR IMNM?", "And in anti-SRP disease?", "Why?"],
    ["What is a poor prognostic factor?", "Tell me more.", "Why?"],
    ["What happens when immunosuppression is tapered?", "Tell me more.", "Why?"],
]
QUIZ_ANSWER = "prednisone"


@dataclass
class Session:
    number: int
    questions: list[str]
    account: tuple[str, str] | None = None
    learner: str = ""
    replies: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    rating: str = ""
    quiz_item: str = ""
    quiz_reply: str = ""
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # one-line refusals of writes, then resent
    session_hash: str = ""
    route: str = ""  # the load balancer's cookie: which replica the session is kept on


def message(role: str, text: str) -> dict[str, Any]:
    """One chat message as Gradio's Chatbot holds it."""
    return {"role": role, "content": [{"type": "text", "text": text}]}


class Caller:
    """One client session; ``call`` sends again on failure."""

    def __init__(self, url: str, session: Session, retries: int, timeout: float) -> None:
        self.url = url
        self.session = session
        self.retries = retries
        self.timeout = timeout
        self.client: Any = None

    def connect(self) -> None:
        from gradio_client import Client

        for attempt in range(self.retries + 1):
            try:
                self.client = Client(self.url, auth=self.session.account, verbose=False)
                self.session.session_hash = str(self.client.session_hash)
                self.session.route = str(self.client.cookies.get("imnm_route", ""))
                return
            except Exception as exc:
                if attempt == self.retries or "invalid credentials" in str(exc).lower():
                    raise
                self._note(exc, attempt)

    def _note(self, exc: BaseException, attempt: int) -> None:
        self.session.retries += 1
        self.session.errors.append(f"{type(exc).__name__}: {str(exc)[:160]}")
        time.sleep(0.5 * (attempt + 1))

    def write(self, *args: Any, api_name: str, ok: Callable[[Any], bool]) -> Any:
        """A call that stores something: a one-line refusal (the database down) is noted and
        the call sent again, as a person would press the button again."""
        for attempt in range(self.retries + 1):
            result = self.call(*args, api_name=api_name)
            if ok(result) or attempt == self.retries:
                return result
            parts = list(result) if isinstance(result, tuple | list) else [result]
            shown = next((str(p) for p in parts if isinstance(p, str) and p.strip()), "")
            self.session.notices.append(" ".join(shown.split())[:300])
            time.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    def call(self, *args: Any, api_name: str) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return self.client.submit(*args, api_name=api_name).result(timeout=self.timeout)
            except Exception as exc:
                if attempt == self.retries:
                    raise
                self._note(exc, attempt)
                self._renew()
        raise AssertionError("unreachable")

    def _renew(self) -> None:
        """A fresh client for the same session (same session id, same route cookie): one whose
        event stream was cut, or is open on a replica the load balancer no longer sends its jobs
        to, would wait for ever (gradio_client keeps one stream per client)."""
        from gradio_client import Client

        old = self.client
        try:
            new = Client(self.url, auth=self.session.account, verbose=False)
        except Exception as exc:
            self.session.errors.append(f"reconnect: {type(exc).__name__}: {str(exc)[:120]}")
            return
        new.session_hash = old.session_hash
        if "imnm_route" in old.cookies:
            new.cookies["imnm_route"] = old.cookies["imnm_route"]
        self.client = new
        close = getattr(old, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()


def run_session(url: str, session: Session, retries: int = 6, timeout: float = 60.0,
                rate: bool = True, quiz: bool = True) -> Session:  # fmt: skip
    caller = Caller(url, session, retries, timeout)
    caller.connect()
    history: list[dict[str, Any]] = []
    for question in session.questions:
        t0 = time.perf_counter()
        reply = str(caller.call(question, history, api_name="/chat"))
        session.seconds.append(time.perf_counter() - t0)
        session.replies.append(reply)
        history += [message("user", question), message("assistant", reply)]
    if rate:
        # message 3: the answer to the second question (user and answer messages alternate)
        session.rating = str(caller.write(3, True, history, api_name="/rate",
                                          ok=lambda r: str(r).startswith("Thanks")))  # fmt: skip
    if quiz:
        item, _ = caller.write(session.learner, "all topics", api_name="/quiz_next",
                               ok=lambda r: bool(r[0]))  # fmt: skip
        session.quiz_item = str(item)
        result = caller.write(session.learner, QUIZ_ANSWER, api_name="/quiz_submit",
                              ok=lambda r: "Saved." in str(r[0]))  # fmt: skip
        session.quiz_reply = str(result[0])
    return session


def run_load(
    url: str,
    sessions: int,
    accounts: Sequence[tuple[str, str]] | None = None,
    during: Callable[[], None] | None = None,
    at_question: int = 0,
    **kwargs: Any,
) -> tuple[list[Session], float]:
    """``sessions`` sessions at once; ``during`` runs (in its own thread) once ``at_question``
    questions have been answered in all. Returns the sessions and the wall time."""
    plan = [
        Session(i, CONVERSATIONS[i % len(CONVERSATIONS)],
                account=accounts[i % len(accounts)] if accounts else None,
                learner="" if accounts else f"learner {i}")
        for i in range(sessions)
    ]  # fmt: skip
    fired = threading.Event()
    side: list[threading.Thread] = []

    def watch() -> None:
        while not fired.is_set():
            done = sum(len(s.replies) for s in plan)
            if done >= at_question:
                fired.set()
                if during is not None:
                    during()
                return
            time.sleep(0.02)

    if during is not None:
        side.append(threading.Thread(target=watch, daemon=True))
        side[0].start()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(run_session, url, s, **kwargs) for s in plan]
        for f in futures:
            f.exception()
    wall = time.perf_counter() - started
    fired.set()
    for t in side:
        t.join(timeout=120)
    errors = [f.exception() for f in futures if f.exception() is not None]
    if errors:
        raise RuntimeError(f"{len(errors)} sessions failed; first: {errors[0]!r}")
    return plan, wall


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def stats(plan: Sequence[Session], wall: float) -> dict[str, Any]:
    seconds = [t for s in plan for t in s.seconds]
    return {
        "sessions": len(plan),
        "questions": len(seconds),
        "wall_s": round(wall, 2),
        "questions_per_s": round(len(seconds) / wall, 2),
        "p50_s": round(percentile(seconds, 50), 3),
        "p95_s": round(percentile(seconds, 95), 3),
        "max_s": round(max(seconds), 3),
        "mean_s": round(statistics.fmean(seconds), 3),
        "retries": sum(s.retries for s in plan),
    }
