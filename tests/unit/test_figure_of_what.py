"""A figure asked of one thing is not given by a figure of another (answering/gaps.py
``figures_from``; the answerer passes the sentences naming the question's rarest topic word)."""

from __future__ import annotations

from readings import plain_reading as _reading

from assistant.answering.gaps import missing_detail
from assistant.domain.vocabulary import general_vocabulary

QUESTION = "what % of patients have diabetes too?"
SENTENCES = [
    "About 80 percent of patients improve with one of the first-line treatments.",
    "Raised CSF protein alone is not specific, because it also occurs in diabetes.",
]



def test_a_percentage_of_something_else_does_not_give_the_one_asked() -> None:
    vocab = general_vocabulary()
    gap = missing_detail(_reading(QUESTION), SENTENCES, vocab, figures_from=SENTENCES[1:])
    assert gap == "The indexed sources do not give a percentage."
    # ... while the sentence naming it with a figure gives it.
    said = [*SENTENCES, "Diabetes is found in 15 percent of patients."]
    assert missing_detail(_reading(QUESTION), said, vocab, figures_from=said[1:]) is None
    # Without the sentences naming it, any figure counts (as before).
    assert missing_detail(_reading(QUESTION), SENTENCES, vocab) is None
