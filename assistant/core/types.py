"""The data that flows between stages, as pydantic models (citations are data, not text)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SourceFile(BaseModel):
    """One corpus file, read and decoded."""

    name: str  # path relative to the corpus folder, with forward slashes
    text: str
    sha256: str
    decode_note: str | None = None  # set when the bytes were not valid UTF-8


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


class Hit(BaseModel):
    """A retrieved passage with its fused and per-retriever scores."""

    rank: int
    score: float
    chunk: Chunk
    dense_score: float | None = None
    sparse_score: float | None = None


class Citation(BaseModel):
    """What an inline marker ``[n]`` points to."""

    marker: int
    chunk_id: str
    source: str
    section: str
    text: str
    quote: str  # the cited sentence, for highlighting
    refs: list[int] = Field(default_factory=list)


class Answer(BaseModel):
    """A grounded answer: text with ``[n]`` markers, and the citations they point to."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    standalone_question: str | None = None  # the follow-up, read in its conversation
    notes: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    backend: str = "extractive"
    retrieved: list[Hit] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def to_json_dict(self, with_retrieved: bool = False) -> dict[str, object]:
        data = self.model_dump(exclude={"retrieved"})
        if with_retrieved:
            data["retrieved"] = [
                {"rank": h.rank, "score": h.score, "chunk_id": h.chunk.chunk_id}
                for h in self.retrieved
            ]
        return data


class Turn(BaseModel):
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""
    standalone_question: str | None = None
