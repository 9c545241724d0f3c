"""Contradiction guards for a free answer against the clause that answers: a negation the
source lacks, a negation the source has that the answer drops, a word whose opposite the source
uses. They run before any credit for wording or meaning counts: an answer that says the other
thing in the same words is wrong however close it reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.text.polarity import NEGATIONS, neutralise, opposites
from assistant.text.quantities import (
    dosing_frequencies,
    fraction_numbers,
    numbers,
    quantities,
    same_time,
    shares,
)
from assistant.text.scales import SCALES, agree, readings
from assistant.text.tokens import stem

# Words of degree, frequency and level: weighed on their scales, not as opposites.
SCALED = frozenset(w for levels in SCALES.values() for _, ws in levels for w in ws)
# A source setting one thing against another negates the other in other words.
CONTRAST = re.compile(r"\b(?:rather than|instead of|as opposed to|unlike|but not)\b", re.I)


def negates(said: str, focus: str) -> bool:
    """A negation in the answer the source lacks, outside a scale phrase ("not common")
    and a leading yes or no."""
    low = re.sub(r"^\s*(?:yes|no)\b[,.;:!]?\s*", "", said.lower())
    focus = neutralise(focus)
    mine = set(re.findall(r"[a-z']+", low))
    if not (mine & NEGATIONS or any(w.endswith("n't") for w in mine)):
        return False
    if set(re.findall(r"[a-z']+", focus.lower())) & NEGATIONS or CONTRAST.search(focus):
        return False  # "rather than the muscles" is said as "not the muscles"
    return not readings(low)


def opposite(said: str, focus: str) -> str | None:
    """A word of the answer whose opposite the source uses instead ("after" for
    "before"); words of degree and frequency are weighed on their scales instead, and a
    negated word ("not common") is not taken at its face."""
    words = re.findall(r"[a-z']+", said.lower())
    negated = {i + k for i, w in enumerate(words) if w in NEGATIONS for k in (1, 2)}
    mine = {stem(w) for i, w in enumerate(words) if i not in negated and w not in SCALED}
    theirs = {stem(w) for w in re.findall(r"[a-z]+", neutralise(focus).lower())}
    for w in sorted(mine - theirs):
        if opposites(w) & theirs:
            return f"says '{w}' where the source says '{sorted(opposites(w) & theirs)[0]}'"
    return None


def drops_negation(said: str, focus: str, stems: Callable[[str], set[str]]) -> bool:
    """The source negates what the answer, saying much the same, affirms."""
    focus = neutralise(focus)
    theirs = set(re.findall(r"[a-z']+", focus.lower()))
    if not theirs & NEGATIONS:
        return False
    low = re.sub(r"^\s*(?:yes|no)\b[,.;:!]?\s*", "", said.lower())
    mine = set(re.findall(r"[a-z']+", low))
    if mine & NEGATIONS or any(w.endswith("n't") for w in mine):
        return False
    # Only the stretch between commas the negation stands in: "causes weakness without
    # sensory loss, is associated with IgM anti-GM1 antibodies" does not negate the antibodies.
    negated = [c for c in re.split(r"[,;:]", focus)
               if set(re.findall(r"[a-z']+", c.lower())) & NEGATIONS]  # fmt: skip
    shared = stems(low) & stems(" ".join(negated))
    return len(shared) >= max(2, len(stems(low)) // 2)


def other_frequency(said: str, focus: str) -> str | None:
    """How often, said otherwise: the answer gives a frequency ("daily") and the source gives
    others only ("once weekly"); a dose taken at the wrong interval is a wrong dose."""
    mine, theirs = dosing_frequencies(said), dosing_frequencies(focus)
    if mine and theirs and not mine & theirs:
        return "says how often otherwise than the source"
    return None


# Where a sentence's phrases part: a place on a scale belongs to the words of its phrase.
_PHRASE = re.compile(r"[,;:()]|\b(?:with|and|but|while|whereas|than)\b", re.I)
_SCALE_STEMS = frozenset(stem(w) for w in SCALED)


def misplaced(said: str, focus: str, question: str, stems: Callable[[str], set[str]]) -> str | None:
    """A place on a scale given to the wrong thing: "a raised white cell count" where the
    source has "a raised CSF protein with a normal white cell count". Each phrase of the
    answer that gives a place is weighed against the phrase of the source that shares most
    of its words (the question's, when the answer names nothing: "high" to "what is the
    white cell count?")."""
    theirs = [(p, stems(p) - _SCALE_STEMS) for p in _PHRASE.split(focus) if p and readings(p)]
    if len(theirs) < 2:
        return None  # one place in the source: the whole-clause comparison weighs it
    for mine in _PHRASE.split(said):
        if not mine or not readings(mine):
            continue
        words = stems(mine) - _SCALE_STEMS or stems(question) - _SCALE_STEMS
        best = max(theirs, key=lambda t: len(t[1] & words))
        if best[1] & words and agree(mine, best[0])[1]:
            return f"says '{mine.strip()}' where the source says '{best[0].strip()}'"
    return None


# One thing set against another: the answer must name the first, not the second.
_COMPARED = re.compile(r"\b(?:than|rather than|compared with|compared to|instead of)\b", re.I)
_FILLER = frozenset(
    ["a", "an", "the", "is", "are", "it", "its", "of", "in", "on", "for", "to", "and", "or",
     "with", "by", "as", "be"]
)  # fmt: skip


def other_side(said: str, focus: str, question: str) -> str | None:
    """The answer names only what the source sets the answer against: "troponin T" where
    the source says "troponin I is more specific for the heart than troponin T"."""
    parts = _COMPARED.split(focus, maxsplit=1)
    if len(parts) < 2:
        return None

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z0-9]+", text.lower())) - _FILLER

    mine = words(said) - words(question)
    before, after = words(parts[0]), words(parts[1])
    if mine and mine <= after and not mine & before:
        return "names what the source compares the answer with"
    return None


