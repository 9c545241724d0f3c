"""Free grading's reading of a learner's words, on the eval corpora: what goes unsaid, what the
question already says, and the corpus's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import DEFAULT_CORPUS, Settings
from assistant.quiz.grading import grade_free
from assistant.quiz.open_grading import OpenGrader

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cidp() -> Assistant:
    return Assistant(Settings(corpus=REPO / "eval/corpora/cidp"))


@pytest.fixture(scope="module")
def pmr() -> Assistant:
    return Assistant(Settings(corpus=REPO / "eval/corpora/pmr"))


def test_the_zero_a_scale_starts_from_goes_unsaid(cidp: Assistant) -> None:
    q = "what does the MRC sum score measure and what is its range?"
    assert grade_free(cidp, q, "power in twelve muscle groups, max sixty").correct
    assert not grade_free(cidp, q, "power in twelve muscle groups, max fifty").correct


def test_what_is_always_spared_is_never_affected() -> None:
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    q = "are the pupils affected in mg?"
    assert grade_free(mg, q, "no, pupils are always spared").correct
    assert not grade_free(mg, q, "yes, the pupils are affected").correct


def grader(a: Assistant) -> OpenGrader:
    p = a.pipeline
    return OpenGrader(p.vocab, p.words, a.embedder.similarity(), p.reader.wording)


def test_what_the_question_says_in_another_form_and_numbers_in_words_are_not_asked() -> None:
    imnm = Assistant(Settings(corpus=DEFAULT_CORPUS))
    q = "On what basis are the subtypes of IMNM divided?"
    ref = "IMNM can be divided into three subtypes based on autoantibody positivity"
    exp = grader(imnm).expected(q, ref)
    # "based" restates the question's "basis"; "three" is a figure, not a word to state.
    assert "base" not in exp.content and "three" not in exp.content
    assert "autoantibody" in exp.content
    assert grade_free(imnm, q, "by which autoantibody is present").correct
    assert not grade_free(imnm, q, "by how weak the patient is").correct


def test_the_kind_asked_is_read_on_all_the_clause_words(pmr: Assistant) -> None:
    # Dropping "two" from what must be stated does not make "CRP ... of the two" a bare
    # term to name: the clause says more than the term.
    exp = grader(pmr).expected("Which inflammatory marker is thought to be more sensitive in PMR?",
                               "CRP is thought to be the more sensitive of the two.")
    assert exp.kind == "open" and "two" not in exp.content


def test_a_yes_or_no_question_is_read_in_the_corpus_words_without_its_subject(
    pmr: Assistant,
) -> None:
    # "pt" is "patient"; "PMR" is what the whole corpus is about, so the source sentence
    # ("not needed in every patient") still restates the question.
    q = "does every pmr pt need an ultrasound of shoulders and hips?"
    assert grade_free(pmr, q, "no, it's only helpful when the dx is unclear").correct
    assert not grade_free(pmr, q, "yes, every patient needs one").correct


def test_the_corpus_most_used_abbreviation_is_its_subject_not_what_is_asked(
    cidp: Assistant,
) -> None:
    # "CIDP" in "where does multifocal CIDP start?" is the text's subject: the clause that
    # answers is the one on starting ("usually starting in the arms").
    q = "where does multifocal cidp usually start?"
    assert grade_free(cidp, q, "in the upper limbs").correct
    assert not grade_free(cidp, q, "in the legs").correct


def test_always_asked_of_a_source_that_says_it_may_is_answered_no() -> None:
    dm = Assistant(Settings(corpus=REPO / "eval/corpora/dermatomyositis"))
    q = "does the dm rash always come before the weakness?"
    assert grade_free(dm, q, "no - it can come before, with or after the weakness").correct
    assert not grade_free(dm, q, "yes, it always comes first").correct


def test_the_first_quote_further_sentences_may_answer(pmr: Assistant) -> None:
    # The answer quotes "The ice pack test is useful in patients with ptosis. An ice pack is
    # held ... for 2 minutes, and an improvement in ptosis of at least 2 mm is ... positive":
    # its second sentence answers.
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    q = "what counts as a positive ice pack test?"
    assert grade_free(mg, q, "ptosis better by at least 2 mm after 2 minutes").correct
    assert not grade_free(mg, q, "ptosis better by at least 5 mm after 10 minutes").correct
    # Not where the first sentence gives figures and the learner others (those of the
    # sentence after, about another case).
    q = "what score classifies PMR when ultrasound is not used?"
    assert grade_free(pmr, q, "4 or more out of 6").correct
    assert not grade_free(pmr, q, "a score of 5 or more out of 8").correct


def test_a_question_word_said_in_another_word_of_its_group_finds_the_clause(
    pmr: Assistant,
) -> None:
    # "quickest" asked, "which is fastest in the first three to six months" answers.
    q = "when is steroid bone loss quickest?"
    assert grade_free(pmr, q, "early on, in the first three to six months").correct
    assert not grade_free(pmr, q, "late, after several years").correct


def test_a_sentence_whose_pronoun_stands_for_another_thing_does_not_answer() -> None:
    # "They are mainly of the IgG1 and IgG3 subclasses" follows the sentence on AChR
    # antibodies: it does not answer what MuSK antibodies are.
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    assert not grade_free(mg, "Which IgG subclass are MuSK antibodies mainly?",
                          "mainly IgG1 and IgG3").correct  # fmt: skip
    assert grade_free(mg, "Which IgG subclass are AChR antibodies mainly?", "IgG1 and IgG3").correct


def test_an_answer_to_one_of_two_asks_is_partly_correct() -> None:
    # "... and when is worsening most common?" is answered by the sentence after the one on
    # what happens in pregnancy: an answer giving only the first is partial.
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    q = "what happens to mg in pregnancy, and when is worsening most common?"
    grade = grade_free(mg, q, "a third improve, a third get worse, a third stay the same")
    assert grade.verdict == "partly correct"
    assert "answers one of the two things asked" in grade.problems
    # Both asks answered by one sentence: the second is not looked for elsewhere.
    q = "what does the MRC sum score measure and what is its range?"
    cidp = Assistant(Settings(corpus=REPO / "eval/corpora/cidp"))
    assert grade_free(cidp, q, "power in twelve muscle groups, max sixty").correct


def test_the_maximum_asked_is_what_the_source_says_not_to_exceed() -> None:
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    q = "what is the usual max daily dose of pyridostigmine?"
    assert grade_free(mg, q, "it seldom needs to go over 360 mg a day").correct
    assert not grade_free(mg, q, "up to 600 mg a day").correct


def test_a_question_on_the_corpus_subject_itself_is_graded_on_the_nearest_sentence() -> None:
    # "what kind of disease is IMNM?" has no word beyond the subject and the asking: the
    # sentence nearest in meaning (the definition) answers.
    imnm = Assistant(Settings(corpus=DEFAULT_CORPUS))
    q = "what kind of disease is imnm?"
    assert grade_free(imnm, q, "a distinct subgroup of inflammatory myopathy").correct
    assert not grade_free(imnm, q, "a kind of muscular dystrophy").correct
    assert not grade_free(imnm, q, "an infection of the muscle").correct


def test_a_place_on_the_scale_asked_carries_the_question_word() -> None:
    # "how high" is carried by "usually raised, sometimes to more than 50 times the upper
    # limit of normal"; the first cited sentence ("a high CK") does not give the figure.
    dm = Assistant(Settings(corpus=REPO / "eval/corpora/dermatomyositis"))
    q = "How high can the CK be in DM?"
    assert grade_free(dm, q, "markedly raised, over fifty times the upper limit of normal").correct
    assert not grade_free(dm, q, "over five hundred times the upper limit of normal").correct


def test_a_lower_case_abbreviation_does_not_hide_the_sentence_that_answers() -> None:
    mg = Assistant(Settings(corpus=REPO / "eval/corpora/myasthenia"))
    q = "what is the hallmark of mg?"
    assert grade_free(mg, q, "fatiguable weakness, worse with use and recovers with rest").correct
    assert not grade_free(mg, q, "constant weakness that does not change with use").correct


def test_a_framing_verb_of_the_question_marks_the_clause_that_answers() -> None:
    # "point to" asked; "which points to lung involvement" answers, not the description.
    dm = Assistant(Settings(corpus=REPO / "eval/corpora/dermatomyositis"))
    q = "What do mechanic's hands point to in DM?"
    assert grade_free(dm, q, "lung disease").correct
    assert not grade_free(dm, q, "kidney disease").correct
    assert not grade_free(dm, q, "cracked skin on the fingers").correct
