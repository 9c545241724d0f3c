"""The citation checker on real corpus passages: what it accepts and each way it must refuse."""

from __future__ import annotations

import pytest

from assistant.answering.pipeline import Assistant
from assistant.store.embed import Embedder
from assistant.verify.check import check_answer, split_answer, supports

FIRST_LINE = (
    "Inflammatory necrotizing myopathy should be treated with high-dose corticosteroids, such as "
    "prednisone (0.5-1 mg/kg/day), as first-line therapy, along with a steroid-sparing agent like "
    "methotrexate, azathioprine, or mycophenolate mofetil, to reduce morbidity and mortality and "
    "improve quality of life."
)
HMGCR_IVIG = (
    "Patients with anti-HMGCR IMNM tend to respond well to intravenous immunoglobulin (IVIG), and "
    "IVIG monotherapy may be sufficient treatment for certain patients."
)
SRP = "In anti-SRP IMNM, early rituximab is commonly favored."
PROGNOSIS = (
    "Young age of onset is a poor prognostic factor, and IMNM can be severely disabling and often "
    "requires aggressive immunosuppression."
)
CITES = {1: FIRST_LINE, 2: HMGCR_IVIG}


def test_passages_are_the_corpus_text(assistant: Assistant) -> None:
    # The cases below only mean something if these are the real passages.
    sentences = {s for c in assistant.index.chunks for s in c.sentences}
    assert {FIRST_LINE, HMGCR_IVIG, SRP, PROGNOSIS} <= sentences


def test_a_faithful_answer_passes() -> None:
    answer = (
        "High-dose corticosteroids such as prednisone 0.5-1 mg/kg/day are first-line therapy [1]. "
        "Anti-HMGCR patients tend to respond well to IVIG [2]."
    )
    result = check_answer(answer, CITES)
    assert result.citation_recall == 1.0 and result.citation_precision == 1.0
    assert all(s.supported for s in result.sentences)


@pytest.mark.parametrize(
    ("sentence", "citations", "reason"),
    [
        # the citation moved to the wrong passage
        ("Anti-HMGCR patients tend to respond well to IVIG [1].", CITES,
         "not in the cited passage"),
        # a number changed
        ("Prednisone is given at 5 mg/kg/day as first-line therapy [1].", CITES, "number 5"),
        ("Prednisone is given at 0.5-10 mg/kg/day as first-line therapy [1].", CITES, "number 10"),
        # a negation added
        ("Anti-HMGCR patients do not respond well to IVIG [2].", CITES, "negation"),
        ("IVIG monotherapy is never sufficient for anti-HMGCR patients [2].", CITES, "negation"),
        # an antonym for the source's word
        ("Young age of onset is a good prognostic factor [3].", {3: PROGNOSIS}, "contradicts"),
        ("In anti-SRP IMNM, late rituximab is commonly favored [3].", {3: SRP}, "contradicts"),
        # a sentence without a marker
        ("Prednisone is first-line therapy.", CITES, "no citation marker"),
        # a marker without a citation
        ("Prednisone is first-line therapy [7].", CITES, "marker without a citation"),
        # an invented claim beside a real topic
        ("Rituximab cures anti-SRP IMNM within two weeks of plasma exchange [3].", {3: SRP},
         "not in the cited passage"),
    ],
)
def test_each_adversarial_sentence_is_caught(
    sentence: str, citations: dict[int, str], reason: str
) -> None:
    result = check_answer(sentence, citations)
    assert result.citation_recall == 0.0, result
    assert reason in result.sentences[0].reason
    assert result.citation_precision == 0.0


def test_a_sentence_the_passage_negates_is_caught() -> None:
    passage = "Statins should not be restarted in anti-HMGCR myopathy."
    ok, _, reason = supports("Statins should be restarted in anti-HMGCR myopathy.", passage)
    assert not ok and "negates" in reason


def test_one_bad_sentence_costs_only_its_share() -> None:
    answer = (
        "High-dose corticosteroids are first-line therapy [1]. "
        "Anti-HMGCR patients respond poorly to IVIG [2]."
    )
    result = check_answer(answer, CITES)
    assert result.citation_recall == 0.5
    assert [s.supported for s in result.sentences] == [True, False]


def test_a_citation_that_adds_nothing_lowers_precision_only() -> None:
    answer = "Anti-HMGCR patients tend to respond well to IVIG [1] [2]."
    result = check_answer(answer, CITES)
    assert result.citation_recall == 1.0
    assert result.citation_precision == 0.5
    assert result.sentences[0].marker_support == {1: False, 2: True}


def test_two_citations_needed_together_both_count() -> None:
    answer = (
        "Prednisone is first-line therapy and anti-HMGCR patients tend to respond well to IVIG "
        "[1] [2]."
    )
    result = check_answer(answer, CITES)
    assert result.citation_recall == 1.0 and result.citation_precision == 1.0


def test_meta_sentences_about_what_is_missing_are_not_counted() -> None:
    answer = (
        "Rituximab is commonly favored early in anti-SRP IMNM [1]. The indexed sources do not "
        "state a dose."
    )
    result = check_answer(answer, {1: SRP})
    assert len(result.sentences) == 1 and result.citation_recall == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A [1]. B [2] [3].", [("A.", [1]), ("B.", [2, 3])]),
        ("A. [1] B. [2]", [("A.", [1]), ("B.", [2])]),
        ("No markers here.", [("No markers here.", [])]),
        ("0.5-1 mg/kg/day is the dose [1].", [("0.5-1 mg/kg/day is the dose.", [1])]),
    ],
)
def test_split_answer_finds_markers_before_or_after_the_period(
    text: str, expected: list[tuple[str, list[int]]]
) -> None:
    assert split_answer(text) == expected


def test_ranges_and_synonyms_written_differently_still_match() -> None:
    ok, _, _ = supports(
        "Prednisone at 0.5 to 1 mg/kg a day with a steroid-sparing agent is first-line therapy.",
        FIRST_LINE,
    )
    assert ok
    ok, _, _ = supports(
        "Anti-HMGCR IMNM tends to respond well to intravenous immunoglobulin.", HMGCR_IVIG
    )
    assert ok


def test_embedding_similarity_accepts_a_paraphrase_but_never_a_changed_fact(
    embedder: Embedder,
) -> None:
    similarity = embedder.similarity()
    paraphrase = "IMNM may be severely disabling, and young onset is a poor prognostic sign."
    ok_words, coverage, _ = supports(paraphrase, PROGNOSIS)
    ok_sim, _, _ = supports(paraphrase, PROGNOSIS, similarity)
    assert ok_sim
    # the similarity step is what accepted it (or the words alone already did)
    assert ok_words or 0.5 <= coverage < 0.7
    # similarity never excuses an antonym, a number or a negation
    for bad in (
        "Young age of onset is a good prognostic factor, and IMNM can be severely disabling.",
        "IMNM is not disabling, and young onset is a poor prognostic sign.",
    ):
        assert not supports(bad, PROGNOSIS, similarity)[0], bad
    # nor a sentence about something else in the same field
    assert not supports("Anti-SRP IMNM is treated with early rituximab.", PROGNOSIS, similarity)[0]
