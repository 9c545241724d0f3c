"""The gold question sets: one model and one loader for the eval and the quiz."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from assistant.core.errors import InputError
from assistant.core.settings import REPO_ROOT
from assistant.evaluation.halves import HALVES, HALVES_HELP

DEFAULT_GOLD = REPO_ROOT / "eval" / "gold.jsonl"


class Fact(BaseModel):
    """One required fact and its accepted spellings."""

    fact: str
    accept: list[str] = Field(default_factory=list)

    def alternatives(self) -> list[str]:
        return list(dict.fromkeys([self.fact, *self.accept]))


class GoldItem(BaseModel):
    id: str
    question: str
    answer: str = ""
    facts: list[Fact] = Field(default_factory=list)
    # Verbatim spans of the corpus (or {"chunk_id": ...}) the answer must cite.
    support: list[str | dict[str, str]] = Field(default_factory=list)
    category: str = "other"
    # "unanswerable" (the original gold set) and "offtopic" must be declined; "missing" must
    # say the asked detail is not given (naming one of ``missing``).
    kind: Literal["answerable", "unanswerable", "missing", "offtopic"]
    turns: list[str] | None = None
    split: str | None = None  # one of HALVES
    style: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)

    @field_validator("split")
    @classmethod
    def _known_half(cls, value: str | None) -> str | None:
        if value is not None and value not in HALVES:
            raise ValueError(f"unknown split {value!r}: use {HALVES_HELP}")
        return value

    @property
    def answerable(self) -> bool:
        return self.kind == "answerable"

    def support_spans(self) -> list[str]:
        return [s for s in self.support if isinstance(s, str)]


def load_gold(path: Path = DEFAULT_GOLD) -> list[GoldItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the gold file {path}: {exc.strerror}") from exc
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate_json(line))
        except ValidationError as exc:
            raise InputError(f"{path}:{n}: not a gold item ({exc.errors()[0]['msg']})") from exc
    if not items:
        raise InputError(f"the gold file {path} has no items")
    return items


def read_gold_leniently(path: Path) -> list[GoldItem]:
    """The valid items of a gold file; an unreadable file or a bad line is skipped, not fatal
    (the quiz uses what it can; ``imnm eval`` uses :func:`load_gold`, which refuses)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    items = []
    for line in lines:
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate_json(line))
        except ValidationError:
            continue
    return items
