"""Numbers, ranges and units: one reader for the answerer, the checker and the quiz.

"0.5-1 mg/kg", "0.5 to 1 mg/kg" and "half to one mg per kg" hold the same numbers; "four to six
weeks" is "4 to 6 weeks"; "2-4 wks" is weeks. Digits inside a name ("3-hydroxy-3-methylglutaryl")
are not quantities of anything, but are still numbers a sentence must not change.
"""

from __future__ import annotations

import math
import re

_UNITS = {
    "mg/kg/day": "mg/kg", "mg/kg/d": "mg/kg", "mg/kg": "mg/kg", "g/kg": "g/kg",
    "mg/m2": "mg/m2", "mg/m²": "mg/m2", "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "g": "g", "gram": "g", "grams": "g", "mcg": "mcg", "µg": "mcg", "ug": "mcg", "ml": "ml",
    "kg": "kg", "iu": "iu", "units": "iu", "%": "%", "percent": "%", "per cent": "%",
    "week": "week", "weeks": "week", "wk": "week", "wks": "week", "day": "day", "days": "day",
    "month": "month", "months": "month", "mo": "month", "mos": "month", "year": "year",
    "years": "year", "yr": "year", "yrs": "year", "hour": "hour", "hours": "hour", "hr": "hour",
    "hrs": "hour", "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "mm/h": "mm/h", "mm/hr": "mm/h", "mg/l": "mg/l", "mg/dl": "mg/dl",
}  # fmt: skip
UNIT_PATTERN = "|".join(
    re.escape(u) for u in sorted(_UNITS, key=len, reverse=True) if u not in ("%",)
)
NUMBER = r"\d+(?:\.\d+)?"
# A number, an optional second end of a range, an optional unit.
QUANTITY = re.compile(
    rf"(?<![\w.])({NUMBER})(?:\s*(?:-|–|‑|to)\s*({NUMBER}))?"
    rf"(?:\s*(%|(?:{UNIT_PATTERN})\b))?",
    re.IGNORECASE,
)
NUMBERS = re.compile(r"(?<![\w.])\d+(?:\.\d+)?|(?<![\w\d])\.\d+")

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD_NUMBER = re.compile(
    r"\b(?:(" + "|".join(_TENS) + r")(?:[\s-](" + "|".join(k for k in _SMALL if k != "zero")
    + r"))?|(" + "|".join(_SMALL) + r")|(a\s+hundred|one\s+hundred|hundred))\b",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(rf"\s*(?:%|(?:{UNIT_PATTERN})\b)", re.IGNORECASE)
_RANGE_NEAR = re.compile(
    r"\s*(?:-|–|to)\s*(?:\d|(?:" + "|".join([*_SMALL, *_TENS]) + r")\b)", re.IGNORECASE
)
_HALF = re.compile(r"\bhalf(?=\s*(?:-|–|to)\s*(?:\d|one\b))", re.IGNORECASE)


def spell_numbers(text: str) -> str:
    """``text`` with numbers written in words as digits: "four to six weeks" → "4 to 6 weeks".

    "one" becomes 1 only beside another number or before a unit ("one to two years", "one
    week"), so "one of the drugs" stays as it is; "half" only in a range ("half to one").
    """
    text = _HALF.sub("0.5", text)
    # A fortnight is two weeks, as a learner may say it ("over about a fortnight").
    text = re.sub(r"\bfortnightly\b", "every 2 weeks", text, flags=re.I)
    text = re.sub(r"\b(?:a\s+)?fortnights?\b", "2 weeks", text, flags=re.I)

    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            units = _SMALL[m.group(2).lower()] if m.group(2) else 0
            return str(_TENS[m.group(1).lower()] + units)
        if m.group(4):
            return "100"
        word = m.group(3).lower()
        if word == "one":
            after = text[m.end():]
            before = text[: m.start()]
            near = (
                _UNIT_AFTER.match(after)
                or _RANGE_NEAR.match(after)
                or re.search(r"\d\s*(?:-|–|to)\s*$", before)
            )
            if not near:
                return m.group(0)
        return str(_SMALL[word])

    return _WORD_NUMBER.sub(repl, text)


def unit_name(unit: str | None) -> str:
    """The one spelling of a unit ("wks" → "week", "percent" → "%"); "" for none."""
    if not unit:
        return ""
    return _UNITS.get(" ".join(unit.lower().split()), unit.lower())


# "2 grams per kilogram" is 2 g/kg, as a learner may write it out.
_PER_WEIGHT = re.compile(
    r"\b(milligrams?|mg|grams?|g)\s*(?:per|a|/)\s*(?:kilograms?|kilos?|kg)\b", re.I
)


def _per_weight(m: re.Match[str]) -> str:
    return ("mg" if m.group(1).lower().startswith("m") else "g") + "/kg"


_BETWEEN = re.compile(rf"\bbetween\s+({NUMBER})\s+and\s+(?=\d)", re.I)


def _value(number: str) -> float:
    return float(number)


def quantities(text: str) -> set[tuple[float, str]]:
    """(value, unit) pairs of ``text``; a range gives both ends with the range's unit, a bare
    number an empty unit. Numbers in words count."""
    found: set[tuple[float, str]] = set()
    text = _BETWEEN.sub(r"\1 to ", spell_numbers(text))  # "between 12 and 24 months"
    for m in QUANTITY.finditer(_PER_WEIGHT.sub(_per_weight, text)):
        unit = unit_name(m.group(3))
        for n in (m.group(1), m.group(2)):
            if n is not None:
                found.add((_value(n), unit))
    return found


def numbers(text: str) -> list[float]:
    """Every number of ``text`` (numbers in words included), in order."""
    return [float(n) for n in NUMBERS.findall(spell_numbers(text))]


# "mg" asks for an amount only as a unit: after a number or "how many/much", or before "/" or
# "per". Bare, it is as likely an abbreviation typed in lower case ("mg" for myasthenia gravis,
# MG) as a unit, and reading it as a dose asked turns a question about the disease into a dose
# the sources do not give.
MG_AS_UNIT = r"(?:(?<=\d)\s*|\b(?:how\s+many|how\s+much)\s+)mg\b|\bmg\s*(?:/|\bper\b)"

# What a sentence gives when a question asks for a dose, a duration, a frequency or a figure.
DOSE_VALUE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:-|to|–)?\s*\d*(?:\.\d+)?\s*(?:mg|g|mcg|µg|ml|iu|units?)\b", re.I
)
# A length of time: a number of units ("2 to 3 months", "3-4 hours"), or units in words ("a few
# weeks", "within days", "over months to years"), or for good ("lifelong", "indefinitely").
_SPANS = r"(?:minutes|hours|days|weeks|months|years)"
DURATION_VALUE = re.compile(
    r"\b\d+\s*(?:to|-|–)?\s*\d*\s*(?:(?:consecutive|successive|further|more|additional)\s+)?"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?)\b"
    rf"|\b(?:a\s+few|several|some|many)\s+{_SPANS}\b"
    rf"|\b(?:within|over|for|after|lasting)\s+{_SPANS}\b|\b{_SPANS}\s+(?:to|or)\s+{_SPANS}\b"
    r"|\b(?:lifelong|life-long|for life|indefinitely)\b",
    re.I,
)
# How often, in one word too ("yearly", "quarterly"). "once a" and "twice a" were measured as
# well (tenth session) and cost a gated half's missing details named; they stay out.
FREQ_VALUE = re.compile(
    r"\b(daily|weekly|monthly|yearly|annually|fortnightly|quarterly|hourly|every \w+"
    r"|per (?:day|week|month)|times a|/day)\b",
    re.I,
)
# A threshold, which answers "when to do X?" as a condition does: "FVC below 20 mL/kg".
THRESHOLD = re.compile(
    r"\b(?:below|above|under|over|less than|more than|greater than|at least|at most)\s+-?\d"
    r"|[<>≤≥]\s*-?\d",
    re.I,
)
# A figure: a percentage or a count ("12 of 40"), not a dose.
FIGURE = re.compile(r"%|\bper\s?cent\b|\b\d+\s+(?:of|in|out of)\s+\d+", re.I)
# A rate per a population ("0.5 per million", "3 per 100,000 person-years"): a figure that gives
# an incidence asked (answering/gaps.py), though no share for sentence choice's figure feature.
RATE_FIGURE = re.compile(r"\d\s+per\s+(?:\d[\d,]*|hundred|thousand|million|billion)\b", re.I)


