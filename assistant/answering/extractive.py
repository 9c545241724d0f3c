"""Stage 6: the extractive, grounded answerer.

It scores the sentences of the retrieved passages against the question (embedding similarity and
weighted term overlap), keeps the best few that add something, and cites each one. It declines
when the evidence is weak or the question is about things the corpus never mentions, and says
what is missing when the sources cover a question only in part (a drug named, no dose given).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from assistant.answering.citing import NOT_COVERED_PREFIX, CitationBuilder, attach_marker
from assistant.answering.gaps import (
    DOSE_INTENT,
    DOSE_VALUE,
    DURATION_INTENT,
    DURATION_VALUE,
    missing_detail,
)
from assistant.core.settings import AnswerSettings
from assistant.core.types import Answer, Chunk, Hit, Retrieved
from assistant.domain.vocabulary import Vocabulary, general_vocabulary
from assistant.ingest.chunk import embed_text
from assistant.store.index import Index


@dataclass
class Scored:
    chunk: Chunk
    sentence_index: int
    sentence: str
    row: int  # row in the sentence-vector matrix
    dense: float
    lexical: float
    score: float


class Answerer:
    """Composes cited answers from one index's sentences."""

    def __init__(
        self,
        index: Index,
        settings: AnswerSettings | None = None,
        vocab: Vocabulary | None = None,
    ) -> None:
        self.settings = s = settings or AnswerSettings()
        self.vocab = vocab = vocab or general_vocabulary()
        terms = vocab.terms
        # "this disease" names the corpus's own subject: it tells no sentence from another.
        nouns = "|".join(re.escape(n) for n in vocab.subject_nouns) or "(?!)"
        self.topic_reference = re.compile(rf"\b(?:this|the|that)\s+(?:{nouns})\b", re.I)
        self.index = index
        self.max_words = s.max_words
        self.min_evidence = s.min_evidence
        self.row_of = {owner: row for row, owner in enumerate(index.sentence_owner)}
        self.sentence_terms = [
            set(terms(index.chunks[c].sentences[j])) for c, j in index.sentence_owner
        ]
        self.context_terms = [set(terms(embed_text(c))) for c in index.chunks]
        self.sentence_pairs = [
            set(pairwise(terms(index.chunks[c].sentences[j]))) for c, j in index.sentence_owner
        ]
        df: Counter[str] = Counter()
        for ts in self.context_terms:
            df.update(ts)
        n = max(len(index.chunks), 1)
        self.idf = {t: math.log(1 + n / (1 + d)) for t, d in df.items()}
        self.max_idf = math.log(1 + n)
        self.corpus_terms = set(df)
        self._by_prefix: dict[str, list[str]] = {}
        for v in self.corpus_terms:
            self._by_prefix.setdefault(v[:5], []).append(v)

    # --- scoring -------------------------------------------------------------------------------

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.max_idf)

    def known(self, term: str) -> str | None:
        """The corpus term ``term`` stands for: itself, or one sharing a long prefix
        ("diagnosi" ~ "diagnost"), since stemming leaves such pairs apart."""
        if term in self.corpus_terms:
            return term
        if len(term) >= 6 and not term[0].isdigit():
            for v in self._by_prefix.get(term[:5], ()):
                if len(v) >= 6 and _common_prefix(term, v) >= 6:
                    return v
        return None

    def salient_unknown(self, question: str) -> list[str]:
        """Words of the question the corpus never uses and that are not everyday English.

        "insulin", "migraine" or "statins" in a question about something else mean the
        sources cannot answer it; "agreement" or "follow" say nothing about the topic.
        """
        from wordfreq import zipf_frequency

        out = []
        for word in re.findall(r"[^\W\d_][\w-]*", self.vocab.canonicalize(question)):
            stems = [t for t in self.vocab.terms(word) if t not in self.vocab.question_words]
            if not stems or all(self.known(t) for t in stems):
                continue
            lower = word.lower()
            forms = {lower, lower[:-1] if lower.endswith("s") else lower}
            if max(zipf_frequency(f, "en") for f in forms) < self.settings.rare_word_zipf:
                out.append(word)
        return out

    def matched_terms(self, question: str) -> list[str]:
        return list(dict.fromkeys(self.known(t) or t for t in self.vocab.terms(question)))

    def score_sentences(
        self, question: str, qvec: np.ndarray, hits: list[Hit], focus: str | None = None
    ) -> list[Scored]:
        """Sentences of ``hits`` by score; ``focus`` terms (the follow-up itself) count double."""
        question = self.topic_reference.sub(" ", question)
        focus = self.topic_reference.sub(" ", focus) if focus else focus
        qwords = self.vocab.question_words
        q_terms = self.matched_terms(question)
        focus_terms = set(self.matched_terms(focus)) if focus else set(q_terms)
        q_pairs = [
            p for p in pairwise(self.matched_terms(question))
            if not (p[0] in qwords and p[1] in qwords)
        ]
        # Generic question words help rank but weigh less than the topic words.
        boost = {
            t: (1.0 if t in focus_terms else 0.5) * (0.5 if t in qwords else 1.0)
            for t in q_terms
        }
        q_weight = sum(self.weight(t) * boost[t] for t in q_terms) or 1.0
        rows: list[tuple[Chunk, int, int]] = []
        for hit in hits:
            c = hit.chunk
            for j in range(len(c.sentences)):
                rows.append((c, j, self.row_of[(c.position, j)]))
        if not rows:
            return []
        sims = self.index.sentence_vectors[[r for _, _, r in rows]] @ qvec
        scored = []
        for (c, j, r), dense in zip(rows, sims, strict=True):
            own = self.sentence_terms[r]
            ctx = self.context_terms[c.position]
            lex = (
                sum(
                    self.weight(t) * boost[t] * (1.0 if t in own else 0.5 if t in ctx else 0.0)
                    for t in q_terms
                )
                / q_weight
            )
            # The question's own phrase ("immunosuppressive therapy") in the sentence says
            # more than its words scattered over it.
            shared = sum(p in self.sentence_pairs[r] for p in q_pairs)
            phrase = self.settings.phrase_bonus * min(2, shared)
            score = (
                self.settings.dense_weight * float(dense)
                + (1 - self.settings.dense_weight) * lex
                + phrase
                + answer_type_bonus(question, c.sentences[j], self.vocab)
            )
            scored.append(Scored(c, j, c.sentences[j], r, float(dense), lex, score))
        scored.sort(key=lambda s: -s.score)
        return scored

    # --- composing -----------------------------------------------------------------------------

    def answer(self, retrieved: Retrieved) -> Answer:
        reading, qvec, hits = retrieved.reading, retrieved.qvec, retrieved.hits
        question, standalone, focus = reading.question, reading.standalone, reading.focus
        scored = self.score_sentences(standalone, qvec, hits, focus=focus)
        best = scored[0] if scored else None
        unknown = self.salient_unknown(focus or standalone)
        if (
            best is None
            or best.score < self.min_evidence
            or (unknown and best.score < self.settings.strong_evidence)
        ):
            return self.decline(question, standalone, unknown, hits)
        chosen = self.select(scored)
        builder = CitationBuilder()
        parts = []
        for s in chosen:
            marker = builder.cite(s.chunk, s.sentence)
            text = s.sentence[0].upper() + s.sentence[1:]
            parts.append(attach_marker(text, marker))
        gap = missing_detail(reading, [s.sentence for s in chosen], self.vocab)
        if gap:
            parts.append(gap)
        return Answer(
            question=question,
            answer=" ".join(parts),
            abstained=False,
            citations=builder.citations,
            standalone_question=standalone if standalone != question else None,
            retrieved=hits,
        )

    def select(self, scored: list[Scored]) -> list[Scored]:
        best = scored[0]
        chosen = [best]
        words = len(best.sentence.split())
        for s in scored[1:4]:
            if s.score < max(self.min_evidence, self.settings.companion_ratio * best.score):
                break
            if words + len(s.sentence.split()) > self.max_words:
                continue
            vecs = self.index.sentence_vectors
            if any(float(vecs[s.row] @ vecs[c.row]) > self.settings.redundancy_max for c in chosen):
                continue
            chosen.append(s)
            words += len(s.sentence.split())
        return chosen

    def decline(
        self, question: str, standalone: str, unknown: list[str], hits: list[Hit]
    ) -> Answer:
        what = f" {_join(unknown)}" if unknown else " this question"
        return Answer(
            question=question,
            answer=f"{NOT_COVERED_PREFIX} cover{what}.",
            abstained=True,
            citations=[],
            standalone_question=standalone if standalone != question else None,
            retrieved=hits,
        )


def _join(words: list[str]) -> str:
    words = list(dict.fromkeys(words))[:4]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


ASKS_DRUG = re.compile(
    r"\b(which|what)\b.{0,30}\b(drugs?|medications?|medicines?|agents?|immunosuppressants?|"
    r"options?|treatments?|therap(?:y|ies))\b",
    re.I,
)
ASKS_ANTIBODY = re.compile(r"\b(which|what)\b.{0,30}\b(antibod\w+|subtypes?|serolog\w*)", re.I)


def answer_type_bonus(question: str, sentence: str, vocab: Vocabulary) -> float:
    """A sentence holding the kind of thing the question asks for (a dose, a drug) ranks higher."""
    bonus = 0.0
    if DOSE_INTENT.search(question) and DOSE_VALUE.search(sentence):
        bonus += 0.1
    if DURATION_INTENT.search(question) and DURATION_VALUE.search(sentence):
        bonus += 0.15
    drugs = [1 for t, _ in vocab.entities(sentence) if t == "drug"]
    if ASKS_DRUG.search(question) and len(drugs) >= 2:
        bonus += 0.08
    if ASKS_ANTIBODY.search(question) and any(t == "antibody" for t, _ in vocab.entities(sentence)):
        bonus += 0.05
    return bonus
