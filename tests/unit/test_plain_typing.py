"""Questions typed on an English keyboard in a hurry read as the text is written: a name without
its accents is the text's (answering/wording.py), English contractions and common misspellings
of function words are written out (domain packs), and "how often" a state is found asks what
share of patients (answering/gaps.py)."""

from __future__ import annotations

import pytest
from readings import plain_reading as _reading

from assistant.answering.gaps import missing_detail
from assistant.domain.vocabulary import general_vocabulary
from assistant.text.tokens import fold


def test_a_word_loses_its_accents_when_folded() -> None:
    assert fold("behçet") == "behcet" and fold("Sjögren") == "Sjogren"
    assert fold("naïve café") == "naive cafe"
    assert fold("plain") == "plain"


@pytest.mark.parametrize(
    ("typed", "read"),
    [("should we've gone in harder?", "should we have gone in harder?"),
     ("they've had it for years", "they have had it for years"),
     ("how are thier eyes?", "how are their eyes?"),
     ("wich drug tho?", "which drug though?"),
     ("one hundred kilos", "one hundred kg"),
     ("what'd make it a relapse?", "what would make it a relapse?"),
     ("the key pts of the guideline?", "the key points of the guideline?"),
     ("newly dx'd, big bloke", "newly diagnosed, big man")],
)  # fmt: skip
def test_contractions_misspellings_and_slang_are_written_out(typed: str, read: str) -> None:
    assert general_vocabulary().rewrite(typed)[0] == read


@pytest.mark.parametrize(
    "question",
    ["how often ana positive?", "how often does that happen that late?",
     "how often do patients get lung disease?", "how often is the crp raised?"],
)  # fmt: skip
def test_how_often_a_state_is_found_is_answered_by_a_share(question: str) -> None:
    sentence = "Antinuclear antibodies are found in about 80 percent of patients."
    assert missing_detail(_reading(question), [sentence], general_vocabulary()) is None


def test_how_often_a_thing_is_done_still_asks_the_time_between() -> None:
    sentence = "Antinuclear antibodies are found in about 80 percent of patients."
    gap = missing_detail(_reading("how often do we check it?"), [sentence], general_vocabulary())
    assert gap is not None and "how often" in gap