def wrong_numbers(said: str, passage: str, question: str, asked_shares: set[float]) -> list[float]:
    """Numbers of the answer the passage and the question do not give, and numbers the
    passage gives in another unit ("375 mg/kg" for "375 mg/m2", "4 days" for "4 weeks")."""
    allowed = {n for n, _ in quantities(passage)} | {n for n, _ in quantities(question)}
    wrong = [n for n in numbers(said) if n not in allowed]
    # "7 days" is "one week": a time in other units is the same time.
    wrong = [n for n in wrong if not same_time(n, said, passage)]
    if any(abs(p - q) <= 3 for p in shares(said) for q in asked_shares):
        wrong = [n for n in wrong if n not in fraction_numbers(said)]  # "two in five"
    given = {(n, u) for n, u in quantities(passage) if u}
    for n, unit in quantities(said):
        units = {u for m, u in given if abs(m - n) < 1e-9}
        if unit and units and unit not in units and n not in wrong \
                and not same_time(n, said, passage):  # fmt: skip
            wrong.append(n)
    return wrong


# Where a comparison sets one side against the other: "women ... twice as often as men".
_COMPARED = re.compile(r"\b(?:than|as\s+(?:\w+\s+)?as)\b", re.I)


def swapped(said: str, focus: str) -> str | None:
    """The answer compares the same two things the other way round ("men twice as often as
    women" where the source says "women twice as often as men")."""
    a, b = _COMPARED.split(said, 1), _COMPARED.split(focus, 1)
    if len(a) < 2 or len(b) < 2:
        return None

    def words(text: str) -> set[str]:
        return {stem(w) for w in re.findall(r"[a-z]{3,}", text.lower())}

    (a1, a2), (b1, b2) = map(words, a), map(words, b)
    crossed = (a1 & b2) - b1, (a2 & b1) - b2
    if crossed[0] and crossed[1]:
        one, other = sorted(crossed[0])[0], sorted(crossed[1])[0]
        return f"compares the other way round ('{one}' for '{other}')"
    return None
