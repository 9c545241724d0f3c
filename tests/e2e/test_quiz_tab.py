"""The Quiz tab built in Gradio Blocks and served over real HTTP (the real model answers)."""

from __future__ import annotations

from pathlib import Path

from assistant.quiz.progress import Progress


def test_build_quiz_tab_in_blocks(assistant: object, tmp_path: Path) -> None:
    import gradio as gr

    from assistant.core.settings import Settings
    from assistant.web.quiz_tab import build_quiz_tab

    settings = Settings(data_dir=tmp_path / "data")
    with gr.Blocks() as demo, gr.Tab("Quiz"):
        build_quiz_tab(assistant, settings)  # type: ignore[arg-type]
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {"quiz-learner", "quiz-next", "quiz-answer", "quiz-check", "quiz-chart"} <= ids
    assert (tmp_path / "data" / "quiz.sqlite3").exists()


def test_quiz_tab_over_http(assistant: object, tmp_path: Path) -> None:
    """The tab served for real on 127.0.0.1: next item, an answer, the progress it shows."""
    import gradio as gr
    from gradio_client import Client

    from assistant.core.settings import Settings
    from assistant.web.quiz_tab import build_quiz_tab

    settings = Settings(data_dir=tmp_path / "data")
    with gr.Blocks() as demo, gr.Tab("Quiz"):
        build_quiz_tab(assistant, settings)  # type: ignore[arg-type]
    demo.queue()
    _, url, _ = demo.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True)
    try:
        client = Client(url, verbose=False)
        # Without a name the tab says so in its own words, not the command line's (--learner).
        _, err = client.predict("", "prognosis", api_name="/quiz_next")
        assert "Learner name" in err and "--" not in err
        item_md, feedback = client.predict("Ann", "prognosis", api_name="/quiz_next")
        # which prognosis item comes first depends on the bank; that one does is what counts
        assert "**Item 1** · prognosis" in item_md and feedback == ""
        # The item id is shown as code, as it is (no Markdown escapes inside the code span).
        shown_id = item_md.split("`")[1]
        assert shown_id in {i.id for i in bank_items(assistant, settings)} and "\\" not in shown_id
        fb, summary, chart, box = client.predict("Ann", "not a <b>clue</b>",
                                                 api_name="/quiz_submit")  # fmt: skip
        # The verdict: a mark every text font has, then the verdict in words; the learner's own
        # answer beside it (escaped), then the reference and its source.
        assert fb.startswith("### ✗ Incorrect"), fb
        assert "**Your answer:** not a &lt;b&gt;clue&lt;/b&gt;" in fb
        assert "Reference answer" in fb and "**Source [1]:** imnm\\.md" in fb
        assert "**Ann**: 1 answer," in summary and "| prognosis | 0.00 | 1 |" in summary
        assert chart and chart["type"] == "matplotlib" and box == ""
    finally:
        demo.close()
    history = Progress(tmp_path / "data" / "quiz.sqlite3").history("ann")
    assert [h["answer"] for h in history] == ["not a <b>clue</b>"]


def bank_items(assistant: object, settings: object) -> list[object]:
    from assistant.quiz.bank import load_bank

    return list(load_bank(settings, chunks=assistant.index.chunks).items)  # type: ignore[arg-type,attr-defined]
