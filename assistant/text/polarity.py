"""Negation and opposites: one table for the checker and the quiz.

A sentence that adds or drops a negation, or uses a word whose opposite its source uses
instead ("good" for "poor", "late" for "early"), says something else. Some phrases carry a
negation word but state a plain fact ("not known" is "unknown"): they are read as that fact
first, so "not known" neither negates nor contradicts "unknown".
"""

from __future__ import annotations

import re
import tomllib

from assistant.text.equivalents import DATA
from assistant.text.tokens import stem

NEGATIONS = frozenset(
    ["not", "no", "never", "without", "cannot", "none", "neither", "nor", "n't"]
)

# Groups of words; each word of one side is the opposite of each word of the other.
OPPOSITES: list[tuple[list[str], list[str]]] = [
    (["poor", "poorly", "bad", "badly", "unfavourable", "unfavorable", "worse", "adverse"],
     ["good", "well", "better", "favourable", "favorable", "excellent", "protective", "best"]),
    (["high", "highly", "elevated", "raised", "increased", "higher", "increase"],
     ["low", "lower", "normal", "decreased", "reduced", "reduce", "decrease"]),
    (["minimal", "little", "scant", "sparse", "mild"],
     ["extensive", "prominent", "marked", "abundant", "heavy", "massive"]),
    (["infrequent", "infrequently", "rare", "rarely", "uncommon", "seldom"],
     ["frequent", "frequently", "common", "commonly", "often", "usual", "usually"]),
    (["early", "earlier", "prompt", "promptly", "immediate", "immediately"],
     ["late", "later", "delayed", "delay", "postpone", "postponed"]),
    (["unknown", "unclear", "uncertain"], ["known", "established", "clear", "proven"]),
    (["sufficient", "enough", "adequate"], ["insufficient", "inadequate"]),
    (["irreversible", "permanent"], ["reversible", "temporary", "transient"]),
    (["young", "younger"], ["old", "older", "elderly"]),
    (["aggressive", "intensive"], ["conservative", "gentle", "cautious"]),
    (["severe", "severely"], ["mild", "mildly", "benign"]),
    (["favor", "favour", "recommended"], ["avoided", "avoid", "discouraged", "contraindicated"]),
    (["effective"], ["ineffective"]),
    (["before", "prior"], ["after", "following"]),
    (["worsen", "worsens", "worsened", "worsening", "deteriorate", "deteriorates",
      "deteriorated", "deterioration", "aggravate", "aggravates", "exacerbate", "exacerbates"],
     ["improve", "improves", "improved", "improvement", "recover", "recovers", "recovered",
      "recovery", "resolve", "resolves", "resolved"]),
    (["slow", "slowly", "gradual", "gradually"], ["rapid", "rapidly", "fast", "quick", "quickly"]),
    # A sex ratio or a risk: "equally" is not "twice as often".
    (["equally", "equal", "evenly"], ["twice", "double", "doubled", "thrice", "tripled"]),
]  # fmt: skip

# Phrases holding a negation word that state a plain fact, read as that fact.
NEUTRAL_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bnot\s+(?:be\s+)?(?:yet\s+)?(?:known|clear|established|certain|defined)\b",
                re.I), " unknown "),
    (re.compile(r"\bnot\s+(?:common|frequent)\b", re.I), " infrequent "),
    (re.compile(r"\bnot\s+enough\b", re.I), " insufficient "),
    (re.compile(r"\bno\s+(?:consensus|standard|agreed|established)\b", re.I), " unknown "),
    (re.compile(r"\bas\s+well\s+as\b", re.I), " and "),
]  # fmt: skip


def _alternatives(words: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)


def _lack() -> tuple[re.Pattern[str], str, re.Pattern[str]] | None:
    """How a negated verb of making is found, what it reads as, and how a source stating a
    lack is known (text/equivalents.toml, [lack])."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8")).get("lack", {})
    if not data:
        return None
    said = re.compile(rf"\b(?:{_alternatives(data['negators'])})\s+(?:\w+\s+)?"
                      rf"(?:{_alternatives(data['verbs'])})\b(?:\s+(?:enough|sufficient)\b)?",
                      re.I)  # fmt: skip
    states = re.compile(rf"\b(?:{_alternatives(data['states'])})\b", re.I)
    return said, f" {data['reads_as']} ", states


_LACK = _lack()


def read_lack(said: str, source: str) -> str:
    """``said`` with a negated verb of making ("can't make enough") read as a lack, when
    ``source`` states one ("insufficiency"): the same fact, not a negation of it."""
    if _LACK is None or not _LACK[2].search(source):
        return said
    return _LACK[0].sub(_LACK[1], said)


def neutralise(text: str) -> str:
    """``text`` with negated phrases that state a plain fact replaced by that fact."""
    for pattern, replacement in NEUTRAL_PHRASES:
        text = pattern.sub(replacement, text)
    return text


def _table() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for side_a, side_b in OPPOSITES:
        for a in side_a:
            for b in side_b:
                table.setdefault(stem(a), set()).add(stem(b))
                table.setdefault(stem(b), set()).add(stem(a))
    return table


_TABLE = _table()


def opposites(word_stem: str) -> set[str]:
    """The stems whose meaning is opposite to ``word_stem`` (stemmed with text.tokens.stem)."""
    return _TABLE.get(word_stem, set())


def negations(words: list[str] | set[str]) -> set[str]:
    """The negation cues among ``words`` (lowercased tokens; "n't" endings count)."""
    return {w for w in words if w in NEGATIONS or w.endswith("n't")}
