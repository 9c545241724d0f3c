"""A comparison read from its other side, for a question asking about that side.

"Calcinosis is much more common than in adults" (of children) answers "how common is
calcinosis in adults?" by its other side: in adults it is less common. Graded as written, the
sentence says "common" of the very group it sets below. When the thing after "than" is what
the question asks about, the comparison is turned round to state that thing's side.
"""

from __future__ import annotations

import re

from assistant.text.tokens import stem

_TURN = {"more": "less", "less": "more", "higher": "lower", "lower": "higher"}
# "more common than in adults", "less often than in men", "higher than in children".
_COMPARED = re.compile(
    r"\b(more|less)\s+([a-z]+)\s+than\s+(?:in\s+|among\s+|for\s+)?(?:the\s+)?([a-z]+)"
    r"|\b(higher|lower)\s+than\s+(?:in\s+|among\s+|for\s+)?(?:the\s+)?([a-z]+)",
    re.I,
)


def from_asked_side(reference: str, question: str) -> str:
    """``reference`` with a comparison whose lower or higher side is what ``question`` asks
    about stated for that side ("more common than in adults" → "less common in adults")."""
    asked = {stem(w) for w in re.findall(r"[a-z]+", question.lower())}

    def turn(m: re.Match[str]) -> str:
        if m.group(1):
            word, quality, other = m.group(1), m.group(2), m.group(3)
            if stem(other.lower()) not in asked:
                return m.group(0)
            return f"{_TURN[word.lower()]} {quality} in {other}"
        word, other = m.group(4), m.group(5)
        if stem(other.lower()) not in asked:
            return m.group(0)
        return f"{_TURN[word.lower()]} in {other}"

    return _COMPARED.sub(turn, reference)
