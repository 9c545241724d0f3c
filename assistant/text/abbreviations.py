"""Abbreviations a text defines, "long form (SHORT)": Schwartz & Hearst's algorithm.

A Simple Algorithm for Identifying Abbreviation Definitions in Biomedical Text (PSB 2003): for
each parenthesised short form, the long form is the shortest run of words before it whose
characters, read right to left, contain the short form's letters in order, the first letter
starting a word. Used at index time (the corpus's own abbreviations), by the answerer's
question reading and by the citation checker (a passage's own definitions).
"""

from __future__ import annotations

import re

_PAREN = re.compile(r"\(([^()]{1,12})\)")
_WORD = re.compile(r"\S+")


def _short_form_ok(short: str) -> bool:
    short = short.strip()
    return (
        2 <= len(short) <= 10
        and len(short.split()) <= 2
        and short[0].isalnum()
        and any(c.isalpha() for c in short)
        # "(2)", "(see below)", "(e.g." are not abbreviations: one capital at least, and no
        # long lower-case word.
        and any(c.isupper() for c in short)
        and not re.search(r"[a-z]{4,}", short)
    )


def best_long_form(short: str, candidate: str) -> str | None:
    """The long form of ``short`` at the end of ``candidate`` (None when none fits)."""
    s = len(short) - 1
    i = len(candidate) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (
            candidate[i].lower() != c or (s == 0 and i > 0 and candidate[i - 1].isalnum())
        ):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = candidate.rfind(" ", 0, i + 1) + 1
    long_form = candidate[start:].strip(" ,;:-")
    if not long_form or len(long_form) <= len(short) or long_form.lower() == short.lower():
        return None
    return long_form


def definitions(text: str) -> dict[str, str]:
    """{SHORT: long form} for every "long form (SHORT)" in ``text`` (first definition wins)."""
    found: dict[str, str] = {}
    for m in _PAREN.finditer(text):
        short = m.group(1).strip()
        if not _short_form_ok(short) or short in found:
            continue
        before = text[: m.start()].rstrip()
        words = _WORD.findall(before)
        limit = min(len(short) + 5, 2 * len(short))
        candidate = " ".join(words[-limit:])
        # A long form does not run over a sentence or clause end.
        candidate = re.split(r"[.;:!?]\s|\(|\)", candidate)[-1]
        long_form = best_long_form(short, candidate)
        if long_form:
            found[short] = long_form
    return found