# --- shares and rates written in other words --------------------------------------------------

_FRACTIONS = {"half": 50.0, "a half": 50.0, "a third": 33.3, "one third": 33.3,
              "two thirds": 66.7, "a quarter": 25.0, "one quarter": 25.0,
              "three quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0, "a tenth": 10.0}
# "one in six" keeps its "one" (spell_numbers leaves "one" alone: "one of the drugs").
_IN = re.compile(r"\b(\d+(?:\.\d+)?|one|a)\s+(?:in|out of|of every)\s+(\d+(?:\.\d+)?)\b",
                 re.I)
# "two fifths", "3 quarters", "a sixth": a count of parts, read as a percentage.
_PARTS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
          "seventh": 7, "eighth": 8, "tenth": 10}
_OF_PARTS = re.compile(r"\b(a|one|\d+)\s+(" + "|".join(_PARTS) + r")s?\b", re.I)
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|per\s?cent\b)", re.I)
_FRACTION = re.compile(r"\b(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b",
                       re.I)


def shares(text: str) -> set[float]:
    """Percentages ``text`` states, however written: "40%", "40 percent", "two in five",
    "a third" (a range gives both ends)."""
    text = spell_numbers(text)
    out = {float(m.group(1)) for m in _PCT.finditer(text)}
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(?:%|per\s?cent)",
                         text, re.I):
        out.add(float(m.group(1)))
    out |= {100 * _count(m.group(1)) / float(m.group(2)) for m in _IN.finditer(text)
            if float(m.group(2))}
    out |= {_FRACTIONS[m.group(1).lower()] for m in _FRACTION.finditer(text)}
    for m in _OF_PARTS.finditer(text):
        n, parts = _count(m.group(1)), _PARTS[m.group(2).lower()]
        if n < parts:
            out.add(round(100 * n / parts, 1))
    return out


