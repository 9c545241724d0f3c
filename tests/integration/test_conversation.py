"""Follow-ups are read in the context of the earlier turns."""

import re

import pytest

from assistant.answering.conversation import Conversation
from assistant.answering.pipeline import Assistant
from assistant.core.settings import DEFAULT_CORPUS
from assistant.core.types import Turn
from assistant.domain.vocabulary import vocabulary_for

READER = Conversation(vocabulary_for(DEFAULT_CORPUS))


def turn(assistant: Assistant, question: str, history: list[Turn]) -> str:
    answer = assistant.ask(question, history)
    history.append(answer.as_turn())
    return answer.answer


def test_what_dose_after_first_line_treatment(assistant: Assistant) -> None:
    history: list[Turn] = []
    turn(assistant, "What is the first-line treatment for IMNM?", history)
    second = turn(assistant, "What dose?", history)
    assert re.search(r"0\.5.{0,6}1 mg/kg", second), second


def test_and_in_anti_srp_disease_swaps_the_antibody(assistant: Assistant) -> None:
    history: list[Turn] = []
    assert "immunoglobulin" in turn(
        assistant, "Which treatment is favored for anti-HMGCR IMNM?", history
    )
    second = turn(assistant, "And in anti-SRP disease?", history)
    assert "rituximab" in second and history[-1].standalone_question
    assert "anti-SRP" in history[-1].standalone_question


def test_which_of_them_refers_to_the_last_answer(assistant: Assistant) -> None:
    history: list[Turn] = []
    first = turn(assistant, "What is considered in severe or refractory cases?", history)
    assert "rituximab" in first
    second = turn(assistant, "Which of them is favored early in anti-SRP disease?", history)
    assert "rituximab" in second


def test_standalone_questions_are_left_alone() -> None:
    history = [Turn(question="What is the first-line treatment?", answer="prednisone [1].")]
    question = "Which antibodies define the subtypes of IMNM?"
    assert not READER.is_followup(question)
    assert READER.read(question, history) == (question, None, question)


def test_no_history_no_rewrite() -> None:
    assert READER.read("What dose?", []) == ("What dose?", None, "What dose?")


def test_a_follow_up_naming_its_own_topic_is_answered_on_that_topic(assistant: Assistant) -> None:
    # Opening on "and", the last turn is context (not what the last answer named: no "about
    # MRI") and its own words are the focus (tests/unit/test_followup_reading.py).
    history: list[Turn] = []
    assert "MRI" in turn(assistant, "How is the disease diagnosed?", history)
    second = turn(assistant, "And how is the response monitored?", history)
    assert "creatine kinase" in second
    read = history[-1].standalone_question or ""
    assert "context: How is the disease diagnosed" in read and "MRI" not in read


def test_contexts_do_not_nest_over_many_turns(assistant: Assistant) -> None:
    history: list[Turn] = []
    turn(assistant, "Which drugs spare steroids?", history)
    turn(assistant, "What dose?", history)
    third = turn(assistant, "What about in refractory cases?", history)
    assert "rituximab" in third
    standalone = history[-1].standalone_question or ""
    assert standalone.count("(context:") == 1, standalone


def test_tell_me_more_and_why_keep_the_topic_and_never_decline(assistant: Assistant) -> None:
    history: list[Turn] = []
    first = turn(assistant, "What happens when immunosuppression is tapered?", history)
    assert "relapse" in first
    for follow in ("Tell me more.", "Why?"):
        text = turn(assistant, follow, history)
        assert not history[-1].abstained and "relapse" in text, (follow, text)
        assert "context" not in text  # the reading's label is not a word asked about


def _answered(question: str, quote: str) -> Turn:
    """A last turn whose answer quoted one sentence, cited [1]."""
    return Turn(question=question, answer=f"{quote.rstrip('.')} [1].", quotes=[quote])


def _reader_of(corpus: str) -> Conversation:
    """The follow-up reader of one eval corpus (none has a pack), with its learnt words."""
    from assistant.core.settings import REPO_ROOT
    from assistant.domain.learned import CorpusWords
    from assistant.ingest.chunk import chunk_corpus
    from assistant.ingest.corpus import load_corpus

    folder = REPO_ROOT / "eval" / "corpora" / corpus
    words = CorpusWords.learn(c.text for c in chunk_corpus(load_corpus(folder)))
    return Conversation(vocabulary_for(folder), words)


