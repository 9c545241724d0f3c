"""A negated verb of making read as a lack against a source stating one (text/polarity.py)."""

from __future__ import annotations

from assistant.quiz.guards import negates
from assistant.text.polarity import read_lack

LACK = "because of the risk of adrenal insufficiency"


def test_a_negated_verb_of_making_states_the_sources_lack() -> None:
    said = read_lack("the glands can't make enough hormone", LACK)
    assert "insufficient" in said and "can't" not in said
    assert "insufficient" in read_lack("they fail to produce it", LACK)
    assert "insufficient" in read_lack("they are unable to properly secrete it", LACK)
    assert not negates(read_lack("the glands cannot make enough hormone", LACK), LACK)


def test_against_a_source_stating_no_lack_the_negation_stays() -> None:
    source = "The glands make the hormone."
    said = read_lack("the glands cannot make the hormone", source)
    assert said == "the glands cannot make the hormone"
    assert negates(said, source)
    # Other negated verbs are no lack.
    assert read_lack("it does not cause harm", LACK) == "it does not cause harm"
