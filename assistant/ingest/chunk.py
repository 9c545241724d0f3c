"""Stage 2: cut the blocks a reader found (assistant/ingest/readers/) into passages.

Headings give each passage its section path; paragraphs and bullets are passages; a paragraph
longer than ``max_chars`` is cut into windows of whole sentences. Reference marks (``[^2]``,
``[2]``) are taken out of the display text and kept as metadata. Every passage keeps where it
is in the original: its line, its PDF page(s) (each sentence's too), its PubMed record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.core.types import Block, Chunk, Record, SourceFile
from assistant.ingest.readers.common import PAGE_BREAK
from assistant.text.sentences import split_sentences

# "ref. [^1]" keeps its number as words; a bare mark is removed with the space before it.
NAMED_REF = re.compile(r"\b(refs?\.)\s*\[\^?(\d{1,3})\]")
REF_MARK = re.compile(r"\s*\[\^?(\d{1,3})\](?!\()")


def strip_refs(text: str) -> tuple[str, list[int]]:
    """Display text without reference marks, and the reference numbers in order of first use."""
    refs: list[int] = []
    for m in re.finditer(r"\[\^?(\d{1,3})\](?!\()", text):
        n = int(m.group(1))
        if n not in refs:
            refs.append(n)
    text = NAMED_REF.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    text = REF_MARK.sub("", text)
    return " ".join(text.split()), refs


def source_blocks(source: SourceFile) -> list[Block]:
    """The blocks of a file: the reader's, or its text parsed by the rules of its suffix."""
    if source.blocks:
        return source.blocks
    from assistant.ingest.readers.markdown import parse_markdown
    from assistant.ingest.readers.text import parse_plain

    plain = source.name.lower().endswith(".txt")
    return parse_plain(source.text) if plain else parse_markdown(source.text)


def paged_sentences(text: str, first_page: int | None) -> tuple[list[str], list[list[int]]]:
    """The sentences of ``text`` (which may hold PAGE_BREAKs) and the pages each one is on."""
    parts = text.split(PAGE_BREAK)
    clean = ""
    starts: list[tuple[int, int]] = []  # (offset in clean text, page)
    for k, part in enumerate(parts):
        part = " ".join(part.split())
        if not part:
            continue
        if clean:
            clean += " "
        starts.append((len(clean), (first_page or 0) + k))
        clean += part
    sentences = split_sentences(clean)
    if first_page is None:
        return sentences, []
    pages: list[list[int]] = []
    cursor = 0
    for s in sentences:
        at = clean.find(s, cursor)
        at = cursor if at < 0 else at
        end = at + len(s)
        cursor = end
        on = [p for k, (off, p) in enumerate(starts) if off < end and (
            k + 1 == len(starts) or starts[k + 1][0] > at)]
        pages.append(on or [starts[0][1] if starts else first_page])
    return sentences, pages


def record_fields(record: Record | None) -> dict[str, object]:
    return record.model_dump() if record is not None else {}


def chunk_source(source: SourceFile, max_chars: int = 800) -> list[Chunk]:
    """The passages of one file, in reading order, with stable ids ``name#position``."""
    chunks: list[Chunk] = []
    section: list[tuple[int, str]] = []
    pending_lead: str | None = None
    for block in source_blocks(source):
        if block.kind == "heading":
            title, _ = strip_refs(block.text.replace(PAGE_BREAK, " "))
            section = [s for s in section if s[0] < block.level] + [(block.level, title)]
            pending_lead = None
            continue
        text, refs = strip_refs(block.text)
        sentences, pages = paged_sentences(text, block.page)
        if not sentences:
            continue
        lead = pending_lead if block.kind == "bullet" else None
        if block.kind == "paragraph":
            # A paragraph ending in ":" introduces the bullets after it.
            pending_lead = sentences[-1] if sentences[-1].endswith(":") else None
        start = 0
        for window in windows(sentences, max_chars):
            where = pages[start : start + len(window)]
            start += len(window)
            spanned = sorted({p for ps in where for p in ps})
            chunks.append(
                Chunk(
                    chunk_id=f"{source.name}#{len(chunks)}",
                    source=source.name,
                    section=" > ".join(t for _, t in section),
                    text=" ".join(window),
                    sentences=window,
                    refs=refs,
                    position=len(chunks),
                    line=block.line,
                    kind="bullet" if block.kind == "bullet" else "paragraph",
                    lead=lead,
                    page=spanned[0] if spanned else None,
                    pages=spanned if len(spanned) > 1 else None,
                    sentence_pages=where or None,
                    **record_fields(block.record),  # type: ignore[arg-type]
                )
            )
    return chunks


def windows(sentences: list[str], max_chars: int) -> Iterator[list[str]]:
    """Consecutive runs of whole sentences, each at most ``max_chars`` (a longer one alone)."""
    run: list[str] = []
    size = 0
    for s in sentences:
        if run and size + len(s) + 1 > max_chars:
            yield run
            run, size = [], 0
        run.append(s)
        size += len(s) + 1
    if run:
        yield run


def chunk_corpus(files: list[SourceFile], max_chars: int = 800) -> list[Chunk]:
    return [c for f in files for c in chunk_source(f, max_chars)]


def carries_on(chunk: Chunk, text: str | None = None) -> bool:
    """Whether a list item (or ``text``, a sentence of it) goes on with what came before it, the
    list's lead or the item before: it starts in lower case ("then reduce by 1 mg every 4 to 8
    weeks"). The word search reads it with the item before (retrieval/search.py); an answer
    quotes it after its lead (answering/leads.py)."""
    said = (chunk.text if text is None else text).strip()
    return chunk.kind == "bullet" and said[:1].islower()


def embed_text(chunk: Chunk) -> str:
    """What is embedded for a passage: its nearest heading, list lead and (for a paper) its
    title give it context."""
    head = chunk.section.rsplit(" > ", 1)[-1]
    parts = [chunk.title or "", head + "." if head else "", chunk.lead or "", chunk.text]
    return " ".join(p for p in parts if p)


def embed_sentence(chunk: Chunk, sentence: str) -> str:
    """What is embedded for one sentence: a paper's sentence ("Strength improved in 78%.")
    says little without its title, so the title leads it; other sentences stand alone."""
    return f"{chunk.title} {sentence}" if chunk.title else sentence
