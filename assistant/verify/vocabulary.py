"""The citation checker's own vocabulary: it fails closed.

Only spellings listed in ``equivalents.toml`` (general) and abbreviations defined for the
corpus (its domain pack's ``[abbreviations]``, and "long form (SHORT)" definitions in the cited
passage itself) count as the same word. It never borrows the answerer's synonym merges, so a
blind spot of the answerer is not a blind spot of the checker: a lab test is not the drug of
the same name here unless a text defines it so.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.text.abbreviations import definitions

EQUIVALENTS = Path(__file__).with_name("equivalents.toml")


def _phrase(text: str) -> str:
    words = [re.escape(w) for w in text.split()]
    body = r"[\s-]+".join(words)
    left = r"\b" if text[:1].isalnum() else ""
    right = r"\b" if text[-1:].isalnum() else ""
    return f"{left}{body}{right}"


@lru_cache(maxsize=1)
def general_groups() -> tuple[tuple[str, ...], ...]:
    data = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    return tuple(tuple(g) for g in data["groups"])


@dataclass(frozen=True)
class Equivalents:
    """Rewrites each known spelling to one token before words are compared."""

    abbreviations: tuple[tuple[str, str], ...] = ()  # (SHORT, long form)
    groups: tuple[tuple[str, ...], ...] = field(default_factory=general_groups)

    @staticmethod
    def for_corpus(abbreviations: dict[str, str]) -> Equivalents:
        return Equivalents(tuple(sorted(abbreviations.items())))

    def with_passage(self, passage: str) -> Equivalents:
        """These, plus the abbreviations ``passage`` defines."""
        own = definitions(passage)
        if not own:
            return self
        merged = dict(self.abbreviations) | own
        return Equivalents(tuple(sorted(merged.items())), self.groups)

    def rules(self) -> list[tuple[re.Pattern[str], str]]:
        return _compile(self.abbreviations, self.groups)

    def apply(self, text: str) -> str:
        """``text`` with every listed spelling replaced by its group's token (lower case).

        Short forms match in their own case only ("MG" is not "mg"); the rest in any case.
        """
        for pattern, token in self.rules():
            text = pattern.sub(f" {token} ", text)
        return text


@lru_cache(maxsize=256)
def _compile(
    abbreviations: tuple[tuple[str, str], ...], groups: tuple[tuple[str, ...], ...]
) -> list[tuple[re.Pattern[str], str]]:
    out: list[tuple[str, str]] = []
    for short, long in abbreviations:
        token = "abbr" + re.sub(r"[^a-z0-9]", "", short.lower())
        # The long form first: "long form (SHORT)" is one thing, said twice.
        paren = r"(?:\s*\(\s*(?-i:" + re.escape(short) + r")\s*\))?"
        out.append(("(?i:" + _phrase(long) + ")" + paren, token))
        out.append(("(?-i:" + _phrase(short) + ")", token))
    for group in groups:
        token = re.sub(r"[^a-z0-9]", "", group[0].lower())
        out.extend(("(?i:" + _phrase(v) + ")", token) for v in group)
    # Longest first, so a long form wins over a word inside it.
    out.sort(key=lambda pt: -len(pt[0]))
    return [(re.compile(p), t) for p, t in out]
