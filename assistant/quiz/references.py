"""The sentences a free answer may be graded against beyond the one the assistant cites first.

The first cited sentence often does not answer the question (the sex ratio, how long steroids
are needed): the one that does may be cited later, sit beside it in the passage, or be in a
passage the searcher ranks high that the answer never cited. A candidate counts only when it is
about the question: it carries most of the question's own words (rare words weigh more than
common ones), and, for a question asking a number, a number. A wrong drug or figure that some
other sentence gives is then not accepted, because that sentence is not about the question.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from assistant.core.types import Chunk, Citation
from assistant.domain.learned import CorpusWords
from assistant.quiz.asks import ASKS_NUMBER, ASKS_TIME
from assistant.quiz.guards import opposite
from assistant.quiz.items import Grade
from assistant.quiz.open_grading import _RELATIVE, OpenGrader
from assistant.text.answer_types import answering
from assistant.text.polarity import neutralise
from assistant.text.quantities import frequencies, quantities, shares
from assistant.text.scales import agree
from assistant.text.sentences import clauses, split_sentences
from assistant.text.tokens import stem

# Words of how a question asks, not of what it is about ("how long", "what should be done").
ASKING = frozenset(stem(w) for w in [
    "long", "many", "much", "often", "soon", "done", "happen", "happens", "usually", "typically",
    "best", "state",
])  # fmt: skip
# Passages the searcher ranks for the question whose sentences are candidates.
SEARCH_K = 10
# Of the question's words (weighted), the share a candidate must carry to be about it.
RELEVANT_SHARE = 0.5
# Candidates graded, and how far below the most relevant one's share a candidate may be.
TRIED = 4
MARGIN = 0.1
# Of the question's words, the share a clause of a candidate must carry to be tried alone.
CLAUSE_SHARE = 0.2


@dataclass(frozen=True)
class Candidate:
    sentence: str
    citation: Citation
    share: float  # weighted share of the question's words the sentence carries
    similarity: float  # embedding cosine to the question (a tie-break)


def cite(chunk: Chunk, sentence: str) -> Citation:
    return Citation(marker=1, chunk_id=chunk.chunk_id, source=chunk.source,
                    section=chunk.section, text=chunk.text, quote=sentence)  # fmt: skip


# The last corpus's passages by stem, kept with its words (identity, not id: ids are reused).
_DF: list[tuple[CorpusWords, dict[str, int]]] = []


def _passages_by_stem(grader: OpenGrader) -> dict[str, int]:
    """How many passages use each stem (the most of its words' counts), once per corpus."""
    if not _DF or _DF[0][0] is not grader.words:
        df: dict[str, int] = {}
        for word, n in grader.words.counts.items():
            for s in grader.vocab.terms(word):
                df[s] = max(df.get(s, 0), n)
        _DF[:] = [(grader.words, df)]
    return _DF[0][1]


class References:
    """Ranks sentences by how much they are about one question."""

    def __init__(self, grader: OpenGrader, question: str,
                 similarity: Callable[[str, str], float] | None = None) -> None:  # fmt: skip
        self.grader = grader
        self.question = question
        self.similarity = similarity
        q = grader.read(question)
        # The question's own words, less the corpus's subject ("CIDP" in a CIDP text): a
        # sentence must carry what the question is about, not what every passage is about.
        asked = {s for s in grader.stems(q) if not grader._subject(s) and s not in ASKING}
        n = max(1, grader.words.passages)
        df = _passages_by_stem(grader)
        # A word most passages use tells little about which sentence answers; a rare one much.
        self.weights = {s: math.log(1 + n / (1 + df.get(s, 0))) for s in asked}
        self.numeric = bool(ASKS_NUMBER.search(q) or ASKS_TIME.search(q))
        # "Sex ratio" is answered by "men ... twice as often as women": a word of the kind of
        # answer an asked word asks for carries that word (text/answer_types.toml).
        self.typed = answering(set(self.weights), grader.stems)

    def share(self, sentence: str) -> float:
        total = sum(self.weights.values())
        if not total:
            return 0.0
        mine = self.grader.stems(self.grader.read(sentence))
        return sum(w for s, w in self.weights.items()
                   if s in mine or self.typed.get(s, set()) & mine) / total  # fmt: skip

    def carries_number(self, sentence: str) -> bool:
        """A number, or a word of the kind of answer asked ("twice" for a ratio)."""
        if quantities(sentence) or shares(sentence) or frequencies(sentence):
            return True
        mine = self.grader.stems(self.grader.read(sentence))
        return any(answers & mine for answers in self.typed.values())

    def parts(self, sentence: str) -> list[str]:
        """The clauses of ``sentence`` that carry some of the question's words (and a number
        when one is asked), most of them first."""
        found = [p for c in clauses(sentence) for p in _RELATIVE.split(c) if p and p != sentence]
        # A clause that says the opposite of the question's premise ("better" for "what
        # predicts a worse outcome") or relates its named things the other way round ("of
        # patients with GCA, ... PMR" for "patients with PMR develop GCA") is about another
        # question.
        found = [p for p in found if self.share(p) >= CLAUSE_SHARE
                 and (not self.numeric or self.carries_number(p))
                 and not self.contrary(p) and self.same_order(p)]  # fmt: skip
        return sorted(found, key=self.share, reverse=True)

    def contrary(self, part: str) -> bool:
        """``part`` says the opposite of the question's premise: a word's opposite, or the
        other end of a scale ("better" for "worse")."""
        return bool(opposite(self.question, part)) or agree(self.question, neutralise(part))[1]

    def same_order(self, part: str) -> bool:
        """The question's named things come in the same order in ``part`` as in it."""
        names = list(self.grader.terms_of(self.grader.read(self.question)))
        low = self.grader.read(part).lower()
        at = [low.find(n) for n in names if n in low]
        return at == sorted(at)

    def rank(self, passages: list[Citation]) -> list[Candidate]:
        """Sentences of ``passages`` about the question, most about it first."""
        seen: set[str] = set()
        out: list[Candidate] = []
        for passage in passages:
            for sentence in split_sentences(passage.text):
                key = " ".join(sentence.split())
                if key in seen:
                    continue
                seen.add(key)
                share = self.share(sentence)
                if share < RELEVANT_SHARE:
                    continue
                if self.numeric and not self.carries_number(sentence):
                    continue
                sim = self.similarity(self.question, sentence) if self.similarity else 0.0
                out.append(Candidate(sentence, passage.model_copy(update={"quote": sentence}),
                                     share, sim))  # fmt: skip
        out.sort(key=lambda c: (-round(c.share, 2), -c.similarity))
        return out


def wider_grade(grader: OpenGrader, question: str, answer: str, first: Grade,
                reference: str, passages: list[Citation],
                similarity: Callable[[str, str], float] | None) -> Grade:  # fmt: skip
    """``first`` (the grade against the first cited sentence), or a correct grade against a
    sentence of ``passages`` at least as much about the question."""
    if first.correct:
        return first
    refs = References(grader, question, similarity)
    base = refs.share(reference)
    ranked = refs.rank(passages)
    if not ranked:
        return first
    top = ranked[0].share
    for cand in ranked[:TRIED]:
        # The first sentence found the answer wrong: only a sentence more about the question
        # may overrule it; else one about as much about it as the best.
        if cand.share < top - MARGIN or cand.share < base or (
                first.problems and cand.share <= base):  # fmt: skip
            continue
        grade = grader.grade(question, answer, cand.sentence, [cand.citation])
        if grade.correct:
            return grade
        if grade.problems:
            continue
        # The clause the grader took may not be the one that answers ("below 10 cells" for
        # what a higher count should prompt): another clause on the question's words may be,
        # when the whole sentence found nothing wrong.
        for part in refs.parts(cand.sentence):
            grade = grader.grade(question, answer, part, [cand.citation])
            if grade.correct:
                return grade
    return first
