from assistant.answering.pipeline import Assistant


def test_first_line_treatment_is_cited(assistant: Assistant) -> None:
    answer = assistant.ask("What is the first-line treatment for IMNM?")
    assert not answer.abstained
    assert "prednisone" in answer.answer and "0.5" in answer.answer
    assert "[1]" in answer.answer and answer.citations[0].source == "imnm.md"
