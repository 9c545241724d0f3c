"""What "it" or "this" stands for in the sentence a free answer is graded against.

A source often names a thing once and goes on about it: "Anti-X (...): extensive skin
disease. In adults it is strongly associated with cancer, ...". Graded alone, the second
sentence's answering clause only repeats the question, and the thing the learner must name is
in the sentence before. When a sentence's subject is a pronoun, it is read with the name the
previous sentence of the passage opens with.
"""

from __future__ import annotations

import re

from assistant.text.sentences import split_sentences

# A pronoun standing as a subject: before a verb ("it is", "this predicts", "they carry").
_PRONOUN = re.compile(
    r"\b(it|this|they)\s+(?=(?:is|are|was|were|has|have|can|may|might|carries|carry|"
    r"predicts?|causes?|responds?|affects?|occurs?)\b)",
    re.I,
)
# Where a sentence's opening name ends: a gloss, a colon, a comma or its verb.
_HEAD_END = re.compile(r"\s*(?:\(|:|,|;|\s(?:is|are|was|were|has|have|can|may)\b)", re.I)
MAX_HEAD_WORDS = 4


def opening_name(sentence: str) -> str | None:
    """The name ``sentence`` opens with ("Anti-X (gloss): ..." → "Anti-X"), if short."""
    head = _HEAD_END.split(sentence.lstrip("-*• "), maxsplit=1)[0].strip()
    words = head.split()
    if not words or len(words) > MAX_HEAD_WORDS or not head[0].isupper():
        return None
    return head


def resolve(reference: str, passage: str) -> str:
    """``reference`` with its pronoun subject read as the name the passage's sentence before
    it opens with; ``reference`` itself when there is none."""
    if not _PRONOUN.search(reference):
        return reference
    key = " ".join(reference.split())
    sentences = [" ".join(s.split()) for s in split_sentences(passage)]
    at = next((i for i, s in enumerate(sentences) if key in s or s in key), None)
    if not at:  # not found, or the passage's first sentence: nothing before it
        return reference
    name = opening_name(sentences[at - 1])
    if name is None:
        return reference
    return _PRONOUN.sub(lambda m: name + " ", reference)
