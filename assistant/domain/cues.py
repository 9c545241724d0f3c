"""Kinds of question and the words texts answer them in: "what's the outlook?" is answered by
a sentence saying the disease is "self-limiting" or how many reach "remission", though it
shares no word with the question. A pack lists, for a kind, the phrases that ask it and the
phrases that answer it ([[cues]] in domain/packs/general.toml): general clinical English, no
one text's knowledge. The answerer reads an asked kind as one question term that a sentence
saying one of its answer phrases has (answering/extractive.py); the word search adds the
answer phrases' words (retrieval/search.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


def _alternation(phrases: list[str], pattern_of: Callable[[str], str]) -> re.Pattern[str]:
    body = "|".join(pattern_of(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b" if body else "(?!)", re.IGNORECASE)


@dataclass
class Cue:
    kind: str
    asks: re.Pattern[str]
    says: re.Pattern[str]
    says_words: list[str] = field(default_factory=list)


def compile_cues(
    cues: list[tuple[str, list[str], list[str]]], pattern_of: Callable[[str], str]
) -> list[Cue]:
    """Each (kind, asking phrases, answering phrases) compiled, phrases as pack variants."""
    return [
        Cue(kind, _alternation(asks, pattern_of), _alternation(says, pattern_of),
            [p for p in says if not p.startswith("re:")])
        for kind, asks, says in cues
    ]  # fmt: skip


def asked(cues: list[Cue], question: str) -> list[tuple[Cue, list[str]]]:
    """The cues whose asking phrases ``question`` uses, with the phrases as typed."""
    out = []
    for cue in cues:
        found = [m.group(0) for m in cue.asks.finditer(question)]
        if found:
            out.append((cue, found))
    return out
