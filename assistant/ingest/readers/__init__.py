"""One reader per source format, chosen by file suffix (and, for ``.txt``, by content).

Each reader turns a file's bytes into a SourceFile whose blocks (headings, paragraphs,
bullets) carry where they are in the original: the PDF page, the PubMed record. A file it
cannot read raises ``Unreadable(reason)``: the corpus names it and goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.core.settings import SourcesSettings
from assistant.core.types import SourceFile
from assistant.ingest.readers.common import Unreadable

Read = Callable[[str, bytes, SourcesSettings], SourceFile]


@dataclass(frozen=True)
class Format:
    name: str  # shown in the per-type summary
    library: str  # what reads it (README: "Sources: formats and citations")
    binary: bool  # size limit: max_pdf_mb rather than max_text_mb


def _markdown(name: str, data: bytes, _: SourcesSettings) -> SourceFile:
    from assistant.ingest.readers.markdown import read_markdown

    return read_markdown(name, data)


def _text(name: str, data: bytes, _: SourcesSettings) -> SourceFile:
    from assistant.ingest.readers.text import looks_like_medline, read_text

    if looks_like_medline(data[:400].decode("utf-8", "replace")):
        return _medline(name, data, _)
    return read_text(name, data)


def _medline(name: str, data: bytes, _: SourcesSettings) -> SourceFile:
    from assistant.ingest.readers.pubmed import read_medline

    return read_medline(name, data)


def _pubmed_xml(name: str, data: bytes, _: SourcesSettings) -> SourceFile:
    from assistant.ingest.readers.pubmed import read_pubmed_xml

    return read_pubmed_xml(name, data)


def _pdf(name: str, data: bytes, settings: SourcesSettings) -> SourceFile:
    from assistant.ingest.readers.pdf import read_pdf

    return read_pdf(name, data, settings)


def _html(name: str, data: bytes, _: SourcesSettings) -> SourceFile:
    from assistant.ingest.readers.html import read_html

    return read_html(name, data)


MARKDOWN = Format("markdown", "built in", False)
TEXT = Format("text", "built in (MEDLINE sniffed: Biopython)", False)
MEDLINE = Format("medline", "Biopython (Bio.Medline)", False)
PUBMED_XML = Format("pubmed-xml", "Python's xml.etree", False)
PDF = Format("pdf", "pypdfium2 (PDFium)", True)
HTML = Format("html", "Beautiful Soup (html.parser)", False)

# suffix -> (format, reader)
READERS: dict[str, tuple[Format, Read]] = {
    ".md": (MARKDOWN, _markdown),
    ".markdown": (MARKDOWN, _markdown),
    ".txt": (TEXT, _text),
    ".text": (TEXT, _text),
    ".nbib": (MEDLINE, _medline),
    ".medline": (MEDLINE, _medline),
    ".xml": (PUBMED_XML, _pubmed_xml),
    ".pdf": (PDF, _pdf),
    ".html": (HTML, _html),
    ".htm": (HTML, _html),
    ".xhtml": (HTML, _html),
}
SUFFIXES = tuple(READERS)


def reader_for(name: str) -> tuple[Format, Read] | None:
    for suffix, entry in READERS.items():
        if name.lower().endswith(suffix):
            return entry
    return None


__all__ = ["READERS", "SUFFIXES", "Format", "Unreadable", "reader_for"]
