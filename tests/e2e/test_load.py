"""Load: 16 concurrent chat sessions through gradio_client against a real `imnm chat` server on
loopback, with login on. Every answer, follow-ups included, must equal what the library gives
for that session's own conversation; latency is recorded (p50/p95), never asserted.

Bounded: 16 sessions x 3 questions, one server, a 240 s ceiling on the whole run.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.types import Answer
from assistant.web.chat import escape

REPO = Path(__file__).resolve().parents[2]
SESSIONS = 16
USER, PASSWORD = "load", "pw-LOADTEST-not-logged"
# Short follow-ups ("Tell me more.", "Why?") are answered from the session's own earlier turns:
# a session given another's history would get another conversation's answer.
CONVERSATIONS = [
    ["What is the first-line treatment for IMNM?", "What dose?", "Why?"],
    ["Which treatment is favored for anti-HMGCR IMNM?", "And in anti-SRP disease?", "Why?"],
    ["What is a poor prognostic factor?", "Tell me more.", "Why?"],
    ["What happens when immunosuppression is tapered?", "Tell me more.", "Why?"],
]
DEADLINE_S = 240.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def outward_address() -> str | None:
    """This machine's address on its main interface (no packet is sent), if it has one."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))
        address = str(s.getsockname()[0])
        if not address.startswith("127."):
            return address
    return None


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`imnm chat` as a user starts it (default host), with IMNM_AUTH set."""
    root = tmp_path_factory.mktemp("load")
    port = free_port()
    log = (root / "server.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")} | {
        "IMNM_AUTH": f"{USER}:{PASSWORD}",
        "IMNM_DATA_DIR": str(root / "data"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli.app", "chat", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    try:
        while True:
            assert proc.poll() is None, (root / "server.log").read_text()
            assert time.monotonic() < deadline, "the chat server did not come up in 180 s"
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        yield {"url": url, "port": port, "log": root / "server.log", "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def expected_answers(assistant: Assistant) -> list[list[str]]:
    """What the library answers for each conversation, turn by turn, with its own history."""
    from deploy.load import library_answers

    return library_answers(assistant, CONVERSATIONS)


def run_session(url: str, questions: list[str]) -> list[tuple[str, float]]:
    from gradio_client import Client

    client = Client(url, auth=(USER, PASSWORD), verbose=False)
    results: list[tuple[str, float]] = []
    for q in questions:
        t0 = time.perf_counter()
        reply = client.predict(q, api_name="/chat")
        results.append((str(reply), time.perf_counter() - t0))
    return results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def test_16_concurrent_sessions_each_keep_their_own_history(
    chat_server: dict[str, Any], assistant: Assistant, tmp_path: Path
) -> None:
    expected = expected_answers(assistant)
    # The follow-ups really depend on their history: the same "Why?" gets four answers.
    assert len({texts[2] for texts in expected}) == len(CONVERSATIONS)
    assert "mg/kg" in expected[0][1] and "rituximab" in expected[1][1]

    # The server loads the model on its first question: timed apart, so p95 is about load.
    t0 = time.perf_counter()
    run_session(chat_server["url"], ["What is IMNM?"])
    first_s = time.perf_counter() - t0

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        futures = [
            pool.submit(run_session, chat_server["url"], CONVERSATIONS[i % len(CONVERSATIONS)])
            for i in range(SESSIONS)
        ]
        _, pending = wait(futures, timeout=DEADLINE_S)
    elapsed = time.perf_counter() - started
    assert not pending, f"{len(pending)} sessions still running after {DEADLINE_S} s"

    latencies: list[float] = []
    wrong: list[str] = []
    for i, future in enumerate(futures):
        kind = i % len(CONVERSATIONS)
        for turn, (reply, seconds) in enumerate(future.result()):
            latencies.append(seconds)
            want = escape(expected[kind][turn])
            if not reply.startswith(want):
                wrong.append(f"session {i} turn {turn}: {reply[:120]!r} != {want[:120]!r}")
    assert wrong == [], "\n".join(wrong)

    stats = {
        "sessions": SESSIONS,
        "questions": len(latencies),
        "wall_s": round(elapsed, 2),
        "p50_s": round(percentile(latencies, 50), 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "max_s": round(max(latencies), 3),
        "throughput_qps": round(len(latencies) / elapsed, 2),
        "first_question_s": round(first_s, 3),
    }
    (tmp_path / "load.json").write_text(json.dumps(stats, indent=2))
    print(f"\nload: {json.dumps(stats)}")


def test_login_is_required_and_its_password_never_logged(chat_server: dict[str, Any]) -> None:
    from gradio_client import Client

    with pytest.raises(ValueError, match="credentials"):
        Client(chat_server["url"], verbose=False).predict("What dose?", api_name="/chat")
    with pytest.raises(ValueError):
        Client(chat_server["url"], auth=(USER, "wrong"), verbose=False)
    good = Client(chat_server["url"], auth=(USER, PASSWORD), verbose=False)
    assert "prednisone" in good.predict("What is the first-line treatment?", api_name="/chat")
    assert PASSWORD not in chat_server["log"].read_text(errors="replace")


def test_default_host_is_loopback_only(chat_server: dict[str, Any]) -> None:
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to try")
    with socket.socket() as s, pytest.raises(OSError):
        s.settimeout(3)
        s.connect((address, chat_server["port"]))
    with socket.create_connection(("127.0.0.1", chat_server["port"]), timeout=3):
        pass


def test_same_answer_text_in_two_turns_keeps_each_turns_history(
    assistant: Assistant, tmp_path: Path
) -> None:
    """ "Tell me more." can repeat the previous answer word for word; the chat must still know
    which turn was which (it once took both for the second, and "Why?" lost its topic)."""
    from assistant.web.chat import ChatApp

    chat = ChatApp(assistant, assistant.settings.model_copy(update={"data_dir": tmp_path}))
    expected = expected_answers(assistant)
    # With the session's state, and without it (a reloaded page, another replica): the same.
    for keep_state in (True, False):
        for questions, want in zip(CONVERSATIONS, expected, strict=True):
            history: list[dict[str, str]] = []
            answers: list[Answer] = []
            for q, text in zip(questions, want, strict=True):
                reply, kept = list(chat.respond(q, history, answers))[-1]
                assert reply.startswith(escape(text)), (q, reply[:100])
                assert kept[-1].answer == text and len(kept) == len(history) // 2 + 1
                answers = kept if keep_state else []
                history += [{"role": "user", "content": q},
                            {"role": "assistant", "content": reply}]
    assert expected[3][0] == expected[3][1]  # the case above: two turns, one text
