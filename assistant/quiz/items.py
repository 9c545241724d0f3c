"""Quiz items and grades: the data the quiz passes around."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.core.types import Citation
from assistant.evaluation.gold import Fact

Verdict = Literal["correct", "partly correct", "incorrect", "ungraded"]

__all__ = ["Fact", "Grade", "Item", "Verdict"]


class Item(BaseModel):
    """A quiz item tied to the passage that supports its answer."""

    id: str
    kind: Literal["gold", "cloze", "choice"]
    topic: str
    question: str
    answer: str  # the reference answer shown in feedback
    facts: list[Fact]
    options: list[str] = Field(default_factory=list)
    correct_option: int | None = None
    chunk_id: str
    source: str
    section: str
    quote: str  # the supporting sentence
    passage: str  # the whole passage (citation text)
    refs: list[int] = Field(default_factory=list)

    def citation(self) -> Citation:
        return Citation(
            marker=1,
            chunk_id=self.chunk_id,
            source=self.source,
            section=self.section,
            text=self.passage,
            quote=self.quote,
            refs=self.refs,
        )

    def prompt(self) -> str:
        """The item as shown to a learner (options lettered)."""
        if not self.options:
            return self.question
        lines = [self.question]
        lines.extend(f"  {chr(65 + i)}) {o}" for i, o in enumerate(self.options))
        return "\n".join(lines)


class Grade(BaseModel):
    """The verdict on one answer, with the reference answer and its citation."""

    correct: bool
    score: float
    verdict: Verdict
    reference: str
    citations: list[Citation]
    item_id: str | None = None
    question: str = ""
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump()
