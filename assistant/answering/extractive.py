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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from assistant.answering.asides import set_aside
from assistant.answering.besides import about_set_aside
from assistant.answering.citing import CitationBuilder
from assistant.answering.conversation import CONTEXT_LABEL
from assistant.answering.coverage import cover
from assistant.answering.declining import decline
from assistant.answering.features import FEATURES, Asks, is_fragment
from assistant.answering.gaps import missing_detail
from assistant.answering.leads import quote, whole_lists, with_context
from assistant.answering.repeats import already_given
from assistant.answering.scorer import load_scorer
from assistant.answering.wording import WORD, QuestionWords
from assistant.core.settings import AnswerSettings
from assistant.core.types import Answer, Chunk, Hit, Retrieved
from assistant.domain.cues import asked
from assistant.domain.vocabulary import Vocabulary, general_vocabulary
from assistant.ingest.chunk import embed_text
from assistant.store.embed import TextSimilarity
from assistant.store.index import Index
from assistant.store.neighbours import Neighbours
from assistant.text.drugs import looks_like_drug
from assistant.text.quantities import is_share_word, same_share, shares
from assistant.text.sentences import about_the_text
from assistant.text.tokens import stem

# The term a sentence stating the share a question names has (no word of any text).
SHARE_TERM = "%share"
CUE_TERM = "%cue:"
# Candidates after the best looked at for a companion nearly as likely as it (select()).
NEAR_BEST_LOOKED_AT = 7


@dataclass
class Scored:
    chunk: Chunk
    sentence_index: int
    sentence: str
    row: int  # row in the sentence-vector matrix
    dense: float
    lexical: float
    score: float  # the probability that it answers the question
    features: np.ndarray | None = None


