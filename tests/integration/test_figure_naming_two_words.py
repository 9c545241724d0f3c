"""A figure is of what the question asks when its sentence names two of the question's topic
words besides the commonest, though not the rarest (answering/extractive.naming_key): "permanent
visual loss occurs in 15 to 20 percent" gives "how many end up with permanent vision loss?"."""

from pathlib import Path

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, Settings
from assistant.store.embed import Embedder


def test_a_figure_naming_two_topic_words_is_not_denied(tmp_path: Path, embedder: Embedder) -> None:
    corpus = REPO_ROOT / "eval" / "corpora" / "giant_cell_arteritis"
    bot = Assistant(Settings(corpus=corpus, index=tmp_path / "idx"), embedder=embedder)
    answer = bot.ask("how many gca pts end up w permanent vision loss")
    assert "15 to 20 percent" in answer.answer
    assert "do not give a number" not in answer.answer
