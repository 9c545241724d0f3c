"""What a question asks for that the chosen sentences do not give: a dose, figures, a duration.

Shared by both answering backends: an extractive or a generated answer names the missing detail
in a sentence that starts "The indexed sources do not" and carries no citation marker.
"""

from __future__ import annotations

import re

from assistant.answering.citing import NOT_COVERED_PREFIX
from assistant.core.types import Reading
from assistant.domain.vocabulary import Vocabulary

DOSE_INTENT = re.compile(r"\b(doses?|dosage|dosing|how much|mg\b|milligrams?|titrat\w*)", re.I)
FREQ_INTENT = re.compile(r"\b(how often|frequency|how frequently|interval|every how)\b", re.I)
DURATION_INTENT = re.compile(
    r"\b(how long|duration|for how many (?:days|weeks|months|years)|how soon)\b|^\s*when\b", re.I
)
RATE_INTENT = re.compile(
    r"\b(rates?|percentages?|percent|proportion|how many|prevalence|incidence|odds)\b", re.I
)
# A figure: a percentage or a count ("12 of 40"), not a dose.
FIGURE = re.compile(r"%|\bper\s?cent\b|\b\d+\s+(?:of|in|out of)\s+\d+", re.I)
DOSE_VALUE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:-|to|–)?\s*\d*(?:\.\d+)?\s*(?:mg|g|mcg|µg|ml|iu|units?)\b", re.I
)
FREQ_VALUE = re.compile(
    r"\b(daily|weekly|monthly|every \w+|per (?:day|week|month)|times a|/day)\b", re.I
)
DURATION_VALUE = re.compile(r"\b\d+\s*(?:to|-|–)?\s*\d*\s*(?:days?|weeks?|months?|years?)\b", re.I)


def missing_detail(reading: Reading, sentences: list[str], vocab: Vocabulary) -> str | None:
    """A sentence saying what the sources do not give, when the question asks for it."""
    question = reading.standalone
    named = [e for t, e in vocab.entities(question) if t == "drug"]
    subject = vocab.display(named[0]) if named else "this"
    text = " ".join(sentences)
    if DOSE_INTENT.search(question) and not any(
        dose_stated_for(named[0] if named else None, s, vocab) for s in sentences
    ):
        return f"{NOT_COVERED_PREFIX} state a dose for {subject}."
    if RATE_INTENT.search(question) and not FIGURE.search(text):
        return f"{NOT_COVERED_PREFIX} give figures for this."
    if FREQ_INTENT.search(question) and not FREQ_VALUE.search(text):
        return f"{NOT_COVERED_PREFIX} say how often."
    if DURATION_INTENT.search(question) and not DURATION_VALUE.search(text):
        return f"{NOT_COVERED_PREFIX} give a duration."
    return None


def dose_stated_for(drug: str | None, sentence: str, vocab: Vocabulary) -> bool:
    """Whether ``sentence`` gives a dose, and (when ``drug`` is named) gives it for that drug:
    the drug mentioned closest before the dose must be it ("drug A at 0.5 to 1 mg/kg")."""
    for m in DOSE_VALUE.finditer(sentence):
        if drug is None:
            return True
        before = entities_with_positions(sentence[: m.start()], vocab)
        drugs = [e for t, e in before if t == "drug"]
        if drugs and drug in (drugs[-1], vocab.drug_class(drugs[-1])):
            return True
    return False


def entities_with_positions(text: str, vocab: Vocabulary) -> list[tuple[str, str]]:
    """Entities of ``text`` in order of appearance, repeats kept (the last one is nearest)."""
    out: list[tuple[str, str]] = []
    for word in re.findall(r"[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*)?", text):
        found = vocab.entities(word)
        out.extend(found[:1])
    return out
