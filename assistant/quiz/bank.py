"""Quiz items drawn from the sources, and grading of free-text answers against them.

The bank holds the gold QA items of ``eval/gold.jsonl`` (when present, for the default corpus)
and items generated from the corpus passages: cloze items that hide a key term or number of a
source sentence, and multiple-choice items whose distractors are other corpus terms of the same
type (another drug, another antibody). Every item keeps its source passage (chunk id, quote).
Generation is deterministic: the same corpus gives the same items with the same ids.

Grading is lexical and explainable (no model): answer and reference are canonicalised with the
shared synonym table (IVIG = intravenous immunoglobulin, CK = creatine kinase), stemmed, and
compared fact by fact, in any word order; numbers are compared as numbers (0.5–1 = 0.5 to 1).
A wrong number, a drug or antibody the reference does not name, and a contradiction (an antonym
of a reference word, or a negation the reference lacks) are caught and lower the verdict.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from assistant.answering.citing import MARKER, NOT_COVERED_PREFIX
from assistant.core.errors import InputError
from assistant.core.settings import DEFAULT_CORPUS, REPO_ROOT, Settings
from assistant.core.types import Chunk, Citation
from assistant.domain.lexicon import DISPLAY, ENTITY_TYPES, SYNONYMS, canonicalize, terms
from assistant.ingest.chunk import strip_refs

if TYPE_CHECKING:
    from assistant.answering.pipeline import Assistant

DEFAULT_GOLD = REPO_ROOT / "eval" / "gold.jsonl"
MAX_ANSWER_CHARS = 2000

Verdict = Literal["correct", "partly correct", "incorrect", "ungraded"]

# --- vocabulary (copied from lexicon and extended here: lexicon.py is not the quiz's to edit) ---

# canonical term -> type; the types give multiple-choice distractors and catch a wrong drug.
TERM_TYPES: dict[str, str] = dict(ENTITY_TYPES) | {"ck": "test", "mri": "test", "biopsy": "test"}
TERM_VARIANTS: dict[str, list[str]] = {c: SYNONYMS.get(c, [re.escape(c)]) for c in TERM_TYPES}
TERM_VARIANTS["biopsy"] = [r"(?:muscle\s+)?biops(?:y|ies)"]
TERM_VARIANTS["seronegative"] = [r"(?:auto)?antibody[- ]negative", r"seronegative"]
TERM_DISPLAY: dict[str, str] = dict(DISPLAY) | {
    "ivig": "intravenous immunoglobulin (IVIG)",
    "ck": "creatine kinase",
    "mri": "muscle MRI",
    "biopsy": "muscle biopsy",
    "corticosteroid": "corticosteroids",
    "rituximab": "rituximab",
    "prednisone": "prednisone",
}
_TERM_RE = re.compile(
    "|".join(
        f"(?P<t{i}>\\b(?:{v})\\b)"
        for i, (_, v) in enumerate(
            sorted(
                ((c, v) for c, vs in TERM_VARIANTS.items() for v in vs), key=lambda cv: -len(cv[1])
            )
        )
    ),
    re.IGNORECASE,
)
_TERM_OF_GROUP = [
    c
    for c, _ in sorted(
        ((c, v) for c, vs in TERM_VARIANTS.items() for v in vs), key=lambda cv: -len(cv[1])
    )
]

# Long drug names a trainee may misspell ("azathiprine"): a close spelling counts as the name.
KNOWN_NAMES: dict[str, str] = {
    "azathioprine": "aza",
    "methotrexate": "mtx",
    "mycophenolate": "mmf",
    "rituximab": "rituximab",
    "prednisone": "prednisone",
    "prednisolone": "prednisone",
    "immunoglobulin": "ivig",
    "corticosteroids": "corticosteroid",
    "glucocorticoids": "corticosteroid",
}

# Key words a cloze item may hide, with the answers that mean the same (domain descriptors).
DESCRIPTORS: list[tuple[str, list[str]]] = [
    (r"poor", ["poor", "bad", "unfavourable", "unfavorable", "negative", "adverse", "worse"]),
    (r"minimal", ["minimal", "little", "scant", "sparse", "few", "mild", "scarce"]),
    (r"highly elevated", ["highly elevated", "very high", "markedly elevated", "elevated",
                          "high", "raised", "increased"]),
    (r"infrequent", ["infrequent", "rare", "uncommon", "seldom", "unusual"]),
    (r"irreversible", ["irreversible", "permanent"]),
    (r"unknown", ["unknown", "not known", "unclear", "uncertain", "not established"]),
    (r"monotherapy", ["monotherapy", "alone", "single agent", "on its own"]),
    (r"combination therapy", ["combination therapy", "combination", "combined therapy",
                              "several drugs", "more than one drug"]),
    (r"relapse", ["relapse", "relapses", "flare", "flares", "recurrence"]),
    (r"myofiber necrosis", ["myofiber necrosis", "muscle fibre necrosis",
                            "muscle fiber necrosis", "necrosis of muscle fibres", "necrosis"]),
    (r"physical therapy", ["physical therapy", "physiotherapy", "exercise therapy",
                           "rehabilitation"]),
    (r"young", ["young", "younger", "early"]),
]
_DESCRIPTOR_RE = [(re.compile(rf"\b{p}\b", re.IGNORECASE), acc) for p, acc in DESCRIPTORS]

# Antonym groups: the answer uses one side where the reference uses only the other.
ANTONYMS: list[tuple[list[str], list[str]]] = [
    (["poor", "poorly", "bad", "badly", "unfavourable", "unfavorable", "worse", "adverse"],
     ["good", "well", "better", "favourable", "favorable", "excellent", "protective", "best"]),
    (["high", "highly", "elevated", "raised", "increased", "higher", "increase"],
     ["low", "lower", "normal", "decreased", "reduced", "reduce", "decrease"]),
    (["minimal", "little", "scant", "sparse", "mild"],
     ["extensive", "prominent", "marked", "abundant", "heavy", "massive"]),
    (["infrequent", "rare", "rarely", "uncommon", "seldom"],
     ["frequent", "frequently", "common", "commonly", "often", "usual", "usually"]),
    (["early", "earlier", "prompt", "promptly", "immediate", "immediately"],
     ["late", "later", "delayed", "delay", "postpone", "postponed"]),
    (["unknown", "unclear", "uncertain"], ["known", "established", "clear", "proven"]),
    (["sufficient", "enough", "adequate"], ["insufficient", "inadequate"]),
    (["irreversible", "permanent"], ["reversible", "temporary", "transient"]),
    (["young", "younger"], ["old", "older", "elderly"]),
    (["aggressive", "intensive"], ["conservative", "gentle", "cautious"]),
    (["severe", "severely"], ["mild", "mildly", "benign"]),
    (["favor", "favour", "recommended"], ["avoided", "avoid", "discouraged", "contraindicated"]),
]
NEGATIONS = frozenset(["not", "no", "never", "without", "neither", "nor", "cannot", "none"])
# Phrases that carry a negation word but state a plain fact.
NEUTRAL_PHRASES = [
    (re.compile(r"\bnot\s+(?:be\s+)?(?:yet\s+)?(?:known|clear|established|certain|defined)\b",
                re.I), " unknown "),
    (re.compile(r"\bnot\s+(?:common|frequent)\b", re.I), " infrequent "),
    (re.compile(r"\bnot\s+enough\b", re.I), " insufficient "),
    (re.compile(r"\bno\s+(?:consensus|standard|agreed|established)\b", re.I), " unknown "),
    (re.compile(r"\bas\s+well\s+as\b", re.I), " and "),
    (re.compile(r"^\s*(?:yes|no)\b[,.;:!]?\s*", re.I), " "),
    (re.compile(r"\b(?:auto)?antibody[- ]negative\b|\bseronegative\b", re.I), " seronegative "),
]
WORD_NUMBERS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "half": "0.5",
}  # fmt: skip
_WORD_NUM_RE = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", re.I)
# "one" is a number only next to another number or a unit ("0.5 to one mg").
_ONE_RE = re.compile(
    r"(?<=\d\s)(?:to|-|–)\s*one\b|\bone\s*(?=(?:to|-|–)\s*\d|mg|milligram|week|day|month|year)",
    re.I,
)
_REF_RE = re.compile(r"\brefs?\.?\s*\d+(?:\s*(?:,|and)\s*\d+)*", re.I)
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?|(?<![\w\d])\.\d+")
NUM_SPAN = re.compile(
    r"(?<![\w.\-‑])(\d+(?:\.\d+)?(?:\s*(?:-|–|to)\s*\d+(?:\.\d+)?)?)"
    r"(?=\s*(?:mg/kg|mg|g/kg|g\b|weeks?|days?|months?|years?|%|per\s?cent))",
    re.I,
)
WORD_NUM_SPAN = re.compile(r"\b(two|three|four|five|six)\b(?=\s+[a-z])", re.I)
UNIT_WORDS = {"daily": " per day ", "a day": " per day ", "/d": " per day ", "/day": " per day "}
_UNIT_RE = re.compile(r"\bdaily\b|\ba\s+day\b|/d\b|/day\b", re.I)
# Words that carry no fact in an answer ("anti-HMGCR" and "HMGCR" name the same antibody).
GRADING_NOISE = frozenset(["anti", "patient", "therapi", "treatment", "use", "given", "give"])


# --- items -------------------------------------------------------------------------------------


class Fact(BaseModel):
    """One required fact and its accepted spellings."""

    fact: str
    accept: list[str] = Field(default_factory=list)

    def alternatives(self) -> list[str]:
        return list(dict.fromkeys([self.fact, *self.accept]))


class Item(BaseModel):
    """A quiz item tied to the passage that supports its answer."""

    id: str
    kind: Literal["gold", "cloze", "choice"]
    topic: str
    question: str
    answer: str  # the reference answer shown in feedback
    facts: list[Fact]
    options: list[str] = Field(default_factory=list)
    correct_option: int | None = None
    chunk_id: str
    source: str
    section: str
    quote: str  # the supporting sentence
    passage: str  # the whole passage (citation text)
    refs: list[int] = Field(default_factory=list)

    def citation(self) -> Citation:
        return Citation(
            marker=1,
            chunk_id=self.chunk_id,
            source=self.source,
            section=self.section,
            text=self.passage,
            quote=self.quote,
            refs=self.refs,
        )

    def prompt(self) -> str:
        """The item as shown to a learner (options lettered)."""
        if not self.options:
            return self.question
        lines = [self.question]
        lines.extend(f"  {chr(65 + i)}) {o}" for i, o in enumerate(self.options))
        return "\n".join(lines)


class Grade(BaseModel):
    """The verdict on one answer, with the reference answer and its citation."""

    correct: bool
    score: float
    verdict: Verdict
    reference: str
    citations: list[Citation]
    item_id: str | None = None
    question: str = ""
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump()


# --- text normalisation ------------------------------------------------------------------------


@dataclass
class Norm:
    """An answer or reference reduced to what grading compares."""

    terms: set[str]
    words: set[str]  # every word stem, stopwords and negations included (for contradictions)
    numbers: list[float]
    types: dict[str, str] = field(default_factory=dict)  # typed term -> type


def _prepare(text: str) -> str:
    text = _REF_RE.sub(" ", text)
    for pattern, repl in NEUTRAL_PHRASES:
        text = pattern.sub(repl, text)
    text = _WORD_NUM_RE.sub(lambda m: WORD_NUMBERS[m.group(1).lower()], text)
    text = _ONE_RE.sub(lambda m: m.group(0).lower().replace("one", "1"), text)
    text = _UNIT_RE.sub(lambda m: UNIT_WORDS.get(m.group(0).lower(), " per day "), text)
    # Ranges written 0.5–1, 0.5-1 or 0.5 to 1: the numbers are what counts.
    return re.sub(r"(\d)\s*[-–‑]\s*(?=\d)", r"\1 ", text)


def _fix_spelling(text: str) -> str:
    """Known drug names spelled nearly right are read as spelled right."""

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in KNOWN_NAMES or len(low) < 7:
            return word
        close = difflib.get_close_matches(low, list(KNOWN_NAMES), n=1, cutoff=0.85)
        return close[0] if close else word

    return re.sub(r"[A-Za-z]{7,}", repl, text)


_SPARING = re.compile(r"\s*-?\s*sparing\b", re.I)


def term_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each drug, antibody or test named in ``text``."""
    out = []
    for m in _TERM_RE.finditer(text):
        if m.lastgroup is None or _SPARING.match(text, m.end()):
            continue  # a "steroid-sparing agent" is not a steroid
        out.append((m.start(), m.end(), _TERM_OF_GROUP[int(m.lastgroup[1:])]))
    return out


