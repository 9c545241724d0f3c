"""What a question asks for that the chosen sentences do not give, named in plain words.

Two kinds: a kind of value the question asks for (a dose, a percentage, how often, how long)
that no chosen sentence states; and a thing the question names that the corpus never mentions
("alcohol", "pregnancy", "driving"). Shared by both answering backends: the answer names the
missing detail in a sentence that starts "The indexed sources do not" and carries no marker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from assistant.answering.asides import set_aside
from assistant.answering.citing import NOT_COVERED_PREFIX
from assistant.answering.dosing import DOSE_INTENT, DOSE_WORDS, asks_dose, dosed_phrase
from assistant.core.types import Reading
from assistant.domain.vocabulary import Vocabulary
from assistant.text.drugs import looks_like_drug
from assistant.text.quantities import (
    DOSE_VALUE,
    DURATION_VALUE,
    FIGURE,
    FREQ_VALUE,
    RATE_FIGURE,
    THRESHOLD,
    TIME_UNIT_NAMES,
    shares,
    spell_numbers,
    time_unit_key,
)

FREQ_INTENT = re.compile(r"\b(how often|frequency|how frequently|interval|every how)\b", re.I)
# Units of time, as written in full or in shorthand ("yrs", "hrs").
_TIME_UNITS = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?)"
# A time of day asked ("when in the day", "what time of day", "morning or evening") is a
# moment, not a length of time: a leading "when" asks how long only without one.
TIME_OF_DAY = (
    r"\b(?:time of (?:the )?day|(?:in|during|of|at) the (?:day|morning|evening|night)|"
    r"mornings?\s+or\s+(?:evenings?|nights?|afternoons?))\b"
)
DURATION_INTENT = re.compile(
    rf"\b(how long|duration|(?:for )?how many {_TIME_UNITS}|how soon|how fast|how quickly)\b|"
    rf"^\s*when\b(?![^?]*{TIME_OF_DAY})",
    re.I,
)
# "How long till it works?" asks how soon a treatment acts, which the time it is given over
# ("infused over 2 to 5 days", "every 3 weeks") does not answer.
ONSET_INTENT = re.compile(
    r"\b(?:kicks?\s+in|takes?\s+effect|(?:starts?|begins?)\s+(?:to\s+)?work\w*|onset|"
    r"(?:take|takes|till|until|before|b4)\s+(?:it\s+|they\s+|that\s+)?(?:to\s+)?"
    r"(?:work|works|act|acts|respond|helps?))\b",
    re.I,
)
ASKED_UNIT = re.compile(rf"\bhow many ({_TIME_UNITS})\b", re.I)
_TIME_SPAN = rf"(?:\d+\s*(?:to|-|–|or)\s*)?\d+\s*{_TIME_UNITS}\b"
GIVEN_OVER = re.compile(rf"\b(?:over|every|each)\s+{_TIME_SPAN}", re.I)
# "Every 4 to 8 weeks" says how often, not for how long: it answers "how long?" only when the
# time between is asked ("how long between infusions?").
EVERY = re.compile(rf"\b(?:every|each)\s+{_TIME_SPAN}", re.I)
BETWEEN = re.compile(r"\b(?:between|apart|gaps?|intervals?)\b", re.I)
# "How many hours ...?" asks how long, not how many: a count of time units is a duration.
RATE_INTENT = re.compile(
    r"(%|\b(?:rates?|percentages?|percent|proportion|prevalence|incidence|odds)\b|"
    rf"\bhow many\b(?!\s+{_TIME_UNITS}\b))",
    re.I,
)
# "Why ...?" asks a reason: the value words in it ("why not start at full dose?") name what the
# reason is about, not a value to give (English grammar).
ASKS_REASON = re.compile(r"^\W*why\b", re.I)
# Words that ask for a kind of value rather than name a topic (answering/conversation.py).
VALUE_INTENTS = (DOSE_INTENT, FREQ_INTENT, DURATION_INTENT, RATE_INTENT)
# How a rate question's detail is named: the question's own word for it.
RATE_NAMES = {
    "%": "a percentage", "percent": "a percentage", "percentage": "a percentage",
    "percentages": "percentages", "rate": "a rate", "rates": "rates",
    "proportion": "a proportion", "how many": "a number", "prevalence": "the prevalence",
    "incidence": "the incidence", "odds": "the odds",
}  # fmt: skip
def missing_detail(
    reading: Reading,
    sentences: list[str],
    vocab: Vocabulary,
    unmentioned: Sequence[str] = (),
    unanswered: Sequence[str] = (),
    figures_from: Sequence[str] | None = None,
    contexts: Mapping[str, str] | None = None,
    measure: Callable[[str], str | None] | None = None,
) -> str | None:
    """What the sources do not give of what the question asks, in one or two sentences.

    ``unmentioned``: words of the question the corpus never uses; ``unanswered``: a
    follow-up's own words that no answer sentence takes up ("and in kids?": answering/
    extractive.py); then the kind of value asked and not given, if any. A figure (rate,
    percentage) counts only from ``figures_from`` when given: the sentences naming what it
    is a figure of. ``contexts``: each sentence's passage (heading and text), which tells
    what a sentence naming nothing is about ("The usual dose is 70 mg weekly" under "Alendronate").
    ``measure``: the abbreviation the corpus defines that a question word types, when a
    frequency or a length of time may be asked of it: named in the note ("how often for TSH").
    """
    said = []
    # A value asked about something the sources never mention ("what % go blind") is not
    # given by the values the chosen sentences state: those are about something else.
    # Words naming the kind of value asked ("the odds", "relapse rate") name no such thing.
    # Nor do words saying which dose ("target dose"): a dose asked is still the drug's.
    # Only a word of the part that asks the value: "can I trust the CRP? and what pred dose
    # if it flares?" asks pred's dose whatever "trust" is.
    asking = _asking_part(reading.focus or reading.standalone)
    things = [t for t in unmentioned if not any(p.search(t) for p in VALUE_INTENTS)
              and t.lower() not in DOSE_WORDS and t.lower() in asking]
    value = _missing_value(
        reading, [] if things else sentences, vocab, figures_from, contexts, measure
    )
    # A word the value note names already ("interval" of "... how often (no interval is
    # given)") is not named again as never mentioned.
    unmentioned = [
        u for u in unmentioned
        if not (value and re.search(rf"\b{re.escape(u)}\b", value, re.I))
    ]
    if unmentioned:
        said.append(f"{NOT_COVERED_PREFIX} mention {_join(named_first(unmentioned, vocab))}.")
    elif unanswered:
        said.append(f"{NOT_COVERED_PREFIX} give this for {_join(unanswered)}.")
    if value:
        said.append(value)
    return " ".join(said[:2]) or None


_PARTS = re.compile(r"[?;!]+|\.(?:\s|$)")


def _asking_part(question: str) -> str:
    """The parts of ``question`` (split at "?", ";", "!" and full stops) that ask for a value,
    lower-cased; the whole question when none does."""
    parts = [p for p in _PARTS.split(question) if any(i.search(p) for i in VALUE_INTENTS)]
    return " ".join(parts or [question]).lower()


# A schedule of visits answers how often: "at 1 to 3 weeks, at 6 weeks, then at 3, 6 and 12
# months" (two time points or more).
SCHEDULE = re.compile(
    r"\bat\s+\d+(?:\s*(?:to|-|–)\s*\d+)?(?:\s*,\s*\d+)*(?:\s*(?:,\s*)?and\s+\d+)?\s*"
    r"(?:days?|weeks?|months?|years?)\b",
    re.I,
)
# "How often is X raised?", "how often ana positive?", "how often do pts get X?", "how often
# does that happen?": what share of patients, not the time between.
HOW_OFTEN_IS = re.compile(
    r"\bhow often(?:'s|\s+(?:is|are|was|were)\b|"
    r"\s+(?:do|does|did)\s+[\w']+\s+(?:get|have|develop|happen|occur)s?\b|"
    r"(?:\s+[\w/+-]+){0,3}?\s+(?:positive|negative|raised|elevated|present|involved|affected|"
    r"abnormal)\b)",
    re.I,
)


def _missing_value(
    reading: Reading, sentences: list[str], vocab: Vocabulary,
    figures_from: Sequence[str] | None = None,
    contexts: Mapping[str, str] | None = None,
    measure: Callable[[str], str | None] | None = None,
) -> str | None:
    """A sentence naming the kind of value asked for (dose, rate, how often, how long) that
    the sentences do not give (for the drug asked about, when one is named)."""
    contexts = contexts or {}
    question = reading.focus or reading.standalone
    if ASKS_REASON.search(question):
        return None
    # "Dose?" after a question about one drug asks for that drug's dose.
    # ... not one the conversation set aside ("an alternative to oral pred?" then "regimen?").
    aside = set_aside(reading.standalone, vocab)
    named = [e for t, e in vocab.entities(question) if t == "drug" and e not in aside] or [
        e for t, e in vocab.entities(reading.standalone) if t == "drug" and e not in aside
    ]
    drug = named[0] if named else None
    subject = vocab.display(drug) if drug else "this"
    # "X dose for patients on Y": the dose asked is X's, though X is no drug the packs know.
    dosed = dosed_phrase(question, vocab)
    if dosed and not (drug and _names(dosed, drug, vocab)):
        drug, subject = None, dosed
    for_it = f" for {subject}" if drug or dosed else ""
    # A value counts only from a sentence about the drug asked about: one naming it, or one
    # naming no drug in a passage about it.
    about = [
        s for s in sentences
        if (_about(s, drug, vocab, contexts.get(s, "")) if drug
            else dosed is None or dosed.lower() in s.lower())
    ]
    text = spell_numbers(" ".join(about))
    if asks_dose(question) and not any(
        dose_stated_for(drug, s, vocab, contexts.get(s, "")) for s in about
    ):
        return f"{NOT_COVERED_PREFIX} state a dose for {subject}."
    rate = RATE_INTENT.search(question)
    if figures_from is not None and sentences:
        figures = spell_numbers(" ".join(s for s in about if s in figures_from))
    else:
        figures = text
    # "How many exchanges?" is answered by any count ("five exchanges").
    counted = rate and rate.group(1).lower() == "how many" and re.search(r"\d", figures)
    def figure_given() -> bool:
        # A share in words ("about one third of patients") is a figure too; read only when
        # a figure is asked.
        return bool(FIGURE.search(figures) or RATE_FIGURE.search(figures) or shares(figures))

    if rate and not counted and not figure_given():
        name = RATE_NAMES.get(rate.group(1).lower(), "figures")
        before = re.findall(r"([A-Za-z][\w-]{3,})\s+$", question[: rate.start()])
        if name.startswith("a ") and before and before[0].lower() not in _FRAME:
            name = f"a {before[0].lower()} {name[2:]}"  # "a mortality rate"
        return f"{NOT_COVERED_PREFIX} give {name}{for_it}."
    if not for_it and measure:
        # No drug asked about: what a frequency or a length of time is asked of, when the
        # corpus defines it ("how often repeat tsh?": "... how often for TSH"); wording only.
        short = next((m for w in re.findall(r"[A-Za-z][\w-]*", question) if (m := measure(w))),
                     None)  # fmt: skip
        for_it = f" for {short}" if short else ""
    # "How often is X raised?" asks what share of patients, which a percentage gives.
    share = HOW_OFTEN_IS.search(question) and figure_given()
    if FREQ_INTENT.search(question) and not FREQ_VALUE.search(text) and not share and not (
        len(SCHEDULE.findall(text)) >= 2
    ):
        # ... in the question's own noun too, when it has one ("probe frequency?").
        in_noun = _in_noun(question, "frequency", "interval")
        return f"{NOT_COVERED_PREFIX} say how often{for_it}{in_noun}."
    # "When to do X?" is answered by the condition for it ("when there are breathing
    # symptoms", "if weight falls") as well as by a length of time.
    when = re.match(r"\s*when\b", question, re.I) and (
        CONDITION.search(text) or THRESHOLD.search(text))
    if DURATION_INTENT.search(question) and not when and not _length_given(question, text):
        # ... in the unit asked, when one is ("over how many days?": "(in days)").
        unit = ASKED_UNIT.search(question)
        in_unit = f" (in {TIME_UNIT_NAMES[time_unit_key(unit.group(1))]})" if unit else ""
        noun = _in_noun(question, "duration")
        return f"{NOT_COVERED_PREFIX} say how long{for_it}{noun}{in_unit}."
    return None


def _length_given(question: str, text: str) -> bool:
    """Whether ``text`` gives the length of time ``question`` asks: not the time a drug is given
    over when how soon it works is asked, nor how often unless the time between is asked."""
    if ONSET_INTENT.search(question):
        text = GIVEN_OVER.sub(" ", text)
    if not BETWEEN.search(question):
        text = EVERY.sub(" ", text)
    # "How many hours does one infusion take?" is not told by "over two to five days": a unit
    # asked by name is given in that unit; but "takes four to six months" tells "how many days
    # till it works?" (not within days).
    unit = ASKED_UNIT.search(question)
    if unit and not ONSET_INTENT.search(question):
        return any(time_unit_key(m.group(0).split()[-1]) == time_unit_key(unit.group(1))
                   for m in DURATION_VALUE.finditer(text))
    return bool(DURATION_VALUE.search(text))


def _in_noun(question: str, *nouns: str) -> str:
    """The note's words in the question's own noun for the value, when it has one."""
    noun = re.search(rf"\b({'|'.join(nouns)})\b", question, re.I)
    return f" (no {noun.group(1).lower()} is given)" if noun else ""


# A sentence giving a condition or a moment ("if weight falls", "in the month after delivery"):
# what answers "when ...?" (answering/features.py reads it too).
CONDITION = re.compile(r"\b(?:when|if|once|until|unless|after|before|whenever)\b", re.I)


def _names(sentence: str, entity: str, vocab: Vocabulary) -> bool:
    return any(same_drug(entity, e, vocab) for _, e in vocab.entities(sentence)) or (
        _shares_stem(sentence, entity)
    )


def _about(sentence: str, drug: str, vocab: Vocabulary, context: str) -> bool:
    """Whether ``sentence`` is about ``drug``: it names it, or names no drug and its passage
    (``context``) is about it (``_context_about``)."""
    if _names(sentence, drug, vocab):
        return True
    return not any(t == "drug" for t, _ in vocab.entities(sentence)) and _context_about(
        sentence, drug, vocab, context
    )


def _context_about(sentence: str, drug: str, vocab: Vocabulary, context: str) -> bool:
    """Whether the passage ``context`` makes ``sentence`` (naming no drug) about ``drug``: the
    drug its passage names last before it, or first (what the passage is about: a drug given
    with it, "with folic acid", does not take its place), is that one ("Drug A is first line.
    The usual dose is 1.5 g" is not about a drug B named after it); with none before it, the
    passage names it."""
    at = context.find(sentence)
    before = drugs_leading_to(context[:at], vocab) if at > 0 else []
    if before:
        return any(same_drug(drug, d, vocab) for d in before)
    return _names(context, drug, vocab)


def drugs_leading_to(before: str, vocab: Vocabulary) -> list[str]:
    """The drugs a sentence naming none may be about, from the text of its passage ``before``
    it: the one named last, and the one named first (what the passage is about)."""
    drugs = [e for t, e in entities_with_positions(before, vocab) if t == "drug"]
    return list(dict.fromkeys([drugs[-1], drugs[0]])) if drugs else []


# Names sharing this long a start are one drug in another form ("alendronate", "alendronic
# acid"; "valproate", "valproic acid") or its close kin, which a clinician types for it.
SAME_STEM = 7


def _same_stem(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return len(a) >= SAME_STEM and len(b) >= SAME_STEM and a[:SAME_STEM] == b[:SAME_STEM]


_LONG_WORD = re.compile(rf"[A-Za-z][a-z]{{{SAME_STEM - 1},}}")


def _shares_stem(text: str, *names: str) -> bool:
    """Whether a word of ``text`` starts as one of ``names`` does (``_same_stem``)."""
    return any(_same_stem(n, w) for w in _LONG_WORD.findall(text) for n in names)


def same_drug(asked: str, named: str, vocab: Vocabulary) -> bool:
    """Whether a sentence naming ``named`` speaks of the drug (or class) ``asked``."""
    return named == asked or vocab.drug_class(named) == asked or _same_stem(
        vocab.display(asked), vocab.display(named)
    ) or _same_stem(asked, named)


# Words before "rate" that name no kind of rate ("what rate", "the rate").
_FRAME = frozenset(["what", "which", "the", "this", "that", "overall", "average", "usual"])


def named_first(phrases: Sequence[str], vocab: Vocabulary) -> list[str]:
    """``phrases`` with those naming a drug or a known entity first: of the words the sources
    lack, the note names the thing asked ("metformin"), not the frame ("sugars sky high")."""
    return sorted(phrases, key=lambda p: not any(
        looks_like_drug(w) or vocab.entities(w) for w in p.split()))


def _join(phrases: Sequence[str]) -> str:
    phrases = list(dict.fromkeys(phrases))[:3]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


def dose_stated_for(
    drug: str | None, sentence: str, vocab: Vocabulary, context: str = ""
) -> bool:
    """Whether ``sentence`` gives a dose, and (when ``drug`` is named) gives it for that drug:
    the drug mentioned closest before the dose must be it ("drug A at 0.5 to 1 mg/kg"), or,
    with no drug before it, the sentence's passage (``context``) must be about it."""
    for m in DOSE_VALUE.finditer(sentence):
        if drug is None:
            return True
        head = sentence[: m.start()]
        drugs = [e for t, e in entities_with_positions(head, vocab) if t == "drug"]
        if drugs and same_drug(drug, drugs[-1], vocab):
            return True
        if _shares_stem(head, drug, vocab.display(drug)):
            return True
        if not drugs and context and _context_about(sentence, drug, vocab, context):
            return True
    return False


def entities_with_positions(text: str, vocab: Vocabulary) -> list[tuple[str, str]]:
    """Entities of ``text`` in order of appearance, repeats kept (the last one is nearest)."""
    out: list[tuple[str, str]] = []
    for word in re.findall(r"[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*)?", text):
        found = vocab.entities(word)
        out.extend(found[:1])
    return out
