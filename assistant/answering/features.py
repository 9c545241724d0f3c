"""What the extractive answerer knows about a candidate sentence, as numbers.

Each sentence of the retrieved passages gets the features below; a logistic model fitted on
the development questions (answering/scorer.py, weights in scorer.json, fitted by
eval/fit_scorer.py) turns them into the probability that the sentence answers the question.
Nothing here is tuned by hand: what a feature is worth is in the weights.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.dosing import DOSE_INTENT
from assistant.answering.gaps import (
    ASKS_REASON,
    CONDITION,
    DURATION_INTENT,
    FREQ_INTENT,
    RATE_INTENT,
)
from assistant.text.quantities import (
    DOSE_VALUE,
    DURATION_VALUE,
    FIGURE,
    FREQ_VALUE,
    THRESHOLD,
    spell_numbers,
)

FEATURES = (
    "dense",  # cosine of the sentence and the question
    "dense_passage",  # cosine of the passage (its sentences' mean) and the question
    "fused",  # the passage's fused retrieval score (0..1)
    "rank_inv",  # 1 / the passage's retrieval rank
    "lex",  # weighted share of the question's terms in the sentence (or its context, half)
    "lex_own",  # weighted share of the question's terms in the sentence itself
    "focus_own",  # share of a follow-up's own terms in the sentence (all terms otherwise)
    "phrase",  # the question's two-word phrases in the sentence (0, 0.5, 1)
    "type_has",  # kinds of value the question asks for that the sentence gives
    "type_lacks",  # kinds of value the question asks for that it does not give
    "list_fit",  # the question asks which drug/test; the sentence names two or more such
    "fragment",  # a heading, a list lead ("... include:") or a sentence of under 5 words
    "first",  # the passage's first sentence
    "length",  # words, up to 60, / 60
    "repeat",  # the last answer of the conversation gave this sentence
    # The same, against the best candidate of the question (how far behind it is).
    "dense_rel",
    "lex_rel",
    "focus_rel",
)
ASKS_LIST = re.compile(
    r"\b(which|what|name|list)\b.{0,30}\b(drugs?|medications?|medicines?|agents?|"
    r"immunosuppressants?|options?|treatments?|therap(?:y|ies)|tests?|antibod\w+|subtypes?)\b",
    re.I,
)


# Asking what lies behind a thing ("what causes X?", "what's behind the dysphagia?").
ASKS_CAUSE = re.compile(
    r"\b(?:what(?:'s| is| are)? (?:causes?|behind)|cause of|reason for|due to what|"
    r"mechanisms? (?:of|for|behind)|pathophysiology|pathogenesis)\b",
    re.I,
)
ASKS_WHEN = re.compile(r"\s*when\b(?!.*\b(?:time of day|morning|evening|night)\b)", re.I)
# A sentence giving a reason or a cause (one giving a condition: gaps.CONDITION).
CAUSAL = re.compile(
    r"\b(?:because|due to|owing to|caused by|is caused|are caused|results? from|as a result|"
    r"leads? to|so that|cause is|reflects?|since)\b",
    re.I,
)


def _gives_condition(text: str) -> object:
    return CONDITION.search(text) or DURATION_VALUE.search(text) or THRESHOLD.search(text)


# What gives each kind of value a question may ask (by its field of ``Asks``).
GIVES: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("dose", DOSE_VALUE.search),
    ("duration", DURATION_VALUE.search),
    ("frequency", FREQ_VALUE.search),
    ("figure", FIGURE.search),
    ("reason", CAUSAL.search),
    ("condition", _gives_condition),
)


@dataclass(frozen=True)
class Asks:
    """The kinds of value a question asks for."""

    dose: bool
    duration: bool
    frequency: bool
    figure: bool
    listing: bool
    reason: bool = False
    condition: bool = False

    @staticmethod
    def of(question: str) -> Asks:
        listing = bool(ASKS_LIST.search(question))
        if ASKS_REASON.search(question) or ASKS_CAUSE.search(question):  # a reason, no value
            return Asks(False, False, False, False, listing, reason=True)
        # "When to check X?" is answered by a condition ("if there are symptoms") or a time.
        condition = bool(ASKS_WHEN.match(question))
        return Asks(
            dose=bool(DOSE_INTENT.search(question)),
            duration=bool(DURATION_INTENT.search(question)) and not condition,
            frequency=bool(FREQ_INTENT.search(question)),
            figure=bool(RATE_INTENT.search(question)),
            listing=listing,
            condition=condition,
        )

    def fit(self, sentence: str) -> tuple[int, int]:
        """(kinds asked and given, kinds asked and not given) by ``sentence``."""
        asked = [gives for kind, gives in GIVES if getattr(self, kind)]
        if not asked:  # most questions ask no kind of value: no sentence is read for one
            return 0, 0
        text = spell_numbers(sentence)
        has = sum(1 for gives in asked if gives(text))
        return has, len(asked) - has


@lru_cache(maxsize=65536)  # corpus sentences come back question after question
def is_fragment(sentence: str) -> bool:
    """A heading, a list's lead ("... include:") or too short to answer anything."""
    words = sentence.split()
    letters = [c for c in sentence if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return len(words) < 5 or sentence.rstrip().endswith(":") or shouting
