"""Reading a learner's own wording of a fact: which of the source's content words it states,
and how a yes-or-no answer stands to the source.

A content word is stated by the same word, another form of it ("necrotic" for "necrosis",
"fibers" for "fibres"), a word of its group of equivalents ("renal" for "kidney",
text/equivalents), a misspelling of it, a word general English gives for it (WordNet's frequent
senses, text/thesaurus: "seldom" for "rarely", unless WordNet calls them antonyms), or, as a
last resort, a word the embedding model places
almost at the same point. Single-word embeddings put opposites and sister terms close too ("high"
and "low", "IgG1" and "IgG4", "weeks" and "months"), so that fallback asks for a very high
cosine and never pairs numbers, opposites or two words of one scale; contradictions are still
caught by the grader's own checks (negation, opposites, numbers, named terms).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Protocol

from assistant.text.equivalents import same, shared_start
from assistant.text.polarity import NEGATIONS, neutralise, opposites
from assistant.text.scales import SCALES, agree, readings
from assistant.text.sentences import YES_NO_Q
from assistant.text.thesaurus import thesaurus
from assistant.text.tokens import stem

# Cosine of two single words' vectors above which they are read as one word in other form.
WORD_SIMILARITY = 0.86
_STEM_SCALES: dict[str, set[str]] = {}
for _scale, _levels in SCALES.items():
    for _, _ws in _levels:
        for _w in _ws:
            _STEM_SCALES.setdefault(stem(_w), set()).add(_scale)
_SCALE_STEMS = frozenset(_STEM_SCALES)
# "... slow or rapid?": a choice, not a yes or no ("ESR or CRP" inside a question is not).
_EITHER = re.compile(r"\bor\s+[\w-]+(?:\s+[\w-]+)?\s*\??\s*$", re.I)
_LEAD = re.compile(r"^\s*(yes|yeah|yep|correct|true|no|nope|not|never|false)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Where a source clause's parts meet: "shows oedema in active disease and fat in chronic damage".
_PART = re.compile(r",\s*|;\s*|\s+and\s+", re.I)


class Answerable(Protocol):
    focus: str  # the clause that answers
    asked: set[str]  # the question's content stems


def surface(text: str) -> dict[str, str]:
    """Stem → the word as written, for the words of ``text``."""
    return {stem(w.lower()): w.lower() for w in _WORD.findall(text)}


def stated(
    expected: Iterable[str],
    have: set[str],
    words: dict[str, str] | None = None,
    word_similarity: Callable[[str, str], float] | None = None,
) -> set[str]:
    """The stems of ``expected`` the answer's stems ``have`` state (see the module's notes);
    ``words`` maps stems of both texts to their written words for the thesaurus and the
    embedding fallback."""
    out: set[str] = set()
    for c in expected:
        if c in have or any(same(c, h) for h in have):
            out.add(c)
            continue
        # Spelt nearly alike yet antonyms in WordNet ("reversible", "irreversible"): not a slip.
        if any(_form_of(c, h) and not _antonyms(c, h, words) for h in have):
            out.add(c)
            continue
        if words and _synonym_in(c, have, words):
            out.add(c)
            continue
        if word_similarity is not None and words and _embedded_in(c, have, words, word_similarity):
            out.add(c)
    return out


def _form_of(a: str, b: str) -> bool:
    """Two stems of one word: a shared start of five letters ("inflamm", "necro"), or spelt
    nearly alike (British and American spelling, a slip of the keyboard)."""
    if len(a) >= 5 and len(b) >= 5 and shared_start(a, b) >= 5:
        return not (opposites(a) & {b})
    if min(len(a), len(b)) >= 6 or (min(len(a), len(b)) >= 4 and a[:3] == b[:3]):
        # Short stems only with the same start: "fibr" and "fiber", not "weak" and "week".
        return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85
    return False


def _antonyms(a: str, b: str, words: dict[str, str] | None) -> bool:
    x, y = (words or {}).get(a, a), (words or {}).get(b, b)
    th = thesaurus()
    return y in th.antonyms(x) or x in th.antonyms(y)


def _synonym_in(c: str, have: set[str], words: dict[str, str]) -> bool:
    """A word of the answer the thesaurus gives for the source's word, or the other way round
    (text/thesaurus): never a number, an opposite, or two words of the scales (those compare
    by their place, scale_stated)."""
    a = words.get(c)
    if a is None or len(a) < 3 or not a.isalpha():
        return False
    th = thesaurus()
    theirs: set[str] | None = None
    for h in have:
        b = words.get(h)
        if b is None or len(b) < 3 or not b.isalpha() or h in opposites(c):
            continue
        if c in _SCALE_STEMS and h in _SCALE_STEMS:
            continue
        if theirs is None:
            theirs = {stem(w) for w in th.synonyms(a) if "_" not in w}
        paired = h in theirs or c in {stem(w) for w in th.synonyms(b) if "_" not in w}
        if paired and not _antonyms(c, h, words):
            return True
    return False


def _embedded_in(
    c: str, have: set[str], words: dict[str, str], sim: Callable[[str, str], float]
) -> bool:
    a = words.get(c)
    if a is None or len(a) < 4 or not a.isalpha() or c in _SCALE_STEMS:
        return False
    for h in have:
        b = words.get(h)
        if b is None or len(b) < 4 or not b.isalpha() or h in _SCALE_STEMS:
            continue
        if h in opposites(c):
            continue
        if sim(a, b) >= WORD_SIMILARITY:
            return True
    return False


def within(
    mine: set[str],
    exp: Answerable,
    stems: Callable[[str], set[str]],
    words: dict[str, str],
    sim: Callable[[str, str], float] | None,
) -> bool:
    """Whether every content word of the learner's own (``mine``: the answer's stems beyond the
    question's) is stated by the part of the source clause that speaks to the question: an
    answer that says only what the source says, in fewer words. The part is the stretch
    between commas and "and"s holding most of the question's words ("oedema in active
    disease", not "fatty replacement in chronic damage" of one sentence)."""
    if not mine:
        return False
    parts = [stems(p) for p in _PART.split(exp.focus) if p.strip()]
    best = max((len(p & exp.asked) for p in parts), default=0)
    part = set().union(*[p for p in parts if len(p & exp.asked) == best]) if best else set()
    return stated(mine, part or stems(exp.focus), words, sim) == mine


