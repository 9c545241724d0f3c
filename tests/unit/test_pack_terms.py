"""Words of the general pack that say one thing in several ways (domain/packs/general.toml)."""

from __future__ import annotations

import pytest

from assistant.domain.vocabulary import general_vocabulary


@pytest.mark.parametrize("said", ["does a normal ESR rule it out?", "it rules out the disease",
                                  "a normal result does not exclude it", "excluded"])
def test_ruling_out_is_excluding(said: str) -> None:
    assert "exclude" in general_vocabulary().terms(said)


@pytest.mark.parametrize("said", ["a week and no better", "not any better on it",
                                  "not improving", "little or no response after one week"])
def test_no_better_is_a_treatment_not_working(said: str) -> None:
    assert "refractory" in general_vocabulary().terms(said)


def test_pts_possessive_is_written_out() -> None:
    rewritten, _ = general_vocabulary().rewrite("a stable pt's ivig")
    assert rewritten.startswith("a stable patient's")


def test_loads_of_is_an_amount_not_a_topic() -> None:
    vocab = general_vocabulary()
    rewritten, _ = vocab.rewrite("pt on loads of pyridostigmine")
    assert "a lot of" in rewritten
    assert "lot" in vocab.question_words
    assert "load" in vocab.terms("the loading dose")  # a loading dose is still a topic


@pytest.mark.parametrize("said", ["do most pts need more than one drug?",
                                  "they frequently require combination therapy",
                                  "several immunosuppressants together"])
def test_more_than_one_drug_is_combination_therapy(said: str) -> None:
    assert "combination" in general_vocabulary().terms(said)


@pytest.mark.parametrize(("noun", "adjective"), [("the aorta", "aortic imaging"),
                                                 ("aortas", "aortic aneurysm")])
def test_an_organ_and_its_adjective_are_one_term(noun: str, adjective: str) -> None:
    vocab = general_vocabulary()
    organ = vocab.terms(noun)[-1]
    assert organ in vocab.terms(adjective), (vocab.terms(noun), vocab.terms(adjective))


def test_ncs_is_nerve_conduction_studies() -> None:
    rewritten, _ = general_vocabulary().rewrite("ncs normal?")
    assert rewritten.startswith("nerve conduction stud"), rewritten
