"""A note that a frequency is not given names the measure it was asked of, as the corpus
writes it, never the corpus's own subject (answering/wording.QuestionWords.measure)."""

from pathlib import Path

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.store.embed import Embedder

TEXT = """# Inclusion body myositis (IBM): follow-up

## Tests

The creatine kinase (CK) is normal or mildly raised in IBM. Forced vital capacity (FVC) is
measured if there are breathing symptoms.

## Review

IBM progresses slowly over years. Patients keep walking longer with regular exercise.
"""


def test_a_frequency_note_names_the_measure_and_not_the_subject(
    tmp_path: Path, embedder: Embedder
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "ibm.md").write_text(TEXT)
    bot = Assistant(Settings(corpus=tmp_path / "corpus", index=tmp_path / "idx"),
                    embedder=embedder)  # fmt: skip
    measure = bot.pipeline.answerer.measure
    assert measure("ck") == "CK" and measure("FVC") == "FVC"
    assert measure("ibm") is None  # in the title: what the whole text is about
    assert measure("exercise") is None  # no abbreviation
    answer = bot.ask("how often repeat ck in ibm f/u?")
    assert not answer.abstained and "[1]" in answer.answer
    assert answer.answer.endswith("The indexed sources do not say how often for CK.")
