"""A question setting a drug aside is answered with the others, and a follow-up's "it" is the
one given, not the one set aside (answering/besides.py, conversation.py), on a real index."""

from pathlib import Path

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, Settings
from assistant.store.embed import Embedder


def test_apart_from_a_drug_answers_with_another(tmp_path: Path, embedder: Embedder) -> None:
    corpus = REPO_ROOT / "eval" / "corpora" / "giant_cell_arteritis"
    bot = Assistant(Settings(corpus=corpus, index=tmp_path / "idx"), embedder=embedder)
    first = bot.ask("apart from actemra whats the other steroid sparer for gca?")
    assert first.answer.startswith("Methotrexate")
    assert "Tocilizumab" not in first.answer and "NICE recommends it" not in first.answer
    then = bot.ask("how much does it actually help?", [first.as_turn()])
    assert then.standalone_question and "Methotrexate" in then.standalone_question
    assert "modestly reduces relapse" in then.answer
    assert "actually" not in then.answer  # a word only stressing is no thing asked about