_PCT_RANGE = re.compile(
    r"(\d+(?:\.\d+)?)\s*%?\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(?:%|per\s?cent\b)", re.I
)
# A share said in other words is near the figure: "one in five" for "15 to 20 percent", "a
# third" for "30%". Within this many points, or this part of the share, it is the same.
SHARE_POINTS = 3.0
SHARE_PART = 0.15


def is_share_word(word: str) -> bool:
    """A word that is part of how a share is said ("one", "five", "third", "half", "in"
    aside): when the share is matched as a whole, its words are not matched one by one."""
    low = word.lower().rstrip("s")
    return low in _PARTS or low in ("one", "a") or spell_numbers(low) != low or low.isdigit()


def share_spans(text: str) -> list[tuple[float, float]]:
    """The percentages ``text`` states as (low, high): a range gives both ends, a single
    value (however written: "40%", "two in five", "a third") is its own low and high."""
    text = spell_numbers(text)
    spans = [(float(m.group(1)), float(m.group(2))) for m in _PCT_RANGE.finditer(text)]
    return spans + [(v, v) for v in shares(text)]


def same_share(asked: set[float], text: str) -> bool:
    """Whether ``text`` states a share near one of ``asked`` (percentages): inside a range it
    gives or near a value, so "one in five" finds "About 15 to 20 percent of patients"."""
    for lo, hi in share_spans(text):
        for a in asked:
            slack = max(SHARE_POINTS, SHARE_PART * a)
            if lo - slack <= a <= hi + slack:
                return True
    return False