def typed_terms(text: str) -> dict[str, str]:
    """The drugs, antibodies and tests ``text`` names: canonical -> type."""
    found: dict[str, str] = {}
    for _, _, canon in term_spans(text):
        found.setdefault(canon, TERM_TYPES[canon])
    return found


def normalise(text: str) -> Norm:
    prepared = _fix_spelling(_prepare(text))
    # Digits inside a chemical name ("3-hydroxy-3-methylglutaryl") are not numbers.
    numbers = [float(n) for n in NUMBER.findall(canonicalize(prepared))]
    words = set(terms(prepared, keep_stopwords=True))
    ts = {t for t in terms(prepared) if not t[0].isdigit() and t not in GRADING_NOISE}
    return Norm(ts, words, numbers, typed_terms(prepared))


def _term_in(term: str, have: set[str]) -> bool:
    if term in have:
        return True
    if term in SYNONYMS or len(term) < 6:
        return False
    # Stemming leaves "characteris"/"characteriz" and small typos apart; a close match counts.
    return any(
        len(h) >= 6 and h not in SYNONYMS and difflib.SequenceMatcher(None, term, h).ratio() >= 0.85
        for h in have
    )


def _num_in(n: float, have: Iterable[float]) -> bool:
    return any(abs(n - h) < 1e-9 for h in have)


