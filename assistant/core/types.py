"""The data that flows between stages, as pydantic models (citations are data, not text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

Mode = Literal["hybrid", "dense", "sparse"]
Backend = Literal["auto", "extractive"]


class SourceFile(BaseModel):
    """One corpus file, read and decoded."""

    name: str  # path relative to the corpus folder, with forward slashes
    text: str
    sha256: str
    decode_note: str | None = None  # set when the bytes were not valid UTF-8
    # Set by the readers (assistant/ingest/readers/): what the chunker cuts, and what was seen.
    format: str = ""  # "markdown", "text", "pdf", "medline", "pubmed-xml", "html"
    blocks: list[Block] = Field(default_factory=list)  # empty: the chunker parses ``text``
    pages: int | None = None  # PDF: its page count
    records: int | None = None  # PubMed export: its record count
    warnings: list[str] = Field(default_factory=list)  # e.g. pages with no text


class Chunk(BaseModel):
    """A passage: one paragraph, bullet or sentence window, with where it came from."""

    chunk_id: str
    source: str
    section: str  # heading path, " > " joined
    text: str  # display text: reference marks removed
    sentences: list[str]
    refs: list[int] = Field(default_factory=list)
    position: int
    line: int  # 1-based line of the passage in its source file
    kind: Literal["paragraph", "bullet"] = "paragraph"
    lead: str | None = None  # for a bullet: the sentence that introduced its list
    # Where the passage is in the original (PDF page, PubMed record): None when not known.
    page: int | None = None  # 1-based page where the passage starts
    pages: list[int] | None = None  # every page it spans, when more than one
    sentence_pages: list[list[int]] | None = None  # the pages of each sentence
    pmid: str | None = None
    title: str | None = None  # of the record (paper) the passage comes from
    journal: str | None = None
    year: int | None = None
    doi: str | None = None


class Hit(BaseModel):
    """A retrieved passage with its fused and per-retriever scores."""

    rank: int
    score: float
    chunk: Chunk
    dense_score: float | None = None
    sparse_score: float | None = None
    # The fusion of the passage vector and BM25 alone, when a passage's best sentence also
    # ranked it (``RetrievalSettings.sentence_share``): the answerer's scorer reads this one.
    base_score: float | None = None


class Turn(BaseModel):
    """One earlier exchange of a conversation, as structured state (never parsed from text).

    A follow-up is read against it: the question and how it was read (its topic), and what the
    answer gave (its sentences and passages), so "that one" or "the alternative" can be resolved.
    """

    question: str
    answer: str = ""
    standalone_question: str | None = None
    quotes: list[str] = Field(default_factory=list)  # the sentences the answer cited
    chunk_ids: list[str] = Field(default_factory=list)  # the passages they came from
    abstained: bool = False
    # The question this turn's conversation is about (a follow-up carries its topic on).
    topic: str | None = None


class Request(BaseModel):
    """What ``ask`` and ``stream`` are given: the pipeline's input."""

    question: str
    history: list[Turn] = Field(default_factory=list)
    k: int | None = None
    mode: Mode = "hybrid"
    # "extractive": never the LLM, even when one is set (the chat rebuilding its state).
    backend: Backend = "auto"


class Reading(BaseModel):
    """How a question is read in its conversation: the first stage's output."""

    question: str  # as asked, cleaned
    standalone: str  # the question with what it leans on from earlier turns
    focus: str | None = None  # the words that must weigh most (a follow-up's own), or all
    topic: str = ""  # the question the conversation is about from this turn on
    search_text: str  # what the dense retriever embeds (abbreviations spelled out)
    rewrites: list[tuple[str, str]] = Field(default_factory=list)  # (typed, read as)
    exclude: list[str] = Field(default_factory=list)  # sentences a follow-up must not repeat
    referent: str | None = None  # what a follow-up's "it" / "that one" was read as
    history: list[Turn] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    k: int
    candidates: int  # passages whose sentences the answerer reads
    mode: Mode = "hybrid"
    backend: Backend = "auto"
    started: float = 0.0  # perf_counter at the start, for timings
    # A question that stands alone but may lean on the conversation: its reading in context,
    # answered instead when its evidence is stronger (Pipeline.compose).
    in_context: Reading | None = None


@dataclass
class Retrieved:
    """The retrieval stage's output: the reading, its question vector and the passages found."""

    reading: Reading
    qvec: np.ndarray
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    in_context: Retrieved | None = None  # the reading's in_context, retrieved


class Citation(BaseModel):
    """What an inline marker ``[n]`` points to."""

    marker: int
    chunk_id: str
    source: str
    section: str
    text: str
    quote: str  # the cited sentence, for highlighting
    refs: list[int] = Field(default_factory=list)
    # Where the quote is in the original: the page(s) of a PDF, the PubMed record.
    page: int | None = None  # 1-based page of the quoted sentence(s)
    pages: list[int] | None = None  # when the quote spans more than one page
    pmid: str | None = None
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    doi: str | None = None


class Answer(BaseModel):
    """A grounded answer: text with ``[n]`` markers, and the citations they point to."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    # When the sources do not answer: the nearest passages, shown as such, never as an answer.
    closest: list[Citation] = Field(default_factory=list)
    standalone_question: str | None = None  # the follow-up, read in its conversation
    topic: str | None = None  # what the conversation is about from this turn on
    notes: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    backend: str = "extractive"
    retrieved: list[Hit] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    edition: Edition | None = None  # the edition of the sources the answer came from

    def as_turn(self) -> Turn:
        """This answer as an earlier turn of its conversation."""
        return Turn(
            question=self.question,
            answer=self.answer,
            standalone_question=self.standalone_question,
            quotes=[c.quote for c in self.citations],
            chunk_ids=[c.chunk_id for c in self.citations],
            abstained=self.abstained,
            topic=self.topic,
        )

    def to_json_dict(self, with_retrieved: bool = False) -> dict[str, object]:
        data = self.model_dump(exclude={"retrieved"})
        if with_retrieved:
            data["retrieved"] = [
                {"rank": h.rank, "score": h.score, "chunk_id": h.chunk.chunk_id}
                for h in self.retrieved
            ]
        return data


class Record(BaseModel):
    """A bibliographic record (one PubMed citation) that a passage comes from."""

    pmid: str | None = None
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    doi: str | None = None


class Block(BaseModel):
    """A unit of a source's structure, as a reader found it: a heading, paragraph or bullet.

    ``text`` may hold ``PAGE_BREAK`` (assistant/ingest/chunk.py) where a PDF paragraph runs onto
    the next page; ``page`` is the page it starts on.
    """

    kind: Literal["heading", "paragraph", "bullet"]
    text: str
    level: int = 0  # of a heading: 1 is the top
    line: int = 1  # 1-based line in the source (a PDF: on its page)
    page: int | None = None
    record: Record | None = None


class Edition(BaseModel):
    """The edition of the sources an index holds: a short corpus hash, the newest file's date."""

    hash: str
    date: str | None = None  # YYYY-MM-DD (UTC) of the newest source file
    files: int = 0

    def label(self) -> str:
        newest = f", newest file {self.date}" if self.date else ""
        return f"edition {self.hash}{newest}"


class Skipped(BaseModel):
    """A corpus file that was not indexed, and why (one line)."""

    name: str
    reason: str


SourceFile.model_rebuild()
Answer.model_rebuild()