_PERIOD_DAYS = {"day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
_EVERY = re.compile(
    r"\bevery\s+(other|second|\d+(?:\.\d+)?)?(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?"
    r"\s*(day|week|month|year)s?\b", re.I
)
_N_WEEKLY = re.compile(r"\b(\d+(?:\.\d+)?)[- ]?(day|week|month|year)ly\b", re.I)
_TIMES = re.compile(
    r"\b(once|twice|\d+\s+times)\s+(?:a|per|each|every)\s+(day|week|month|year)\b", re.I
)
_PLAIN = re.compile(r"\b(daily|weekly|monthly|yearly|annually)\b", re.I)
_PLAIN_DAYS = {"daily": 1.0, "weekly": 7.0, "monthly": 30.0, "yearly": 365.0, "annually": 365.0}


def _count(word: str) -> float:
    return 1.0 if word.lower() in ("a", "one") else float(word)


def fraction_numbers(text: str) -> set[float]:
    """The numbers of ``text`` that are parts of a share ("two in five": 2 and 5; "two
    fifths": 2)."""
    text = spell_numbers(text)
    found = {_count(n) for m in _IN.finditer(text) for n in m.groups()}
    return found | {_count(m.group(1)) for m in _OF_PARTS.finditer(text)}


def frequencies(text: str) -> set[float]:
    """How often ``text`` says something happens, as days between times: "once a week",
    "weekly" and "every 7 days" are all 7; "three-weekly" and "every 3 weeks" 21. A negated
    one ("never daily") is not counted."""
    text = re.sub(r"\b(?:never|not)\s+(?:\w+\s+)?(?:daily|weekly|monthly|yearly|every\s+\S+)",
                  " ", spell_numbers(text), flags=re.I)
    out = set()
    for m in _EVERY.finditer(text):
        # "every other week" is every 2; "every 3-4 days" is either end of the range.
        first = {"other": "2", "second": "2"}.get((m.group(1) or "").lower(), m.group(1))
        for n in filter(None, (first or "1", m.group(2))):
            out.add(float(n) * _PERIOD_DAYS[m.group(3).lower()])
    for m in _N_WEEKLY.finditer(text):
        out.add(float(m.group(1)) * _PERIOD_DAYS[m.group(2).lower()])
    for m in _TIMES.finditer(text):
        n = {"once": 1.0, "twice": 2.0}.get(m.group(1).lower()) or float(m.group(1).split()[0])
        out.add(_PERIOD_DAYS[m.group(2).lower()] / n)
    taken = [(m.start(), m.end()) for m in _N_WEEKLY.finditer(text)]
    for m in _PLAIN.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            out.add(_PLAIN_DAYS[m.group(1).lower()])
    return {round(d, 3) for d in out}


# A dose per period is a frequency too ("0.5-1 mg/kg/day" is daily); kept apart from
# ``frequencies`` so a dose range's ends are still both asked for.
_PER_PERIOD = re.compile(
    r"(?:mg|g|mcg|kg|m2|iu|units?|ml)\s*(?:/|\bper\s+)(day|week|month)\b", re.I
)


_N_PLAIN = re.compile(r"\b(once|twice|\d+\s+times)\s+(daily|weekly|monthly)\b", re.I)
_PLAIN_PERIOD = {"daily": "day", "weekly": "week", "monthly": "month"}


def dosing_frequencies(text: str) -> set[float]:
    """``frequencies`` and the periods of doses given per day, week or month."""
    per = {_PERIOD_DAYS[m.group(1).lower()] for m in _PER_PERIOD.finditer(text)}
    # "twice weekly" is twice a week, not weekly; "each day" is every day.
    text = _N_PLAIN.sub(lambda m: f"{m.group(1)} a {_PLAIN_PERIOD[m.group(2).lower()]}", text)
    return frequencies(re.sub(r"\beach\s+(?=day|week|month)", "every ", text, flags=re.I)) | per


UNIT_KINDS = {
    "mass": {"mg", "g", "mcg", "mg/kg", "g/kg", "mg/m2", "iu", "ml", "mg/l", "mg/dl", "kg"},
    "time": {"minute", "hour", "day", "week", "month", "year"},
    "share": {"%"},
}


def unit_kind(unit: str) -> str | None:
    return next((k for k, units in UNIT_KINDS.items() if unit in units), None)


_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4, "year": 365.0}


