"""A list item quoted with the line that introduces it.

A bullet that is not a sentence of its own ("fluoroquinolones such as ciprofloxacin", after
"Drugs that can worsen the disease include:") says nothing until it is read with its lead: it
starts in lower case, going on with the lead's sentence (an item written with a capital is an
entry of its own: "Addition of a second drug"). Such an item is quoted after its lead, and the
lead is cited from the passage it stands in. A lead too short to name what its list is about
("The most important are:") and pointing back ("The", "These") brings the sentence before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from assistant.answering.citing import CitationBuilder, attach_marker
from assistant.core.types import Chunk
from assistant.ingest.chunk import carries_on
from assistant.text.sentences import ANNOUNCES, POINTS_BACK, POINTS_BACK_LATER

# A lead of fewer words than this (before its colon) says little alone.
SHORT_LEAD_WORDS = 5
# A short lead opening on a word that points back (text/sentences.py), or on "The", leans on
# the sentence before it.
LEANS_BACK = re.compile(rf"(?:The\b|{POINTS_BACK.pattern})")


@dataclass(frozen=True)
class Lead:
    """The passage a list's lead stands in and the sentences quoted from it (the lead last)."""

    chunk: Chunk
    sentences: tuple[str, ...]


def needs_lead(chunk: Chunk, sentence: str) -> bool:
    """Whether ``sentence`` is a list item that reads only after its lead: it starts in lower
    case, going on with the lead's sentence."""
    return bool(chunk.lead) and carries_on(chunk, sentence)


def lead_of(chunks: Sequence[Chunk], chunk: Chunk) -> Lead | None:
    """The lead of the list ``chunk`` belongs to, found in the passages before it in its
    source; None when there is no lead or it is no sentence of a passage."""
    if not chunk.lead:
        return None
    for at in range(chunk.position - 1, -1, -1):
        other = chunks[at]
        if other.source != chunk.source:
            break
        if other.kind == "bullet":
            continue
        if not other.sentences or other.sentences[-1] != chunk.lead:
            return None
        said = [chunk.lead]
        words = len(chunk.lead.rstrip(": ").split())
        if words < SHORT_LEAD_WORDS and LEANS_BACK.match(chunk.lead) and len(other.sentences) > 1:
            said.insert(0, other.sentences[-2])
        return Lead(other, tuple(said))
    return None


def with_lead(lead: str, item: str) -> str:
    """The lead and its item as one sentence: "The main ones are: botulism"."""
    return f"{lead.rstrip()} {item.strip()}"


class Quoted(Protocol):
    @property
    def chunk(self) -> Chunk: ...
    @property
    def sentence(self) -> str: ...


def quote(
    chosen: Sequence[Quoted], chunks: Sequence[Chunk], builder: CitationBuilder
) -> tuple[list[str], list[str]]:
    """The answer's sentences with their markers, and the source sentences they quote: a list
    item that reads only after its lead comes after it, the lead cited where it stands, once
    per list."""
    parts: list[str] = []
    sentences: list[str] = []
    quoted = {s.sentence for s in chosen}
    led: set[str] = set()
    for s in chosen:
        lead = lead_of(chunks, s.chunk) if needs_lead(s.chunk, s.sentence) else None
        if lead is None or lead.chunk.chunk_id in led or lead.sentences[-1] in quoted:
            marker = builder.cite(s.chunk, s.sentence)
            parts.append(attach_marker(s.sentence[0].upper() + s.sentence[1:], marker))
            sentences.append(s.sentence)
            continue
        led.add(lead.chunk.chunk_id)
        said = [t for t in lead.sentences[:-1] if t not in quoted] + [lead.sentences[-1]]
        marks = [builder.cite(lead.chunk, t) for t in said]
        *before, last = said
        parts.extend(attach_marker(t, marks[0]) for t in before)
        mark = builder.cite(s.chunk, s.sentence)
        parts.append(attach_marker(with_lead(last, s.sentence), [marks[-1], mark]))
        sentences.extend([*said, s.sentence])
    return parts, sentences


class Candidate(Quoted, Protocol):
    @property
    def score(self) -> float: ...
    @property
    def sentence_index(self) -> int: ...


C = TypeVar("C", bound=Candidate)


def whole_lists(scored: Sequence[C], chosen: list[C], floor: float, max_words: int) -> list[C]:
    """``chosen`` with a list it quotes from made whole: when two or more items of one list
    (one lead, one source) reach ``floor`` and one of them is chosen, every item of that list
    reaching it is quoted, in the order the text gives them ("15 mg for 3 weeks, then 12.5 mg
    for 3 weeks, then 10 mg ..."), where the first chosen one stood, if the answer stays within
    ``max_words``. A list read in part answers a question on its order or its whole wrong."""
    out = list(chosen)
    for key in dict.fromkeys(_list_of(c) for c in chosen):
        if key is None:
            continue
        items = sorted({id(c): c for c in scored
                        if _list_of(c) == key and c.score >= floor}.values(),
                       key=lambda c: (c.chunk.position, c.sentence_index))
        if len(items) < 2:
            continue
        kept = [c for c in out if _list_of(c) != key]
        at = next(i for i, c in enumerate(out) if _list_of(c) == key)
        at -= sum(1 for c in out[:at] if _list_of(c) == key)
        whole = kept[:at] + items + kept[at:]
        words = sum(len(c.sentence.split()) for c in whole) + len(key[1].split())
        if words <= max_words:
            out = whole
    return out


def _list_of(c: Quoted) -> tuple[str, str] | None:
    """The list (source, lead) ``c`` is an item of, when it reads only after its lead."""
    chunk = c.chunk
    return (chunk.source, chunk.lead or "") if needs_lead(chunk, c.sentence) else None


def with_context(chosen: Sequence[C], sentence_at: Callable[[C, int], C]) -> list[C]:
    """``chosen`` with the sentence before each one that opens by pointing back ("It is the
    most sensitive test"): quoted alone it does not say what it is about, and the fact asked
    (the test's name) is often in the sentence it points back to. The best sentence (the
    first), when it ends announcing a class ("... with other immune conditions."), comes with
    the sentence after it, which names the members. ``sentence_at(c, j)``: the candidate for
    sentence ``j`` of ``c``'s passage."""
    out: list[C] = []
    have = {(c.chunk.position, c.sentence_index) for c in chosen}

    def add(c: C, j: int) -> None:
        out.append(sentence_at(c, j))
        have.add((c.chunk.position, j))

    for n, c in enumerate(chosen):
        before, after = c.sentence_index - 1, c.sentence_index + 1
        if before >= 0 and (c.chunk.position, before) not in have and (
            POINTS_BACK.match(c.sentence) or POINTS_BACK_LATER.match(c.sentence)
        ):
            add(c, before)
        out.append(c)
        if n == 0 and after < len(c.chunk.sentences) and (c.chunk.position, after) not in have \
                and ANNOUNCES.search(c.sentence):
            add(c, after)
    return out
