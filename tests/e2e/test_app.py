"""The chat app over real HTTP on loopback, driven by gradio_client as an API user would."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.errors import InputError
from assistant.core.settings import Settings
from assistant.web.chat import (
    ChatApp,
    build_app,
    escape,
    highlight,
    liked_answer,
    parse_auth,
    render_answer,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(assistant: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = assistant.settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("data")})
    demo = build_app(assistant, settings)
    demo.queue(default_concurrency_limit=8)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def client(url: str):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    return Client(url, verbose=False)


def test_conversation_with_a_follow_up_over_http(server: str) -> None:
    c = client(server)
    first = c.predict("What is the first-line treatment for IMNM?", api_name="/chat")
    assert "prednisone" in first and "[1]" in first and "**Sources**" in first
    assert "imnm.md" in first and "<mark>" in first
    second = c.predict("What dose?", api_name="/chat")
    assert "0.5" in second and "mg/kg" in second
    # How the follow-up was read is shown with it (a first question needs no reading).
    assert "Read as: What dose?" in second and "first-line treatment" in second.split("Read as:")[1]
    assert "Read as:" not in first


def test_each_client_has_its_own_history(server: str) -> None:
    a, b = client(server), client(server)
    a.predict("Which treatment is favored for anti-HMGCR IMNM?", api_name="/chat")
    b.predict("What is a poor prognostic factor?", api_name="/chat")
    follow = a.predict("And in anti-SRP disease?", api_name="/chat")
    assert "rituximab" in follow


def test_off_topic_is_declined_in_plain_words(server: str) -> None:
    answer = client(server).predict("What is the capital of France?", api_name="/chat")
    assert answer.startswith("The indexed sources do not") and "France" in answer
    assert "**Sources**" not in answer


def test_empty_message_gets_one_line_not_a_traceback(server: str) -> None:
    answer = client(server).predict("   ", api_name="/chat")
    assert answer.startswith("⚠️") and "empty question" in answer
    assert "Traceback" not in answer


def test_feedback_is_stored_with_question_answer_and_citations(
    assistant: Assistant, tmp_path: Path
) -> None:
    chat = ChatApp(assistant, assistant.settings.model_copy(update={"data_dir": tmp_path}))
    _, kept = list(chat.respond("What is favored early in anti-SRP IMNM?", []))[-1]
    answer = liked_answer(1, kept)  # message 1: the answer to the first question
    assert answer is not None and liked_answer(3, kept) is None
    assert chat.record_feedback(answer, liked=True, session="s1").startswith("Thanks")
    assert chat.record_feedback(answer, liked=False, session="s1").startswith("Thanks")
    rows = (
        sqlite3.connect(tmp_path / "feedback.sqlite3")
        .execute("SELECT rating, question, answer, citations FROM feedback ORDER BY id")
        .fetchall()
    )
    assert [r[0] for r in rows] == [1, -1]
    assert rows[0][1] == "What is favored early in anti-SRP IMNM?"
    assert "rituximab" in rows[0][2] and '"chunk_id"' in rows[0][3]


def test_locked_feedback_database_gives_a_notice_and_keeps_rows(
    assistant: Assistant, tmp_path: Path
) -> None:
    chat = ChatApp(assistant, assistant.settings.model_copy(update={"data_dir": tmp_path}))
    chat.feedback.timeout = 0.2
    _, kept = list(chat.respond("What is a poor prognostic factor?", []))[-1]
    rendered = liked_answer(1, kept)
    chat.record_feedback(rendered, liked=True)
    locker = sqlite3.connect(tmp_path / "feedback.sqlite3")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        notice = chat.record_feedback(rendered, liked=False)
    finally:
        locker.rollback()
        locker.close()
    assert notice.startswith("⚠️ feedback not saved") and "\n" not in notice
    assert len(chat.feedback.rows()) == 1


def test_rendering_escapes_corpus_text_and_answers() -> None:
    assert escape("<script>alert(1)</script> *x*") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\*"
    )
    marked = highlight("A <b>x</b>. Second one.", "Second one.")
    assert marked == "A &lt;b&gt;x&lt;/b&gt;. <mark>Second one.</mark>"


def test_answer_markdown_keeps_markers_and_cards(assistant: Assistant) -> None:
    answer = assistant.ask("Which patients respond well to IVIG?")
    text = render_answer(answer)
    assert "[1]" in text and text.count('class="imnm-source"') == len(answer.citations)
    assert "Retrieved passages" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("ann:s3cret", ("ann", "s3cret")), ("a:b:c", ("a", "b:c"))],
)
def test_auth_setting(value: str | None, expected: tuple[str, str] | None) -> None:
    assert parse_auth(value) == expected


@pytest.mark.parametrize("value", ["nopassword", ":x", "user:"])
def test_bad_auth_setting_is_refused(value: str) -> None:
    with pytest.raises(InputError, match="user:password"):
        parse_auth(value)


def test_login_is_required_when_auth_is_set(assistant: Assistant, tmp_path: Path) -> None:
    import urllib.request

    from assistant.web.chat import launch

    settings = Settings(data_dir=tmp_path, auth="ann:s3cret")
    port = free_port()
    demo = launch(assistant, settings, "127.0.0.1", port, block=False)
    try:
        with pytest.raises(ValueError, match="credentials were not provided"):
            client(f"http://127.0.0.1:{port}/").predict("What dose?", api_name="/chat")
        from gradio_client import Client

        ok = Client(f"http://127.0.0.1:{port}/", auth=("ann", "s3cret"), verbose=False)
        assert "prednisone" in ok.predict("What is the first-line treatment?", api_name="/chat")
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/").read().decode()
        assert "login" in body.lower() or "auth" in body.lower()
    finally:
        demo.close()
