"""Many term patterns searched at once, fast whatever their number (see ``Alternation``)."""

from __future__ import annotations

import re
from collections.abc import Callable


def _starts(pattern: str, depth: int = 2) -> set[str] | None:
    """The strings (lower case, ``depth`` letters, fewer where a pattern is shorter or less
    plain) a text matched by ``pattern`` can start with; None when any character might start it
    (a hand-written ``re:`` pattern, or one not starting with a plain letter)."""
    m = re.match(r"(?:\(\?-i:)?([a-z0-9])(\?)?", pattern, re.I)
    if m is None:
        return None
    letter, rest = m.group(1).lower(), pattern[m.end() :]
    if m.group(2):  # "a?e": the letter may be left out ("aetiology", "etiology")
        after = _starts(rest, depth)
        return None if after is None else {letter, *after}
    if depth == 1:
        return {letter}
    after = _starts(rest, depth - 1)
    return {letter} if not after else {letter + a for a in after}


class Alternation:
    """Every ``(canon, pattern)`` of a vocabulary as one search, and which one matched.

    A corpus's learnt abbreviations make thousands of alternatives. As one regex of named
    groups, Python's engine tried every alternative at every position and kept a mark for
    every group (canonicalising 3,500 abstract passages took 18 minutes). Here the search is
    one regex without groups, bucketed behind lookaheads on the first two letters a match can
    start with, after a single word boundary; the alternative that matched is then found
    among its bucket's few, tried in the original order, so the same one wins as before.
    """

    def __init__(self, variants: list[tuple[str, str]]) -> None:
        self.variants = variants
        self.compiled = [re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for _, p in variants]
        buckets: dict[str, list[int]] = {}
        anywhere: list[int] = []
        for i, (_, p) in enumerate(variants):
            starts = _starts(p)
            if starts is None:
                anywhere.append(i)
            else:
                for start in starts:
                    buckets.setdefault(start, []).append(i)
        # A pattern plain for one letter only ("C-reactive") may begin any longer match, so
        # it joins every bucket of its letter, as do patterns that may start anywhere.
        self.candidates: dict[str, list[int]] = {}
        for start, ix in buckets.items():
            one = buckets.get(start[0], []) if len(start) == 2 else []
            self.candidates[start] = sorted(set(ix + one + anywhere))
        self.anywhere = anywhere
        branches = []
        for letter in sorted({k[0] for k in buckets}):
            inner = [
                f"(?={re.escape(start)})(?:{self._alternation(self.candidates[start])})"
                for start in sorted(buckets)
                if len(start) == 2 and start[0] == letter
            ]
            if letter in buckets:
                inner.append(f"(?:{self._alternation(self.candidates[letter])})")
            branches.append(f"(?={re.escape(letter)})(?:{'|'.join(inner)})")
        if anywhere:
            branches.append(f"(?:{self._alternation(anywhere)})")
        self.pattern = re.compile(
            rf"\b(?:{'|'.join(branches)})" if branches else "(?!)", re.IGNORECASE
        )

    def _alternation(self, indices: list[int]) -> str:
        return "|".join(f"(?:{self.variants[i][1]})\\b" for i in indices)

    def canon(self, text: str, start: int) -> str:
        """The canon of the alternative that matches ``text`` at ``start`` first in order."""
        head = text[start : start + 2].lower()
        for key in (head, head[:1]):
            if key in self.candidates:
                for i in self.candidates[key]:
                    if self.compiled[i].match(text, start):
                        return self.variants[i][0]
        for i in self.anywhere:
            if self.compiled[i].match(text, start):
                return self.variants[i][0]
        raise AssertionError("a match no alternative makes")  # the pattern is their union

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), self.canon(text, m.start()))
                for m in self.pattern.finditer(text)]  # fmt: skip

    def sub(self, repl: Callable[[str], str], text: str) -> str:
        return self.pattern.sub(lambda m: repl(self.canon(text, m.start())), text)
