"""Which questions lean on the turn before (answering/conversation.py)."""

from __future__ import annotations

from assistant.answering.conversation import Conversation
from assistant.domain.vocabulary import general_vocabulary


def test_which_one_points_back_to_the_choices_just_named() -> None:
    # "drug A or drug B?" then "which one kicks in quicker?": the choices are the last turn's.
    conversation = Conversation(general_vocabulary())
    assert conversation.is_followup("which one kicks in quicker?")
    assert conversation.is_followup("which one works faster")


def test_and_how_fast_back_down_names_no_topic_of_its_own() -> None:
    # "how fast" asks how long; "back", "down" are among English's commonest words.
    conversation = Conversation(general_vocabulary())
    assert conversation.is_followup("and how fast back down?")
    assert not conversation.is_followup("and how is the heart muscle response monitored?")


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


def test_a_follow_up_asking_after_what_the_cited_passage_says_leans_on_the_last_turn() -> None:
    # The answer cited the trial's first sentence; its passage also gives the admissions.
    from assistant.core.types import Turn

    passage = (
        "In non-thymomatous disease, the trial studied adults with generalised disease. "
        "Over 3 years, thymectomy gave fewer hospital admissions (9 percent versus 37 percent)."
    )
    conversation = Conversation(general_vocabulary(), passages={"p1": passage})
    last = Turn(question="is thymectomy worth it in non-thymoma disease?",
                quotes=["In non-thymomatous disease, the trial studied adults."],
                chunk_ids=["p1"])
    read = conversation.follow("and how big was the drop in hospital stays?", [last])
    assert "context:" in read.standalone and "thymectomy" in read.standalone, read.standalone
    assert read.focus == "and how big was the drop in hospital stays?"
    # Words the cited passage never uses: the question stands on its own.
    other = conversation.follow("and how is the heart muscle response monitored?", [last])
    assert other.standalone == "and how is the heart muscle response monitored?"


def test_what_dose_asks_the_dose_of_what_the_conversation_is_about() -> None:
    from assistant.core.types import Turn
    from assistant.domain.learned import CorpusWords

    words = CorpusWords.learn([
        "Methotrexate: 15 to 25 mg once weekly. Mycophenolate mofetil (MMF): 1 g twice daily.",
        "A bisphosphonate such as alendronic acid 70 mg once weekly is offered on steroids.",
    ])
    conversation = Conversation(general_vocabulary(), words)
    last = Turn(question="methotrexate for the disease?",
                answer="Methotrexate and mycophenolate mofetil are the main options [1].")
    read = conversation.follow("what dose?", [last])
    # The dose asked is methotrexate's: it weighs with the follow-up's own words ...
    assert read.referent is not None and read.referent.lower() == "methotrexate", read
    assert read.focus is not None and "methotrexate" in read.focus.lower()
    # ... and no other drug the answer named is read into it.
    assert "mycophenolate" not in read.standalone.lower(), read.standalone
    monitored = conversation.follow("monitoring?", [last])
    assert "about" not in monitored.standalone, monitored.standalone
    # "X for pts on Y": the thing asked about is X, the first term of the question's own.
    last = Turn(question="bisphosphonate for pts on steroids?",
                answer="A bisphosphonate such as alendronic acid 70 mg once weekly [1].")
    assert conversation.follow("what dose?", [last]).referent == "bisphosphonate"


def test_a_dose_asked_after_a_question_naming_no_drug_is_the_answers_drugs() -> None:
    from assistant.core.types import Turn
    from assistant.domain.learned import CorpusWords

    words = CorpusWords.learn(["Headache and jaw claudication suggest arteritis: start steroids."])
    conversation = Conversation(general_vocabulary(), words)
    last = Turn(question="older pt with jaw claudication, what am i worried about?",
                answer="Jaw claudication suggests arteritis and needs high-dose steroids [1].")
    read = conversation.follow("starting dose?", [last])
    assert read.referent is not None and "claudication" not in read.referent.lower(), read
    assert "corticosteroid" in read.referent.lower(), read


def test_giving_it_after_a_question_naming_no_drug_is_the_drug_that_answered() -> None:
    from assistant.core.types import Turn
    from assistant.domain.learned import CorpusWords

    words = CorpusWords.learn(["Rituximab is the treatment of choice for a nodopathy."])
    conversation = Conversation(general_vocabulary(), words)
    last = Turn(question="tx of choice for nodopathy?",
                answer="Rituximab is the treatment of choice for a nodopathy [1].",
                quotes=["Rituximab is the treatment of choice for a nodopathy."])
    resolved, referent = conversation.resolve("anything to check before giving it?", last)
    assert referent == "Rituximab", (resolved, referent)


def test_a_question_naming_no_term_of_its_own_asks_after_the_cited_passage() -> None:
    # No "and ..." opening, no term of its own: "meaningful" is the cited passage's word.
    from assistant.core.types import Turn

    passage = "The disability score ranges from 0 to 10; a 1 point change is meaningful."
    conversation = Conversation(general_vocabulary(), passages={"p1": passage})
    last = Turn(question="disability score - what's the range?",
                quotes=[passage], chunk_ids=["p1"])
    read = conversation.follow("what change counts as meaningful?", [last])
    assert "context:" in read.standalone and "disability" in read.standalone, read.standalone


def test_and_in_kids_puts_kids_in_place_of_the_adults_asked_about() -> None:
    from assistant.core.types import Turn

    def similar(a: str, b: str) -> float:  # "kids" and "adults" are close in meaning
        return 0.6 if {a.lower(), b.lower()} == {"kids", "adults"} else 0.2

    conversation = Conversation(general_vocabulary(), similar=similar)
    last = Turn(question="cancer screening in newly diagnosed adults - what is needed?")
    read = conversation.follow("and in kids?", [last])
    assert read.standalone == "cancer screening in newly diagnosed kids - what is needed?", read
    assert read.focus is None  # a whole new question, read on its own
    # Without a word close to one of the earlier question's, the context is carried as before.
    other = conversation.follow("and in pregnancy?", [last])
    assert "context:" in other.standalone, other.standalone


def test_when_to_asks_a_moment_not_a_value_of_the_thing_talked_about() -> None:
    from assistant.core.types import Turn
    from assistant.domain.learned import CorpusWords

    words = CorpusWords.learn(["Methotrexate is stopped in crisis."])
    conversation = Conversation(general_vocabulary(), words)
    last = Turn(question="methotrexate in crisis - how do you monitor breathing?",
                answer="Methotrexate is stopped in crisis [1].")
    read = conversation.follow("when to intubate?", [last])
    assert read.referent is None and read.focus == "when to intubate?", read
    assert conversation.follow("what dose?", [last]).referent == "methotrexate"


def test_kids_is_read_as_the_childrens_the_texts_write() -> None:
    # "and in kids?": the texts say "children"; the rewrite is the pack's shorthand entry.
    text, changes = general_vocabulary().rewrite("and in kids?")
    assert text == "and in children?" and ("kids", "children") in changes, (text, changes)
