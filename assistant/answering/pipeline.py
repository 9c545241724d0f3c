"""The assistant: the stages composed as a LangChain Runnable chain behind one small API.

``Assistant.ask(question, history)`` is what the CLI, the chat app, the quiz and the eval call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answering.conversation import read_in_context
from assistant.answering.extractive import Answerer
from assistant.core.errors import InputError
from assistant.core.settings import Settings
from assistant.core.types import Answer, Hit, Turn
from assistant.domain.lexicon import expand_abbreviations
from assistant.retrieval.search import HybridRetriever, Mode, Searcher
from assistant.store.embed import Embedder, shared_embedder
from assistant.store.index import Index, ensure_index, expected_manifest, staleness

Notify = Callable[[str], None]


def clean_question(text: str, max_chars: int) -> tuple[str, list[str]]:
    """A usable question and notes about what was changed; refuses an empty one."""
    notes: list[str] = []
    text = "".join(c if c.isprintable() or c in "\t\n" else " " for c in text)
    text = " ".join(text.split())
    if not text:
        raise InputError("empty question: type a question about IMNM")
    if len(text) > max_chars:
        notes.append(f"question cut to its first {max_chars} characters (it had {len(text)})")
        text = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
    return text, notes


def bounded_history(history: Sequence[Turn], max_chars: int, max_turns: int = 8) -> list[Turn]:
    """The last ``max_turns`` turns, cleaned and clipped: a chat client sends its history
    back, so the turns are input like the question (a 1 MB turn took ~25 s to read)."""

    def clip(text: str | None, limit: int) -> str:
        text = "".join(c if c.isprintable() or c in "\t\n" else " " for c in (text or "")[:limit])
        return " ".join(text.split())

    return [
        Turn(
            question=clip(t.question, max_chars),
            answer=clip(t.answer, 10 * max_chars),
            # A chain of follow-ups nests its context: keep the newest part of it.
            standalone_question=clip(t.standalone_question, 2 * max_chars) or None,
        )
        for t in list(history)[-max_turns:]
    ]


class Assistant:
    """Loads (or builds) the index once, then answers questions with cited passages."""

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        rebuild: bool = True,
        progress: bool = False,
        notify: Notify | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder or shared_embedder()
        self.notify: Notify = notify or (lambda _: None)
        self._rebuild = rebuild
        self._progress = progress
        self._lock = threading.Lock()
        # Optional LLM generation (assistant/llm.py); None: the extractive answer is the answer.
        self.generator: Any = None
        if self.settings.llm.base_url:
            from assistant.answering.generative import make_generator

            self.generator = make_generator(self.settings, self.embedder)
        self._load(ensure_index(self.settings, self.embedder, rebuild, progress=progress,
                                notify=self.notify))
        self.chain: Runnable[dict[str, Any], Answer] = (
            RunnableLambda(self._prepare)
            | RunnableLambda(self._retrieve)
            | RunnableLambda(self._compose)
        )

    def _load(self, index: Index) -> None:
        s = self.settings
        self.index = index
        self.searcher = Searcher(index, self.embedder, s.retrieval)
        self.answerer = Answerer(index, s.answer)
        self.retriever = HybridRetriever(searcher=self.searcher, k=s.retrieval.k)

    # --- the chain's steps ---------------------------------------------------------------------

    def _prepare(self, inp: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        question, notes = clean_question(inp["question"], self.settings.answer.max_question_chars)
        a = self.settings.answer
        history = bounded_history(inp.get("history") or [], a.max_question_chars, a.history_turns)
        standalone, focus = read_in_context(question, history)
        return inp | {"question": question, "standalone": standalone, "focus": focus,
                      "notes": notes, "t0": t0}

    def _retrieve(self, inp: dict[str, Any]) -> dict[str, Any]:
        t1 = time.perf_counter()
        qvec = self.embedder.encode_one(expand_abbreviations(inp["standalone"]))
        t2 = time.perf_counter()
        r = self.settings.retrieval
        k = max(inp.get("k") or r.k, r.answer_candidates)
        searcher = inp.get("searcher") or self.searcher
        hits = searcher.search(inp["standalone"], k, inp.get("mode", "hybrid"), qvec=qvec)
        t3 = time.perf_counter()
        return inp | {"qvec": qvec, "hits": hits, "embed_ms": (t2 - t1) * 1e3,
                      "search_ms": (t3 - t2) * 1e3}

    def _compose(self, inp: dict[str, Any]) -> Answer:
        t4 = time.perf_counter()
        answer = self._extractive(inp)
        if self._use_llm(inp):
            answer = self.generator.generate(inp, extractive=answer)
        return self._finish(inp, answer, t4)

    def _extractive(self, inp: dict[str, Any]) -> Answer:
        answerer = inp.get("answerer") or self.answerer
        return answerer.answer(
            inp["question"], inp["standalone"], inp["qvec"], inp["hits"], inp["focus"]
        )

    def _use_llm(self, inp: dict[str, Any]) -> bool:
        return self.generator is not None and inp.get("backend", "auto") != "extractive"

    def _finish(self, inp: dict[str, Any], answer: Answer, t4: float) -> Answer:
        answer.retrieved = inp["hits"][: inp.get("k") or self.settings.retrieval.k]
        t5 = time.perf_counter()
        answer.notes = inp["notes"] + answer.notes
        answer.timings_ms = {
            "embed": round(inp["embed_ms"], 2),
            "search": round(inp["search_ms"], 2),
            "answer": round((t5 - t4) * 1e3, 2),
            "total": round((t5 - inp["t0"]) * 1e3, 2),
        }
        return answer

    # --- the API -------------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        mode: Mode = "hybrid",
    ) -> Answer:
        """A grounded, cited answer to ``question`` read in the context of ``history``."""
        return self.chain.invoke(self._inputs(question, history, k, mode))

    def _inputs(
        self, question: str, history: Sequence[Turn], k: int | None, mode: Mode
    ) -> dict[str, Any]:
        # One question sees one index: refresh() may swap it in between the chain's steps.
        with self._lock:
            searcher, answerer = self.searcher, self.answerer
        return {"question": question, "history": list(history), "k": k, "mode": mode,
                "searcher": searcher, "answerer": answerer}

    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        """The answer text sentence by sentence (growing), then the final Answer.

        With an LLM, only sentences that passed the citation check are yielded, as the model
        completes them; the final Answer (checked, or the extractive fallback) replaces them.
        """
        if self.generator is None:
            answer = self.ask(question, history)
            text = ""
            for piece in _sentences_of(answer.answer):
                text = f"{text} {piece}".strip()
                yield text
            yield answer
            return
        inp = self._retrieve(self._prepare(self._inputs(question, history, None, "hybrid")))
        t4 = time.perf_counter()
        extractive = self._extractive(inp)
        for item in self.generator.stream(inp, extractive=extractive):
            yield self._finish(inp, item, t4) if isinstance(item, Answer) else item

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        query, _ = clean_question(query, self.settings.answer.max_question_chars)
        qvec = self.embedder.encode_one(expand_abbreviations(query))
        return self.searcher.search(query, k or self.settings.retrieval.k, mode, qvec=qvec)

    def refresh(self) -> bool:
        """Rebuild and swap in the index if the corpus changed since it was loaded."""
        from assistant.ingest.corpus import load_corpus

        files = load_corpus(self.settings.corpus)
        if staleness(self.index.manifest, expected_manifest(files, self.settings)) is None:
            return False
        index = ensure_index(self.settings, self.embedder, self._rebuild, notify=self.notify)
        with self._lock:
            self._load(index)
        return True


def _sentences_of(text: str) -> list[str]:
    import re

    return [p for p in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if p]