def test_they_and_it_it_is_the_thing_and_after_which_it_is_what_answered() -> None:
    reader = _reader_of("pmr")
    last = _answered(
        "which bisphosphonate for pts on steroids?",
        "A bisphosphonate such as alendronic acid 70 mg once weekly is offered.",
    )
    resolved, referent = reader.resolve("how should they take it?", last)
    assert referent is not None and referent.lower().startswith("alendronic")
    assert resolved.startswith("how should they take alendronic")
    # "them" are the patients too: "it" is the drug.
    resolved, referent = reader.resolve("how long do u keep them on it?", last)
    assert referent is not None and referent.lower().startswith("alendronic")
    assert resolved.startswith("how long do u keep them on alendronic")


def test_it_given_or_used_is_the_treatment_not_the_antibody_asked_first() -> None:
    last = _answered(
        "HMGCR imnm - is IVIG any good?",
        "Patients with anti-HMGCR IMNM respond well to IVIG, and IVIG alone may do.",
    )
    for question in ("could it be used on its own?", "anything to check before giving it?"):
        _, referent = READER.resolve(question, last)
        assert referent == "IVIG", (question, referent)
    # Asked about without giving it, "it" is still the first thing the last question named.
    _, referent = READER.resolve("how common is it?", last)
    assert referent == "HMGCR"


def test_a_bare_phrase_carries_on_the_last_question_whatever_it_names() -> None:
    # "and in kids with JDM?" asks nothing of its own: it is the last question again, for them.
    assert READER.is_followup("and in kids w juvenile disease?")
    assert READER.is_followup("and for pregnant women with renal failure?")
    # Asking something of its own, with a topic of its own, it stands alone; opening on "and"
    # it goes on from the last turn.
    assert not READER.is_followup("what about how the response is monitored?")
    assert READER.is_followup("And how is the response monitored?")


def test_a_question_ending_on_too_or_as_well_asks_the_last_question_of_its_own_words() -> None:
    for question in ("folic acid too?", "rituximab as well?", "is IVIG used also?"):
        assert READER.is_followup(question), question
    # "too" inside the question is a degree, not "as well": it stands alone.
    assert not READER.is_followup("what dose of rituximab is too high for anti-SRP patients?")


def test_a_sentence_saying_the_new_word_in_other_words_is_no_repeat() -> None:
    from assistant.answering.repeats import already_given
    from assistant.core.types import Reading

    quote = "Children receive 30 mg/kg/day for three days."
    last = _answered("IV dose in adults?", quote)
    reading = Reading(
        question="and in kids?", standalone="and in kids? (context: IV dose in adults)",
        focus="and in kids?", topic="IV dose in adults?", history=[last], search_text="",
        k=5, candidates=8,
    )
    assert already_given(reading, READER.vocab) == [quote]
    says = lambda words, sentence: "kids" in words and "Children" in sentence  # noqa: E731
    assert already_given(reading, READER.vocab, says) == []


def test_a_terse_question_naming_nothing_leans_on_the_last_turn() -> None:
    assert READER.is_followup("side effects?")
    assert READER.is_followup("Tell me more.")
    assert not READER.is_followup("Which antibodies define the subtypes of IMNM?")


def test_a_number_in_words_is_not_named_as_unmentioned(assistant: Assistant) -> None:
    words, _ = assistant.pipeline.answerer.unmentioned("taper once down at ten mg - how fast?")
    assert not any("ten" in w.split() for w in words), words


def test_the_letters_of_an_ordinal_or_a_unit_are_no_word_of_their_own(
    assistant: Assistant,
) -> None:
    # "2nd" is no "nd", "5yo" no "yo", "5mg" no "mg": a note naming them reads as nonsense.
    words, _ = assistant.pipeline.answerer.unmentioned("2nd choice drug for a 5yo, 5mg tabs?")
    assert not {"nd", "yo", "mg"} & {w for u in words for w in u.split()}, words
    # ... but a word after a hyphen is one ("3,4-zorblamine": a drug name as typed).
    words, _ = assistant.pipeline.answerer.unmentioned("any 3,4-zorblamine for it?")
    assert any("zorblamine" in u for u in words), words


