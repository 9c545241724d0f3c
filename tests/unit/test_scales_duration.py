"""How long an effect lasts, read on a scale when no number says it (text/scales.py)."""

from __future__ import annotations

from assistant.text.scales import agree, asked_scale

SOURCE = "It is effective in the short term."


def test_how_long_an_effect_lasts_is_a_scale_of_its_own() -> None:
    assert asked_scale("How long does the benefit last?") == "duration"
    assert agree("it fades after a while", SOURCE, "duration") == (True, False)
    assert agree("the benefit is permanent", SOURCE, "duration") == (False, True)
    assert agree("not permanent", SOURCE, "duration") == (True, False)


def test_a_length_of_time_is_read_in_hours_and_in_words() -> None:
    from assistant.text.quantities import DURATION_VALUE

    for said in ("lasts 3 to 4 hours", "starts to work within 30 minutes", "within a few days",
                 "develops gradually, over months to years", "often wears off within weeks",
                 "treatment is lifelong", "usually within 2 to 3 months"):
        assert DURATION_VALUE.search(said), said
    for said in ("in recent years", "100 mg daily", "a few patients"):
        assert not DURATION_VALUE.search(said), said
