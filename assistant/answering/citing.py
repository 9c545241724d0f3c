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
        self._chunks: dict[str, Chunk] = {}
        self._quoted: dict[str, list[str]] = {}

    def cite(self, chunk: Chunk, sentence: str) -> int:
        existing = self._by_chunk.get(chunk.chunk_id)
        if existing is not None:
            if sentence not in existing.quote:
                existing.quote = f"{existing.quote} {sentence}".strip()
            self._quoted[chunk.chunk_id].append(sentence)
            set_pages(existing, chunk, self._quoted[chunk.chunk_id])
            return existing.marker
        citation = Citation(
            marker=len(self.citations) + 1,
            chunk_id=chunk.chunk_id,
            source=chunk.source,
            section=chunk.section,
            text=chunk.text,
            quote=sentence,
            refs=list(chunk.refs),
            pmid=chunk.pmid,
            title=chunk.title,
            journal=chunk.journal,
            year=chunk.year,
            doi=chunk.doi,
        )
        self._chunks[chunk.chunk_id] = chunk
        self._quoted[chunk.chunk_id] = [sentence]
        set_pages(citation, chunk, [sentence])
        self.citations.append(citation)
        self._by_chunk[chunk.chunk_id] = citation
        return citation.marker


def set_pages(citation: Citation, chunk: Chunk, quoted: list[str]) -> None:
    """``page``: where the (first) quoted sentence starts; ``pages``: every page the quoted
    sentences are on, when more than one (the whole passage's when a quote is not one of its
    sentences, as a rewording may not be)."""
    if chunk.page is None:
        return
    first: int | None = None
    pages: set[int] = set()
    for q in quoted:
        found = [
            ps for s, ps in zip(chunk.sentences, chunk.sentence_pages or [], strict=False)
            if ps and (s == q or (q and q in s) or (s and s in q))
        ]
        if not found:
            pages.update(chunk.pages or [chunk.page])
            continue
        first = found[0][0] if first is None else first
        for ps in found:
            pages.update(ps)
    ordered = sorted(pages) or [chunk.page]
    citation.page = first if first is not None else ordered[0]
    citation.pages = ordered if len(ordered) > 1 else None


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


def page_label(c: Citation) -> str:
    """ "p. 3", "pp. 3-4", "pp. 3, 5" or ""."""
    pages = c.pages or ([c.page] if c.page is not None else [])
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    if pages == list(range(pages[0], pages[-1] + 1)):
        return f"pp. {pages[0]}-{pages[-1]}"
    return "pp. " + ", ".join(map(str, pages))


def record_label(c: Citation) -> str:
    """ "PMID 31234567: A cohort study of drug X (Neurology, 2019)" or ""."""
    if not (c.pmid or c.title):
        return ""
    where = ", ".join(str(x) for x in (c.journal, c.year) if x)
    parts = [f"PMID {c.pmid}" if c.pmid else "", c.title or ""]
    label = ": ".join(p for p in parts if p)
    return f"{label} ({where})" if where else label


def pubmed_url(c: Citation) -> str | None:
    """The record's PubMed page (a link only: nothing is fetched)."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{c.pmid}/" if c.pmid and c.pmid.isdigit() else None


def source_label(c: Citation) -> str:
    """ "notes.md — From the Research > Treatment Strategies (ref. 2, 3)";
    "guideline.pdf, p. 3 — Treatment"; "export.nbib — PMID 123: Title (Journal, 2019) — Results"."""
    refs = f" (ref. {', '.join(map(str, c.refs))})" if c.refs else ""
    page = page_label(c)
    record = record_label(c)
    head = f"{c.source}, {page}" if page else c.source
    if record:
        head = f"{head} — {record}"
    section = f" — {c.section}" if c.section else ""
    return f"{head}{section}{refs}"


def render_text(answer: Answer, width: int = 100) -> str:
    """The answer, then its numbered sources: for a terminal."""
    import textwrap

    lines = [textwrap.fill(answer.answer, width=width)]
    if answer.standalone_question and not answer.abstained:  # a misreading shows at once
        lines.append(textwrap.fill(f"(read as: {answer.standalone_question})", width=width))
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
            links = [u for u in (pubmed_url(c), f"https://doi.org/{c.doi}" if c.doi else None) if u]
            if links:
                lines.append("    " + " · ".join(links))
    if answer.edition is not None:
        lines.append("")
        lines.append(f"Answered from the sources' {answer.edition.label()}.")
    return "\n".join(lines)
