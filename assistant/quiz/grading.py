"""Grading free-text answers: fact by fact, explainable, no model.

A wrong number, a term of the expected kind the source does not name, and a contradiction (an
opposite word, or a negation the source lacks) are caught and lower the verdict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answering.citing import NOT_COVERED_PREFIX
from assistant.answering.dosing import DOSE_INTENT
from assistant.answering.gaps import DURATION_INTENT
from assistant.core.errors import InputError
from assistant.core.types import Chunk, Citation
from assistant.domain.vocabulary import Vocabulary
from assistant.quiz.items import Fact, Grade, Item, Verdict
from assistant.quiz.normalise import Norm, QuizText, num_in
from assistant.quiz.open_grading import OpenGrader
from assistant.quiz.plural import capped
from assistant.quiz.references import SEARCH_K, cite, wider_grade
from assistant.text.answer_types import cue_words
from assistant.text.quantities import spell_numbers
from assistant.text.sentences import split_sentences

if TYPE_CHECKING:
    from assistant.answering.pipeline import Assistant

MAX_ANSWER_CHARS = 2000
_LETTER = re.compile(r"^\s*\(?([A-Za-z])\)?[.):]?\s*$")
# A dose or a duration in a reference answer (a cloze blank or a required fact).
NUM_SPAN = re.compile(
    r"(?<![\w.\-‑])(\d+(?:\.\d+)?(?:\s*(?:-|–|to)\s*\d+(?:\.\d+)?)?)"
    r"(?=\s*(?:mg/kg|mg|g/kg|g\b|weeks?|days?|months?|years?|%|per\s?cent))",
    re.I,
)


@dataclass
class FactResult:
    fact: str
    credit: float


class Grader:
    """Grades answers with one corpus's vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.text = QuizText(vocab)

    def match_fact(self, fact: Fact, answer: Norm, question_terms: set[str]) -> FactResult:
        """How much of ``fact`` the answer states (best over its accepted spellings)."""
        best = 0.0
        for alt in fact.alternatives():
            ref = self.text.normalise(alt)
            # Words the question already says need not be repeated in the answer.
            required = {t for t in ref.terms if t not in question_terms} or ref.terms
            nums = ref.numbers
            if not required and not nums:
                continue
            parts: list[float] = []
            if required:
                hit = sum(1 for t in required if self.text.term_in(t, answer.terms))
                # Short facts need every word; longer ones most ("minimal" in "minimal
                # inflammatory infiltrates" is the point, so three words are not two).
                need = len(required) if len(required) <= 3 else math.ceil(0.75 * len(required))
                parts.append(1.0 if hit >= need else 0.0)
            if nums:
                parts.append(sum(1 for n in nums if num_in(n, answer.numbers)) / len(nums))
            credit = min(parts) if required and nums else parts[0]
            if nums and not required and credit < 1.0:
                credit = credit if credit >= 0.5 else 0.0
            best = max(best, credit)
        return FactResult(fact.fact, best)

    def grade_against(
        self,
        question: str,
        answer: str,
        facts: Sequence[Fact],
        reference: str,
        context: str,
        citations: list[Citation],
        item_id: str | None = None,
    ) -> Grade:
        """Grade ``answer`` on ``facts``; ``reference`` is what contradictions are checked
        against, ``context`` (reference, question, passage) what numbers and terms may come
        from."""
        qt = self.text
        answer = " ".join(answer.split())[:MAX_ANSWER_CHARS]
        if not answer:
            raise InputError("empty answer: type an answer")
        ans = qt.normalise(answer)
        q = qt.normalise(question)
        results = [self.match_fact(f, ans, q.terms) for f in facts]
        score = sum(r.credit for r in results) / len(results) if results else 0.0
        problems: list[str] = []
        alternatives = [a for f in facts for a in f.alternatives()]
        ref = qt.normalise(" ".join([reference, *alternatives]))
        allowed = qt.normalise(" ".join([reference, question, context]))
        wrong_numbers = [n for n in ans.numbers if not num_in(n, allowed.numbers)]
        wrong_numbers += qt.wrong_units(
            answer, " ".join([reference, question, context, *alternatives])
        )
        if wrong_numbers:
            problems.append("a number the source does not give: " + _fmt_numbers(wrong_numbers))
        expected_types = set(ref.types.values()) | set(q.types.values())
        wrong_terms = [
            t for t, kind in ans.types.items()
            if kind in expected_types and t not in allowed.types and t not in ref.types
        ]  # fmt: skip
        if wrong_terms:
            problems.append(
                "names what the source does not: "
                + ", ".join(self.vocab.display(t) for t in wrong_terms)
            )
        # The question's premise counts too ("late" contradicts "favoured early").
        contra = qt.contradictions(
            ans, qt.normalise(" ".join([reference, question, *alternatives])),
            prefer=qt.normalise(reference).words,
        )
        problems.extend(contra)
        if contra or (wrong_numbers and score < 0.99):
            # A contradiction, or a wrong number in place of the right one, is wrong.
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

    def grade_item(self, item: Item, answer: str) -> Grade:
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
        grade = self.grade_against(
            item.question, text, item.facts, item.answer, item.quote, [item.citation()],
            item_id=item.id,
        )
        # A free answer naming fewer things than asked is partial (a choice is one option).
        return grade if item.options else capped(grade, item.question, text, item.quote)

    def reference_facts(self, reference: str, question: str) -> list[Fact]:
        """Facts of a free reference answer: one per kind of named term (any of those named
        counts), one per dose or duration, and, when it names nothing, its content words."""
        facts: list[Fact] = []
        by_type: dict[str, list[str]] = {}
        asked = self.text.typed_terms(question)
        for canon, kind in self.text.typed_terms(reference).items():
            if canon not in asked:
                by_type.setdefault(kind, []).append(canon)
        display = self.vocab.display
        for kind, names in by_type.items():
            facts.append(Fact(fact=f"the {kind}: " + " or ".join(display(n) for n in names),
                              accept=[display(n) for n in names]))  # fmt: skip
        spans: list[tuple[str, str]] = []
        text = spell_numbers(re.sub(r"\brefs?\.?\s*\d+(?:\s*(?:,|and)\s*\d+)*", " ", reference))
        for m in NUM_SPAN.finditer(text):
            unit = text[m.end(1) : m.end(1) + 8].strip().lower()
            spans.append((m.group(1), "dose" if unit.startswith(("mg", "g")) else "time"))
        # A question asking for a dose is answered by the dose; the drugs around it are context.
        want = "dose" if DOSE_INTENT.search(question) else (
            "time" if DURATION_INTENT.search(question) else None)  # fmt: skip
        if want and any(k == want for _, k in spans):
            return [Fact(fact=v) for v, k in spans if k == want]
        facts.extend(Fact(fact=v) for v, _ in spans)
        if not facts:
            terms = self.vocab.terms
            q = set(terms(question))
            words = [t for t in dict.fromkeys(terms(reference)) if t not in q and len(t) > 3]
            # The reference's distinctive words; a paraphrase states about half of them.
            facts = [Fact(fact=w) for w in words[:8]]
            if len(facts) > 2:
                half = max(2, len(facts) // 2)
                facts = [Fact(fact=" ".join(words[:half]),
                              accept=[" ".join(words[half : 2 * half])])]  # fmt: skip
        return facts


def grade_free(assistant: Assistant, question: str, answer: str) -> Grade:
    """Grade an answer to a question not in the bank (``_grade_free``); an answer giving fewer
    things than the question asks for, or than the source lists for a plural ask, is at best
    partly correct (quiz/plural.py)."""
    grade = _grade_free(assistant, question, answer)
    source = grade.citations[0].quote if grade.citations else grade.reference
    return capped(grade, question, answer, source)


def _grade_free(assistant: Assistant, question: str, answer: str) -> Grade:
    """Grade an answer to a question that is not in the bank against the assistant's own
    grounded answer: the sentence it cites first, the one most likely to answer (read as data;
    the answer's further sentences add context, not facts a learner must state)."""
    if not " ".join(answer.split()):
        raise InputError("empty answer: type an answer")
    grounded = assistant.ask(question, backend="extractive")
    quotes = [c.quote for c in grounded.citations if not c.quote.startswith(NOT_COVERED_PREFIX)]
    reference = split_sentences(quotes[0])[0] if quotes else ""
    citations = grounded.citations
    if grounded.abstained or not reference:
        # The answerer declines a detail it cannot find in so many words ("how quickly" with
        # no "quick" in the text); the sentence of the retrieved passages nearest the question
        # in meaning may still answer it. Only one sharing the question's words counts.
        nearest = _nearest_sentence(assistant, question)
        if nearest is not None:
            reference, citations = nearest[0], [nearest[1]]
    if not reference or (grounded.abstained and citations is grounded.citations):
        return Grade(
            correct=False,
            score=0.0,
            verdict="ungraded",
            reference=grounded.answer,
            citations=[],
            question=question,
            problems=["the indexed sources do not answer this question, so it cannot be graded"],
        )
    pipe = assistant.pipeline
    grader = OpenGrader(pipe.vocab, pipe.words, assistant.embedder.similarity(),
                        pipe.reader.wording)  # fmt: skip
    best = grader.grade(question, answer, reference, citations)
    # The answer's other cited sentences may be the one that answers: the best grade of
    # them counts, unless the first contradicts the learner.
    for c in citations[1:2]:
        if best.correct or best.problems:
            break
        other = grader.grade(question, answer, split_sentences(c.quote)[0], [c])
        if other.score > best.score and not other.problems:
            best = other
    if best.correct:
        return best
    # The answer may be stated by a sentence the answer did not cite first: of the cited
    # passages or the searcher's top ones, when it is about the question (quiz/references.py).
    hits = [cite(h.chunk, "") for h in assistant.search(question, k=SEARCH_K)]
    # The words a kind of answer asked is given in find sentences sharing none of the
    # question's ("men", "women" for the sex ratio; text/answer_types.toml).
    cues = cue_words(grader.stems(grader.read(question)), grader.stems)
    if cues:
        more = assistant.search(question + " " + " ".join(cues), k=SEARCH_K)
        hits += [cite(h.chunk, "") for h in more]
    return wider_grade(grader, question, answer, best, reference,
                       [*grounded.citations, *hits], grader.similarity)  # fmt: skip


# How near in meaning (embedding cosine) a passage's sentence must be to a question the
# answerer declined for it to stand as the reference.
NEAREST_SIMILARITY = 0.5


def _nearest_sentence(assistant: Assistant, question: str) -> tuple[str, Citation] | None:
    vocab = assistant.pipeline.vocab
    asked = set(vocab.terms(question))
    sim = assistant.embedder.similarity()
    best: tuple[float, str, Chunk] | None = None
    for hit in assistant.search(question, k=3):
        for sentence in hit.chunk.sentences or split_sentences(hit.chunk.text):
            if not asked & set(vocab.terms(sentence)):
                continue
            score = sim(question, sentence)
            if score >= NEAREST_SIMILARITY and (best is None or score > best[0]):
                best = (score, sentence, hit.chunk)
    if best is None:
        return None
    _, sentence, chunk = best
    return sentence, Citation(marker=1, chunk_id=chunk.chunk_id, source=chunk.source,
                              section=chunk.section, text=chunk.text, quote=sentence)


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


def _fmt_numbers(ns: list[float]) -> str:
    return ", ".join(f"{n:g}" for n in ns)
