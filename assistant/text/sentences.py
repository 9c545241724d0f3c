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
