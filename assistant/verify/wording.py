"""Which content words of a claim its cited passage says, in the same or another wording.

Coverage (how much of a claim the passage says) counts a claim's stemmed word as said when
the passage has

- the same stem ("tapered", "taper");
- another form of the same word, which the stemmer leaves apart ("responds" and "response",
  "treat" and "treatment", "necrotic" and "necrosis"): the two stems start alike up to the
  last letter of the shorter, and for five letters at least, so a negating prefix
  ("ineffective") or a different word sharing a short start never matches;
- a word of the same paraphrase group (verify/equivalents.toml ``[paraphrases]``: general
  clinical wording such as "trial"/"study" or "benefit"/"help", never one text's terms).

Only coverage widens. Key terms (drugs, names, populations, body sites), numbers, negations,
opposites and the strength of hedges and quantifiers are still compared word for word by
verify/check.py and verify/claims.py, so a wider coverage never excuses a distortion those
checks catch. Word embeddings were measured as a fallback and rejected: MiniLM puts
antonyms closer than synonyms ("often"/"rarely" 0.85, "help"/"benefit" 0.30).
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.text.equivalents import shared_start, word_groups
from assistant.verify.vocabulary import EQUIVALENTS

# Two stems of one word share at least this many leading letters.
MIN_SHARED = 5


def root(word_stem: str) -> str:
    """The paraphrase group ``word_stem`` belongs to (itself when it is in none)."""
    return word_groups(EQUIVALENTS, "paraphrases").key(word_stem)


def same_word(a: str, b: str) -> bool:
    """Whether stems ``a`` and ``b`` are forms of one word ("respons", "respond")."""
    if a == b:
        return True
    short = min(len(a), len(b))
    if short < MIN_SHARED:
        return False
    return shared_start(a, b) >= max(MIN_SHARED, short - 1)


class Said:
    """The stems of a passage (or one clause of it), asked which claim stems it says."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = set(stems)
        self.roots = {root(s) for s in self.stems}
        self.by_start: dict[str, list[str]] = {}
        for s in self.stems:
            self.by_start.setdefault(s[:MIN_SHARED], []).append(s)

    def says(self, word_stem: str) -> bool:
        if word_stem in self.stems or root(word_stem) in self.roots:
            return True
        if len(word_stem) < MIN_SHARED:
            return False
        near = self.by_start.get(word_stem[:MIN_SHARED], [])
        return any(same_word(word_stem, s) for s in near)

    def covered(self, claim_stems: Iterable[str]) -> set[str]:
        """The claim stems this text says, in any of the wordings above."""
        return {s for s in claim_stems if self.says(s)}
