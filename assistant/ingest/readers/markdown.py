"""Markdown (``.md``): ``#`` headings, paragraphs wrapped over lines, bullets and numbered items."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.core.types import Block, SourceFile
from assistant.ingest.readers.common import clean, decode, source

HEADING_MD = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+(.*)$")
FOOTNOTE_DEF = re.compile(r"^\[\^\w+\]:")


class Builder:
    """Collects the paragraph or bullet being read, line by line."""

    def __init__(self) -> None:
        self.current: Block | None = None

    def flush(self) -> Iterator[Block]:
        if self.current is not None and self.current.text.strip():
            yield self.current
        self.current = None

    def start(self, kind: str, text: str, line: int) -> Iterator[Block]:
        yield from self.flush()
        self.current = Block(kind=kind, text=text, line=line)  # type: ignore[arg-type]

    def add(self, text: str) -> None:
        assert self.current is not None
        self.current.text += " " + text


def parse_markdown(text: str) -> list[Block]:
    return list(_markdown_blocks(text))


def _markdown_blocks(text: str) -> Iterator[Block]:
    b = Builder()
    for i, raw in enumerate(text.split("\n")):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or FOOTNOTE_DEF.match(stripped):
            yield from b.flush()
            continue
        heading = HEADING_MD.match(stripped)
        if heading:
            yield from b.flush()
            yield Block(
                kind="heading", text=heading.group(2).strip(), level=len(heading.group(1)),
                line=i + 1,
            )
            continue
        bullet = BULLET.match(line)
        if bullet:
            yield from b.start("bullet", bullet.group(1).strip(), i + 1)
        elif b.current is not None and (
            b.current.kind == "paragraph" or raw.startswith((" ", "\t"))
        ):
            b.add(stripped)  # a paragraph wraps over lines; indented lines continue a bullet
        else:
            yield from b.start("paragraph", stripped, i + 1)
    yield from b.flush()


def read_markdown(name: str, data: bytes) -> SourceFile:
    text, note = decode(data)
    text = clean(text)
    return source(name, data, "markdown", text, parse_markdown(text), decode_note=note)
