"""Kinds of answer a question asks for and the words that give them (answer_types.toml).

"What is the sex ratio?" is answered in words of men and women and of how many times; "how
long" in units of time. Read as data so a text's own sentences can be found to answer a
question that shares none of its words with them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("answer_types.toml")


@dataclass(frozen=True)
class AnswerType:
    kind: str
    asks: tuple[str, ...]  # the words that ask for it
    answers: tuple[str, ...]  # the words that give it


@lru_cache(maxsize=1)
def answer_types(path: Path = DATA) -> tuple[AnswerType, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    types = data.get("types", [])
    return tuple(AnswerType(str(t["kind"]), tuple(map(str, t["asks"])),
                            tuple(map(str, t["answers"]))) for t in types)  # fmt: skip


def answering(asked: set[str], stems: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """For each of the ``asked`` stems that asks for a kind of answer, the stems that give
    it; ``stems`` is how the caller reads words (so both sides are read alike)."""
    out: dict[str, set[str]] = {}
    for t in answer_types():
        for s in asked & stems(" ".join(t.asks)):
            out.setdefault(s, set()).update(stems(" ".join(t.answers)))
    return out


def cue_words(asked: set[str], stems: Callable[[str], set[str]]) -> list[str]:
    """The words an answer to a question with ``asked`` stems is given in (to search with)."""
    return [w for t in answer_types() if asked & stems(" ".join(t.asks)) for w in t.answers]
