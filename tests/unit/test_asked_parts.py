"""What a question asks, read part by part and word by word: a value note judged on the part
that asks the value, "how much commoner" as a ratio, the thing asked named before the frame,
pronouns that name no thing, a sentence that points back after an opening phrase, one about
the text itself (never quoted, nor shown as closest), a word done wrongly ("mislabelled") read as
the corpus word it is made of, and verb and adjective forms that are the question's frame
(answering/gaps.py, dosing.py, declining.py, leads.py, conversation.py, wording.py, reading.py;
text/sentences.py)."""

from __future__ import annotations

import pytest
from readings import plain_reading as _reading

from assistant.answering.conversation import Conversation
from assistant.answering.declining import decline
from assistant.answering.dosing import asks_dose
from assistant.answering.extractive import Scored
from assistant.answering.gaps import missing_detail, named_first
from assistant.answering.leads import with_context
from assistant.answering.reading import Reader
from assistant.answering.wording import COMPARATIVES, QuestionWords, past_form
from assistant.core.settings import AnswerSettings, RetrievalSettings
from assistant.core.types import Hit, SourceFile, Turn
from assistant.domain.learned import CorpusWords
from assistant.domain.vocabulary import general_vocabulary
from assistant.ingest.chunk import chunk_source
from assistant.text.sentences import about_the_text

RELAPSE = "Prednisolone 40 to 60 mg daily is given for a relapse with jaw claudication."


@pytest.mark.parametrize(
    ("question", "dose"),
    [("how much commoner in women?", False), ("how much higher is the risk?", False),
     ("how much pred?", True), ("how much methotrexate do we give?", True)],
)  # fmt: skip
def test_how_much_before_a_comparative_asks_a_ratio_not_a_dose(question: str, dose: bool) -> None:
    assert asks_dose(question) is dose


def test_a_word_the_sources_lack_in_another_part_leaves_the_value_given() -> None:
    vocab = general_vocabulary()
    question = "can i trust the crp? and what prednisolone dose if it's a flare"
    assert missing_detail(_reading(question), [RELAPSE], vocab, ["trust"]) == (
        "The indexed sources do not mention trust.")
    # ... while one in the part asking the value is what the value would be for.
    other = "what prednisolone dose for a toddler?"
    gap = missing_detail(_reading(other), [RELAPSE], vocab, ["toddler"])
    assert gap is not None and "state a dose" in gap


def test_a_decline_names_the_drug_asked_before_the_frame() -> None:
    vocab = general_vocabulary()
    assert named_first(["sugars", "roof", "metformin", "gliclazide"], vocab)[:2] == [
        "metformin", "gliclazide"]
    assert named_first(["sugars", "roof"], vocab) == ["sugars", "roof"]


def test_an_indefinite_pronoun_or_a_frame_word_is_never_named_as_not_given() -> None:
    words = QuestionWords()
    words.vocab, words.similar = general_vocabulary(), None
    words.corpus_terms, words.corpus_words, words._by_prefix = set(), set(), {}
    last = Turn(question="how common is fatigue?", answer="Fatigue is common.",
                quotes=["Fatigue is common."])
    said = ["Rituximab is reserved for severe disease."]
    follow = _reading("anything to treat it?").model_copy(
        update={"focus": "anything to treat it?", "history": [last]})
    assert words.unanswered(follow, said) == []
    follow = follow.model_copy(update={"focus": "anything for the pruritus?"})
    assert words.unanswered(follow, said) == ["pruritus"]
    # ... nor is a follow-up's frame: a past form or a comparative
    follow = follow.model_copy(update={"focus": "should we have gone in harder?"})
    assert words.unanswered(follow, said) == []


def test_it_after_anything_to_tide_her_over_is_what_answered() -> None:
    answer = ["Rituximab is given as a bridge until the other drug starts to work."]
    last = Turn(question="just started azathioprine - anything to tide her over till it works?",
                answer=answer[0], quotes=answer)
    conversation = Conversation(general_vocabulary(), CorpusWords.learn(answer))
    read = conversation.follow("if it wears off can we give it again?", [last])
    assert read.referent is not None and read.referent.lower() == "rituximab", read.standalone


TEXT = """# Some disease

Intravenous immunoglobulin is given at 2 g/kg over 2 to 5 days. In a placebo-controlled trial it \
improved strength, with a peak at 2 to 4 weeks.
"""


def test_a_subject_pointing_back_after_an_opening_phrase_brings_its_antecedent() -> None:
    chunk = chunk_source(SourceFile(name="notes.md", text=TEXT, sha256="0" * 64))[0]
    trial = Scored(chunk, 1, chunk.sentences[1], 1, 0.0, 0.0, 0.9)
    out = with_context([trial], lambda c, j: Scored(c.chunk, j, c.chunk.sentences[j], j,
                                                   0.0, 0.0, 0.0))
    assert [s.sentence for s in out] == chunk.sentences[:2]


@pytest.mark.parametrize("word", ["gone", "taken", "given", "begun", "kept"])
def test_irregular_past_participles_are_the_frame(word: str) -> None:
    assert past_form(word)


def test_comparatives_of_everyday_adjectives_are_the_frame_and_nouns_in_er_are_not() -> None:
    assert {"harder", "sooner", "earlier"} <= COMPARATIVES
    assert not {"liver", "letter", "fever", "ulcer", "career"} & COMPARATIVES


@pytest.mark.parametrize(
    ("sentence", "question", "about"),
    [("This guide summarises the diagnosis and management of the disease.", "first line tx?",
      True),
     ("It is written for general practitioners and practice nurses.", "dose?", True),
     ("This summary covers muscle symptoms in adults.", "how common is rhabdo?", True),
     ("This guide summarises the diagnosis and management of the disease.",
      "who is the guide written for?", False),
     ("This drug is given weekly.", "how often?", False)],
)  # fmt: skip
def test_a_sentence_about_the_text_itself_answers_only_a_question_about_the_text(
    sentence: str, question: str, about: bool
) -> None:
    assert about_the_text(sentence, question) is about


def test_a_word_done_wrongly_is_read_as_the_corpus_word_it_is_made_of() -> None:
    words = CorpusWords.learn(["Patients are often first labelled as having polymyositis."])
    reader = Reader(AnswerSettings(), RetrievalSettings(), general_vocabulary(), words)
    text, changes = reader.wording("what do pts get mislabelled as?")
    assert "get labelled as" in text and ("mislabelled", "labelled") in changes
    # ... not a common word of its own, nor a word the corpus lacks once the prefix is gone
    assert reader.wording("any mission to report?")[1] == []
    assert reader.wording("is it misdiagnosed?")[1] == []


INTRO = """# Some disease

This guide summarises the care of the disease. It is written for general practitioners.

## Treatment

Prednisolone is the first treatment.
"""


def test_the_closest_passages_of_a_decline_pass_over_sentences_about_the_text() -> None:
    chunks = chunk_source(SourceFile(name="guide.md", text=INTRO, sha256="0" * 64))
    hits = [Hit(rank=i + 1, score=0.1, chunk=c) for i, c in enumerate(chunks)]
    answer = decline(_reading("bitcoin price?"), ["bitcoin"], hits, general_vocabulary(),
                     closest=True)
    shown = " ".join(c.quote for c in answer.closest)
    assert "This guide" not in shown and "written for" not in shown
