"""What a follow-up's "that one" or "the second drug" points to, and four-letter typos
(answering/conversation.py, domain/learned.py, the shorthand pack)."""

from __future__ import annotations

from assistant.answering.conversation import Conversation
from assistant.core.types import Turn
from assistant.domain.learned import CorpusWords
from assistant.domain.vocabulary import general_vocabulary

PASSAGES = [
    "Pulmonary arterial hypertension (PAH) affects about 10 percent of patients, often late and "
    "with anticentromere antibodies.",
    "The three antibodies predict the pattern of disease: anticentromere antibody (ACA): limited "
    "skin disease, calcinosis and late PAH.",
]


def test_that_one_after_which_antibody_is_the_antibody_that_answered() -> None:
    words = CorpusWords.learn(PASSAGES)
    conversation = Conversation(general_vocabulary(), words)
    last = Turn(question="which ab goes w/ pah?",
                standalone_question="which antibody goes with PAH?",
                answer=" ".join(PASSAGES), quotes=PASSAGES)
    read = conversation.follow("what else does that one predict?", [last])
    # Not "arterial": a word of PAH's long form is what was asked, said in full.
    assert read.referent == "anticentromere", read.standalone
    # ... however the abbreviation was typed.
    assert "arterial" in conversation._asked_words(["pah"])
    # "What else does it predict?" asks more of it: the sentences naming it stay candidates.
    assert read.exclude == []
    # "What else?" alone still asks for something other than what was given.
    assert conversation.follow("what else?", [last]).exclude == PASSAGES


def test_an_ordinal_reference_is_a_follow_up_and_the_second_drug_a_treatment() -> None:
    quote = "Vasculitis is treated with methotrexate and, when that fails, rituximab."
    conversation = Conversation(general_vocabulary(), CorpusWords.learn([quote]))
    assert conversation.is_followup("why use the second drug?")
    assert conversation.is_followup("is the other test better?")
    assert not conversation.is_followup("is methotrexate better than rituximab for vasculitis?")
    last = Turn(question="vasculitis tx?", answer=quote, quotes=[quote])
    read = conversation.follow("why use the second drug?", [last])
    assert read.referent is not None and read.referent.lower() == "rituximab", read.standalone


def test_a_four_letter_typo_is_the_corpus_word_one_edit_away() -> None:
    words = CorpusWords.learn(["Taper the dose slowly.", "Tapering takes months.", "A taper."])
    assert words.correct("tapr") == "taper"
    assert words.correct("tpaer") is None  # five letters: the fuzzy ratio, here too far
    assert words.correct("zzzz") is None
    assert words.correct("dose") is None  # a corpus word is no typo


def test_why_bother_with_asks_what_a_thing_is_for() -> None:
    vocab = general_vocabulary()
    assert vocab.rewrite("why bother w/ a tsh?")[0] == "why use a tsh?"
    read = vocab.rewrite("Why bother with the second drug?")[0]
    assert read.lower() == "why use the second drug?"


def test_the_other_one_is_the_other_thing_the_last_answer_named() -> None:
    said = "Once vision is lost it rarely recovers, and the other eye may be affected within days."
    conversation = Conversation(general_vocabulary(), CorpusWords.learn([said]))
    last = Turn(question="gca pt lost sight in her R eye yesterday", answer=said, quotes=[said])
    read = conversation.follow("what's the risk to the other one?", [last])
    assert read.referent == "the other eye", read.standalone
    assert "the other eye" in read.standalone
    # With no "other ..." said, nothing is made up.
    plain = Turn(question="gca pt lost sight", answer="Vision rarely recovers.",
                 quotes=["Vision rarely recovers."])
    assert conversation.follow("what's the risk to the other one?", [plain]).referent is None
