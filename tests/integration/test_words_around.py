"""Readings chosen by the words around and kinds of question answered in other words, on real
indexes of the eval corpora: "pts" beside a score is points (domain/rewrites.py), and "peak
age?" is answered by a sentence giving an age in decades (the "age" cue of the general pack)."""

from pathlib import Path

import pytest

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


# Questions typed as clinicians type them, on real indexes: (corpus, question, what the answer
# says, what it must not say). "ca" beside a sample is calcium; "ambrisentan" is a drug by its
# form (INN stem -entan), and a dose sentence about another drug does not give its dose; the
# Sjögren text writes "Antinuclear antibodies" and "Rheumatoid factor" in full, and "sjogrens"
# (no accent) is its subject; "behcets" is the text's "Behçet's"; "vs" sets two things side by
# side and names no missing thing.
AS_TYPED = [
    ("sarcoidosis", "sarcoid: when do we check urine ca?", ["urine calcium"],
     ["mention urine ca"]),
    ("systemic_sclerosis", "what dose of ambrisentan for pah?",
     ["do not state a dose for ambrisentan"], []),
    ("sjogren", "in sjogrens how often is ana +ve? rf?", ["80 percent", "about half"],
     ["do not"]),
    ("behcet", "pathergy test in behcets - how is it done?", ["pathergy"], ["behcets"]),
    ("giant_cell_arteritis", "gca in men vs women - who gets it more?",
     ["two to three times more often"], ["versus"]),
    # A sentence about the text itself ("This guide summarises ...") answers nothing clinical;
    # "tbh" is an aside; "how much commoner" asks a ratio, not a dose.
    ("pmr", "roughly what fraction of pmr pts go on to get gca?", ["15 to 20 percent"],
     ["this guide", "written for"]),
    ("statin_myopathy", "how rare is rhabdo on statins tbh?", ["1 to 3 cases per 100,000"],
     ["tbh", "this summary"]),
    ("giant_cell_arteritis", "how much commoner is gca in women than men?",
     ["two to three times"], ["dose"]),
]


@pytest.mark.parametrize(
    ("corpus", "question", "says", "never"), AS_TYPED, ids=[c[1] for c in AS_TYPED]
)
def test_a_question_as_typed_reads_as_the_text_writes_it(
    tmp_path: Path, embedder: Embedder, corpus: str, question: str, says: list[str],
    never: list[str],
) -> None:
    answer = _bot(corpus, tmp_path, embedder).ask(question).answer
    for text in says:
        assert text.lower() in answer.lower(), text
    for text in never:
        assert text.lower() not in answer.lower(), text
