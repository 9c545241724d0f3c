"""Words of degree, frequency, level and outcome placed on scales, so two wordings compare.

"seldom" and "uncommon" sit at the same place on the frequency scale, "markedly raised" and
"very high" on the level scale; "better" is read as its base, "good"; a negated word is read as
its opposite ("not common" is uncommon, "without much inflammation" is minimal). The quiz grades
paraphrases with it; a step of one (rare vs occasional) is tolerated, an opposite side is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# scale -> (position, words); positions order each scale from least to most.
SCALES: dict[str, list[tuple[int, list[str]]]] = {
    "frequency": [
        (0, ["never", "not at all"]),
        (1, ["rare", "rarely", "seldom", "uncommon", "uncommonly", "infrequent", "infrequently",
             "unusual", "unusually", "hardly ever", "almost never", "very few",
             # A comparison's lower side: "less common than in children" leans rare.
             "less common", "less commonly", "less frequent", "less frequently", "less often",
             "rarer"]),
        (2, ["occasional", "occasionally", "sometimes", "some", "a minority", "few"]),
        (3, ["often", "frequent", "frequently", "common", "commonly", "usual", "usually",
             "many", "most", "typically", "a lot", "majority", "regularly"]),
        (4, ["always", "invariably", "all", "every"]),
    ],
    "degree": [
        (0, ["no", "none", "absent"]),
        (1, ["minimal", "little", "scant", "scanty", "sparse", "slight", "mild", "few", "small",
             "low-grade", "not much"]),
        (2, ["some", "moderate", "modest"]),
        (3, ["marked", "markedly", "prominent", "extensive", "severe", "heavy", "massive",
             "abundant", "considerable", "substantial", "strong", "strongly", "much", "lots",
             "plenty", "a great deal"]),
    ],
    "level": [
        (0, ["low", "lower", "reduced", "decreased", "depressed"]),
        (1, ["normal"]),
        (2, ["high", "higher", "raised", "elevated", "increased", "above"]),
        (3, ["highly elevated", "markedly raised", "very high", "markedly elevated",
             "greatly raised", "much higher"]),
    ],
    "speed": [
        (0, ["slow", "slowly", "gradual", "gradually", "sluggish", "over months"]),
        (1, ["rapid", "rapidly", "fast", "quick", "quickly", "swift", "swiftly", "brisk",
             "within days", "within a few days", "within hours", "within a day", "within a week",
             "overnight", "dramatic", "dramatically"]),
    ],
    # How long an effect lasts, when no number says it ("effective in the short term").
    "duration": [
        (0, ["short term", "short-term", "short-lived", "briefly", "transient", "transiently",
             "temporary", "temporarily", "wears off", "wear off", "fades", "fade"]),
        (1, ["long term", "long-term", "long-lasting", "permanent", "permanently", "durable",
             "lifelong"]),
    ],
    "outcome": [
        (0, ["poor", "poorly", "bad", "badly", "worse", "worst", "unfavourable", "unfavorable",
             "adverse", "negative"]),
        (1, ["good", "well", "better", "best", "favourable", "favorable", "excellent",
             "positive"]),
    ],
}  # fmt: skip
# A negated word is read at the other end: not common → rare, not severe → mild.
NEGATED = {
    "frequency": {3: 1, 4: 3, 2: 1, 1: 3, 0: 2},
    "degree": {3: 1, 2: 1, 1: 2, 0: 2},
    "level": {2: 1, 3: 2, 0: 1, 1: 2},
    "outcome": {0: 1, 1: 0},
    "speed": {0: 1, 1: 0},
    "duration": {0: 1, 1: 0},
}
_NEG = r"(?:not|no|never|without|hardly|n't)"
NORMAL = 1  # the place of "normal" on the level scale


@dataclass(frozen=True)
class Reading:
    scale: str
    position: int


def _pattern(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_COMPILED = [
    (scale, pos, re.compile(rf"(?:\b({_NEG})\s+(?:\w+\s+)?)?\b({_pattern(words)})\b", re.I))
    for scale, levels in SCALES.items()
    for pos, words in levels
]


def readings(text: str) -> list[Reading]:
    """Where ``text`` stands on each scale it says something about, negations read."""
    found: dict[str, tuple[int, int]] = {}  # scale -> (start, position)
    taken: list[tuple[int, int]] = []
    matches = []
    for scale, pos, pattern in _COMPILED:
        for m in pattern.finditer(text):
            matches.append((m.start(2) - m.end(2), m.start(), m.end(), scale, pos, m.group(1)))
    # Longest phrases first ("highly elevated" before "elevated").
    for _, start, end, scale, pos, negated in sorted(matches):
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        if negated:
            pos = NEGATED[scale].get(pos, pos)
        # The first place a text gives on a scale is its answer ("seldom; ... usually enough").
        if scale not in found or start < found[scale][0]:
            found[scale] = (start, pos)
    return [Reading(s, p) for s, (_, p) in sorted(found.items(), key=lambda kv: kv[1][0])]


# Which scale a question asks about ("how quickly" is speed, not how often).
ASKED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bhow (?:quick|fast|rapid|slow)\w*|\b(?:slow|rapid|fast|quick) or\b", re.I),
     "speed"),
    (re.compile(r"\bhow long\b", re.I), "duration"),
    (re.compile(r"\bhow (?:common|often|frequent\w*|usual|rare)\b", re.I), "frequency"),
    (re.compile(r"\bhow (?:high|low|raised|elevated)\b|\blevels?\b", re.I), "level"),
    (re.compile(r"\bhow (?:severe|marked|extensive|much)\b", re.I), "degree"),
    (re.compile(r"\bhow (?:good|bad|well)\b|\bfavou?rable|\bgood or bad\b", re.I), "outcome"),
]  # fmt: skip


def asked_scale(question: str) -> str | None:
    """The scale ``question`` asks a place on, when its wording names one."""
    return next((scale for pattern, scale in ASKED if pattern.search(question)), None)


def answers_scale(question: str, text: str) -> bool:
    """``text`` gives a place on the scale ``question`` asks about (any, if it names none)."""
    scale = asked_scale(question)
    return any(scale in (None, r.scale) for r in readings(text))


def agree(answer: str, source: str, scale: str | None = None) -> tuple[bool, bool]:
    """(the answer says the source's place on a shared scale, the answer contradicts it):
    within one step agrees; the other side of the scale contradicts. With ``scale``, only
    that scale is weighed (a hedge such as "usually" is not the answer to "how quickly")."""
    mine = {r.scale: r.position for r in readings(answer)}
    theirs = {r.scale: r.position for r in readings(source)}
    shared = set(mine) & set(theirs) & ({scale} if scale else set(SCALES))
    if not shared:
        return False, False
    # A normal level is a finding of its own: "reduced" is not a step from "normal" but
    # says the opposite (strength "usually normal", answered "markedly reduced").
    abnormal = any(s == "level" and (mine[s] == NORMAL) != (theirs[s] == NORMAL) for s in shared)
    agrees = all(abs(mine[s] - theirs[s]) <= 1 for s in shared) and not abnormal
    contradicts = abnormal or any(_sides(s, mine[s]) * _sides(s, theirs[s]) < 0 for s in shared)
    return agrees and not contradicts, contradicts


def _sides(scale: str, position: int) -> int:
    """Which side of the scale a position is on (-1 low, 0 middle, 1 high)."""
    top = max(p for p, _ in SCALES[scale])
    if scale in ("outcome", "speed", "duration"):
        return 1 if position else -1
    mid = top / 2
    return 0 if position == mid else (1 if position > mid else -1)
