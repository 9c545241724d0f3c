"""Readings chosen by the words around and kinds of question answered in other words, on real
indexes of the eval corpora: "pts" beside a score is points (domain/rewrites.py), and "peak
age?" is answered by a sentence giving an age in decades (the "age" cue of the general pack)."""

from pathlib import Path

from assistant.answering.pipeline import Assistant
from assistant.core.settings import REPO_ROOT, Settings
from assistant.store.embed import Embedder


def _bot(name: str, tmp_path: Path, embedder: Embedder) -> Assistant:
    corpus = REPO_ROOT / "eval" / "corpora" / name
    return Assistant(Settings(corpus=corpus, index=tmp_path / name), embedder=embedder)


def test_points_of_a_score_are_given_without_a_note_that_no_number_is(
    tmp_path: Path, embedder: Embedder
) -> None:
    answer = _bot("pmr", tmp_path, embedder).ask(
        "hip pain or reduced hip rom - how many pts is that worth on the 2012 pmr criteria?")
    assert "hip pain or limited range of hip motion: 1 point" in answer.answer
    assert "do not" not in answer.answer


def test_a_peak_age_is_answered_by_the_decades_of_life(tmp_path: Path, embedder: Embedder) -> None:
    answer = _bot("cidp", tmp_path, embedder).ask("cidp peak age?")
    assert "fifth and sixth decades" in answer.answer


def test_how_slow_to_taper_is_answered_by_how_the_dose_comes_down(
    tmp_path: Path, embedder: Embedder
) -> None:
    answer = _bot("giant_cell_arteritis", tmp_path, embedder).ask(
        "gca pred below ten mg - how slow do i tapr?")
    assert "1 mg every 1 to 2 months" in answer.answer


def test_whats_behind_a_symptom_is_answered_by_its_cause(
    tmp_path: Path, embedder: Embedder
) -> None:
    bot = _bot("inclusion_body_myositis", tmp_path, embedder)
    assert "cricopharyngeal" in bot.ask("what's behind the swallowing probs in ibm").answer
    assert "The cause is unknown" in bot.ask("what causes ibm").answer


def test_ca_beside_a_sample_is_calcium(tmp_path: Path, embedder: Embedder) -> None:
    answer = _bot("sarcoidosis", tmp_path, embedder).ask("sarcoid: when do we check urine ca?")
    assert "urine calcium" in answer.answer.lower()
    assert "mention urine ca" not in answer.answer


def test_a_dose_of_a_drug_no_pack_knows_is_that_drugs_dose(
    tmp_path: Path, embedder: Embedder
) -> None:
    # "ambrisentan" is a drug by its form (the INN stem -entan); a dose sentence about another
    # drug does not give its dose.
    answer = _bot("systemic_sclerosis", tmp_path, embedder).ask("what dose of ambrisentan for pah?")
    assert "do not state a dose for ambrisentan" in answer.answer


def test_lab_shorthand_reads_as_the_text_writes_it(tmp_path: Path, embedder: Embedder) -> None:
    # The Sjögren text writes "Antinuclear antibodies" and "Rheumatoid factor" in full, never
    # "ANA" or "RF"; typed "sjogrens" (no accent) it is the text's subject.
    answer = _bot("sjogren", tmp_path, embedder).ask("in sjogrens how often is ana +ve? rf?")
    assert "80 percent" in answer.answer and "about half" in answer.answer
    assert "do not" not in answer.answer


def test_a_name_typed_without_its_accent_is_not_named_as_missing(
    tmp_path: Path, embedder: Embedder
) -> None:
    answer = _bot("behcet", tmp_path, embedder).ask("pathergy test in behcets - how is it done?")
    assert "pathergy" in answer.answer
    assert "behcets" not in answer.answer.lower()


def test_versus_sets_two_things_side_by_side_and_is_never_named_as_missing(
    tmp_path: Path, embedder: Embedder
) -> None:
    answer = _bot("giant_cell_arteritis", tmp_path, embedder).ask(
        "gca in men vs women - who gets it more?")
    assert "two to three times more often" in answer.answer
    assert "versus" not in answer.answer
