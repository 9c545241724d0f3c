"""What a question asks for, read from how it is worded: a named thing (which drug, antibody
or test), a number, a time, a place on a scale, two things, a reason; and the unit a number
question wants. Kept apart from the grader (quiz/open_grading.py) so other readers of
questions (quiz/references.py) share them.
"""

from __future__ import annotations

import re

from assistant.text.quantities import MG_AS_UNIT

ASKS_TERM = re.compile(
    r"\b(which|what|name|list)\b[^?]{0,40}?\b(drugs?|medications?|medicines?|agents?|"
    r"steroids?|antibod\w*|tests?|treatments?|therap(?:y|ies)|options?|subtypes?|subclass\w*|"
    r"investigations?|scans?|imaging|type)\b|^\s*(?:name|list)\b",
    re.I,
)
ASKS_NUMBER = re.compile(
    r"\b(how much|dose|dosage|how many|how often|how long|what share|what proportion|"
    r"percentage|percent|what age|how old|which age|interval|ratio|score)\b|%", re.I
)
ASKS_TIME = re.compile(r"\b(?:within what|how soon|after how long|what time)\b", re.I)
ASKS_SCALE = re.compile(
    r"\b(how common|how often|how frequent\w*|how high|how severe|how likely|how good|"
    r"how quick\w*|how fast|how rapid\w*|how slow\w*|how long|"
    r"favou?rable|unfavou?rable|good or bad)\b|"
    r"^\s*(?:is|are|does|do|can)\b.*\b(common|rare|severe|mild|usual(?:ly)?|often|high|low|"
    r"slow|rapid|fast|quick)\b",
    re.I,
)
# "Which drug ...": when the answering clause names none, the sentence before may ("It is ...").
ASKS_DRUG = re.compile(r"\b(drugs?|medications?|medicines?|agents?|steroids?|treatments?)\b",
                       re.I)
# More than one thing asked, loosely: a number word anywhere, or a second question joined on
# ("and what", "and for which", "and in ..."). The grader reads such a clause more wholly.
ASKS_TWO = re.compile(
    r"\b(two|both|three)\b|\band\s+(?:for\s+)?(?:what|which|how|why|when)\b|"
    r"\band (?:on|in|for|with|after|before)\b",
    re.I,
)
# How many things, exactly (quiz/plural.py caps an answer giving fewer): a number of things
# ("which two tests", "name the three", "what are the two main") or a second "and what".
_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_ASKS_COUNT = re.compile(
    r"\b(?:which|what|name|list|give|the|are)\s+(?:are\s+)?(?:the\s+)?(two|three|four|2|3|4)"
    r"\b(?!\s*(?:-|–|to)\s*\w)|\bname\s+both\b|\bboth\s+of\s+the\b",
    re.I,
)
_SECOND_ASK = re.compile(r"\band\s+(?:what|which)\b", re.I)

ASKS_WHY = re.compile(r"^\s*why\b|\bwhat is the reason\b", re.I)
# A purpose after a verb: "measured to look for", "given to prevent" (the verb is group 1).
PURPOSE = re.compile(r"\b(\w+ed)\s+(?:in order\s+)?to\s+(.+)$", re.I)
BECAUSE = re.compile(r"\b(?:because|since|as|due to|so that)\b\s*(.+)$", re.I)
# What kind of unit a number question asks for.
UNIT_ASKED = [
    (re.compile(r"\b(how long|duration|how many (?:days|weeks|months|years)|when)\b", re.I),
     "time"),
    (re.compile(r"\b(what share|what proportion|percent|percentage|how many patients|"
                r"what fraction)\b|%", re.I), "share"),
    (re.compile(r"\b(dose|dosage|how much)\b|" + MG_AS_UNIT, re.I), "mass"),
]
# A condition: a source clause stating one ("If there is little response, ..."), and a
# question whose premise is one ("what should be done if ..."; not "when is it given?").
CONDITION = re.compile(r"^\s*(?:if|when|whenever|once|unless)\b", re.I)
ASKS_IF = re.compile(r"^\s*\S.*\b(?:if|when|once|unless)\b", re.I)


def asked_count(question: str) -> int:
    """How many things ``question`` asks for by number (0 when it names none)."""
    m = _ASKS_COUNT.search(question)
    if m:
        return _COUNTS.get((m.group(1) or "two").lower(), 2)
    return 2 if _SECOND_ASK.search(question) else 0
