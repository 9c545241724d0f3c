"""What the word search matches a passage by (retrieval/search.word_text): numbers in words as
digits, and a list item that carries on its list with the item before it."""

from __future__ import annotations

from assistant.core.types import Chunk
from assistant.retrieval.search import abbreviations_typed, spelled_run, word_text


def chunk(i: int, text: str, kind: str = "bullet", lead: str | None = "A schedule is:") -> Chunk:
    return Chunk(chunk_id=f"a.txt#{i}", source="a.txt", section="Taper", text=text,
                 sentences=[text], position=i, line=i + 1, kind=kind, lead=lead)  # type: ignore[arg-type]


def test_a_step_of_a_list_carries_the_item_before_it() -> None:
    chunks = [chunk(0, "then 10 mg daily for four to six weeks"),
              chunk(1, "then reduce by 1 mg every 4 to 8 weeks")]
    text = word_text(chunks, 1)
    assert "10 mg daily for 4 to 6 weeks" in text and text.endswith("every 4 to 8 weeks")


def test_an_item_that_is_a_sentence_of_its_own_stands_alone() -> None:
    chunks = [chunk(0, "High-dose steroids first."), chunk(1, "Physical therapy helps.")]
    assert "steroids" not in word_text(chunks, 1)
    other_list = [chunk(0, "then 10 mg", lead="One list:"), chunk(1, "then 5 mg", lead="Another:")]
    assert "10" not in word_text(other_list, 1)


def test_initials_are_spelled_out_by_the_corpus_words_that_have_them() -> None:
    text = ("The diagnosis is confirmed by temporal artery biopsy. A temporal artery biopsy is "
            "taken early. Take the tablets at breakfast.")
    assert spelled_run("TAB", text) == "temporal artery biopsy"
    assert spelled_run("TTB", text) == ""  # no run of words has those initials
    assert spelled_run("TAT", "take a tablet") == ""  # runs with stop words do not count
    # "of" may join the words, with no initial of its own; other small words do not.
    raised = "It may rise to 50 times the upper limit of normal."
    assert spelled_run("uln", raised) == "upper limit of normal"
    assert spelled_run("CAP", "The criteria apply to patients over 50.") == ""
    assert spelled_run("TOT", "the time of treatment") == ""  # "of" is no initial
    assert spelled_run("SABA", "A short-acting beta agonist.") == "short-acting beta agonist"


def test_abbreviations_are_found_as_clinicians_type_them() -> None:
    # In capitals, or in lower case when no English word ("fvc", "tpmt"); an English word
    # typed in lower case ("tab", "men", "which" misspelt) is no abbreviation.
    assert abbreviations_typed("when to check fvc in pts on steroids") == ["fvc"]
    assert abbreviations_typed("TAB - how soon after starting steroids?") == ["TAB"]
    assert abbreviations_typed("tpmt before aza?") == ["tpmt", "aza"]
    assert abbreviations_typed("which tab for men, wich dose?") == []
    assert abbreviations_typed("WHAT DOSE FOR GCA?") == []  # capitals throughout
    assert spelled_run("fvc", "Check the forced vital capacity yearly.") == "forced vital capacity"