class Answerer(QuestionWords):
    """Composes cited answers from one index's sentences."""

    def __init__(
        self,
        index: Index,
        settings: AnswerSettings | None = None,
        vocab: Vocabulary | None = None,
        similar: TextSimilarity | None = None,
        neighbours: Neighbours | None = None,
        spelled: Callable[[str], str] | None = None,
    ) -> None:
        self.settings = s = settings or AnswerSettings()
        self.scorer = load_scorer()
        # Cosine of two short texts' embeddings (words here); None: no paraphrase check.
        self.similar = similar
        # Corpus words nearest in meaning to a word the corpus lacks; None: no such reading.
        self.neighbours = neighbours
        self.vocab = vocab = vocab or general_vocabulary()
        terms = vocab.terms
        # "this disease" names the corpus's own subject: it tells no sentence from another.
        nouns = "|".join(re.escape(n) for n in vocab.subject_nouns) or "(?!)"
        self.topic_reference = re.compile(rf"\b(?:this|the|that)\s+(?:{nouns})\b", re.I)
        self.index = index
        self.max_words = s.max_words
        self.row_of = {owner: row for row, owner in enumerate(index.sentence_owner)}
        self.sentence_terms = [
            set(terms(index.chunks[c].sentences[j])) for c, j in index.sentence_owner
        ]
        # A sentence that names its subject only by pointing back ("The condition resolves
        # within months", "It lasts 3 hours") is about what its passage's heading and first
        # sentence name: their terms are its own too.
        self.opens_on_subject = re.compile(
            rf"(?:The|This|That)\s+(?:{nouns})\b"
        )
        self.subject_terms = [
            set(terms(c.section.rsplit(" > ", 1)[-1])) | set(terms(c.sentences[0]))
            if c.sentences else set() for c in index.chunks
        ]
        # Each passage as embedded (heading, list lead, text): what a sentence is about.
        self.passage_texts = contexts = [embed_text(c) for c in index.chunks]
        self.context_terms = [set(terms(text)) for text in contexts]
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
        # Every word the passages use, stemmed as it stands: a word inside a term read as one
        # ("juvenile" in "Juvenile dermatomyositis (JDM)", "intravenous" in a drug's name) is
        # still a word the corpus mentions, and a question using it is not told otherwise.
        self.corpus_words = {stem(w.lower()) for text in contexts for w in set(WORD.findall(text))}
        # The words the corpus spells an abbreviation out in ("TAB": "temporal artery
        # biopsy"; the search's, retrieval/search.py); None: no such reading.
        self.spelled = spelled
        self._by_prefix: dict[str, list[str]] = {}
        for v in self.corpus_terms:
            self._by_prefix.setdefault(v[:5], []).append(v)

    # --- scoring -------------------------------------------------------------------------------

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.max_idf)

    def score_sentences(
        self,
        question: str,
        qvec: np.ndarray,
        hits: list[Hit],
        focus: str | None = None,
        said: str = "",
        skip: Sequence[str] = (),
    ) -> list[Scored]:
        """Sentences of ``hits``, most likely to answer first (probability from the scorer);
        those in ``skip`` are no candidates (nor the best the others are measured against)."""
        rows, feats = self.features(question, qvec, hits, focus, said, skip)
        if not rows:
            return []
        probs = self.scorer.probability(feats)
        scored = [
            Scored(c, j, c.sentences[j], r, float(f[0]), float(f[4]), float(p), f)
            for (c, j, r), f, p in zip(rows, feats, probs, strict=True)
        ]
        scored.sort(key=lambda s: -s.score)
        return scored

    def features(
        self,
        question: str,
        qvec: np.ndarray,
        hits: list[Hit],
        focus: str | None = None,
        said: str = "",
        skip: Sequence[str] = (),
    ) -> tuple[list[tuple[Chunk, int, int]], np.ndarray]:
        """The candidate sentences of ``hits`` and their feature rows (answering/features.py)."""
        question = self.topic_reference.sub(" ", question)
        focus = self.topic_reference.sub(" ", focus) if focus else focus
        qwords = self.vocab.question_words
        q_terms = self.matched_terms(question)
        focus_terms = set(self.matched_terms(focus)) if focus else set(q_terms)
        # A share the question states ("one in five") is a term that a sentence giving it in
        # figures ("15 to 20 percent") matches: as rare as any word, the figure is the point.
        asked_shares = shares(focus or question)
        if asked_shares:
            # ... and its words ("one", "five") are not matched one by one.
            q_terms = [t for t in q_terms if not is_share_word(t)] + [SHARE_TERM]
            focus_terms.add(SHARE_TERM)
        # So is a kind of question ("outlook"), which a sentence saying one of its answering
        # phrases ("self-limiting") has (domain/cues.py); the asking words are its term.
        cues = asked(self.vocab.cues, focus or question)
        for cue, phrases in cues:
            said_as = {t for p in phrases for t in self.vocab.terms(p)}
            q_terms = [t for t in q_terms if t not in said_as] + [CUE_TERM + cue.kind]
            focus_terms.add(CUE_TERM + cue.kind)
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
        f_terms = [t for t in focus_terms if t not in qwords] or list(focus_terms)
        f_weight = sum(self.weight(t) for t in f_terms) or 1.0
        asks = Asks.of(focus or question)
        rows: list[tuple[Chunk, int, int]] = []
        hit_of: list[Hit] = []
        for hit in hits:
            c = hit.chunk
            for j in range(len(c.sentences)):
                if c.sentences[j] in skip:
                    continue
                rows.append((c, j, self.row_of[(c.position, j)]))
                hit_of.append(hit)
        if not rows:
            return [], np.zeros((0, len(FEATURES)))
        vecs = self.index.sentence_vectors
        sims = vecs[[r for _, _, r in rows]] @ qvec
        passage_sim: dict[int, float] = {}
        out = np.zeros((len(rows), len(FEATURES)))
        for n, ((c, j, r), dense, hit) in enumerate(zip(rows, sims, hit_of, strict=True)):
            if c.position not in passage_sim:
                mean = vecs[[self.row_of[(c.position, k)] for k in range(len(c.sentences))]]
                mean = mean.mean(axis=0)
                passage_sim[c.position] = float(mean @ qvec / (np.linalg.norm(mean) or 1.0))
            own = self.sentence_terms[r]
            if j > 0 and self.opens_on_subject.match(c.sentences[j]):
                own = own | self.subject_terms[c.position]
            if asked_shares and same_share(asked_shares, c.sentences[j]):
                own = own | {SHARE_TERM}
            for cue, _ in cues:
                if cue.says.search(c.sentences[j]) or cue.asks.search(c.sentences[j]):
                    own = own | {CUE_TERM + cue.kind}
            ctx = self.context_terms[c.position]
            lex = sum(
                self.weight(t) * boost[t] * (1.0 if t in own else 0.5 if t in ctx else 0.0)
                for t in q_terms
            ) / q_weight
            lex_own = sum(self.weight(t) * boost[t] for t in q_terms if t in own) / q_weight
            focus_own = sum(self.weight(t) for t in f_terms if t in own) / f_weight
            # The question's own phrase ("immunosuppressive therapy") in the sentence says
            # more than its words scattered over it.
            shared = min(2, sum(p in self.sentence_pairs[r] for p in q_pairs)) / 2
            sentence = c.sentences[j]
            has, lacks = asks.fit(sentence)
            listing = asks.listing and len(
                [1 for t, _ in self.vocab.entities(sentence) if t in ("drug", "test")]) >= 2
            out[n] = (
                float(dense),
                passage_sim[c.position],
                hit.score if hit.base_score is None else hit.base_score,
                1.0 / hit.rank,
                lex,
                lex_own,
                focus_own,
                shared,
                has,
                lacks,
                1.0 if listing else 0.0,
                1.0 if is_fragment(sentence) else 0.0,
                1.0 if j == 0 else 0.0,
                min(len(sentence.split()), 60) / 60,
                1.0 if said and sentence in said else 0.0,
                0.0,
                0.0,
                0.0,
            )
        for col, rel in ((0, -3), (4, -2), (6, -1)):
            out[:, rel] = out[:, col] - out[:, col].max()
        return rows, out

    # --- composing -----------------------------------------------------------------------------

    def ranked(self, retrieved: Retrieved) -> list[Scored]:
        """The retrieved passages' sentences the answer may quote, best first."""
        reading, qvec, hits = retrieved.reading, retrieved.qvec, retrieved.hits
        standalone, focus = reading.standalone, reading.focus
        # A follow-up is not told again what the last answer gave, unless nothing else answers;
        # a sentence of it that gives what the follow-up newly asks is no repeat.
        given = already_given(
            reading, self.vocab, lambda words, s: len(self.not_paraphrased(words, [s])) < len(words)
        )
        said = " ".join(given)
        scored = self.score_sentences(standalone, qvec, hits, focus, said, given)
        if given and not self.scorer.answers([s.score for s in scored[:2]]):
            scored = self.score_sentences(standalone, qvec, hits, focus=focus, said=said)
        scored = [s for s in scored if not about_the_text(s.sentence, focus or standalone)]
        if reading.exclude:
            scored = [s for s in scored if not any(s.sentence in q for q in reading.exclude)]
        if aside := set_aside(focus or standalone, self.vocab):
            scored = [s for s in scored if not about_set_aside(
                s.sentence, aside, self.vocab, " ".join(s.chunk.sentences[: s.sentence_index]))]
        return scored

    def better_reading(self, retrieved: Retrieved) -> tuple[Retrieved, list[Scored]]:
        """The question read alone, or in its conversation (``in_context``): whichever best
        sentence the scorer trusts more (alone on a tie), with its ranked sentences."""
        alone = self.ranked(retrieved)
        other = retrieved.in_context
        if other is None:
            return retrieved, alone
        leant = self.ranked(other)
        if leant and (not alone or leant[0].score > alone[0].score):
            return other, leant
        return retrieved, alone

    def answer(self, retrieved: Retrieved, scored: list[Scored] | None = None) -> Answer:
        """The cited answer (``scored``: the reading's sentences already ranked, if they are)."""
        reading, hits = retrieved.reading, retrieved.hits
        question, standalone, focus = reading.question, reading.standalone, reading.focus
        scored = self.ranked(retrieved) if scored is None else scored
        best = scored[0] if scored else None
        unmentioned, topic = self.unmentioned((focus or standalone).replace(CONTEXT_LABEL, ""))
        # All the question is about is nowhere in the corpus, or it asks about a drug the corpus
        # never names: quoting what is there would answer another question.
        off_topic = (topic > 0 and self.unknown_words(unmentioned) >= topic) or any(
            looks_like_drug(w) or self.vocab.entities(w) for u in unmentioned for w in u.split()
        )
        if best is None or off_topic:
            return decline(reading, unmentioned, hits, self.vocab, closest=False)
        if not self.scorer.answers([s.score for s in scored[:2]]):
            return decline(reading, unmentioned, hits, self.vocab, closest=True)
        chosen = self.select(scored)
        chosen = cover(scored, chosen, self.topic_units(focus or standalone),
                       lambda s: self.sentence_terms[s.row], self.companion_floor(best),
                       self.settings.covering_max_words)
        chosen = whole_lists(scored, chosen, self.companion_floor(best),
                             self.settings.covering_max_words)
        chosen = self.with_antecedents(chosen)
        builder = CitationBuilder()
        parts, sentences = quote(chosen, self.index.chunks, builder)
        unmentioned = self.not_paraphrased(unmentioned, sentences)
        unanswered = self.unanswered(reading, sentences) if reading.history and focus else []
        # What each quoted sentence is about, when it names nothing itself: its passage.
        contexts = {s.sentence: self.passage_texts[s.chunk.position] for s in chosen}
        gap = missing_detail(reading, sentences, self.vocab, unmentioned, unanswered,
                             self.naming_key(focus or standalone, sentences), contexts,
                             self.measure)
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

    def naming_key(self, question: str, sentences: list[str]) -> list[str] | None:
        """The sentences naming the rarest topic word of the question that the answer names
        ("diabetes" of "what % of patients have diabetes?"): a figure from another sentence
        ("80 percent improve") is about something else. None: the answer names none."""
        named = [set(self.vocab.terms(s)) for s in sentences]
        units = [u for u in self.topic_units(question) if any(u.in_terms(ts) for ts in named)]
        if not units:
            return None
        key = max(units, key=lambda u: self.weight(u.term))
        # ... or naming two of the question's topic words besides its commonest (most often
        # the disease itself): "permanent visual loss occurs in 15 percent" is a figure of
        # "how many GCA patients end up with permanent vision loss?".
        rarer = sorted(units, key=lambda u: self.weight(u.term))[1:]
        return [s for s, ts in zip(sentences, named, strict=True)
                if key.in_terms(ts) or sum(u.in_terms(ts) for u in rarer) >= 2]

    def with_antecedents(self, chosen: list[Scored]) -> list[Scored]:
        """``chosen`` with the sentences it needs to be read (answering/leads.py)."""
        return with_context(chosen, lambda s, j: Scored(
            s.chunk, j, s.chunk.sentences[j], self.row_of[(s.chunk.position, j)], 0.0, 0.0,
            s.score))

    def companion_floor(self, best: Scored) -> float:
        return max(self.scorer.companion_min, self.scorer.companion_ratio * best.score)

    def select(self, scored: list[Scored]) -> list[Scored]:
        best = scored[0]
        chosen = [best]
        words = len(best.sentence.split())
        floor = self.companion_floor(best)
        # The next three are companions when they reach the floor within max_words. One nearly
        # as likely as the best is as much an answer: a second fact a question asks ("the
        # outlook": how many remit, how many are left disabled) may stand in a sentence ranked
        # below others saying the first. It joins from further down, within the longer budget.
        near = self.settings.near_best_ratio * best.score
        for n, s in enumerate(scored[1 : 1 + NEAR_BEST_LOOKED_AT], start=1):
            close = s.score >= near
            if s.score < floor or (n > 3 and not close):
                break
            budget = self.settings.covering_max_words if close else self.max_words
            if words + len(s.sentence.split()) > budget:
                continue
            if self.redundant(s, chosen):
                continue
            chosen.append(s)
            words += len(s.sentence.split())
        return chosen

    def redundant(self, cand: Scored, chosen: list[Scored]) -> bool:
        """Whether ``cand`` says again what ``chosen`` says: near one of them in meaning, and
        most of its words' weight in words they already have. A sentence close in meaning but
        mostly new words ("in this variant corticosteroids may cause deterioration" after
        "corticosteroids should be avoided in motor X") adds a fact: not redundant."""
        vecs = self.index.sentence_vectors
        if not any(float(vecs[cand.row] @ vecs[c.row]) > self.settings.redundancy_max
                   for c in chosen):  # fmt: skip
            return False
        own = self.sentence_terms[cand.row]
        have = set().union(*(self.sentence_terms[c.row] for c in chosen))
        new = sum(self.weight(t) for t in own - have) / (sum(self.weight(t) for t in own) or 1.0)
        return new < self.settings.redundancy_new_share
