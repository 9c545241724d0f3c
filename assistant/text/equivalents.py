"""Words that say the same thing in any clinical text ("unclear" and "unknown", "renal" and
"kidney"), read from equivalents.toml: two wordings of one fact compare as one.

A word is reduced to its group's key (the group's first word, stemmed); a phrase of a group
("rule out") is rewritten to that first word before a text is split into words. Groups never
hold two sides of a scale or an opposite pair, so a contradiction is not made to agree.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from assistant.text.tokens import stem

DATA = Path(__file__).with_name("equivalents.toml")


class WordGroups:
    """Groups of words that say the same, from a TOML list of lists (``section`` of ``path``).

    Each word is keyed by its stem to its group's first word (stemmed); a phrase of several
    words is kept as a pattern that rewrites it to that first word. The grader's groups
    (text/equivalents.toml) and the checker's own (verify/equivalents.toml, fail-closed) are
    read by this one mechanism; only their data differ.
    """

    def __init__(self, path: Path, section: str) -> None:
        groups = tomllib.loads(path.read_text(encoding="utf-8")).get(section, [])
        self.keys: dict[str, str] = {}
        self.phrases: list[tuple[re.Pattern[str], str]] = []
        self.words: frozenset[str] = frozenset(
            str(w).lower() for g in groups for w in g if " " not in str(w)
        )
        for group in groups:
            head = str(group[0])
            for word in map(str, group):
                if " " in word:
                    # "rule it out" is "rule out": a pronoun may stand inside a phrase.
                    inner = r"\s+(?:(?:it|them|this|that)\s+)?".join(map(re.escape, word.split()))
                    self.phrases.append((re.compile(rf"\b{inner}\b", re.I), head))
                else:
                    self.keys.setdefault(stem(word.lower()), stem(head.lower()))
        # Longest phrases first: "shortness of breath" before any of its words.
        self.phrases.sort(key=lambda p: -len(p[0].pattern))

    def key(self, word_stem: str) -> str:
        """The group key of a stemmed word (the stem itself when it belongs to no group)."""
        return self.keys.get(word_stem, word_stem)

    def same(self, a: str, b: str) -> bool:
        """Whether two stemmed words say the same (equal, or in one group)."""
        return a == b or self.key(a) == self.key(b)

    def rewrite_phrases(self, text: str) -> str:
        """``text`` with each phrase of a group written as its group's first word."""
        for pattern, head in self.phrases:
            text = pattern.sub(head, text)
        return text


@lru_cache(maxsize=8)
def word_groups(path: Path = DATA, section: str = "groups") -> WordGroups:
    return WordGroups(path, section)


def rewrite_phrases(text: str) -> str:
    """``text`` with each phrase of a group ("rule out") written as its group's first word."""
    return word_groups().rewrite_phrases(text)


def key(word_stem: str) -> str:
    """The group key of a stemmed word (the stem itself when it belongs to no group)."""
    return word_groups().key(word_stem)


def same(a: str, b: str) -> bool:
    """Whether two stemmed words say the same (equal, or in one group)."""
    return word_groups().same(a, b)


def vocabulary() -> frozenset[str]:
    """Every single word of the groups: words a typo may be meant as."""
    return word_groups().words


def shared_start(a: str, b: str) -> int:
    """How many leading letters two words share (word forms: "respons", "respond")."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
