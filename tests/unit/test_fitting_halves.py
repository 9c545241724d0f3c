"""The fitting scripts read development halves only: any other half is refused in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("script", "halves"),
    [("fit_scorer.py", "dev,test"), ("choose_threshold.py", "holdout"),
     ("fit_scorer.py", "dev-2,holdout-8")],
)  # fmt: skip
def test_a_half_that_is_not_for_development_is_refused(script: str, halves: str) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "eval" / script), "--halves", halves],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "is not a development half" in done.stderr
    assert "Traceback" not in done.stderr
