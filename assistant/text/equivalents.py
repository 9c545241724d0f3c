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


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    groups = tomllib.loads(DATA.read_text(encoding="utf-8"))["groups"]
    keys: dict[str, str] = {}
    phrases: list[tuple[re.Pattern[str], str]] = []
    for group in groups:
        head = str(group[0])
        for word in group:
            if " " in word:
                # "rule it out" is "rule out": a pronoun may stand inside a phrase.
                inner = r"\s+(?:(?:it|them|this|that)\s+)?".join(map(re.escape, word.split()))
                phrases.append((re.compile(rf"\b{inner}\b", re.I), head))
            else:
                keys.setdefault(stem(word.lower()), stem(head))
    # Longest phrases first: "shortness of breath" before any of its words.
    phrases.sort(key=lambda p: -len(p[0].pattern))
    return keys, phrases


def rewrite_phrases(text: str) -> str:
    """``text`` with each phrase of a group ("rule out") written as its group's first word."""
    for pattern, head in _groups()[1]:
        text = pattern.sub(head, text)
    return text


def key(word_stem: str) -> str:
    """The group key of a stemmed word (the stem itself when it belongs to no group)."""
    return _groups()[0].get(word_stem, word_stem)


def same(a: str, b: str) -> bool:
    """Whether two stemmed words say the same (equal, or in one group)."""
    return a == b or key(a) == key(b)


def vocabulary() -> frozenset[str]:
    """Every single word of the groups: words a typo may be meant as."""
    return frozenset(
        w.lower()
        for g in tomllib.loads(DATA.read_text(encoding="utf-8"))["groups"]
        for w in g
        if " " not in w
    )
