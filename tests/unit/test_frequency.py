"""The English-frequency bands, named once (text/frequency.py), read the words they are for."""

from __future__ import annotations

import pytest

from assistant.text import frequency as f


def test_the_bands_are_in_order_and_read_real_words() -> None:
    bands = [f.REAL_WORD, f.NAME_WORD, f.RARE_TERM, f.PAST_STEM, f.DOMAIN_TERM, f.BLANK_WORD,
             f.COMMON_WORD, f.FRAME_WORD]  # fmt: skip
    assert bands == sorted(bands)
    assert f.zipf("azathiprine") < f.REAL_WORD <= f.zipf("immunosuppressants")
    assert f.zipf("back") >= f.FRAME_WORD > f.zipf("children")
    assert f.zipf("hydroxychloroquine") < f.NAME_WORD <= f.zipf("intravenous")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sucess", "success"), ("comon", "common"), ("sensitve", "sensitive"), ("tset", "test"),
     ("dyas", "days")],
)
def test_a_common_english_word_misspelt_is_read_as_that_word(typed: str, meant: str) -> None:
    # wordfreq knows frequent typos from web text ("sucess" 2.0): rarity alone does not tell.
    assert f.english_spelling(typed) == meant


@pytest.mark.parametrize(
    "word",
    ["statin", "myalgia", "prograf", "ptosis", "uveitis", "success", "nintedanib", "labs", "musk",
     "plex", "ivig", "lyme"],
)
def test_real_words_and_rare_names_are_left_as_typed(word: str) -> None:
    # "statin" is a spelling away from the far commoner "station"; "prograf" from "program".
    assert f.english_spelling(word) is None
