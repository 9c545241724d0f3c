"""Stage 7: inline ``[n]`` markers and the citations they point to, as data and as text."""

from __future__ import annotations

import re

from assistant.core.types import Answer, Chunk, Citation

MARKER = re.compile(r"\[(\d{1,3})\]")
# Sentences that say what the sources do not cover carry no marker: nothing could support them.
NOT_COVERED_PREFIX = "The indexed sources do not"


def attach_marker(sentence: str, marker: int | list[int]) -> str:
    """``sentence`` with ``[n]`` placed before its final punctuation."""
    marks = "".join(f"[{m}]" for m in ([marker] if isinstance(marker, int) else marker))
    s = sentence.rstrip()
    end = "."
    if s and s[-1] in ".!?":
        s, end = s[:-1], s[-1]
    s = s.rstrip(" :;,")
    return f"{s} {marks}{end}"


def markers_in(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


class CitationBuilder:
    """Gives each cited passage one marker number, in order of first citation."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._by_chunk: dict[str, Citation] = {}

    def cite(self, chunk: Chunk, sentence: str) -> int:
        existing = self._by_chunk.get(chunk.chunk_id)
        if existing is not None:
            if sentence not in existing.quote:
                existing.quote = f"{existing.quote} {sentence}".strip()
            return existing.marker
        citation = Citation(
            marker=len(self.citations) + 1,
            chunk_id=chunk.chunk_id,
            source=chunk.source,
            section=chunk.section,
            text=chunk.text,
            quote=sentence,
            refs=list(chunk.refs),
        )
        self.citations.append(citation)
        self._by_chunk[chunk.chunk_id] = citation
        return citation.marker


def renumber(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Markers renumbered 1..n in order of appearance; citations no marker uses are dropped."""
    by_marker = {c.marker: c for c in citations}
    order: list[int] = []
    for m in markers_in(text):
        if m in by_marker and m not in order:
            order.append(m)
    new_number = {old: i + 1 for i, old in enumerate(order)}
    text = MARKER.sub(
        lambda m: f"[{new_number[int(m.group(1))]}]" if int(m.group(1)) in new_number else "", text
    )
    kept = [by_marker[old].model_copy(update={"marker": new_number[old]}) for old in order]
    return text, kept


def source_label(c: Citation) -> str:
    """ "notes.md — From the Research > Treatment Strategies (ref. 2, 3)"."""
    refs = f" (ref. {', '.join(map(str, c.refs))})" if c.refs else ""
    section = f" — {c.section}" if c.section else ""
    return f"{c.source}{section}{refs}"


def render_text(answer: Answer, width: int = 100) -> str:
    """The answer, then its numbered sources: for a terminal."""
    import textwrap

    lines = [textwrap.fill(answer.answer, width=width)]
    lines.extend(f"note: {n}" for n in answer.notes)
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(f"[{c.marker}] {source_label(c)}")
            lines.append(
                textwrap.fill(
                    f'"{c.quote}"', width=width, initial_indent="    ", subsequent_indent="    "
                )
            )
    return "\n".join(lines)
