"""The halves a question set may have, in one place (imported by the CLI's help text too, so
this module imports nothing).

``dev`` and ``dev-2`` to ``dev-4`` (written later, to tune on afresh) are tuned on; ``test`` is
only measured; ``holdout`` to ``holdout-13`` were written later, blind, each measured once per
round of changes (eval/README.md).
"""

HALVES = ("dev", "dev-2", "dev-3", "dev-4", "test", "holdout", "holdout-2", "holdout-3",
          "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8", "holdout-9",
          "holdout-10", "holdout-11", "holdout-12", "holdout-13")

HALVES_HELP = f"{', '.join(HALVES[:-1])} or {HALVES[-1]}"

# The halves that may be read to tune and fit (eval/fit_scorer.py, eval/choose_threshold.py).
DEV_HALVES = tuple(h for h in HALVES if h.startswith("dev"))
