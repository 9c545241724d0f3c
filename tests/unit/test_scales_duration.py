"""How long an effect lasts, read on a scale when no number says it (text/scales.py)."""

from __future__ import annotations

from assistant.text.scales import agree, asked_scale

SOURCE = "It is effective in the short term."


def test_how_long_an_effect_lasts_is_a_scale_of_its_own() -> None:
    assert asked_scale("How long does the benefit last?") == "duration"
    assert agree("it fades after a while", SOURCE, "duration") == (True, False)
    assert agree("the benefit is permanent", SOURCE, "duration") == (False, True)
    assert agree("not permanent", SOURCE, "duration") == (True, False)
