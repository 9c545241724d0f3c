"""What "it" or "this" stands for in the sentence a free answer is graded against.

A source often names a thing once and goes on about it: "Anti-X (...): extensive skin
disease. In adults it is strongly associated with cancer, ...". Graded alone, the second
sentence's answering clause only repeats the question, and the thing the learner must name is
in the sentence before. When a sentence's subject is a pronoun, it is read with the name the
previous sentence of the passage opens with.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


def antecedent(reference: str, passage: str) -> str | None:
    """The name ``reference``'s pronoun subject stands for: the one the passage's sentence
    before it opens with; None when there is none."""
    if not _PRONOUN.search(reference):
        return None
    key = " ".join(reference.split())
    sentences = [" ".join(s.split()) for s in split_sentences(passage)]
    at = next((i for i, s in enumerate(sentences) if key in s or s in key), None)
    if not at:  # not found, or the passage's first sentence: nothing before it
        return None
    return opening_name(sentences[at - 1])


def resolve(reference: str, passage: str) -> str:
    """``reference`` with its pronoun subject read as the name the passage's sentence before
    it opens with; ``reference`` itself when there is none."""
    name = antecedent(reference, passage)
    if name is None:
        return reference
    return _PRONOUN.sub(lambda m: name + " ", reference)


def other_subject(reference: str, passage: str, asked: set[str],
                  names: Callable[[str], dict[str, str]], long_forms: dict[str, str]) -> str | None:
    """The name ``reference``'s pronoun stands for, when it names things (``names``, or an
    abbreviation's long form) and none of the question's (``asked``): "They are mainly IgG1"
    after a sentence on another antibody than the one asked is about that one."""
    name = antecedent(reference, passage)
    if not name or not asked or set(names(reference)) & asked:
        return None  # a sentence naming what the question names is about it
    theirs = set(names(name)) | {k.lower() for k, v in long_forms.items()
                                 if v and v.lower() in name.lower()}  # fmt: skip
    return name if theirs and not theirs & asked else None
