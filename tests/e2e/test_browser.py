"""A real headless Chromium, driven by Playwright, using the chat as a clinician would."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.store.embed import Embedder
from assistant.web.chat import build_app

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# In CI the browser test must run: `make test` installs Chromium, and a skip there would hide
# that it could not. On a developer's machine without it, it is skipped with the reason.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and os.environ.get("CI") != "true",
        reason="Debian chromium not installed (`make browser` installs it)",
    ),
]


def serve(assistant: Assistant, settings: Settings) -> tuple[object, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    demo = build_app(assistant, settings)
    demo.queue()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("textbox").first
    box.fill(question)
    box.press("Enter")
    page.locator("#imnm-chatbot .imnm-source, #imnm-chatbot details").first.wait_for(timeout=60_000)


def test_question_answer_marker_and_source_card(
    browser, assistant: Assistant, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = assistant.settings.model_copy(update={"data_dir": tmp_path})
    demo, url = serve(assistant, settings)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(url)
        assert "Not medical advice" in page.locator("#imnm-notice").inner_text()
        ask(page, "What is the first-line treatment for IMNM?")
        chat = page.locator("#imnm-chatbot")
        text = chat.inner_text()
        assert "prednisone" in text and "[1]" in text
        assert "imnm.md" in text and "From the Guidelines" in text
        assert chat.locator("mark").count() >= 1, "the cited sentence is highlighted"
        shot = (
            REPO / "docs" / "chat.png"
            if os.environ.get("IMNM_UPDATE_SCREENSHOT")
            else (tmp_path / "chat.png")
        )
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # Thumbs-up on the answer is stored with its question, answer and citations.
        page.locator("#imnm-chatbot button[aria-label='Like']").last.click()
        page.get_by_text("feedback saved").wait_for(timeout=20_000)
        rows = (
            sqlite3.connect(tmp_path / "feedback.sqlite3")
            .execute("SELECT rating, question FROM feedback")
            .fetchall()
        )
        assert rows == [(1, "What is the first-line treatment for IMNM?")]
    finally:
        demo.close()  # type: ignore[attr-defined]


HOSTILE = """# Hostile passage

- IMNM treatment note <script>window.__pwned = 1; document.title = "PWNED"</script> with
  prednisone <img src=x onerror="window.__pwned = 2"> and <b>bold</b> markup.
"""


def test_script_in_the_corpus_does_not_run(browser, embedder: Embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.md").write_text(HOSTILE)
    settings = Settings(corpus=corpus, index=tmp_path / "idx", data_dir=tmp_path / "data")
    demo, url = serve(Assistant(settings, embedder=embedder), settings)
    try:
        page = browser.new_page()
        page.goto(url)
        ask(page, "What is the IMNM treatment note about prednisone?")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__pwned") is None
        assert page.title() != "PWNED"
        text = page.locator("#imnm-chatbot").inner_text()
        assert "<script>" in text, "the markup is shown as text"
    finally:
        demo.close()  # type: ignore[attr-defined]


def test_quiz_tab_in_the_browser(browser, assistant: Assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A learner's first item in the Quiz tab: the id as written, their answer beside a verdict
    written in words, and the progress chart drawn."""
    settings = assistant.settings.model_copy(update={"data_dir": tmp_path})
    demo, url = serve(assistant, settings)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(url)
        page.get_by_role("tab", name="Quiz").click()
        page.locator("#quiz-next").click()
        feedback = page.locator("#quiz-feedback")
        # In the feedback box (a toast may show the same words a moment: two matches).
        feedback.get_by_text("Learner name” box first").first.wait_for(timeout=30_000)
        assert "--learner" not in feedback.inner_text()
        page.locator("#quiz-learner textarea, #quiz-learner input").first.fill("Ann")
        page.locator("#quiz-next").click()
        item = page.locator("#quiz-item")
        item.get_by_text("Item 1").wait_for(timeout=30_000)
        code = item.locator("code").first.inner_text()
        assert code and "\\" not in code, code
        page.locator("#quiz-answer textarea").fill("not a clue")
        page.locator("#quiz-check").click()
        feedback.get_by_text("Your answer").wait_for(timeout=60_000)
        text = feedback.inner_text()
        assert "Incorrect" in text and "✗" in text and "not a clue" in text, text
        page.locator("#quiz-chart img, #quiz-chart canvas").first.wait_for(timeout=30_000)
        assert "Ann: 1 answer," in page.locator("#quiz-summary").inner_text()
    finally:
        demo.close()  # type: ignore[attr-defined]
