"""The item bank: gold items and items generated from the corpus, findable by id or question.

The bank holds the answerable single-turn items of ``eval/gold.jsonl`` (for the default corpus)
and the items generated from the corpus passages (quiz/generate.py). Every item keeps its
source passage (chunk id, quote).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from assistant.answering.citing import MARKER
from assistant.core.errors import InputError
from assistant.core.settings import DEFAULT_CORPUS, Settings
from assistant.core.types import Chunk
from assistant.domain.vocabulary import Vocabulary, general_vocabulary, vocabulary_for
from assistant.evaluation.gold import DEFAULT_GOLD, GoldItem, read_gold_leniently
from assistant.ingest.chunk import strip_refs
from assistant.quiz.generate import ItemMaker
from assistant.quiz.grading import Grader
from assistant.quiz.items import Fact, Grade, Item


def _squash(text: str) -> str:
    return " ".join(strip_refs(text)[0].lower().split())


class GoldItems:
    """Answerable single-turn gold items as quiz items, located in the passages."""

    def __init__(self, chunks: Sequence[Chunk], vocab: Vocabulary) -> None:
        self.chunks = chunks
        self.vocab = vocab

    def locate(self, item: GoldItem) -> tuple[Chunk, str] | None:
        """The passage and sentence that support a gold item."""
        by_id = {c.chunk_id: c for c in self.chunks}
        texts: list[str] = []
        for s in item.support:
            cid: str | None = None
            if isinstance(s, str):
                cid, text = (s if "#" in s and " " not in s else None), s
            else:
                text = next((s[k] for k in ("quote", "text", "span", "sentence") if s.get(k)), "")
                cid = s.get("chunk_id") or s.get("id")
            texts.append(text)
            chunk = by_id.get(cid) if cid else None
            if chunk is None and text:
                needle = _squash(text)
                chunk = next((c for c in self.chunks if needle and needle in _squash(c.text)), None)
            if chunk is not None:
                return chunk, self.best_sentence(chunk, text or item.answer)
        # No usable support: the passage sharing most words with the reference answer.
        terms = self.vocab.terms
        want = set(terms(" ".join([item.answer, *texts])))
        if not want or not self.chunks:
            return None
        chunk = max(self.chunks, key=lambda c: (len(want & set(terms(c.text))), -c.position))
        if not want & set(terms(chunk.text)):
            return None
        return chunk, self.best_sentence(chunk, item.answer)

    def best_sentence(self, chunk: Chunk, text: str) -> str:
        want = set(self.vocab.terms(text))
        return max(chunk.sentences, key=lambda s: len(want & set(self.vocab.terms(s))))

    def items(self, gold: Iterable[GoldItem]) -> list[Item]:
        items: list[Item] = []
        ids: set[str] = set()
        for row in gold:
            if row.turns or not row.answerable:
                continue
            if not row.question.strip() or not row.answer.strip():
                continue
            facts = [f for f in row.facts if f.fact.strip() or f.accept] or [
                Fact(fact=row.answer)
            ]
            located = self.locate(row)
            if located is None:
                continue
            chunk, quote = located
            iid = f"gold-{row.id or hashlib.sha1(row.question.encode()).hexdigest()[:10]}"
            if iid in ids:
                continue  # a repeated id keeps its first item
            ids.add(iid)
            items.append(Item(
                id=iid, kind="gold", topic=row.category or "general", question=row.question,
                answer=MARKER.sub("", row.answer).replace(" .", ".").strip(), facts=facts,
                chunk_id=chunk.chunk_id, source=chunk.source, section=chunk.section,
                quote=quote, passage=chunk.text, refs=list(chunk.refs),
            ))  # fmt: skip
        return items


def _key(question: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", question.lower()).split())


class Bank:
    """The quiz items, findable by id or by question text, and their grader."""

    def __init__(self, items: list[Item], grader: Grader) -> None:
        self.items = items
        self.grader = grader
        self.by_id = {i.id: i for i in items}
        self._by_question: dict[str, Item] = {}
        for i in items:
            self._by_question.setdefault(_key(i.question), i)
            self._by_question.setdefault(_key(i.prompt()), i)

    def __len__(self) -> int:
        return len(self.items)

    def grade(self, item: Item, answer: str) -> Grade:
        return self.grader.grade_item(item, answer)

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


def build_bank(
    chunks: Sequence[Chunk], gold: Iterable[GoldItem] = (), vocab: Vocabulary | None = None
) -> Bank:
    vocab = vocab or general_vocabulary()
    items = GoldItems(chunks, vocab).items(gold) + ItemMaker(vocab).generate(chunks)
    return Bank(items, Grader(vocab))


def load_bank(
    settings: Settings, chunks: Sequence[Chunk] | None = None, gold: Path | None = None
) -> Bank:
    """The bank for ``settings.corpus``; the gold set joins it for the default corpus only
    (its questions are about that corpus)."""
    if chunks is None:
        from assistant.ingest.chunk import chunk_corpus
        from assistant.ingest.corpus import load_corpus

        chunks = chunk_corpus(load_corpus(settings.corpus), settings.chunk.max_chars)
    rows: list[GoldItem] = []
    gold_path = gold or DEFAULT_GOLD
    if gold is not None or settings.corpus.resolve() == DEFAULT_CORPUS.resolve():
        rows = read_gold_leniently(gold_path) if gold_path.is_file() else []
    return build_bank(chunks, rows, vocabulary_for(settings.corpus))