_STEM_CACHE: dict[str, set[str]] = {}


def _stems(words: Iterable[str]) -> set[str]:
    key = "\0".join(words)
    if key not in _STEM_CACHE:
        _STEM_CACHE[key] = {t for w in key.split("\0") for t in terms(w, keep_stopwords=True)}
    return _STEM_CACHE[key]


def _word_for(stem: str, words: list[str]) -> str:
    return next((w for w in words if stem in _stems([w])), stem)


def contradictions(
    answer: Norm, reference: Norm, prefer: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Why ``answer`` says the opposite of ``reference`` (empty when it does not); the source's
    word is named from ``prefer`` (the reference answer's words) when it holds one."""
    found = []
    for side_a, side_b in ANTONYMS:
        a, b = _stems(side_a), _stems(side_b)
        for mine, theirs in ((a, b), (b, a)):
            used = answer.words & mine
            if used and reference.words & theirs and not reference.words & mine:
                said = sorted(reference.words & theirs & prefer) or sorted(reference.words & theirs)
                found.append(
                    f"says {_word_for(sorted(used)[0], side_a + side_b)!r} where the source says "
                    f"{_word_for(said[0], side_a + side_b)!r}"
                )
    if answer.words & NEGATIONS and not reference.words & NEGATIONS:
        found.append("negates what the source states")
    return found


# --- grading -----------------------------------------------------------------------------------


@dataclass
class FactResult:
    fact: str
    credit: float


def match_fact(fact: Fact, answer: Norm, question_terms: set[str]) -> FactResult:
    """How much of ``fact`` the answer states (best over its accepted spellings)."""
    best = 0.0
    for alt in fact.alternatives():
        ref = normalise(alt)
        # Words the question already says need not be repeated in the answer.
        required = {t for t in ref.terms if t not in question_terms} or ref.terms
        nums = ref.numbers
        if not required and not nums:
            continue
        parts: list[float] = []
        if required:
            hit = sum(1 for t in required if _term_in(t, answer.terms))
            # Short facts need every word; longer ones most ("minimal" in "minimal inflammatory
            # infiltrates" is the point, so three words are not two).
            need = len(required) if len(required) <= 3 else math.ceil(0.75 * len(required))
            parts.append(1.0 if hit >= need else 0.0)
        if nums:
            parts.append(sum(1 for n in nums if _num_in(n, answer.numbers)) / len(nums))
        credit = min(parts) if required and nums else parts[0]
        if nums and not required and credit < 1.0:
            credit = credit if credit >= 0.5 else 0.0
        best = max(best, credit)
    return FactResult(fact.fact, best)


def grade_against(
    question: str,
    answer: str,
    facts: Sequence[Fact],
    reference: str,
    context: str,
    citations: list[Citation],
    item_id: str | None = None,
) -> Grade:
    """Grade ``answer`` on ``facts``; ``reference`` is what contradictions are checked against,
    ``context`` (reference, question, passage) what numbers and terms may come from."""
    answer = " ".join(answer.split())[:MAX_ANSWER_CHARS]
    if not answer:
        raise InputError("empty answer: type an answer")
    ans = normalise(answer)
    q = normalise(question)
    results = [match_fact(f, ans, q.terms) for f in facts]
    score = sum(r.credit for r in results) / len(results) if results else 0.0
    problems: list[str] = []
    ref = normalise(" ".join([reference, *[a for f in facts for a in f.alternatives()]]))
    allowed = normalise(" ".join([reference, question, context]))
    wrong_numbers = [n for n in ans.numbers if not _num_in(n, allowed.numbers)]
    wrong_numbers += wrong_units(answer, " ".join([reference, question, context, *[
        a for f in facts for a in f.alternatives()]]))
    if wrong_numbers:
        problems.append("a number the source does not give: " + _fmt_numbers(wrong_numbers))
    expected_types = set(ref.types.values()) | set(q.types.values())
    wrong_terms = [
        t for t, kind in ans.types.items()
        if kind in expected_types and t not in allowed.types and t not in ref.types
    ]  # fmt: skip
    if wrong_terms:
        problems.append("names what the source does not: " + ", ".join(
            TERM_DISPLAY.get(t, t) for t in wrong_terms))
    # The question's premise counts too ("late" contradicts "favoured early").
    contra = contradictions(ans, normalise(" ".join([reference, question, *[
        a for f in facts for a in f.alternatives()]])), prefer=normalise(reference).words)
    problems.extend(contra)
    if contra or (wrong_numbers and score < 0.99):
        # A contradiction, or a wrong number in place of the right one, makes the answer wrong.
        score = 0.0
    elif wrong_numbers or wrong_terms:
        score = min(score, 0.5) if score >= 0.99 else score * 0.5
    score = round(max(0.0, min(1.0, score)), 3)
    verdict: Verdict = (
        "correct" if score >= 0.99 else "partly correct" if score > 0.0 else "incorrect"
    )
    return Grade(
        correct=verdict == "correct",
        score=score,
        verdict=verdict,
        reference=reference,
        citations=citations,
        item_id=item_id,
        question=question,
        matched=[r.fact for r in results if r.credit >= 0.99],
        missing=[r.fact for r in results if r.credit < 0.99],
        problems=problems,
    )


_UNIT_AFTER = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mg|mcg|µg|g|kg|weeks?|wks?|days?|months?|years?|yrs?|%|percent)\b",
    re.I,
)
_UNIT_NAMES = {"wk": "week", "wks": "week", "yr": "year", "yrs": "year", "percent": "%"}


