"""What the quiz compares: answers and references reduced to terms, numbers and named things.

Answer and reference are canonicalised with the corpus's vocabulary (its domain packs), stemmed
and compared fact by fact in any word order; numbers are compared as numbers (text/quantities);
a contradiction is an opposite word or an added negation (text/polarity).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.domain.vocabulary import Vocabulary
from assistant.text.drugs import looks_like_drug
from assistant.text.polarity import NEGATIONS, OPPOSITES, neutralise
from assistant.text.quantities import NUMBERS, quantities, spell_numbers

# "ref. 2" names a reference, not a number of anything.
_REF_RE = re.compile(r"\brefs?\.?\s*\d+(?:\s*(?:,|and)\s*\d+)*", re.I)
_YES_NO = re.compile(r"^\s*(?:yes|no)\b[,.;:!]?\s*", re.I)
_PER_DAY = re.compile(r"\bdaily\b|\ba\s+day\b|/d\b|/day\b", re.I)
# Antibodies by their form ("anti-MDA5", "anti-TIF1-gamma"); words that may name a drug.
_ANTIBODY = re.compile(r"anti-[A-Za-z]*[A-Z0-9][\w-]*")
_FORMS = re.compile(r"\banti-[A-Za-z]*[A-Z0-9][\w-]*|\b[A-Za-z][a-z]{5,}\b")
# "a steroid-sparing agent" is not a steroid.
_SPARING = re.compile(r"\s*-?\s*sparing\b", re.I)
# Words that carry no fact in an answer ("anti-X" and "X" name the same antibody).
GRADING_NOISE = frozenset(["anti", "patient", "therapi", "treatment", "use", "given", "give"])


@dataclass
class Norm:
    """An answer or reference reduced to what grading compares."""

    terms: set[str]
    words: set[str]  # every word stem, stopwords and negations included (for contradictions)
    numbers: list[float]
    types: dict[str, str] = field(default_factory=dict)  # typed term -> type


class QuizText:
    """The quiz's reading of text with one corpus's vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.known_names = self._known_names()
        self._stem_cache: dict[str, set[str]] = {}

    def _known_names(self) -> dict[str, str]:
        """Long names of typed terms a learner may misspell ("azathiprine"): word → term."""
        names: dict[str, str] = {}
        long_of = {long.lower(): short for short, long in self.vocab.abbreviations.items()}
        for term in self.vocab.terms_by_id.values():
            if not term.type:
                continue
            spellings = [term.display or ""] + [v.removeprefix("re:") for v in term.variants]
            spellings += [long for long, short in long_of.items()
                          if self.vocab.canonicalize(short).strip() == term.id]
            for text in spellings:
                for word in re.findall(r"[A-Za-z]{7,}", text):
                    if word.isalpha():
                        names.setdefault(word.lower(), term.id)
        return names

    def prepare(self, text: str) -> str:
        text = _REF_RE.sub(" ", text)
        text = _YES_NO.sub(" ", neutralise(text))
        text = spell_numbers(text)
        text = _PER_DAY.sub(" per day ", text)
        # Ranges written 0.5–1, 0.5-1 or 0.5 to 1: the numbers are what counts.
        return re.sub(r"(\d)\s*[-–‑]\s*(?=\d)", r"\1 ", text)

    def fix_spelling(self, text: str) -> str:
        """Known drug names spelled nearly right are read as spelled right."""
        names = list(self.known_names)

        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            low = word.lower()
            if low in self.known_names or len(low) < 7:
                return word
            close = difflib.get_close_matches(low, names, n=1, cutoff=0.85)
            return close[0] if close else word

        return re.sub(r"[A-Za-z]{7,}", repl, text)

    def term_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of each drug, antibody, test or other typed term in ``text``:
        the domain packs' typed terms, drugs known by name or by the form of their name (INN
        stems), and antibodies by theirs ("anti-MDA5")."""
        spans = [
            (s, e, canon)
            for s, e, canon in self.vocab.canonical_spans(text)
            if canon in self.vocab.types and not _SPARING.match(text, e)
        ]
        taken = [(s, e) for s, e, _ in spans]
        for m in _FORMS.finditer(text):
            word = m.group(0)
            overlaps = any(s < m.end() and m.start() < e for s, e in taken)
            if overlaps or _SPARING.match(text, m.end()):
                continue
            if self.kind_of(word):
                spans.append((m.start(), m.end(), word.lower()))
                taken.append((m.start(), m.end()))
        return sorted(spans)

    def kind_of(self, term: str) -> str | None:
        """The type of a term: a pack's, a known name's, or by its form."""
        low = term.lower()
        if low in self.vocab.types:
            return self.vocab.types[low]
        if low in self.vocab.names:
            return self.vocab.names[low]
        if _ANTIBODY.fullmatch(term):
            return "antibody"
        if looks_like_drug(low):
            return "drug"
        return None

    def typed_terms(self, text: str) -> dict[str, str]:
        """The typed terms ``text`` names: term → type."""
        found: dict[str, str] = {}
        for _, _, canon in self.term_spans(text):
            kind = self.kind_of(canon)
            if kind:
                found.setdefault(canon, kind)
        return found

    def normalise(self, text: str) -> Norm:
        prepared = self.fix_spelling(self.prepare(text))
        # Digits inside a chemical name ("3-hydroxy-3-methylglutaryl") are not numbers.
        numbers = [float(n) for n in NUMBERS.findall(self.vocab.canonicalize(prepared))]
        words = set(self.vocab.terms(prepared, keep_stopwords=True))
        ts = {
            t for t in self.vocab.terms(prepared) if not t[0].isdigit() and t not in GRADING_NOISE
        }
        return Norm(ts, words, numbers, self.typed_terms(prepared))

    def term_in(self, term: str, have: set[str]) -> bool:
        if term in have:
            return True
        ids = self.vocab.terms_by_id
        if term in ids or len(term) < 6:
            return False
        # Stemming leaves "characteris"/"characteriz" and small typos apart; close counts.
        return any(
            len(h) >= 6 and h not in ids and difflib.SequenceMatcher(None, term, h).ratio() >= 0.85
            for h in have
        )

    def stems(self, words: Iterable[str]) -> set[str]:
        key = "\0".join(words)
        if key not in self._stem_cache:
            self._stem_cache[key] = {
                t for w in key.split("\0") for t in self.vocab.terms(w, keep_stopwords=True)
            }
        return self._stem_cache[key]

    def _word_for(self, stem: str, words: list[str]) -> str:
        return next((w for w in words if stem in self.stems([w])), stem)

    def contradictions(
        self, answer: Norm, reference: Norm, prefer: set[str] | frozenset[str] = frozenset()
    ) -> list[str]:
        """Why ``answer`` says the opposite of ``reference`` (empty when it does not); the
        source's word is named from ``prefer`` (the reference answer's words) when it can be."""
        found = []
        for side_a, side_b in OPPOSITES:
            a, b = self.stems(side_a), self.stems(side_b)
            for mine, theirs in ((a, b), (b, a)):
                used = answer.words & mine
                if used and reference.words & theirs and not reference.words & mine:
                    said = sorted(reference.words & theirs & prefer) or sorted(
                        reference.words & theirs
                    )
                    found.append(
                        f"says {self._word_for(sorted(used)[0], side_a + side_b)!r} where the "
                        f"source says {self._word_for(said[0], side_a + side_b)!r}"
                    )
        if answer.words & NEGATIONS and not reference.words & NEGATIONS:
            found.append("negates what the source states")
        return found

    def wrong_units(self, answer: str, reference: str) -> list[float]:
        """Numbers the answer gives in another unit than the source does (2-4 days for weeks)."""
        ref = {(n, u) for n, u in quantities(reference) if u}
        wrong = []
        for n, unit in quantities(answer):
            if not unit:
                continue
            units = {u for m, u in ref if abs(m - n) < 1e-9}
            if units and unit not in units:
                wrong.append(n)
        return wrong


def num_in(n: float, have: Iterable[float]) -> bool:
    return any(abs(n - h) < 1e-9 for h in have)
