"""The assistant: read → retrieve → compose, one LangChain chain behind ``ask`` and ``stream``.

Each stage takes and returns a typed object (Request → Reading → Retrieved → text and Answer).
A :class:`Pipeline` holds the stages of one index; ``refresh()`` swaps in a new one, and a
question runs wholly on the pipeline it started with. ``ask`` is ``stream`` drained: one path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence

from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from assistant.answering.extractive import Answerer
from assistant.answering.gaps import missing_detail
from assistant.answering.generative import LLMGenerator, make_generator
from assistant.answering.reading import Reader
from assistant.core.settings import Settings
from assistant.core.types import Answer, Backend, Hit, Mode, Reading, Request, Retrieved, Turn
from assistant.domain.learned import CorpusWords
from assistant.domain.vocabulary import vocabulary_for
from assistant.ingest.corpus import scan_corpus
from assistant.retrieval.retriever import HybridRetriever, hits_of
from assistant.retrieval.search import Searcher
from assistant.store.embed import Embedder, shared_embedder
from assistant.store.index import Index, ensure_index, expected_manifest, staleness
from assistant.store.neighbours import Neighbours
from assistant.store.prepare import vector_cache
from assistant.text.sentences import split_sentences
from assistant.verify.vocabulary import Equivalents

Notify = Callable[[str], None]


class Pipeline:
    """The stages over one index, composed as one chain: ``read | retrieve | compose``."""

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        settings: Settings,
        generator: LLMGenerator | None = None,
    ) -> None:
        self.index = index
        self.settings = settings
        self.embedder = embedder
        # The corpus's own words and abbreviations, learnt from its passages.
        self.words = CorpusWords.learn(c.text for c in index.chunks)
        self.vocab = (
            vocabulary_for(settings.corpus)
            .with_abbreviations(self.words.abbreviations)
            .choosing_rewrites(self.words.counts)
        )
        self.reader = Reader(settings.answer, settings.retrieval, self.vocab, self.words)
        # Corpus words nearest in meaning to a question word the corpus lacks (made on first use).
        self.neighbours = Neighbours(
            (c.text for c in index.chunks), embedder, vector_cache(settings, embedder),
            settings.answer.neighbour_min, settings.answer.neighbour_drug_min,
        )
        self.searcher = Searcher(
            index, embedder, settings.retrieval, self.vocab, self.neighbours
        )
        self.retriever = HybridRetriever(searcher=self.searcher, k=settings.retrieval.k)
        self.answerer = Answerer(
            index, settings.answer, self.vocab, embedder.similarity(), self.neighbours,
            self.searcher.spelled,
        )
        # The checker's own reading of this corpus: its defined abbreviations, nothing more.
        self.equivalents = Equivalents.for_corpus(self.vocab.abbreviations)
        self.generator = generator
        self.chain: Runnable[Request, str | Answer] = (
            RunnableLambda(self.reader.read)
            | RunnableLambda(self.retrieve)
            | RunnableGenerator(self.compose)
        )

    def retrieve(self, reading: Reading) -> Retrieved:
        retrieved = self._retrieve(reading)
        if reading.in_context is not None:
            retrieved.in_context = self._retrieve(reading.in_context)
        return retrieved

    def _retrieve(self, reading: Reading) -> Retrieved:
        t1 = time.perf_counter()
        qvec = self.embedder.encode_one(reading.search_text)
        t2 = time.perf_counter()
        docs = self.retriever.invoke(
            reading.standalone,
            config={"configurable": {}},
            k=reading.candidates,
            mode=reading.mode,
            qvec=qvec,
        )
        t3 = time.perf_counter()
        return Retrieved(
            reading, qvec, hits_of(docs),
            {"embed": round((t2 - t1) * 1e3, 2), "search": round((t3 - t2) * 1e3, 2)},
        )

    def compose(self, inputs: Iterator[Retrieved]) -> Iterator[str | Answer]:
        """The answer text as it grows, then the final Answer (one per input)."""
        for retrieved in inputs:
            t4 = time.perf_counter()
            # A question that may lean on its conversation: the reading with better evidence
            # (its sentences ranked once, for the choice and the answer).
            retrieved, scored = self.answerer.better_reading(retrieved)
            extractive = self.answerer.answer(retrieved, scored)
            if self.generator is None or retrieved.reading.backend == "extractive":
                text = ""
                for piece in split_sentences(extractive.answer):
                    text = f"{text} {piece}".strip()
                    yield text
                yield self._finish(retrieved, extractive, t4)
                continue
            stream = self.generator.stream(
                retrieved, extractive, self.equivalents, self.vocab.subject_name
            )
            for item in stream:
                if isinstance(item, Answer):
                    yield self._finish(retrieved, self._with_gap(retrieved, item), t4)
                else:
                    yield item

    def _with_gap(self, retrieved: Retrieved, answer: Answer) -> Answer:
        """An LLM answer names what its kept sentences do not give, as an extractive one does."""
        if answer.backend != "llm":
            return answer
        contexts = {c.quote: f"{c.section}. {c.text}" for c in answer.citations}
        gap = missing_detail(
            retrieved.reading, [c.quote for c in answer.citations], self.vocab, contexts=contexts
        )
        return answer.model_copy(update={"answer": f"{answer.answer} {gap}"}) if gap else answer

    def _finish(self, retrieved: Retrieved, answer: Answer, t4: float) -> Answer:
        reading = retrieved.reading
        t5 = time.perf_counter()
        return answer.model_copy(
            update={
                "retrieved": retrieved.hits[: reading.k],
                "topic": reading.topic,
                "edition": self.index.edition,  # the sources this answer came from
                "notes": reading.notes + answer.notes,
                "timings_ms": retrieved.timings_ms
                | {
                    "answer": round((t5 - t4) * 1e3, 2),
                    "total": round((t5 - reading.started) * 1e3, 2),
                },
            }
        )


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
        self.embedder = embedder or shared_embedder(self.settings)
        self.notify: Notify = notify or (lambda _: None)
        self._rebuild = rebuild
        self._lock = threading.Lock()
        # Optional LLM generation (answering/generative.py); None: the extractive answer.
        self.generator: LLMGenerator | None = None
        if self.settings.llm.base_url:
            self.generator = make_generator(self.settings, self.embedder)
        self.pipeline = self._pipeline(
            ensure_index(self.settings, self.embedder, rebuild, progress=progress,
                         notify=self.notify)
        )

    def _pipeline(self, index: Index) -> Pipeline:
        return Pipeline(index, self.embedder, self.settings, self.generator)

    @property
    def index(self) -> Index:
        return self.pipeline.index

    @property
    def searcher(self) -> Searcher:
        return self.pipeline.searcher

    # --- the API -------------------------------------------------------------------------------

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        mode: Mode = "hybrid",
        backend: Backend = "auto",
    ) -> Iterator[str | Answer]:
        """The answer text sentence by sentence (growing), then the final Answer.

        With an LLM, only sentences that passed the citation check are yielded, as the model
        completes them; the final Answer (checked, or the extractive fallback) replaces them.
        """
        request = Request(question=question, history=list(history), k=k, mode=mode,
                          backend=backend)
        with self._lock:  # one question sees one index, whatever refresh() does meanwhile
            pipeline = self.pipeline
        yield from pipeline.chain.stream(request)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        mode: Mode = "hybrid",
        backend: Backend = "auto",
    ) -> Answer:
        """A grounded, cited answer to ``question`` read in the context of ``history``."""
        final: Answer | None = None
        for item in self.stream(question, history, k, mode, backend):
            if isinstance(item, Answer):
                final = item
        assert final is not None  # compose always ends with an Answer
        return final

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        with self._lock:
            pipeline = self.pipeline
        reading = pipeline.reader.read(Request(question=query, k=k, mode=mode))
        qvec = self.embedder.encode_one(reading.search_text)
        return pipeline.searcher.search(reading.question, reading.k, mode, qvec=qvec)

    def refresh(self) -> bool:
        """Rebuild and swap in the index if the corpus changed since it was loaded."""
        # A scan hashes the files' bytes: no source is parsed unless the corpus changed.
        scan = scan_corpus(self.settings.corpus, self.settings.sources)
        if staleness(self.index.manifest, expected_manifest(scan, self.settings)) is None:
            return False
        index = ensure_index(self.settings, self.embedder, self._rebuild, notify=self.notify)
        pipeline = self._pipeline(index)
        with self._lock:
            self.pipeline = pipeline
        return True
