"""Stage 2: split source files into passages that follow the text's structure.

Headings give each passage its section path; paragraphs and bullets are passages; a paragraph
longer than ``max_chars`` is cut into windows of whole sentences. Reference marks (``[^2]``,
``[2]``) are taken out of the display text and kept as metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.core.types import Chunk, SourceFile
from assistant.text.sentences import split_sentences

HEADING_MD = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+(.*)$")
FOOTNOTE_DEF = re.compile(r"^\[\^\w+\]:")
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


def is_plain_heading(line: str, next_line: str | None) -> bool:
    """In a .txt file: a short line with no end punctuation, followed by text, is a heading."""
    s = line.strip()
    return (
        0 < len(s) <= 90
        and s[-1] not in ".:;,!?)"
        and not BULLET.match(line)
        and s[0].isupper()
        and len(s.split()) <= 12
        and next_line is not None
        and next_line.strip() != ""
    )


@dataclass
class Block:
    kind: str  # "paragraph" | "bullet"
    text: str
    section: list[str]
    line: int
    lead: str | None = None
    extra: list[str] = field(default_factory=list)


def blocks(source: SourceFile) -> Iterator[Block]:
    """Paragraph and bullet blocks of a file, with their heading path."""
    lines = source.text.split("\n")
    markdown = not source.name.lower().endswith(".txt")
    section: list[tuple[int, str]] = []
    current: Block | None = None
    lead: str | None = None

    def flush() -> Iterator[Block]:
        nonlocal current
        if current is not None and current.text.strip():
            yield current
        current = None

    for i, raw in enumerate(lines):
        line = raw.rstrip()
        stripped = line.strip()
        nxt = next((n for n in lines[i + 1 : i + 2]), None)
        if not stripped:
            yield from flush()
            continue
        if FOOTNOTE_DEF.match(stripped):
            yield from flush()
            continue
        heading = HEADING_MD.match(stripped) if markdown else None
        if heading or (not markdown and is_plain_heading(line, nxt)):
            yield from flush()
            if heading:
                level = len(heading.group(1))
            else:
                # A title line straight above another one heads a part: it ranks higher.
                after = lines[i + 2] if i + 2 < len(lines) else None
                level = 1 if nxt is not None and is_plain_heading(nxt, after) else 2
            title = heading.group(2) if heading else stripped
            section = [s for s in section if s[0] < level] + [(level, title.strip())]
            lead = None
            continue
        path = [t for _, t in section]
        bullet = BULLET.match(line)
        if bullet:
            yield from flush()
            current = Block("bullet", bullet.group(1).strip(), path, i + 1, lead)
            continue
        if (
            current is not None
            and (markdown or current.kind == "bullet")
            and (current.kind == "paragraph" or raw.startswith((" ", "\t")))
        ):
            # Markdown wraps paragraphs over lines; indented lines continue a bullet.
            current.text += " " + stripped
            continue
        yield from flush()
        current = Block("paragraph", stripped, path, i + 1)
        lead = None
    yield from flush()


def chunk_source(source: SourceFile, max_chars: int = 800) -> list[Chunk]:
    """The passages of one file, in reading order, with stable ids ``name#position``."""
    chunks: list[Chunk] = []
    pending_lead: str | None = None
    for block in blocks(source):
        text, refs = strip_refs(block.text)
        sentences = split_sentences(text)
        if not sentences:
            continue
        lead = pending_lead if block.kind == "bullet" else None
        if block.kind == "paragraph":
            # A paragraph ending in ":" introduces the bullets after it.
            pending_lead = sentences[-1] if sentences[-1].endswith(":") else None
        for window in windows(sentences, max_chars):
            chunks.append(
                Chunk(
                    chunk_id=f"{source.name}#{len(chunks)}",
                    source=source.name,
                    section=" > ".join(block.section),
                    text=" ".join(window),
                    sentences=window,
                    refs=refs,
                    position=len(chunks),
                    line=block.line,
                    kind="bullet" if block.kind == "bullet" else "paragraph",
                    lead=lead,
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


def embed_text(chunk: Chunk) -> str:
    """What is embedded for a passage: its nearest heading and list lead give it context."""
    head = chunk.section.rsplit(" > ", 1)[-1]
    parts = [head + "." if head else "", chunk.lead or "", chunk.text]
    return " ".join(p for p in parts if p)
