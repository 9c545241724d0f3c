"""Chat sessions over HTTP, as many at once as asked: the load of the tests and of the bench.

Each session is a client of the app's HTTP protocol (``GradioHTTP``, signed in when given an
account; the same requests as the browser and gradio_client) that asks its
conversation's questions one after another, sending its own history with each (as the browser
does: any replica can then read a follow-up), rates one answer (``/rate``) and answers one quiz
item (``/quiz_next``, ``/quiz_submit``). A call that fails (its replica died, the connection was
cut) is sent again on the same client, after a short pause, up to ``retries`` times: nginx routes
it to another replica. Latencies are kept per question; nothing here asserts anything.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
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


def library_answers(assistant: Any, conversations: Sequence[Sequence[str]]) -> list[list[str]]:
    """What the library answers for each conversation, turn by turn, with its own history: what
    a replica must show for the same turns."""
    out: list[list[str]] = []
    for questions in conversations:
        history: list[Any] = []
        texts: list[str] = []
        for q in questions:
            a = assistant.ask(q, history)
            history.append(a.as_turn())
            texts.append(a.answer)
        out.append(texts)
    return out


def message(role: str, text: str) -> dict[str, Any]:
    """One chat message as Gradio's Chatbot holds it."""
    return {"role": role, "content": [{"type": "text", "text": text}]}


class GradioHTTP:
    """The browser's protocol, one call at a time: join the queue, read that job's events.

    Each call opens its own event stream and closes it at the job's end, so a retried call
    never waits on a stream left open on another replica (gradio_client keeps one stream per
    client, and a job sent again after a cut could wait on it for ever). Cookies (the login, the
    load balancer's route) persist for the session; the session id too, so the replica taking a
    session over finds what the database holds for it.
    """

    def __init__(self, url: str, auth: tuple[str, str] | None, timeout: float) -> None:
        import httpx

        self.http = httpx.Client(base_url=url, timeout=httpx.Timeout(timeout, connect=5.0))
        # The whole wait for one job's end: the event stream's heartbeats reset the read
        # timeout, so a job lost on the replica (its database cut mid-call) would be waited
        # on for ever; past this the call fails and is sent again.
        self.deadline = timeout
        self.session_hash = uuid.uuid4().hex
        if auth is not None:
            answer = self.http.post("login", data={"username": auth[0], "password": auth[1]})
            if answer.status_code == 401:
                raise ValueError(f"invalid credentials for {auth[0]}")
            answer.raise_for_status()
        config = self.http.get("config")
        if config.status_code == 401:
            raise ValueError("credentials were not provided")
        config.raise_for_status()
        body = config.json()
        state = {c["id"] for c in body["components"] if c.get("type") == "state"}
        self.endpoints: dict[str, tuple[int, list[bool], list[bool]]] = {}
        for index, dep in enumerate(body["dependencies"]):
            if dep.get("api_name"):
                self.endpoints["/" + str(dep["api_name"]).lstrip("/")] = (
                    int(dep.get("id", index)),
                    [i in state for i in dep["inputs"]],
                    [o in state for o in dep["outputs"]],
                )

    @property
    def cookies(self) -> dict[str, str]:
        return dict(self.http.cookies)

    def predict(self, *args: Any, api_name: str) -> Any:
        fn_index, inputs_state, outputs_state = self.endpoints[api_name]
        given = iter(args)
        data = [None if is_state else next(given, None) for is_state in inputs_state]
        joined = self.http.post("gradio_api/queue/join", json={
            "data": data, "fn_index": fn_index, "session_hash": self.session_hash,
            "event_data": None, "trigger_id": None,
        })  # fmt: skip
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        with self.http.stream(
            "GET", "gradio_api/queue/data", params={"session_hash": self.session_hash}
        ) as events:
            events.raise_for_status()
            give_up = time.monotonic() + self.deadline
            for line in events.iter_lines():
                if time.monotonic() > give_up:
                    raise TimeoutError(f"no answer within {self.deadline:g} s")
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") != event_id:
                    continue
                if message.get("msg") == "process_completed":
                    if not message.get("success"):
                        raise RuntimeError(f"the app failed: {str(message)[:200]}")
                    out = [v for v, is_state in zip(message["output"]["data"], outputs_state,
                                                    strict=False) if not is_state]  # fmt: skip
                    return out[0] if len(out) == 1 else tuple(out)
        raise ConnectionError("the event stream ended before the job did")

    def close(self) -> None:
        self.http.close()


class Caller:
    """One client session; ``call`` sends again on failure."""

    def __init__(self, url: str, session: Session, retries: int, timeout: float) -> None:
        self.url = url
        self.session = session
        self.retries = retries
        self.timeout = timeout
        self.client: Any = None

    def connect(self) -> None:
        for attempt in range(self.retries + 1):
            try:
                self.client = GradioHTTP(self.url, self.session.account, self.timeout)
                self.session.session_hash = self.client.session_hash
                self.session.route = self.client.cookies.get("imnm_route", "")
                return
            except Exception as exc:
                if attempt == self.retries or "invalid credentials" in str(exc).lower():
                    raise
                self._note(exc, attempt)

    def _note(self, exc: BaseException, attempt: int, doing: str = "connect") -> None:
        self.session.retries += 1
        self.session.errors.append(
            f"{time.strftime('%X')} {doing}: {type(exc).__name__}: {str(exc)[:160]}"
        )
        time.sleep(0.5 * (attempt + 1))

    def call(self, *args: Any, api_name: str) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return self.client.predict(*args, api_name=api_name)
            except Exception as exc:
                if attempt == self.retries:
                    raise
                self._note(exc, attempt, api_name)
        raise AssertionError("unreachable")

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
    failed = [(s, f.exception()) for s, f in zip(plan, futures, strict=True) if f.exception()]
    if failed:
        s, exc = failed[0]
        raise RuntimeError(f"{len(failed)} sessions failed; first: session {s.number} "
                           f"{exc!r} after {s.errors}")
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
