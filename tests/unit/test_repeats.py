"""A follow-up is not told again what the last answer gave (answering/repeats.py)."""

from __future__ import annotations

from assistant.answering.repeats import already_given
from assistant.core.types import Reading, Turn
from assistant.domain.vocabulary import general_vocabulary

TAPER = "Start prednisolone at 20 mg daily and taper after four weeks."
RELAPSE = "Relapse is common when the dose is reduced."


def _reading(focus: str, referent: str | None = "prednisolone") -> Reading:
    last = Turn(question="starting prednisolone, when do we taper?", quotes=[TAPER])
    return Reading(
        question=focus, standalone=f"{focus} (context: {last.question})", focus=focus,
        topic=last.question, search_text=focus, history=[last], referent=referent,
        k=5, candidates=8,
    )  # fmt: skip


def test_a_follow_up_asking_something_new_drops_the_last_answer() -> None:
    # "wean" is read as "taper", already asked: "what happens" is what is new.
    assert already_given(_reading("and what happens when we wean prednisolone?"),
                         general_vocabulary()) == [TAPER]  # fmt: skip


def test_a_sentence_giving_the_value_asked_or_a_new_word_stays() -> None:
    vocab = general_vocabulary()
    assert already_given(_reading("what dose?", None), vocab) == []  # the dose is given
    assert already_given(_reading("and how many weeks?", None), vocab) == []
    assert already_given(_reading("and is it daily?", None), vocab) == []


def test_no_follow_up_no_drop() -> None:
    r = _reading("and what happens when we wean prednisolone?").model_copy(update={"focus": None})
    assert already_given(r, general_vocabulary()) == []


def test_a_sentence_going_on_to_what_comes_next_answers_and_after_that() -> None:
    vocab = general_vocabulary()
    steps = "Lung function every 3 to 6 months in the first 3 to 5 years, then yearly."
    last = Turn(question="lung function how often?", quotes=[steps, RELAPSE])

    def reading(question: str, focus: str) -> Reading:
        return Reading(question=question, standalone=f"{focus} (context: {last.question})",
                       focus=focus, topic=last.question, search_text=focus, history=[last],
                       k=5, candidates=8)

    # "That" may have been read as a thing ("after lung function"): the question asks next.
    assert already_given(reading("and after that?", "and after lung function?"), vocab) == [
        RELAPSE]
    assert already_given(reading("and what about relapse?", "and what about relapse?"),
                         vocab) == [steps]


def test_the_other_one_read_from_the_last_answer_keeps_the_sentence_naming_it() -> None:
    said = "Without treatment the other eye may be affected within days."
    last = Turn(question="lost sight in her right eye yesterday", quotes=[said])
    reading = Reading(question="what's the risk to the other one?",
                      standalone="what is the risk to the other eye?",
                      focus="what is the risk to the other eye?", topic=last.question,
                      search_text="risk other eye", history=[last], referent="other eye",
                      k=5, candidates=8)  # fmt: skip
    assert already_given(reading, general_vocabulary()) == []
