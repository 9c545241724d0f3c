"""HTML (a saved guideline page): its readable text with its headings, via Beautiful Soup.

Scripts, styles, navigation, headers, footers, forms and asides are dropped; when the page
marks its main content (``<main>``, ``<article>``) only that is read. Headings ``h1``-``h6``
are headings, list items bullets, table rows one line each (cells joined by " | ").
"""

from __future__ import annotations

from typing import Any

from assistant.core.types import Block, SourceFile
from assistant.ingest.readers.common import clean_line, decode, source

DROP = {
    "script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
    "form", "iframe", "button", "select", "input", "textarea", "head", "object", "canvas",
}
LISTS = {"ul", "ol", "table", "dl"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "figure", "figcaption",
    "dl", "dt", "dd", "ul", "ol", "table", "thead", "tbody", "tfoot", "caption", "body",
    "address", "details", "summary", "center", "hr",
}


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.kind: list[str] = ["paragraph"]
        self.line = 1

    def flush(self, level: int = 0) -> None:
        text = clean_line("".join(self.buf))
        self.buf = []
        if text:
            kind = "heading" if level else self.kind[-1]
            self.blocks.append(Block(kind=kind, text=text, level=level, line=self.line))  # type: ignore[arg-type]

    def walk(self, node: Any) -> None:
        from bs4 import NavigableString, Tag
        from bs4.element import PreformattedString

        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                    self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = (child.name or "").lower()
            if name in DROP or _hidden(child):
                continue
            if name == "br" or (
                name in BLOCK and self.kind[-1] == "bullet" and name not in LISTS
            ):
                # A line break, or a paragraph inside a list item: the item goes on.
                self.buf.append(" ")
                self.walk(child)
                self.buf.append(" ")
                continue
            if name in HEADINGS or name in {"li", "tr"} or name in BLOCK:
                self.flush()
                self.line = child.sourceline or self.line
            if name in HEADINGS:
                self.walk(child)
                self.flush(HEADINGS[name])
            elif name == "li":
                self.kind.append("bullet")
                self.walk(child)
                self.flush()
                self.kind.pop()
            elif name == "tr":
                cells = [
                    clean_line(c.get_text(" "))
                    for c in child.find_all(["td", "th"], recursive=False)
                ]
                self.buf.append(" | ".join(c for c in cells if c))
                self.flush()
            elif name in BLOCK:
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


def _hidden(tag: Any) -> bool:
    role = str(tag.get("role") or "").lower()
    return role in {"navigation", "banner", "contentinfo", "search"} or tag.has_attr("hidden")


def html_blocks(text: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    mains = soup.find_all(["main", "article"])
    root = max(mains, key=lambda m: len(m.get_text())) if mains else (soup.body or soup)
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    blocks = walker.blocks
    title = soup.title.get_text() if soup.title else ""
    if clean_line(title) and not any(b.kind == "heading" and b.level == 1 for b in blocks):
        blocks.insert(0, Block(kind="heading", text=clean_line(title), level=1, line=1))
    return blocks


def read_html(name: str, data: bytes) -> SourceFile:
    text, note = decode(data)
    blocks = html_blocks(text)
    body = "\n\n".join(b.text for b in blocks)
    return source(name, data, "html", body, blocks, decode_note=note)
