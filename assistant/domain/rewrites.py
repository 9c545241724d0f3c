"""What clinicians type, written as texts write it: whole-word rewrites of shorthand and brand
names ("w/ Tylenol" → "with acetaminophen"), in any case or in one case only, and readings
chosen by the words around ("pts" is points beside "score", patients elsewhere)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from assistant.domain.pack import ContextRewrite


def rewrite_pattern(
    rewrites: Mapping[str, str], exact: Mapping[str, str], in_context: Collection[str] = ()
) -> re.Pattern[str]:
    """One alternation of every key, longest first; a key only of ``exact`` matches its case."""
    keys = sorted({*rewrites, *exact, *in_context}, key=len, reverse=True)
    if not keys:
        return re.compile("(?!)")

    def one(key: str) -> str:
        body = r"\s+".join(re.escape(w) for w in key.split())
        exact_only = key in exact and key.lower() not in rewrites and key not in in_context
        return f"(?-i:{body})" if exact_only else body

    # Whole words: "w/" and "f/u" end in a slash, so the edges are not \b; a possessive may
    # follow ("pt's" is "patient's").
    return re.compile(
        r"(?<![\w/'’-])(?:" + "|".join(one(k) for k in keys) + r")(?![\w/-]|['’](?!s\b))",
        re.IGNORECASE,
    )


def context_reading(rules: Mapping[str, ContextRewrite], key: str, text: str) -> str | None:
    """The reading of ``key`` that its company in ``text`` selects, if any."""
    rule = rules.get(key.lower())
    if rule is None:
        return None
    near = any(re.search(rf"\b{re.escape(w)}\b", text, re.I) for w in rule.near)
    return rule.to if near else None


def rewrite_words(
    pattern: re.Pattern[str],
    text: str,
    rewrites: Mapping[str, str],
    exact: Mapping[str, str],
    rules: Mapping[str, ContextRewrite],
) -> tuple[str, list[tuple[str, str]]]:
    """``text`` rewritten, and the (typed, read as) pairs changed."""
    changes: list[tuple[str, str]] = []

    def repl(m: re.Match[str]) -> str:
        typed = m.group(0)
        key = " ".join(typed.split())
        new = context_reading(rules, key, text) or exact.get(key) or rewrites.get(key.lower())
        if new is None:
            return typed
        if (typed, new) not in changes:
            changes.append((typed, new))
        return new

    return pattern.sub(repl, text), changes