def same_time(n: float, text: str, source: str) -> bool:
    """Whether ``n``, a time in ``text`` ("7 days"), is a time ``source`` gives in another
    unit ("one week"; months and years within a few days)."""
    mine = {u for m, u in quantities(text) if m == n and u in _DAYS}
    theirs = [(m * _DAYS[u], u) for m, u in quantities(source) if u in _DAYS]
    # Weeks and months do not divide evenly: "two months" is said for "eight weeks".
    return any(abs(n * _DAYS[u] - t) <= max(0.5, (0.1 if {u, v} == {"week", "month"} else 0.02)
                                           * t) for u in mine for t, v in theirs)  # fmt: skip


# --- ages and spans of years as ranges ---------------------------------------------------------

_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
            "seventies": 70, "eighties": 80, "nineties": 90}  # fmt: skip
_ORDINALS = {"third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9}  # fmt: skip
# "in their seventies", "70s", "the fifth decade" (ages 40 to 49): a span of ten years.
_DECADE = re.compile(
    r"\b(?:(" + "|".join(_DECADES) + r")|([1-9]0)'?s|(" + "|".join(_ORDINALS) + r")\s+decades?)\b",
    re.I,
)
_SPAN = re.compile(rf"({NUMBER})\s*(?:-|–|‑|to)\s*({NUMBER})")
# "over 50", "older than 60", "under 40": a range open at one end.
_AGE_OF = r"\s+(?:the\s+age\s+of\s+)?"
_ABOVE = re.compile(rf"\b(?:over|above|older than|more than|beyond){_AGE_OF}({NUMBER})", re.I)
_BELOW = re.compile(rf"\b(?:under|below|younger than|less than){_AGE_OF}({NUMBER})", re.I)


def spans(text: str) -> list[tuple[float, float]]:
    """The ranges of numbers ``text`` gives: "between 70 and 80", "70-80", decades in words
    ("in their seventies": 70 to 79), open ends ("over 50": 50 upwards)."""
    text = spell_numbers(text)
    out: list[tuple[float, float]] = []
    for m in _DECADE.finditer(text):
        if m.group(1):
            low = float(_DECADES[m.group(1).lower()])
        elif m.group(2):
            low = float(m.group(2))
        else:
            low = 10.0 * (_ORDINALS[m.group(3).lower()] - 1)
        out.append((low, low + 9))
    between = _BETWEEN.sub(r"\1 to ", text)
    out += [(float(m.group(1)), float(m.group(2))) for m in _SPAN.finditer(between)]
    out += [(float(m.group(1)), math.inf) for m in _ABOVE.finditer(text)]
    out += [(0.0, float(m.group(1))) for m in _BELOW.finditer(text)]
    return out


def decade_within(said: str, source: str) -> bool:
    """``said`` gives a decade in words that lies within a range ``source`` gives ("in their
    seventies" for "between 70 and 80", "over 50"), or that holds the one age it gives
    ("in their seventies" for "at about 75")."""
    mine = [(lo, hi) for lo, hi in spans(said) if hi - lo == 9]
    if not mine or not _DECADE.search(spell_numbers(said)):
        return False
    theirs = spans(source)
    points = [n for n, u in quantities(source) if u in ("", "year")]
    # A decade's last year is the next decade's first in speech: "70s" for "70 to 80".
    return any(lo >= a and hi <= b + 1 for lo, hi in mine for a, b in theirs) or (
        not theirs and any(lo <= p <= hi for lo, hi in mine for p in points))


# A unit of time however written, by one key ("wks", "weeks": "w"; "mins": "mi"), and its name.
TIME_UNIT_NAMES = {"mi": "minutes", "h": "hours", "d": "days", "w": "weeks", "mo": "months",
                   "y": "years"}


def time_unit_key(unit: str) -> str:
    """One key per unit of time however written ("wks", "weeks": "w"; "mins": "mi")."""
    unit = unit.lower()
    return unit[:2] if unit.startswith("m") else unit[:1]