def test_words_judging_or_hurrying_are_not_named_as_missing(assistant: Assistant) -> None:
    # "worth it?", "why bother", "kinder", "why the rush": how the question is put, not a thing
    # the sources could lack ("The indexed sources do not mention rush." read as nonsense).
    words, _ = assistant.pipeline.answerer.unmentioned(
        "why bother with a biopsy - worth it, or kinder to wait? why the rush?")
    assert not {"bother", "worth", "kinder", "rush"} & {w for u in words for w in u.split()}


def test_everyday_words_are_no_topic_of_the_question(assistant: Assistant) -> None:
    # "won" and "world" are the frame: the topic is football and the cup, both unknown here,
    # so nothing of the question is on the corpus's topic and it is declined whatever the
    # evidence threshold is.
    words, topic = assistant.pipeline.answerer.unmentioned("Who won the football World Cup?")
    assert words == ["football", "Cup"] and topic == 2, (words, topic)


def test_a_follow_up_asking_something_new_is_not_told_the_last_answer_again(
    assistant: Assistant,
) -> None:
    # The taper sentence matches "wean it" best; what happens on weaning is another sentence.
    history: list[Turn] = []
    first = turn(assistant, "starting pred for imnm, when do we taper?", history)
    second = turn(assistant, "and what happens when we wean it?", history)
    assert "relapse" in second and second != first, second


def test_doing_again_what_the_corpus_names_is_not_unmentioned(assistant: Assistant) -> None:
    # "rebiopsy" is a biopsy done again; "rewiring" names nothing the corpus has.
    words, _ = assistant.pipeline.answerer.unmentioned("when should we rebiopsy or re-MRI?")
    assert words == [], words
    words, _ = assistant.pipeline.answerer.unmentioned("does rewiring help the muscles?")
    assert words == ["rewiring"], words


def test_an_unknown_thing_is_named_with_the_known_word_before_it(assistant: Assistant) -> None:
    # "transplant" is nowhere in the corpus; "muscle" is: the thing asked is a muscle
    # transplant, and only the unknown word counts against the question's topic.
    answerer = assistant.pipeline.answerer
    words, topic = answerer.unmentioned("is a muscle transplant an option?")
    assert words == ["muscle transplant"], words
    assert answerer.unknown_words(words) == 1 < topic


def test_a_common_thing_taken_with_is_a_detail_asked(assistant: Assistant) -> None:
    # "food" is too common a word to be a topic on its own, but "with food" is what is asked.
    words, _ = assistant.pipeline.answerer.unmentioned("take the pred with food?")
    assert words == ["food"], words
    words, _ = assistant.pipeline.answerer.unmentioned("does it get better with time?")
    assert words == [], words


def test_a_word_joining_a_clause_is_no_detail_asked(assistant: Assistant) -> None:
    # "till" joins "how long" to what is awaited; naming it ("do not mention till") voided the
    # length of time the answer quotes.
    words, _ = assistant.pipeline.answerer.unmentioned("how long till it works?")
    assert words == [], words


@pytest.mark.parametrize("follow", ["what about bitcoin prices?", "and the weather tomorrow?"])
def test_an_off_topic_follow_up_is_declined_not_answered_from_the_topic(
    assistant: Assistant, follow: str
) -> None:
    # Being asked in a conversation does not put a question on its topic: the last question's
    # context would otherwise carry treatment sentences into an answer about prices.
    history: list[Turn] = []
    turn(assistant, "How is IMNM treated?", history)
    text = turn(assistant, follow, history)
    assert history[-1].abstained and "[1]" not in text, text


def test_that_one_after_a_question_answered_by_a_choice_is_the_choice() -> None:
    reader = _reader_of("myasthenia")
    last = _answered(
        "2nd choice steroid sparer if aza's no good?",
        "Mycophenolate mofetil is the usual alternative to azathioprine.",
    )
    # "that one" points at a choice: what answered, not the "steroid" of the question.
    resolved, referent = reader.resolve("bloods how often on that one?", last)
    assert referent is not None and referent.lower().startswith("mycophenolate"), referent
    assert resolved.startswith("bloods how often on "), resolved
    # "it" still reads as the thing the question named.
    _, referent = reader.resolve("how often is it checked?", last)
    assert referent is not None and not referent.lower().startswith("mycophenolate"), referent
