"""Kinds of question and the words texts answer them in (domain/cues.py, [[cues]] in the
general pack)."""

from __future__ import annotations

from assistant.domain.cues import asked
from assistant.domain.vocabulary import general_vocabulary


def test_an_outlook_question_asks_the_prognosis_kind_answered_by_self_limiting() -> None:
    cues = general_vocabulary().cues
    found = asked(cues, "what's the outlook w/ this long term")
    assert [c.kind for c, _ in found] == ["prognosis"]
    cue, phrases = found[0]
    assert phrases == ["outlook"]
    assert cue.says.search("It is usually a self-limiting condition.")
    assert cue.says.search("A quarter reach complete remission.")
    assert not cue.says.search("Start prednisolone 15 mg daily.")


def test_a_question_of_no_kind_asks_none() -> None:
    assert asked(general_vocabulary().cues, "what dose of methotrexate?") == []


def test_mixed_up_with_asks_the_differential_kind() -> None:
    found = asked(general_vocabulary().cues, "which one gets mixed up with it most?")
    assert [c.kind for c, _ in found] == ["differential"]
    assert found[0][0].says.search("the condition most often mistaken for it")


def test_a_time_of_day_asked_is_a_moment_answered_by_a_part_of_the_day() -> None:
    from assistant.answering.features import Asks
    from assistant.answering.gaps import DURATION_INTENT

    cues = general_vocabulary().cues
    for question in ("when in the day is the weakness worse", "what time of day is it worst",
                     "is it worse in the morning or evening?"):
        assert [c.kind for c, _ in asked(cues, question)] == ["time-of-day"], question
        # ... not a length of time: no "do not say how long", no sentence lacking a duration.
        assert not DURATION_INTENT.search(question), question
        assert not Asks.of(question).duration
    cue = asked(cues, "when in the day is it worse")[0][0]
    assert cue.says.search("Symptoms are milder in the morning, worse at the end of the day.")
    # A leading "when" without a time of day still asks how long or how soon.
    assert DURATION_INTENT.search("when do the signs appear?")
    assert DURATION_INTENT.search("how long does it last")


def test_which_acts_quicker_asks_the_speed_kind_answered_by_works_faster() -> None:
    found = asked(general_vocabulary().cues, "which one kicks in quicker?")
    assert [c.kind for c, _ in found] == ["speed"]
    assert found[0][0].says.search("Plasma exchange works faster, often within days.")


def test_why_asks_a_reason_and_no_value() -> None:
    from assistant.answering.features import Asks

    question = "why don't we start it at full dose?"
    found = asked(general_vocabulary().cues, question)
    assert [c.kind for c, _ in found] == ["reason"]
    assert found[0][0].says.search("High starting doses can cause a transient worsening.")
    assert Asks.of(question) == Asks(False, False, False, False, False, reason=True)
    assert Asks.of("what dose to start at?").dose


def test_how_is_it_treated_asks_the_treatment_kind_answered_by_treated_with() -> None:
    cues = general_vocabulary().cues
    for question in ("how's anti-ABC disease treated?", "how do u treat it?",
                     "how should we manage this one"):
        assert [c.kind for c, _ in asked(cues, question)] == ["treatment"], question
    cue = next(c for c in cues if c.kind == "treatment")
    assert cue.says.search("It is treated by raising the dose again.")
    assert cue.says.search("Referral and treatment with immunosuppression are needed.")
    assert not cue.says.search("Biopsy shows necrotic fibres.")
    assert asked(cues, "is it treated with steroids?") == []


def test_a_peak_age_asks_the_age_kind_answered_by_decades_or_a_range_of_years() -> None:
    found = asked(general_vocabulary().cues, "cidp peak age?")
    assert [c.kind for c, _ in found] == ["age"]
    says = found[0][0].says
    assert says.search("most common in the fifth and sixth decades of life")
    assert says.search("Incidence peaks between 70 and 80 years")
    assert not says.search("Start prednisolone 15 mg daily for 4 weeks.")


def test_how_fast_to_taper_asks_the_taper_kind_and_a_taper_only_named_does_not() -> None:
    cues = general_vocabulary().cues
    for question in ("pred taper - how fast from sixty down to twenty?",
                     "what decides when to start comin down on the pred?"):
        assert [c.kind for c, _ in asked(cues, question)] == ["taper"], question
    says = asked(cues, "how slow do i taper?")[0][0].says
    assert says.search("It is then reduced by 10 mg every 2 weeks to 20 mg.")
    assert says.search("The dose is then reduced again gradually over 4 to 8 weeks.")
    assert says.search("prednisone 1 mg/kg per day, with a taper after 2 to 4 weeks")
    # A taper only mentioned says nothing of how the dose comes down.
    assert not says.search("Relapse is most common during glucocorticoid tapering.")
    # "How long before I taper?" asks a length of time; a relapse while weaning asks what to do.
    assert asked(cues, "how long do i hold it b4 i start to taper?") == []
    assert asked(cues, "relapse while weaning - what now?") == []


def test_whats_behind_and_what_causes_ask_a_reason_answered_by_a_cause() -> None:
    cues = general_vocabulary().cues
    for question in ("what's behind the swallowing probs?", "what causes it?"):
        assert [c.kind for c, _ in asked(cues, question)] == ["reason"], question
    says = asked(cues, "what's behind it?")[0][0].says
    assert says.search("It is caused mainly by dysfunction of the cricopharyngeal muscle.")
    assert says.search("The cause is unknown.")
    assert not says.search("Dysphagia affects 40 to 60 percent of patients.")
