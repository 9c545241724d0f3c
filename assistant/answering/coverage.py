"""The question's topic words that the chosen answer sentences leave out, and the sentence of
the retrieved passages that takes one of them up.

A question may join two things ("anti-X neuropathy - does drug Y help?"): the best-scored
sentences can all be about the first while the one about the second ranks below the few the
answerer keeps. Whether a sentence is worth adding is then a matter of what it covers, not
of its rank: a candidate that names a topic word no chosen sentence names joins the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

# A stem that starts another of at least this many letters is the same word in another form
# ("ovari" in "ovarian", "remiss" in "remission"): stems from a suffix stripper miss such pairs.
MIN_PREFIX = 5
# Candidates looked at beyond those chosen (the retrieved passages' best sentences).
LOOK_AT = 10
# At most this many sentences are added for topic words the others leave out.
MAX_ADDED = 2


class Candidate(Protocol):
    @property
    def sentence(self) -> str: ...
    @property
    def score(self) -> float: ...


C = TypeVar("C", bound=Candidate)


@dataclass(frozen=True)
class Unit:
    """One topic word of the question and every stem that says it (its neighbours' too)."""

    term: str
    forms: frozenset[str]

    def in_terms(self, terms: set[str]) -> bool:
        return any(
            f in terms
            or (len(f) >= MIN_PREFIX and any(t.startswith(f) or f.startswith(t)
                                             for t in terms if len(t) >= MIN_PREFIX))
            for f in self.forms
        )


def uncovered(units: Sequence[Unit], chosen_terms: Sequence[set[str]]) -> list[Unit]:
    """The units no chosen sentence names."""
    return [u for u in units if not any(u.in_terms(ts) for ts in chosen_terms)]


def cover(
    scored: Sequence[C],
    chosen: list[C],
    units: Sequence[Unit],
    terms_of: Callable[[C], set[str]],
    floor: float,
    max_words: int,
) -> list[C]:
    """``chosen`` with candidates added (best first) for topic words it leaves out.

    A candidate joins when it scores at least ``floor``, names a unit no chosen sentence
    names and keeps the answer within ``max_words``. It never takes a chosen sentence's place:
    one naming no new topic word may still hold the answer ("aldolase" for "other enzyme?").
    """
    chosen = list(chosen)
    added = 0
    for cand in scored[: len(chosen) + LOOK_AT]:
        if added >= MAX_ADDED or cand.score < floor:
            break
        if any(cand is c for c in chosen):
            continue
        missing = uncovered(units, [terms_of(c) for c in chosen])
        if not missing:
            break
        if not any(u.in_terms(terms_of(cand)) for u in missing):
            continue
        if sum(len(c.sentence.split()) for c in [*chosen, cand]) > max_words:
            continue
        chosen.append(cand)
        added += 1
    return chosen


def units_of(
    terms: Sequence[str],
    words: Sequence[str],
    terms_of: Callable[[str], list[str]],
    known: Callable[[str], str | None],
    near: Callable[[str], list[tuple[str, float]]],
) -> list[Unit]:
    """The topic words of a question (``terms``: its stems less question and subject words;
    ``words``: as typed), each with the stems that say it: its own, the corpus's form of it,
    and (for a word the corpus never uses) its embedding neighbours' ("kids": children)."""
    units = []
    for term in dict.fromkeys(terms):
        forms = {term}
        if (k := known(term)) is not None:
            forms.add(k)
        else:
            for word in words:
                if terms_of(word) == [term]:
                    forms.update(t for n, _ in near(word) for t in terms_of(n))
            if len(forms) == 1:
                continue  # nothing in the corpus says it: no sentence can cover it
        units.append(Unit(term, frozenset(forms)))
    return units