def _unit_pairs(text: str) -> set[tuple[float, str]]:
    out = set()
    for m in _UNIT_AFTER.finditer(canonicalize(_prepare(text))):
        unit = m.group(2).lower()
        unit = _UNIT_NAMES.get(unit, unit.rstrip("s") if len(unit) > 2 else unit)
        out.add((float(m.group(1)), unit))
    return out


def wrong_units(answer: str, reference: str) -> list[float]:
    """Numbers the answer gives in another unit than the source does (2-4 days for weeks)."""
    ref = _unit_pairs(reference)
    wrong = []
    for n, unit in _unit_pairs(answer):
        units = {u for m, u in ref if abs(m - n) < 1e-9}
        if units and unit not in units:
            wrong.append(n)
    return wrong


def _fmt_numbers(ns: list[float]) -> str:
    return ", ".join(f"{n:g}" for n in ns)


_LETTER = re.compile(r"^\s*\(?([A-Za-z])\)?[.):]?\s*$")


def grade_item(item: Item, answer: str) -> Grade:
    """Grade a learner's ``answer`` to ``item`` (a letter or the text for a choice item)."""
    text = " ".join(answer.split())
    if not text:
        raise InputError("empty answer: type an answer")
    if item.options:
        m = _LETTER.match(text)
        if m:
            idx = ord(m.group(1).upper()) - 65
            if not 0 <= idx < len(item.options):
                return _wrong(item, f"there is no option {m.group(1).upper()}")
            text = item.options[idx]
    return grade_against(
        item.question,
        text,
        item.facts,
        item.answer,
        item.quote,
        [item.citation()],
        item_id=item.id,
    )


