"""Which questions lean on the turn before (answering/conversation.py)."""

from __future__ import annotations

from assistant.answering.conversation import Conversation
from assistant.domain.vocabulary import general_vocabulary


def test_which_one_points_back_to_the_choices_just_named() -> None:
    # "drug A or drug B?" then "which one kicks in quicker?": the choices are the last turn's.
    conversation = Conversation(general_vocabulary())
    assert conversation.is_followup("which one kicks in quicker?")
    assert conversation.is_followup("which one works faster")


def test_how_fast_back_down_names_no_topic_of_its_own() -> None:
    # "how fast" asks how long; "back", "down" are among English's commonest words.
    conversation = Conversation(general_vocabulary())
    assert conversation.is_followup("in that case how fast back down?")
    assert not conversation.is_followup("in adults how is the heart muscle response monitored?")


def test_a_question_opening_on_and_goes_on_from_the_last_turn() -> None:
    """"and how big was the drop in admissions?" after a question about a trial asks about that
    trial, though it names a topic of its own: its words stay the focus, the last turn is
    context. Without the "and" the same question stands alone."""
    from assistant.core.types import Turn

    conversation = Conversation(general_vocabulary())
    asked = "and how is the heart muscle response monitored?"
    assert conversation.is_followup(asked)
    assert not conversation.is_followup("how is the heart muscle response monitored?")
    last = Turn(question="is the trial drug worth it?", answer="It gave fewer admissions [1].",
                quotes=["It gave fewer admissions."])
    read = conversation.follow("and how big was the drop in hospital stays?", [last])
    assert read.focus == "and how big was the drop in hospital stays?"
    assert "context: is the trial drug worth it" in read.standalone


def test_coming_down_and_a_dose_then_reduced_are_tapering() -> None:
    from assistant.answering.gaps import DURATION_INTENT

    terms = general_vocabulary().terms
    assert "taper" in terms("and how fast back down?")
    assert "taper" in terms("before you start coming down")
    assert "taper" in terms("The dose is then reduced again gradually over 4 to 8 weeks.")
    assert DURATION_INTENT.search("how fast can we taper?")


def test_a_follow_up_naming_nothing_is_about_what_answered_the_last_question() -> None:
    from assistant.core.types import Turn

    conversation = Conversation(general_vocabulary())
    last = Turn(question="1st line tx for the disease?",
                answer="Methotrexate is the first-line treatment [1].",
                quotes=["Methotrexate is the first-line treatment."])
    read = conversation.follow("and the side effects?", [last])
    assert "about methotrexate" in read.standalone, read.standalone
    assert read.focus == "and the side effects?"
    # A follow-up naming a thing of its own is about that thing.
    own = conversation.follow("and the side effects of azathioprine?", [last])
    assert "about methotrexate" not in own.standalone


def test_the_second_drug_is_not_an_example_of_the_first() -> None:
    """"X, such as drug A, along with an agent like drug B, C or D": the second drug named is
    B; A only exemplifies X, and C and D are B's alternatives."""
    from assistant.core.types import Turn
    from assistant.domain.learned import CorpusWords

    quote = ("The disease is treated with high-dose corticosteroids, such as prednisone, along "
             "with a steroid-sparing agent like methotrexate, azathioprine or mycophenolate.")
    conversation = Conversation(general_vocabulary(), CorpusWords.learn([quote]))
    assert conversation.items_in(quote) == ["corticosteroids", "methotrexate"]
    last = Turn(question="1st line tx?", answer=quote + " [1]", quotes=[quote])
    read = conversation.follow("why bother w/ the second drug?", [last])
    assert read.referent == "methotrexate"
    # Examples of plain words: the first stands for them.
    assert conversation.items_in("Agents such as methotrexate or azathioprine help.") == [
        "methotrexate"]