def scale_stated(content: Iterable[str], said: str, focus: str) -> set[str]:
    """Content words that place the source on a scale ("uncommon", "normal") are stated by an
    answer at the same place in other words ("rarely", "not raised")."""
    if not agree(neutralise(said), neutralise(focus))[0]:
        return set()
    return {c for c in content if c in _SCALE_STEMS}


def yes_no(question: str, focus: str, said: str, stems: Callable[[str], set[str]]) -> int:
    """For a yes-or-no question whose source sentence restates it: 1 when the answer's leading
    yes or no says what the source does, -1 when it says the other, 0 when it cannot tell
    (not such a question, no leading yes or no, or a source about something else)."""
    if not YES_NO_Q.search(question) or _EITHER.search(question):
        return 0
    lead = _LEAD.search(said)
    if not lead:
        return 0
    q_words = set(re.findall(r"[a-z']+", question.lower()))
    if q_words & NEGATIONS:
        return 0  # "Is it not ...?": a yes and a no read both ways
    src = neutralise(focus)
    asked, theirs = stems(question), stems(src)
    if not asked or len(asked & theirs) < max(1, (len(asked) + 1) // 2):
        return 0
    src_words = set(re.findall(r"[a-z']+", src.lower()))
    negative = bool(src_words & NEGATIONS) or any(w.endswith("n't") for w in src_words)
    flipped = {w for w in asked - theirs if opposites(w) & theirs}
    s_scales = {r.scale for r in readings(src)}
    _, scale_contra = agree(neutralise(question), src)
    # The source must speak to what is asked: a word of the question it neither says nor
    # turns round ("severe" asked, "common" answered) is one thing; a scale word of the
    # question whose scale the source leaves alone, or two such words, and it does not.
    unsaid = {w for w in asked - theirs - flipped if not _STEM_SCALES.get(w, set()) & s_scales}
    if len(unsaid) > 1 or any(w in _SCALE_STEMS for w in unsaid):
        return 0
    source_says_yes = not (negative or flipped or scale_contra)
    says_yes = lead.group(1).lower() in ("yes", "yeah", "yep", "correct", "true")
    return 1 if says_yes == source_says_yes else -1
