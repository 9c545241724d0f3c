"""What dose a question asks: whether it asks one at all, and of what (the value notes of
answering/gaps.py, and the quiz grader, read it)."""

from __future__ import annotations

import re

from assistant.domain.vocabulary import Vocabulary
from assistant.text.drugs import looks_like_drug
from assistant.text.quantities import MG_AS_UNIT

# "Drug X regimen?" asks how it is given; "add Y to the regimen" names the one in place. One
# dose counted ("how long does a dose last", "each dose", "a missed dose") asks no amount.
DOSE_INTENT = re.compile(
    r"\b((?<!\ba )(?<!\ban )(?<!\beach )(?<!\bevery )(?<!\bper )(?<!\bmissed )doses?|"
    r"dosage|dosing|(?<!the )(?<!this )(?<!her )(?<!his )regimens?|"
    # "how much does it slow the decline?" asks the size of an effect, not a dose
    # ... and "how much commoner in women?" a ratio
    r"how much(?!\s+(?:does|do|did|is|are|was|were|has|have|more|less|fewer|higher|lower|"
    r"better|worse|greater|bigger|smaller|commoner|rarer|likelier|longer|shorter|faster|"
    r"slower|earlier|later|safer|riskier|stronger|weaker|sooner)\b)|"
    r"milligrams?|titrat\w*)|" + MG_AS_UNIT,
    re.I,
)


# Words between a thing and "dose" that say which dose, not whose ("the usual starting dose").
DOSE_WORDS = frozenset([
    "the", "a", "an", "what", "which", "usual", "starting", "start", "initial", "loading",
    "maintenance", "max", "maximum", "min", "minimum", "daily", "weekly", "total", "typical",
    "recommended", "target", "standard", "right", "correct", "best", "high", "low", "oral", "iv",
    "its", "their", "this", "that",
    # ... and words a dosed thing's name never runs across ("how long at full dose": no "long
    # at full" is dosed).
    "at", "on", "off", "in", "of", "for", "to", "with", "by", "is", "are", "how", "long", "full",
    "same", "current", "and", "or",
])
_DOSE_WORD = re.compile(r"\b(?:doses?|dosage|dosing)\b", re.I)


# "How long at full dose?", "still weak on the same dose": a dose a patient is at or on is a
# state the question is about, not the value it asks for.
DOSE_STATE = re.compile(
    r"\b(?:at|on|off)\s+(?:(?:the|a|that|this|full|same|high|low|max|maximum|current|"
    r"usual|starting|top)\s+)*doses?\b",
    re.I,
)


_DOSED_AFTER = re.compile(r"\s+(?:of|for)\s+([A-Za-z][\w-]*)")


def asks_dose(question: str) -> bool:
    """Whether ``question`` asks for a dose: a dose word that is not a state it is in."""
    return bool(DOSE_INTENT.search(DOSE_STATE.sub(" ", question)))


def dosed_phrase(question: str, vocab: Vocabulary) -> str | None:
    """The thing named right before the question's "dose" ("vitamin D" in "vitamin D dose for
    patients on steroids"), when it is no drug the question names elsewhere first; else None.
    A dose "of"/"for" a drug after the word is read by the named-drug rule (gaps.py), or here
    when no pack knows the drug but its form does ("dose of ambrisentan")."""
    m = _DOSE_WORD.search(question)
    if not m:
        return None
    # "dose of ambrisentan": a drug by its form that no pack knows, named after the word.
    after = _DOSED_AFTER.match(question[m.end():])
    if after and looks_like_drug(after.group(1)) and not vocab.entities(after.group(1)):
        return after.group(1)
    words = re.findall(r"[A-Za-z][\w-]*", question[: m.start()])
    taken: list[str] = []
    for w in reversed(words):
        if w.lower() in DOSE_WORDS or set(vocab.terms(w)) & (
            vocab.question_words | vocab.subject_words
        ):
            break
        taken.insert(0, w)
        if len(taken) == 3:
            break
    if not taken or all(len(w) < 3 for w in taken):
        return None
    return " ".join(taken)
