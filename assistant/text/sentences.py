"""Sentence splitting: the one splitter used by the chunker, the answerer, the checker and the quiz.

A period ends a sentence when the next word starts a new one (a capital, a digit, a quote or a
bracket); abbreviations such as "e.g." and "ref." do not end one.
"""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "e.g.",
    "i.e.",
    "ref.",
    "refs.",
    "vs.",
    "etc.",
    "dr.",
    "fig.",
    "al.",
    "approx.",
    "no.",
    "mr.",
    "mrs.",
    "st.",
    "cf.",
    "ca.",
    "resp.",
}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[])")
# The words a sentence may open on that point back to the one before ("It may be ...", "These
# include ..."): such a sentence does not name its own subject. Case-sensitive: an opener.
POINTS_BACK = re.compile(r"(?:It|Its|This|These|Those|They|Them|Their|Both|Such)\b")
# ... or after an opening phrase: "In a controlled trial it improved strength", "After a
# year, they are stopped": the subject points back all the same.
POINTS_BACK_LATER = re.compile(
    r"(?:In|At|After|During|Over|Within|By|On|With|Without|Once|When|If)\s[^,;.]{0,60}?,?\s"
    r"(?:it|they|its|their)\s"
)
# A sentence that ends by announcing a class ("X is associated with other immune conditions.")
# leaves its members to the sentence after it ("Y is found in a minority of patients ...").
ANNOUNCES = re.compile(
    r"\b(?:other|several|many|a number of|various|some)\s+(?:[a-z-]+\s+)?(?:conditions|diseases|"
    r"disorders|features|causes|complications|problems|factors|findings|drugs|treatments|tests|"
    r"associations)\W*$",
    re.IGNORECASE,
)


# A question answered yes or no ("Could it be used on its own?", "Is it safe?").
YES_NO_Q = re.compile(
    r"^\s*(?:is|are|was|were|does|do|did|can|could|should|will|would|has|have|must|may)\b", re.I
)


def points_back(sentence: str) -> bool:
    """``sentence`` opens on a word that points back to the sentence before it."""
    return bool(POINTS_BACK.match(sentence.lstrip(" \t-*•").capitalize()))


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; abbreviations such as "e.g." and "ref." do not end one."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        piece = text[start : m.start()].strip()
        last = piece.rsplit(" ", 1)[-1].lower() if piece else ""
        if last in ABBREVIATIONS:
            continue
        if piece:
            pieces.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


# Where a sentence's clauses part: ";", ":", " - " and ", and/but/while/whereas/..." .
_CLAUSE = re.compile(
    r"\s*(?:;|:|\s-\s|,\s*(?:and|but|while|whereas|although|though|because|so)\s+|"
    r"\b(?:whereas|but)\b)\s*",
    re.IGNORECASE,
)


# A sentence that opens with a subordinate clause ("Because X, Y") parts at its first comma.
_LEADING = re.compile(r"^((?:because|since|as|although|though|when|if|while|after|before)\b"
                      r"[^,]{3,}),\s*(.+)$", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The clauses of ``text``'s sentences: split at ";", ":", " - ", ", and/but/while ..."
    and after a leading "Because ...,"."""
    out = []
    for sentence in split_sentences(text):
        for c in _CLAUSE.split(sentence):
            m = _LEADING.match(c.strip())
            out += [m.group(1), m.group(2)] if m else [c] if c.strip() else []
    return out


# A sentence about the text itself, not its subject ("This guide summarises ...", "It is written
# for general practitioners"): it answers no clinical question, only one about the text.
ABOUT_THE_TEXT = re.compile(
    r"^(?:(?:This|The present|The following)\s+(?:guide|guideline|document|leaflet|article|review|"
    r"chapter|summary|handout|page|section|text|overview|booklet|factsheet)s?\b"
    r"|It\s+is\s+(?:written|intended|meant|aimed)\s+(?:for|at)\b)",
    re.IGNORECASE,
)
ASKS_ABOUT_THE_TEXT = re.compile(
    r"\b(?:guide|guideline|document|leaflet|article|review|chapter|summary|handout|page|text|"
    r"booklet|factsheet|source|sources|written)\b",
    re.IGNORECASE,
)


def about_the_text(sentence: str, question: str) -> bool:
    """Whether ``sentence`` speaks of the text itself, and ``question`` does not ask of it."""
    return bool(ABOUT_THE_TEXT.match(sentence)) and not ASKS_ABOUT_THE_TEXT.search(question)
