"""'mg' asks for an amount only where it is a unit: a bare lower-case 'mg' is as likely the
disease's abbreviation typed in lower case (MG), and a dose read into it gave 'The indexed
sources do not state a dose for this.' to a question about the disease."""

from __future__ import annotations

import pytest

from assistant.answering.dosing import DOSE_INTENT
from assistant.quiz.asks import UNIT_ASKED


@pytest.mark.parametrize(
    ("question", "dose"),
    [
        ("when in the day are mg symptoms worst?", False),
        ("is MG worse in the evening", False),
        ("what antibodies in mg", False),
        ("how many mg of pred", True),
        ("pred 10 mg ok?", True),
        ("10mg or 20mg?", True),
        ("ivig mg/kg?", True),
        ("mg per kg for mp", True),
        ("dose of pyrido", True),
        ("how much aza", True),
    ],
)
def test_mg_is_a_dose_only_as_a_unit(question: str, dose: bool) -> None:
    assert bool(DOSE_INTENT.search(question)) is dose
    mass = next(p for p, kind in UNIT_ASKED if kind == "mass")
    assert bool(mass.search(question)) is dose
