"""The English-frequency bands, named once (text/frequency.py), read the words they are for."""

from __future__ import annotations

from assistant.text import frequency as f


def test_the_bands_are_in_order_and_read_real_words() -> None:
    bands = [f.REAL_WORD, f.NAME_WORD, f.RARE_TERM, f.PAST_STEM, f.DOMAIN_TERM, f.BLANK_WORD,
             f.COMMON_WORD, f.FRAME_WORD]  # fmt: skip
    assert bands == sorted(bands)
    assert f.zipf("azathiprine") < f.REAL_WORD <= f.zipf("immunosuppressants")
    assert f.zipf("back") >= f.FRAME_WORD > f.zipf("children")
    assert f.zipf("hydroxychloroquine") < f.NAME_WORD <= f.zipf("intravenous")