def _wrong(item: Item, why: str) -> Grade:
    return Grade(
        correct=False,
        score=0.0,
        verdict="incorrect",
        reference=item.answer,
        citations=[item.citation()],
        item_id=item.id,
        question=item.question,
        missing=[f.fact for f in item.facts],
        problems=[why],
    )


def grade_free(assistant: Assistant, question: str, answer: str) -> Grade:
    """Grade an answer to a question that is not in the bank against the assistant's own
    grounded answer: its drugs, antibodies, tests and numbers are the facts to state."""
    if not " ".join(answer.split()):
        raise InputError("empty answer: type an answer")
    grounded = assistant.ask(question)
    sentences = [
        s for s in re.split(r"(?<=[.!?])\s+", grounded.answer)
        if s and not s.startswith(NOT_COVERED_PREFIX)
    ]  # fmt: skip
    reference = " ".join(MARKER.sub("", s).replace(" .", ".") for s in sentences).strip()
    if grounded.abstained or not reference:
        return Grade(
            correct=False,
            score=0.0,
            verdict="ungraded",
            reference=grounded.answer,
            citations=[],
            question=question,
            problems=["the indexed sources do not answer this question, so it cannot be graded"],
        )
    return grade_against(
        question, answer, reference_facts(reference, question), reference, reference,
        grounded.citations,
    )  # fmt: skip


