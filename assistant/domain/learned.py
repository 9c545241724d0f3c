"""What a corpus teaches about its own words, learnt from its passages when its index loads.

- its abbreviations, from its "long form (SHORT)" definitions (text/abbreviations.py);
- its words, with how many passages use each: the spelling a misspelt question word is
  matched to ("salbutomol" → "salbutamol"), and the words a question may name that the
  corpus never uses (a detail the sources do not give).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from assistant.text.abbreviations import definitions

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
# A misspelling is matched only to a corpus word at least this similar (rapidfuzz ratio, 0-100)
# and of this length; shorter words have too many near neighbours.
SPELLING_MIN_SCORE = 85.0
SPELLING_MIN_LENGTH = 5
# A shorter word (four letters, "tapr") is matched only to a corpus word one edit away (a letter
# dropped, added, changed or two swapped) that has its first letter, the most used if several.
SHORT_SPELLING_LENGTH = 4


@dataclass
class CorpusWords:
    """The words of one corpus and the abbreviations it defines."""

    counts: Counter[str] = field(default_factory=Counter)  # lower-cased word → passages
    abbreviations: dict[str, str] = field(default_factory=dict)
    passages: int = 0

    @staticmethod
    def learn(texts: Iterable[str]) -> CorpusWords:
        counts: Counter[str] = Counter()
        abbreviations: dict[str, str] = {}
        n = 0
        for text in texts:
            n += 1
            counts.update({w.lower() for w in _WORD.findall(text)})
            for short, long in definitions(text).items():
                abbreviations.setdefault(short, long)
        return CorpusWords(counts, abbreviations, n)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self.counts

    @cached_property
    def _spellable(self) -> list[str]:
        return sorted(w for w in self.counts if len(w) >= SPELLING_MIN_LENGTH and w.isalpha())

    def long_form(self, short: str) -> str | None:
        """What the corpus defines ``short`` as, however it is typed ("pah" as "PAH")."""
        return self._by_lower.get(short.lower())

    @cached_property
    def _by_lower(self) -> dict[str, str]:
        return {s.lower(): long for s, long in self.abbreviations.items()}

    @cached_property
    def _short_by_letter(self) -> dict[str, list[str]]:
        """The corpus's words of three to five letters by their first letter (built once)."""
        out: dict[str, list[str]] = {}
        for w in self.counts:
            if 3 <= len(w) <= 5 and w.isalpha():
                out.setdefault(w[0], []).append(w)
        return out

    def _one_edit(self, low: str) -> str | None:
        from rapidfuzz.distance import DamerauLevenshtein

        near = [
            w for w in self._short_by_letter.get(low[0], ())
            if abs(len(w) - len(low)) <= 1 and DamerauLevenshtein.distance(low, w) == 1
        ]
        return max(near, key=lambda w: (self.counts[w], w)) if near else None

    def correct(self, word: str) -> str | None:
        """The corpus word ``word`` is a misspelling of, or None (known, or nothing close)."""
        from rapidfuzz import fuzz, process

        low = word.lower()
        if low in self.counts or not low.isalpha():
            return None
        if len(low) == SHORT_SPELLING_LENGTH:
            return self._one_edit(low)
        if len(low) < SPELLING_MIN_LENGTH:
            return None
        found = process.extractOne(
            low, self._spellable, scorer=fuzz.ratio, score_cutoff=SPELLING_MIN_SCORE
        )
        if found is None:
            return None
        best = str(found[0])
        # Same first letter: typos rarely hit it, and other words often share the rest.
        return best if best[0] == low[0] else None
