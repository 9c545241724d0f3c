"""The general mechanisms that let the quiz grade a learner's own wording (no corpus needed)."""

from __future__ import annotations

from assistant.quiz.paraphrase import scale_stated, stated, yes_no
from assistant.text.equivalents import rewrite_phrases, same
from assistant.text.quantities import fraction_numbers, quantities, same_time, shares
from assistant.text.scales import agree, asked_scale
from assistant.text.tokens import stem, words


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) > 2}


def test_equivalent_words_and_phrases_compare_as_one() -> None:
    assert same(stem("renal"), stem("kidney")) and same(stem("unclear"), stem("unknown"))
    assert not same(stem("worsen"), stem("improve"))
    assert "exclude" in rewrite_phrases("it does not rule it out")


def test_content_words_stated_in_other_forms_and_words() -> None:
    expected = {stem("necrosis"), stem("fibres"), stem("minimal")}
    assert stated(expected, _stems("necrotic fibers")) == {stem("necrosis"), stem("fibres")}
    assert stem("minimal") in scale_stated(expected, "without much inflammation", "minimal")


def test_shares_and_times_in_other_words() -> None:
    assert shares("about one in six") == {100 / 6} and shares("two fifths") == {40.0}
    assert fraction_numbers("two fifths") == {2.0}
    assert (2.0, "g/kg") in quantities("2 grams per kilogram")
    assert same_time(7, "within 7 days", "within one week")
    assert not same_time(8, "8 days", "one week")


def test_scales_read_the_asked_scale_and_the_first_word() -> None:
    assert asked_scale("How quickly do patients respond?") == "speed"
    assert agree("very fast", "the response is usually rapid", "speed") == (True, False)
    assert agree("slowly", "the response is usually rapid", "speed") == (False, True)
    # "seldom" answers; "usually" later in the answer does not.
    assert agree("seldom; one drug is usually enough", "frequently needed")[1]


def test_yes_or_no_against_a_source_restating_the_question() -> None:
    q = "Does a normal ESR exclude the condition?"
    src = "A normal ESR does not exclude the condition"
    assert yes_no(q, src, "no, it does not", _stems) == 1
    assert yes_no(q, src, "yes", _stems) == -1
    # A source about something else tells nothing.
    assert yes_no("Are reactions usually severe?", "Local reactions are common", "no",
                  _stems) == 0  # fmt: skip