def reference_facts(reference: str, question: str) -> list[Fact]:
    """Facts of a free reference answer: one per kind of named term (any of those named counts),
    one per dose or duration, and, when it names nothing, its content words."""
    facts: list[Fact] = []
    by_type: dict[str, list[str]] = {}
    asked = typed_terms(question)
    for canon, kind in typed_terms(reference).items():
        if canon not in asked:
            by_type.setdefault(kind, []).append(canon)
    for kind, names in by_type.items():
        facts.append(Fact(fact=f"the {kind}: " + " or ".join(TERM_DISPLAY.get(n, n)
                                                              for n in names),
                          accept=[TERM_DISPLAY.get(n, n) for n in names]))
    from assistant.answering.extractive import DOSE_INTENT, DURATION_INTENT

    spans: list[tuple[str, str]] = []
    text = _REF_RE.sub(" ", reference)
    for m in NUM_SPAN.finditer(text):
        unit = text[m.end(1):m.end(1) + 8].strip().lower()
        spans.append((m.group(1), "dose" if unit.startswith(("mg", "g")) else "time"))
    # A question asking for a dose is answered by the dose; the drugs around it are context.
    want = "dose" if DOSE_INTENT.search(question) else (
        "time" if DURATION_INTENT.search(question) else None)
    if want and any(k == want for _, k in spans):
        return [Fact(fact=v) for v, k in spans if k == want]
    facts.extend(Fact(fact=v) for v, _ in spans)
    if not facts:
        q = set(terms(question))
        words = [t for t in dict.fromkeys(terms(reference)) if t not in q and len(t) > 3]
        # The reference's distinctive words; a paraphrase states about half of them.
        facts = [Fact(fact=w) for w in words[:8]]
        if len(facts) > 2:
            half = max(2, len(facts) // 2)
            facts = [Fact(fact=" ".join(words[:half]), accept=[" ".join(words[half:2 * half])])]
    return facts


# --- generation --------------------------------------------------------------------------------

TOPIC_WORDS: list[tuple[str, list[str]]] = [
    ("monitoring", ["monitor", "follow-up", "evaluate", "track", "surveillance"]),
    ("prognosis", ["prognosis", "prognostic", "relapse", "disabling", "outcome", "atrophy",
                   "irreversible", "weakness"]),
    ("diagnosis", ["diagnosis", "diagnostic", "biopsy", "antibody", "autoantibody", "mri",
                   "subtype", "characterized", "classification", "creatine kinase"]),
    ("treatment", ["treatment", "treated", "therapy", "immunosuppression", "immunosuppressive",
                   "corticosteroid", "rituximab", "ivig", "immunoglobulin", "dose", "taper",
                   "management"]),
]  # fmt: skip


def topic_of(sentence: str, section: str) -> str:
    """A topic for a generated item: the one whose words the sentence uses most (ties go to the
    more specific topic), else the one its heading names."""
    head = section.rsplit(" > ", 1)[-1]
    for text in (sentence, head):
        have = set(terms(text))
        counts = [(len(have & _stems(words)), -i, topic)
                  for i, (topic, words) in enumerate(TOPIC_WORDS)]
        best = max(counts)
        if best[0]:
            return best[2]
    return "general"


def _item_id(kind: str, source: str, sentence: str, hidden: str) -> str:
    digest = hashlib.sha1(f"{kind}\0{source}\0{sentence}\0{hidden}".encode()).hexdigest()
    return f"{kind}-{digest[:10]}"


@dataclass
class Target:
    start: int
    end: int
    text: str
    kind: str  # "term", "number", "descriptor", "word"
    canon: str
    accept: list[str]


def _targets(sentence: str) -> list[Target]:
    """What a cloze item could hide in ``sentence``, in order of preference."""
    out: list[Target] = []
    for m in NUM_SPAN.finditer(sentence):
        out.append(Target(m.start(1), m.end(1), m.group(1), "number", m.group(1), []))
    for m in WORD_NUM_SPAN.finditer(sentence):
        word = m.group(1).lower()
        out.append(Target(m.start(1), m.end(1), m.group(1), "number", word, [WORD_NUMBERS[word]]))
    for start, end, canon in term_spans(sentence):
        if any(t.kind == "term" and t.canon == canon for t in out):
            continue
        out.append(Target(start, end, sentence[start:end], "term", canon, []))
    for pattern, accept in _DESCRIPTOR_RE:
        found = pattern.search(sentence)
        if found and not any(t.start <= found.start() < t.end for t in out):
            out.append(Target(found.start(), found.end(), found.group(0), "descriptor",
                              accept[0], accept))  # fmt: skip
    return out


_SYNONYM_ANY = re.compile(
    "|".join(f"\\b(?:{v})\\b" for vs in SYNONYMS.values() for v in vs), re.IGNORECASE
)


# A fallback blank hides a word rarer than this in English (Zipf scale): a domain word such as
# "idiopathic" or "phenotype", never "needed" or "status", which make guessing games.
FALLBACK_MAX_ZIPF = 4.3


def _fallback_target(sentence: str, df: dict[str, int]) -> Target | None:
    """For a sentence naming nothing known: its rarest domain word, if it has one."""
    from wordfreq import zipf_frequency

    best: tuple[float, int, int, re.Match[str]] | None = None
    # Words inside a known name ("necrotizing" of the disease's name) make poor blanks.
    named = [(m.start(), m.end()) for m in _SYNONYM_ANY.finditer(sentence)]
    for m in re.finditer(r"[A-Za-z][A-Za-z-]{5,}", sentence):
        ts = terms(m.group(0))
        if not ts or m.start() == 0 or any(s <= m.start() < e for s, e in named):
            continue
        zipf = min(zipf_frequency(w, "en") for w in m.group(0).lower().split("-") if w)
        if zipf >= FALLBACK_MAX_ZIPF:
            continue
        key = (zipf, df.get(ts[0], 0), m.start(), m)
        if best is None or key[:3] < best[:3]:
            best = key
    if best is None:
        return None
    m = best[3]
    return Target(m.start(), m.end(), m.group(0), "word", m.group(0).lower(), [])


def _blank(sentence: str, target: Target) -> str:
    """``sentence`` with every mention of the target hidden."""
    if target.kind == "term":
        spans = [(s, e) for s, e, c in term_spans(sentence) if c == target.canon]
    else:
        spans = [(target.start, target.end)]
    out = sentence
    for s, e in sorted(spans, reverse=True):
        out = out[:s] + "____" + out[e:]
    return re.sub(r"____\s*\(____\)", "____", out)


def _context(chunk: Chunk) -> str:
    if chunk.kind == "bullet" and chunk.lead:
        return chunk.lead.rstrip(": ")
    return chunk.section.rsplit(" > ", 1)[-1]


# Short names a blank on a longer one accepts ("biopsy" for "muscle biopsy").
TERM_SHORT: dict[str, list[str]] = {"biopsy": ["biopsy"], "mri": ["MRI"], "ck": ["CK"]}


def _fact_for(target: Target) -> Fact:
    if target.kind == "term":
        accept = [TERM_DISPLAY.get(target.canon, target.canon), *TERM_SHORT.get(target.canon, [])]
        return Fact(fact=target.text, accept=[a for a in accept if a != target.text])
    return Fact(fact=target.text, accept=[a for a in target.accept if a != target.text])


def generate_items(chunks: Sequence[Chunk], max_per_sentence: int = 2) -> list[Item]:
    """Cloze and multiple-choice items from the passages, the same for the same passages."""
    corpus_terms: dict[str, list[str]] = {}
    df: dict[str, int] = {}
    for c in chunks:
        for canon, kind in typed_terms(c.text).items():
            if canon not in corpus_terms.setdefault(kind, []):
                corpus_terms[kind].append(canon)
        for t in set(terms(c.text)):
            df[t] = df.get(t, 0) + 1
    items: list[tuple[int, int, Item]] = []
    seen: set[str] = set()
    for chunk in chunks:
        for sentence in chunk.sentences:
            if sentence.endswith(":") or len(sentence.split()) < 6:
                continue
            topic = topic_of(sentence, chunk.section)
            targets = _targets(sentence)
            if not targets:
                fallback = _fallback_target(sentence, df)
                targets = [fallback] if fallback else []
            base: dict[str, Any] = {
                "topic": topic, "chunk_id": chunk.chunk_id, "source": chunk.source,
                "section": chunk.section, "quote": sentence, "passage": chunk.text,
                "refs": list(chunk.refs),
            }  # fmt: skip
            context = _context(chunk)
            for rank, target in enumerate(targets[:max_per_sentence]):
                item_id = _item_id("cloze", chunk.source, sentence, target.text)
                if item_id in seen:
                    continue
                seen.add(item_id)
                items.append((rank, len(items), Item(
                    id=item_id, kind="cloze",
                    question=f"Fill in the blank ({context}): {_blank(sentence, target)}",
                    answer=TERM_DISPLAY.get(target.canon, target.text)
                    if target.kind == "term" else target.text,
                    facts=[_fact_for(target)], **base,
                )))  # fmt: skip
            choice = _choice_item(sentence, targets, corpus_terms, context, chunk, base)
            if choice is not None and choice.id not in seen:
                seen.add(choice.id)
                items.append((max_per_sentence, len(items), choice))
    # Items on one sentence are spread apart: one item's blank would give another's answer away.
    return [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]


def _choice_item(
    sentence: str,
    targets: list[Target],
    corpus_terms: dict[str, list[str]],
    context: str,
    chunk: Chunk,
    base: dict[str, Any],
) -> Item | None:
    terms_here = typed_terms(sentence)
    for target in targets:
        if target.kind != "term":
            continue
        kind = TERM_TYPES[target.canon]
        related = {target.canon} | set(terms_here)
        # A drug and its class (prednisone, a corticosteroid) cannot be told apart in a blank.
        if related & {"prednisone", "corticosteroid"}:
            related |= {"prednisone", "corticosteroid"}
        distractors = [t for t in corpus_terms.get(kind, []) if t not in related]
        if len(distractors) < 2:
            continue
        item_id = _item_id("choice", chunk.source, sentence, target.text)
        # A stable shuffle: the options' order comes from hashes, not from chance.
        distractors.sort(key=lambda t: hashlib.sha1(f"{item_id}{t}".encode()).hexdigest())
        options = [target.canon, *distractors[:3]]
        options.sort(key=lambda t: hashlib.sha1(f"{item_id}/{t}".encode()).hexdigest())
        shown = [TERM_DISPLAY.get(o, o) for o in options]
        correct = options.index(target.canon)
        return Item(
            id=item_id, kind="choice",
            question=f"Which {kind} completes the sentence ({context}): {_blank(sentence, target)}",
            answer=f"{chr(65 + correct)}) {shown[correct]}",
            facts=[_fact_for(target)], options=shown, correct_option=correct, **base,
        )  # fmt: skip
    return None


# --- gold items --------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(strip_refs(text)[0].lower().split())


def _support_texts(support: Any) -> list[tuple[str | None, str]]:
    """(chunk_id, text) pairs from the gold "support" field, whatever form it takes."""
    out: list[tuple[str | None, str]] = []
    for s in support if isinstance(support, list) else [support]:
        if isinstance(s, str):
            out.append((s if "#" in s and " " not in s else None, s))
        elif isinstance(s, dict):
            text = next((str(s[k]) for k in ("quote", "text", "span", "sentence") if s.get(k)), "")
            cid = s.get("chunk_id") or s.get("id")
            out.append((str(cid) if cid else None, text))
    return out


def _locate(chunks: Sequence[Chunk], support: Any, answer: str) -> tuple[Chunk, str] | None:
    """The passage and sentence that support a gold item."""
    by_id = {c.chunk_id: c for c in chunks}
    for cid, text in _support_texts(support):
        chunk = by_id.get(cid) if cid else None
        if chunk is None and text:
            needle = _squash(text)
            chunk = next((c for c in chunks if needle and needle in _squash(c.text)), None)
        if chunk is not None:
            return chunk, _best_sentence(chunk, text or answer)
    # No usable support: the passage sharing most words with the reference answer.
    want = set(terms(" ".join([answer, *[t for _, t in _support_texts(support)]])))
    if not want or not chunks:
        return None
    chunk = max(chunks, key=lambda c: (len(want & set(terms(c.text))), -c.position))
    if not want & set(terms(chunk.text)):
        return None
    return chunk, _best_sentence(chunk, answer)


def _best_sentence(chunk: Chunk, text: str) -> str:
    want = set(terms(text))
    return max(chunk.sentences, key=lambda s: len(want & set(terms(s))))


def gold_items(rows: Iterable[dict[str, Any]], chunks: Sequence[Chunk]) -> list[Item]:
    """Answerable single-turn gold items as quiz items (the others are skipped)."""
    items: list[Item] = []
    ids: set[str] = set()
    for row in rows:
        if row.get("turns") or row.get("kind", "answerable") != "answerable":
            continue
        question, answer = str(row.get("question") or ""), str(row.get("answer") or "")
        if not question.strip() or not answer.strip():
            continue
        facts = [
            Fact(fact=str(f.get("fact", "")), accept=[str(a) for a in f.get("accept") or []])
            if isinstance(f, dict) else Fact(fact=str(f))
            for f in row.get("facts") or []
        ]  # fmt: skip
        facts = [f for f in facts if f.fact.strip() or f.accept] or [Fact(fact=answer)]
        located = _locate(chunks, row.get("support"), answer)
        if located is None:
            continue
        chunk, quote = located
        item_id = f"gold-{row.get('id') or hashlib.sha1(question.encode()).hexdigest()[:10]}"
        if item_id in ids:
            continue  # a repeated id keeps its first item
        ids.add(item_id)
        items.append(Item(
            id=item_id,
            kind="gold", topic=str(row.get("category") or "general"), question=question,
            answer=MARKER.sub("", answer).replace(" .", ".").strip(), facts=facts,
            chunk_id=chunk.chunk_id, source=chunk.source, section=chunk.section, quote=quote,
            passage=chunk.text, refs=list(chunk.refs),
        ))  # fmt: skip
    return items


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The rows of a gold JSONL file; an unreadable file or bad line is skipped, not fatal."""
    rows: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return rows
    for line in lines:
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


# --- the bank ----------------------------------------------------------------------------------


def _key(question: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", question.lower()).split())


class Bank:
    """The quiz items, findable by id or by question text."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.by_id = {i.id: i for i in items}
        self._by_question: dict[str, Item] = {}
        for i in items:
            self._by_question.setdefault(_key(i.question), i)
            self._by_question.setdefault(_key(i.prompt()), i)

    def __len__(self) -> int:
        return len(self.items)

    def find(self, question: str) -> Item | None:
        """The item asked by ``question`` (its text, its prompt or its id)."""
        q = question.strip()
        return self.by_id.get(q) or self._by_question.get(_key(q))

    def topics(self) -> list[str]:
        return sorted({i.topic for i in self.items})

    def select(self, topic: str | None = None) -> list[Item]:
        if not topic:
            return list(self.items)
        want = topic.strip().lower()
        chosen = [i for i in self.items if i.topic.lower() == want]
        if not chosen:
            raise InputError(
                f"no quiz items on topic {topic!r}; topics: {', '.join(self.topics())}"
            )
        return chosen


def build_bank(chunks: Sequence[Chunk], gold_rows: Iterable[dict[str, Any]] = ()) -> Bank:
    return Bank(gold_items(gold_rows, chunks) + generate_items(chunks))


def load_bank(
    settings: Settings, chunks: Sequence[Chunk] | None = None, gold: Path | None = None
) -> Bank:
    """The bank for ``settings.corpus``; the gold set joins it for the default corpus only
    (its questions are about that corpus)."""
    if chunks is None:
        from assistant.ingest.chunk import chunk_corpus
        from assistant.ingest.corpus import load_corpus

        chunks = chunk_corpus(load_corpus(settings.corpus), settings.chunk.max_chars)
    rows: list[dict[str, Any]] = []
    gold_path = gold or DEFAULT_GOLD
    if gold is not None or settings.corpus.resolve() == DEFAULT_CORPUS.resolve():
        rows = read_gold(gold_path) if gold_path.is_file() else []
    return build_bank(chunks, rows)
