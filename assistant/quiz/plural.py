"""How many things an answer gives, against how many the question asks for (quiz/asks.py).

"Which two blood tests ...", "name the three ...", "what is X and what is given alongside it"
ask for more than one thing: an answer that names one of them is partly right, however right
that one is. A plural ask without a number ("what are the first-line treatments") asks for
what the source lists in answer: when it lists three ("A, B or C"), two of them are part of
the answer.
"""

from __future__ import annotations

import re

from assistant.quiz.asks import asked_count
from assistant.quiz.items import Grade

# A plural ask with no number: "what are the treatments", "which are the main features".
_PLURAL_ASK = re.compile(r"^\s*(?:what|which)\s+are\s+the\s+(?:[\w-]+\s+){0,2}[\w-]+s\b", re.I)
# Where an answer's or a source's items part: commas, "and", "or", "plus" (not "/": "g/kg").
_ITEM_SEP = re.compile(
    r"\s*(?:,|;|\bplus\b|\bas well as\b|\btogether with\b|\balongside\b|\band\b|\bor\b)\s*",
    re.I,
)
# A source's list answering a plural ask: after a colon, or three or more items in a row.
_LISTED = re.compile(r":\s*([^.:;]+)")
_SERIES = re.compile(r"(?:[\w-]+(?:\s+[\w-]+){0,3},\s+){2,}[^,.;]*?\b(?:and|or)\s+[\w-]+", re.I)


def items(text: str) -> int:
    """How many items ``text`` gives: its parts between commas, "and", "or" and the like."""
    return sum(1 for p in _ITEM_SEP.split(text) if p and re.search(r"\w", p))


def listed(question: str, source: str) -> int:
    """How many things ``source`` lists in answer to a plural ``question`` (0 if not one)."""
    if not _PLURAL_ASK.search(question):
        return 0
    m = _LISTED.search(source)
    if m and items(m.group(1)) >= 2:
        return items(m.group(1))
    series = _SERIES.search(source)
    return items(series.group(0)) if series else 0


def too_few(question: str, answer: str, source: str) -> bool:
    """The answer gives fewer things than the question asks for, or than the source lists in
    answer to a plural ask."""
    wanted = asked_count(question) or listed(question, source)
    return wanted >= 2 and items(answer) < wanted


def capped(grade: Grade, question: str, answer: str, source: str) -> Grade:
    """``grade``, at best partly correct when the answer gives too few things."""
    if not grade.correct or not too_few(question, answer, source):
        return grade
    return grade.model_copy(update={
        "correct": False, "score": 0.5, "verdict": "partly correct", "matched": [],
        "problems": [*grade.problems, "gives fewer of the things asked for than the source"],
    })  # fmt: skip
