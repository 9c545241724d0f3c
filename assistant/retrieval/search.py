"""Stage 5: hybrid retrieval, dense (FAISS) and sparse (BM25) scores fused.

Fusion is a weighted sum of the two scores, each min-max normalised over its own candidate list
(a passage missing from one list gets that list's floor, 0). On PubMedQA PQA-L (bench/) it finds a
question's abstract first 98% of the time where plain reciprocal rank fusion found 97.1% (dense
alone 97.3%, BM25 alone 95.3%): RRF throws away how far ahead the best passage is. Dense gets
the larger share (``RetrievalSettings.dense_share``), the best split measured there; the 50
gold answers are the same as with reciprocal rank fusion. Part of the dense share goes to a
passage's best sentence (``sentence_share``); it ranks, and each hit keeps the fusion without it
as ``base_score``, the score the answerer's scorer was fitted on.
Reciprocal rank fusion stays available (``fusion="rrf"``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

import bm25s
import numpy as np

from assistant.core.settings import RetrievalSettings
from assistant.core.types import Chunk, Hit, Mode
from assistant.domain.cues import asked
from assistant.domain.vocabulary import Vocabulary, general_vocabulary
from assistant.ingest.chunk import carries_on, embed_text
from assistant.store.embed import Embedder
from assistant.store.index import Index
from assistant.store.neighbours import Neighbours
from assistant.store.vectors import make_vector_index
from assistant.text.frequency import RARE_TERM, zipf
from assistant.text.quantities import spell_numbers
from assistant.text.tokens import STOPWORDS

Fusion = Literal["convex", "rrf"]
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
CAPS = re.compile(r"\b[A-Z]{3,5}\b")
LOWER_SHORT = re.compile(r"\b[a-z]{3,5}\b")


def abbreviation_shaped(word: str) -> bool:
    """Whether a word may be an abbreviation: in capitals ("TAB"), or typed in lower case
    ("fvc", "tpmt") and no English word (rarer than RARE_TERM), as clinicians type them."""
    return bool(CAPS.fullmatch(word)) or (
        bool(LOWER_SHORT.fullmatch(word)) and zipf(word) < RARE_TERM
    )


def abbreviations_typed(query: str) -> list[str]:
    """The question's words that may be abbreviations; a question typed in capitals throughout
    has none (its words are not abbreviations)."""
    if query.isupper():
        return []
    return [w for w in WORD.findall(query) if abbreviation_shaped(w)]


def initialisms(query: str) -> list[str]:
    """Initials of each run of 3-4 content words ("double balloon enteroscopy" → "dbe").

    Papers name a thing in full once (often in the title, which a question repeats) and then by
    its abbreviation: the lexical side should match "DBE" for "double balloon enteroscopy". Only
    initialisms the corpus contains are used (see Searcher.sparse); two-letter ones match too
    much by chance ("ct", "pr") and are not made.
    """
    words = [w.lower() for w in WORD.findall(query.replace("-", " "))]
    words = [w for w in words if w not in STOPWORDS]
    return [
        "".join(w[0] for w in words[i : i + n])
        for n in (3, 4)
        for i in range(len(words) - n + 1)
    ]


def word_text(chunks: list[Chunk], i: int) -> str:
    """What the word search matches a passage by: its embedded text (heading, list lead) with
    numbers in words as digits ("ten mg" finds "10 mg"), and for a list item that carries on
    its list (it starts in lower case: "then reduce by 1 mg every 4 to 8 weeks") the item
    before it, on which it leans ("then 10 mg daily for 4 to 6 weeks")."""
    c = chunks[i]
    text = embed_text(c)
    if i > 0 and carries_on(c):
        before = chunks[i - 1]
        if before.kind == "bullet" and before.source == c.source and before.lead == c.lead:
            text = f"{before.text} {text}"
    return spell_numbers(text)


def spelled_run(short: str, text: str) -> str:
    """The run of content words in ``text`` whose initials spell ``short`` ("TAB": "temporal
    artery biopsy"), the most frequent if several; "" when there is none."""
    # "of" may join them ("ULN": "upper limit of normal", "ROM": "range of motion"); it has no
    # initial, and no word with an initial may be a stop word. (Other small words joined chance
    # phrases: "CAP" as "criteria apply to patients".)
    joint = r"[\s-]+(?:of\s+)?"
    run = re.compile(
        r"\b" + joint.join(f"{ch}[a-z]+" for ch in short.lower()) + r"\b", re.IGNORECASE
    )
    found = Counter(" ".join(m.lower().split()) for m in run.findall(text))
    runs = [
        r for r, _ in found.most_common()
        if len([w for w in re.split(r"[\s-]+", r) if w not in STOPWORDS]) == len(short)
    ]
    return runs[0] if runs else ""


class Searcher:
    """Plain, typed search over one index; the LangChain retriever below wraps it."""

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        settings: RetrievalSettings | None = None,
        vocab: Vocabulary | None = None,
        neighbours: Neighbours | None = None,
    ) -> None:
        s = settings or RetrievalSettings()
        self.neighbours = neighbours
        self.vocab = vocab or general_vocabulary()
        self.index = index
        self.embedder = embedder
        self.fusion: Fusion = s.fusion
        self.rrf_k = s.rrf_k
        self.dense_weight = s.dense_weight
        self.sparse_weight = s.sparse_weight
        self.dense_share = s.dense_share
        self.pool = s.fusion_pool
        self.sentence_share = s.sentence_share
        self.chunks = index.chunks
        # The sentence vectors the index keeps for the answerer, searchable too (a copy in
        # FAISS, of the kind fit for their number), when the sentence signal is used.
        self.sentences = (
            make_vector_index(index.sentence_vectors)
            if self.sentence_share > 0 and len(index.sentence_owner)
            else None
        )
        self.bm25 = bm25s.BM25()
        corpus_terms = [
            self.vocab.terms(word_text(self.chunks, i)) or ["\0"] for i in range(len(self.chunks))
        ]
        self.bm25.index(corpus_terms, show_progress=False)
        self.known = {t for ts in corpus_terms for t in ts}
        self._text: str | None = None  # the passages' text, joined when first needed
        self._spelled: dict[str, str] = {}

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.encode_one(query)

    def dense(self, qvec: np.ndarray, depth: int) -> list[tuple[int, float]]:
        depth = min(depth, len(self.chunks))
        scores, ids = self.index.vectors.search(qvec.reshape(1, -1).astype(np.float32), depth)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def by_sentence(self, qvec: np.ndarray) -> list[tuple[int, float]]:
        """Passages by their best sentence's similarity to the question, best first.

        A fixed number of sentences is searched, whatever k is asked (4 per pooled passage:
        enough to reach the pool's passages); passages beyond the pool count as absent in the
        fusion anyway, so the first hits do not move when more are asked for.
        """
        if self.sentences is None:
            return []
        depth = min(4 * self.pool, self.sentences.ntotal)
        scores, ids = self.sentences.search(qvec.reshape(1, -1).astype(np.float32), depth)
        best: dict[int, float] = {}
        for i, s in zip(ids[0], scores[0], strict=True):
            if i >= 0:
                best.setdefault(self.index.sentence_owner[int(i)][0], float(s))
        return list(best.items())

    def sparse(
        self, query: str, depth: int, spelled_out: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """Passages by BM25 over the query's terms, its initialisms, stand-ins for words the
        corpus lacks, what its abbreviations stand for (``spelled_out``, found here when not
        given) and the words a kind of question is answered in."""
        if spelled_out is None:
            spelled_out = self.spelled_out(query)
        q = [t for t in self.vocab.terms(spell_numbers(query)) if t in self.known]
        q += [a for a in dict.fromkeys(initialisms(query)) if a in self.known and a not in q]
        q += [t for t in self.stand_ins(query) if t not in q]
        spelled = [t for p in spelled_out for t in self.vocab.terms(p)]
        q += [t for t in dict.fromkeys(spelled) if t in self.known and t not in q]
        # A kind of question ("outlook?") is answered in words it does not use ("remission"):
        # the word search looks for those too (domain/cues.py).
        for cue, _ in asked(self.vocab.cues, query):
            said = [t for w in cue.says_words for t in self.vocab.terms(w)]
            q += [t for t in dict.fromkeys(said) if t in self.known and t not in q]
        if not q:
            return []
        depth = min(depth, len(self.chunks))
        ids, scores = self.bm25.retrieve([q], k=depth, show_progress=False, n_threads=1)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]

    def spelled_out(self, query: str) -> list[str]:
        """What abbreviations the corpus never uses stand for, where the corpus
        has a run of words with their initials ("TAB": "temporal artery biopsy"): a text often
        names a thing in full where a question types its initials. The most frequent run of
        content words wins; found once per abbreviation."""
        out: list[str] = []
        for short in abbreviations_typed(query):
            terms = self.vocab.terms(short)
            if not terms or any(t in self.known for t in terms) or f"({short})" in query:
                continue  # a stop word, a word the corpus has, or defined by the question
            if run := self.spelled(short):
                out.append(run)
        return list(dict.fromkeys(out))

    def spelled(self, short: str) -> str:
        """The corpus's run of words whose initials spell ``short`` (spelled_run), found once
        per abbreviation; "" when there is none."""
        if short not in self._spelled:
            if self._text is None:
                self._text = "\n".join(c.text for c in self.chunks)
            self._spelled[short] = spelled_run(short, self._text)
        return self._spelled[short]

    def stand_ins(self, query: str) -> list[str]:
        """Corpus terms for the query's words the corpus never uses, by meaning ("malignancy":
        cancer): the word search otherwise drops such a word and, with it, what it asks about."""
        if self.neighbours is None:
            return []
        out: list[str] = []
        unknown = [
            w for w in WORD.findall(query)
            if (terms := self.vocab.terms(w)) and not any(t in self.known for t in terms)
        ]
        self.neighbours.look_up(unknown)
        for word in unknown:
            for near, _ in self.neighbours.near(word):
                out += [t for t in self.vocab.terms(near) if t in self.known]
        return list(dict.fromkeys(out))

    def search(
        self,
        query: str,
        k: int = 5,
        mode: Mode = "hybrid",
        qvec: np.ndarray | None = None,
    ) -> list[Hit]:
        depth = max(4 * k, self.pool)
        dense: list[tuple[int, float]] = []
        sparse: list[tuple[int, float]] = []
        sentences: list[tuple[int, float]] = []
        spelled = self.spelled_out(query)
        if mode in ("hybrid", "dense"):
            qvec = self.embed_query(query) if qvec is None else qvec
            if spelled:
                # The question's meaning with what its abbreviations stand for.
                qvec = qvec + self.embed_query("; ".join(spelled))
                qvec = qvec / max(float(np.linalg.norm(qvec)), 1e-12)
            dense = self.dense(qvec, depth)
            sentences = self.by_sentence(qvec)
        if mode in ("hybrid", "sparse"):
            sparse = self.sparse(query, depth, spelled)
        fused = self.fuse(dense, sparse, sentences)
        # The sentence signal ranks; the answerer's scorer still reads the two-signal score.
        base = self.fuse(dense, sparse) if sentences and self.fusion == "convex" else None
        dense_of = dict(dense)
        sparse_of = dict(sparse)
        order = sorted(fused, key=lambda i: (-fused[i], -dense_of.get(i, -1.0), i))[:k]
        return [
            Hit(
                rank=r + 1,
                score=round(fused[i], 6),
                chunk=self.chunks[i],
                dense_score=dense_of.get(i),
                sparse_score=sparse_of.get(i),
                base_score=None if base is None else round(base.get(i, 0.0), 6),
            )
            for r, i in enumerate(order)
        ]

    def fuse(
        self,
        dense: list[tuple[int, float]],
        sparse: list[tuple[int, float]],
        sentences: list[tuple[int, float]] | None = None,
    ) -> dict[int, float]:
        """Each list's scores min-max normalised and summed by share (rrf: ranks; the sentence
        list is then left out, as it was measured with the convex fusion only)."""
        fused: dict[int, float] = {}
        if self.fusion == "rrf":
            for weight, ranked in ((self.dense_weight, dense), (self.sparse_weight, sparse)):
                for rank, (i, _) in enumerate(ranked):
                    fused[i] = fused.get(i, 0.0) + weight / (self.rrf_k + rank + 1)
            return fused
        dense_part = self.dense_weight * self.dense_share
        by_sentence = self.sentence_share if sentences else 0.0
        shares = (
            (dense_part * (1.0 - by_sentence), dense),
            (dense_part * by_sentence, sentences or []),
            (self.sparse_weight * (1.0 - self.dense_share), sparse),
        )
        for weight, ranked in shares:
            if not ranked:
                continue
            # Normalised over the pool only, and a hit below it counts as absent (0): asking for
            # more hits must not move the scores of the first ones.
            pool = [s for _, s in ranked[: self.pool]]
            lo = min(pool)
            span = max(pool) - lo
            for i, s in ranked:
                # A list of one (or of equal scores) counts fully: it is all that list found.
                norm = (s - lo) / span if span > 0 else float(s >= lo)
                fused[i] = fused.get(i, 0.0) + weight * max(norm, 0.0)
        return fused
