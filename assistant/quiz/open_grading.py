"""Grading an answer to a free question (one not in the bank) against the part that answers.

The reference is the sentence the assistant cites first; of it, the clause that carries the
question's focus, less what the question itself says. What the question asks decides what must
be stated: which drug, antibody or test (a term of the clause; a dose beside it is not
required), a number (dose, share, interval), a place on a scale (how common, how high, how
good), or, for an open question, the clause's content in the learner's own words (the same
words, or close in meaning). Whatever is asked, a contradiction makes the answer wrong: the
other side of a scale, a negation the source lacks, a number or a term of the asked kind that
the source does not give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.core.types import Citation
from assistant.domain.learned import CorpusWords
from assistant.domain.vocabulary import Vocabulary
from assistant.quiz.antecedent import resolve
from assistant.quiz.asks import (
    ASKS_DRUG,
    ASKS_IF,
    ASKS_NUMBER,
    ASKS_SCALE,
    ASKS_TERM,
    ASKS_TIME,
    ASKS_TWO,
    ASKS_WHY,
    BECAUSE,
    CONDITION,
    PURPOSE,
    UNIT_ASKED,
)
from assistant.quiz.comparison import from_asked_side
from assistant.quiz.guards import (
    SCALED,
    drops_negation,
    misplaced,
    negates,
    opposite,
    other_frequency,
    other_side,
    swapped,
    wrong_numbers,
)
from assistant.quiz.items import Grade, Verdict
from assistant.quiz.paraphrase import YES_NO_Q, scale_stated, stated, surface, within, yes_no
from assistant.text.drugs import looks_like_drug
from assistant.text.equivalents import rewrite_phrases
from assistant.text.equivalents import vocabulary as equivalent_words
from assistant.text.frequency import NAME_WORD, REAL_WORD, zipf
from assistant.text.polarity import OPPOSITES, neutralise, read_lack
from assistant.text.quantities import (
    decade_within,
    frequencies,
    quantities,
    same_time,
    shares,
    spell_numbers,
    unit_kind,
)
from assistant.text.scales import agree, answers_scale, asked_scale
from assistant.text.sentences import clauses
from assistant.text.tokens import stem

# Words a misspelt word of an answer may be meant as beyond the corpus's: the scales', the
# opposites' and the equivalents' (general language a text may never use: "rarely").
GRADING_WORDS = sorted(
    {w for w in SCALED | equivalent_words() if w.isalpha() and len(w) >= 5}
    | {w for pair in OPPOSITES for side in pair for w in side if len(w) >= 5}
)
# Words of a source sentence that frame it rather than state a fact a learner must give (stems).
FRAMING = frozenset(stem(w) for w in [
        "importance", "important", "key", "point", "points", "role", "consider", "considered",
        "consideration", "include", "includes", "including", "approach", "approaches",
        "overall", "according", "study", "guidance", "because",
])  # fmt: skip
# Open answers: share of the focus clause's content a learner must state, or the similarity
# of meaning (embedding cosine) that stands in for it.
OPEN_COVERAGE = 0.5
OPEN_BOTH = 0.75
OPEN_SIMILARITY = 0.62
PARTLY_SIMILARITY = 0.45


@dataclass
class Expected:
    focus: str  # the clause that answers
    terms: dict[str, str]  # term → display (drugs, antibodies, tests named there)
    quantities: set[tuple[float, str]]
    content: set[str]  # content stems the learner should state (question's words out)
    kind: str  # "term", "number", "scale" or "open"
    shares: set[float] = field(default_factory=set)  # percentages, however written
    every: set[float] = field(default_factory=set)  # days between times ("weekly": 7)
    many: bool = False  # the question asks for two things ("which two", "and what")
    asked: set[str] = field(default_factory=set)  # the question's content stems


# "steroid-sparing agent", "drug-free interval": the term describes another thing.
_MODIFIER = re.compile(
    r"\b[\w-]+-(?:sparing|free|naive|naïve|refractory|resistant|dependent)\b", re.I
)
_RELATIVE = re.compile(r",\s+(?:(?:in|of|to|by|for)\s+)?which\b|\s+(?:in|of|to|by|for)\s+which\b",
                       re.I)
_ABBREVIATION = re.compile(r"\b(?:anti-)?[A-Za-z]*[A-Z][A-Za-z]*\d*[A-Z0-9][\w-]*\b")


class OpenGrader:
    """Grades free answers with one corpus's vocabulary, words and embedding."""

    def __init__(
        self,
        vocab: Vocabulary,
        words: CorpusWords,
        similarity: Callable[[str, str], float] | None = None,
        wording: Callable[[str], tuple[str, list[tuple[str, str]]]] | None = None,
    ) -> None:
        self.vocab = vocab
        self.words = words
        self.similarity = similarity
        # How questions are read (answering/reading.py): shorthand, brands, misspellings.
        self.wording = wording

    # --- reading ---------------------------------------------------------------------------

    def read(self, text: str) -> str:
        """``text`` in the corpus's words: brand names and shorthand written out, misspelt
        words matched to the corpus's (and the drug names'), numbers in words as digits."""
        text, _ = self.wording(text) if self.wording else self.vocab.rewrite(text)
        names = list(self.vocab.names)

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if word.lower() in self.words.counts or len(word) < 5:
                return word
            if zipf(word.lower()) >= REAL_WORD:  # a real word, not a typo
                return word
            right = self.words.correct(word) if len(word) >= 6 else None
            if right is None:
                from rapidfuzz import fuzz, process

                found = process.extractOne(word.lower(), GRADING_WORDS, scorer=fuzz.ratio,
                                           score_cutoff=80)  # fmt: skip
                right = str(found[0]) if found and found[0][0] == word[0].lower() else None
            if right is None and names:
                from rapidfuzz import fuzz, process

                found = process.extractOne(word.lower(), names, scorer=fuzz.ratio,
                                           score_cutoff=85)  # fmt: skip
                right = str(found[0]) if found else None
            return right or word

        # "not known" is "unknown": a plain fact, not a negation of the source.
        return neutralise(spell_numbers(re.sub(r"[A-Za-z][A-Za-z-]{4,}", fix, text)))

    def terms_of(self, text: str) -> dict[str, str]:
        """The named things of ``text``: typed terms and drug names (pack or INN form); a
        term only modifying another word ("a steroid-sparing agent") names something else."""
        text = _MODIFIER.sub(" ", text)
        found = {e: self.vocab.display(e) for _, e in self.vocab.entities(text)}
        for w in re.findall(r"[A-Za-z][\w-]{4,}", text):
            if looks_like_drug(w) and w.lower() not in found:
                found[w.lower()] = w
        # Antibodies and tests by their form: "anti-MDA5", "IgG4", "CA-125".
        for m in _ABBREVIATION.finditer(text):
            w = m.group(0)
            key = w.lower().removeprefix("anti-")
            if sum(c.isupper() for c in w) >= 2 and key not in found:
                found[key] = w
        return found

    def stems(self, text: str) -> set[str]:
        text = rewrite_phrases(text)  # "rule out" is "exclude"
        return {t for t in self.vocab.terms(text) if t not in FRAMING and not t[0].isdigit()}

    def expected(self, question: str, reference: str, passage: str = "") -> Expected:
        q = self.read(question)
        asked = self.stems(q)
        # A relative clause is a clause of its own here: ", which points to lung involvement"
        # answers what mechanic's hands point to, not the description before it.
        parts = [p for c in clauses(reference) or [reference] for p in _RELATIVE.split(c) if p]
        # The clause that carries the focus: most of the question's words; on a tie, the one
        # whose words are most of all the question's, then the first.
        def fit(c: str) -> tuple[int, float]:
            mine = self.stems(c)
            return len(mine & asked), len(mine & asked) / max(1, len(mine))

        focus = max(parts, key=fit) if asked else parts[0]
        if len(self.stems(focus) - asked) < 1:
            # The clause only repeats the question: the next clause on the question's words
            # that adds something answers ("Mechanic's hands" / "points to lung involvement"),
            # else the sentence.
            # A yes-or-no question is answered by the clause that repeats it, in the sentence.
            rest = [p for p in parts if fit(p)[0] and self.stems(p) - asked
                    and not YES_NO_Q.search(q)]  # fmt: skip
            focus = max(rest, key=fit) if rest else reference
        if CONDITION.match(focus) and ASKS_IF.search(q) and len(parts) > 1:
            # "If there is little response ..., the diagnosis should be reconsidered": the
            # clause stating the question's condition restates it; what follows answers.
            focus = max((p for p in parts if p != focus), key=fit)
        # A "why" is answered by the reason, or by the purpose of the question's own verb
        # ("measured to look for myeloma" for "why are they measured?").
        why = BECAUSE.search(reference) or next((m for m in PURPOSE.finditer(reference)
                                                 if self.stems(m.group(1)) & asked), None)
        if why and ASKS_WHY.search(q):
            focus = why.group(why.lastindex or 1)
        q_terms = self.terms_of(q)

        def new_terms(text: str) -> dict[str, str]:
            # Neither the question's terms nor the corpus's subject ("DM" in a DM text).
            return {k: v for k, v in self.terms_of(text).items()
                    if k not in q_terms and not self._subject(k)}  # fmt: skip

        terms = new_terms(focus)
        if not terms and ASKS_TERM.search(q) and ASKS_DRUG.search(q):
            # "It is used for ...": the term is named in the sentence before, or the rest.
            around = [reference] + [s for s in clauses(passage) if s not in reference]
            for text in around:
                terms = new_terms(text)
                if terms:
                    break
        q_nums = {n for n, _ in quantities(q)}
        wanted = next((k for pattern, k in UNIT_ASKED if pattern.search(q)), None)
        nums = {(n, u) for n, u in quantities(focus) if n not in q_nums
                and (wanted is None or unit_kind(u) in (wanted, None))}  # fmt: skip
        content = self.stems(focus) - asked - {self.vocab.terms(t)[0] for t in q_terms if
                                               self.vocab.terms(t)}  # fmt: skip
        pct, every = shares(focus), frequencies(focus)
        # "Within what time of starting steroids ...": a time asked is a number, whatever
        # drug the question names.
        if ASKS_TERM.search(q) and terms and not (ASKS_TIME.search(q) and nums):
            kind = "term"
        elif (ASKS_NUMBER.search(q) or ASKS_TIME.search(q)) and (nums or pct or every):
            kind = "number"
        elif ASKS_SCALE.search(q) and answers_scale(q, focus):
            kind = "scale"
        elif terms and not content - {self.vocab.terms(t)[0] for t in terms}:
            kind = "term"
        else:
            kind = "open"
        return Expected(focus, terms, nums, content, kind, pct, every, bool(ASKS_TWO.search(
            question)), {a for a in asked if not self._subject(a)})  # fmt: skip

    def _subject(self, term: str) -> bool:
        """A term the corpus uses in most of its passages: its subject, never an answer."""
        n = self.words.passages
        low = term.lower()
        return low in self.vocab.subject_words or (
            n >= 5 and self.words.counts.get(low, 0) > 0.3 * n
        )

    # --- grading ---------------------------------------------------------------------------

    def grade(
        self, question: str, answer: str, reference: str, citations: list[Citation]
    ) -> Grade:
        passage = citations[0].text if citations else reference
        # "In adults it is ...": the thing to name is the one the sentence before names.
        reference = resolve(reference, passage)
        if ASKS_SCALE.search(question):  # "more common than in adults" asked of adults
            reference = from_asked_side(reference, question)
        exp = self.expected(question, reference, passage)
        said = read_lack(self.read(answer), exp.focus)
        problems: list[str] = []
        score = self._credit(exp, said, question)
        # A yes or a no to a question the source answers outright says it all, or contradicts.
        polar = yes_no(question, exp.focus, said, self.stems)
        if polar > 0:
            score = max(score, 1.0)
        elif polar < 0:
            problems.append("answers the yes-or-no question the other way from the source")
        # Contradictions, whatever was asked.
        _, contradicts = agree(said, neutralise(exp.focus))
        if contradicts:
            problems.append("says the opposite of the source (" + exp.focus.strip() + ")")
        flipped = (opposite(said, exp.focus) or other_frequency(said, exp.focus)
                   or misplaced(said, exp.focus, question, self.stems)
                   or other_side(said, exp.focus, question)
                   or swapped(said, exp.focus))  # fmt: skip
        if flipped:
            problems.append(flipped)
            contradicts = True
        if negates(said, exp.focus):
            problems.append("negates what the source states")
        elif drops_negation(said, exp.focus, self.stems):
            problems.append("leaves out the source's negation")
        wrong = wrong_numbers(said, passage, question, exp.shares)
        if wrong:
            problems.append("a number the source does not give: " +
                            ", ".join(f"{n:g}" for n in wrong))  # fmt: skip
        if exp.kind == "term":
            named = self.terms_of(said)
            others = [v for k, v in named.items() if k not in exp.terms and
                      k not in self.terms_of(self.read(question))]  # fmt: skip
            if others and score < 0.99:
                problems.append("names what the source does not: " + ", ".join(others))
        contradicts = contradicts or polar < 0
        if problems:
            score = 0.0 if contradicts or score < 0.99 or "negates" in problems[-1] else 0.5
        verdict: Verdict = (
            "correct" if score >= 0.99 else "partly correct" if score > 0.0 else "incorrect"
        )
        return Grade(
            correct=verdict == "correct", score=round(score, 3), verdict=verdict,
            reference=exp.focus, citations=citations, question=question,
            matched=[exp.kind] if score >= 0.99 else [], missing=[] if score >= 0.99 else
            [exp.kind], problems=problems,
        )  # fmt: skip

    def _credit(self, exp: Expected, said: str, question: str) -> float:
        if exp.kind == "term":
            named = self.terms_of(said)
            have = [k for k in exp.terms if k in named or exp.terms[k].lower() in said.lower()
                    or self._long_form_in(k, said)]  # fmt: skip
            need = 2 if re.search(r"\b(two|both)\b", question, re.I) and len(exp.terms) > 1 else 1
            return 1.0 if len(have) >= need else 0.5 if have else 0.0
        if exp.kind == "number" and (exp.shares or exp.every):
            matched = sum(1 for p in shares(said) if any(abs(p - q) <= 3 for q in exp.shares))
            matched += len(frequencies(said) & exp.every)
            values = {n for n, _ in quantities(said)}
            matched += len({n for n, u in exp.quantities if n in values and u not in ("%", "")})
            if matched >= (2 if exp.many else 1):
                return 1.0
            if matched:
                return 0.5
        if exp.kind == "number" and decade_within(said, exp.focus):
            return 1.0  # "in their seventies" for "between 70 and 80 years"
        if exp.kind == "number":
            mine = quantities(said)
            values = {n for n, _ in mine}
            # A time in other units is the same time ("within seven days" for "one week").
            timed = {n for n, u in exp.quantities if n not in values and
                     any(same_time(m, said, f"{n:g} {u}") for m in values)}  # fmt: skip
            hits = [n for n, _ in exp.quantities if n in values or n in timed]
            units = {u for n, u in exp.quantities if n in values and u}
            if hits and units and not any((n, u) in mine or (n, "") in mine for n, u in
                                          exp.quantities if n in values):  # fmt: skip
                return 0.0  # the right number in another unit
            wanted = {n for n, _ in exp.quantities}
            need = min(2, len(wanted)) if not exp.many else min(3, len(wanted))
            return 1.0 if hits and len(set(hits)) >= need else 0.5 if hits else 0.0
        if exp.kind == "scale":
            agrees, _ = agree(said, exp.focus, asked_scale(question))
            return 1.0 if agrees else 0.0
        return self._open_credit(exp, said)

    def _long_form_in(self, term: str, said: str) -> bool:
        """The answer names an abbreviated term by its long form's own name: "hydroxychloroquine"
        for "HCQ", the first word of a long form when it is rare in general English (a drug's
        name, not "intravenous" of an intravenous preparation)."""
        long = self.vocab.abbreviations.get(term.upper(), "").lower().split()
        return bool(long) and zipf(long[0]) < NAME_WORD and long[0] in said.lower()

    def _open_credit(self, exp: Expected, said: str) -> float:
        # The figures the clause gives beyond the question's ("about 80 to 90%" for "what is
        # the five-year survival") are its point: stating them all answers it.
        figures = {n for n, _ in exp.quantities} | exp.shares
        mine = {n for n, _ in quantities(said)} | shares(said)
        if figures and not exp.many and all(any(abs(f - m) < 1e-9 for m in mine) for f in figures):
            return 1.0
        if not exp.content:
            return 1.0 if agree(said, exp.focus)[0] else 0.5
        have = self.stems(said)
        words = surface(said) | surface(exp.focus)
        near = stated(exp.content, have, words, self.similarity)
        near |= scale_stated(exp.content - near, said, exp.focus)
        share = len(near) / len(exp.content)
        # Two things asked for: most of the clause must be there, one of them is partial.
        need = OPEN_BOTH if exp.many else OPEN_COVERAGE
        if share >= need or (agree(said, exp.focus)[0] and share > 0 and not exp.many):
            return 1.0
        # One thing asked, and all the learner adds is the source's, in its words or others.
        if not exp.many and near and within(have - exp.asked, exp, self.stems, words,
                                            self.similarity):  # fmt: skip
            return 1.0
        if self.similarity is not None:
            sim = self.similarity(said, exp.focus)
            if sim >= OPEN_SIMILARITY and (not exp.many or share >= OPEN_COVERAGE):
                return 1.0
            if sim >= PARTLY_SIMILARITY or share > 0:
                return 0.5
        return 0.5 if share > 0 else 0.0
