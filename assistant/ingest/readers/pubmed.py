"""PubMed exports: MEDLINE text (``.nbib``, or ``.txt`` saved from PubMed) and PubMed XML.

One record per paper: its abstract's labelled sections (BACKGROUND, METHODS, ...) are its
sections, and every passage carries the record's PMID, title, journal, year and DOI. MEDLINE is
read by Biopython's ``Bio.Medline``; XML by the standard library's parser (``Bio.Entrez`` wants
the exact DTD of each PubMed release and would fetch it), with entity declarations refused.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from assistant.core.types import Block, Record, SourceFile
from assistant.ingest.readers.common import Unreadable, clean, clean_line, decode, source

# "BACKGROUND: ..." "CONCLUSIONS AND RELEVANCE: ..." at the start or after a sentence's end.
LABEL = re.compile(r"(?:^|(?<=[.?!])\s+)([A-Z][A-Z/&,\- ]{2,48}[A-Z]):\s+")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def nice_label(label: str) -> str:
    label = clean_line(label).rstrip(":")
    return label.capitalize() if label.isupper() else label


def labelled_sections(abstract: str) -> list[tuple[str, str]]:
    """A MEDLINE abstract cut at its section labels; an unlabelled one is one "Abstract"."""
    marks = list(LABEL.finditer(abstract))
    if not marks or marks[0].start() > 0:
        first = abstract[: marks[0].start()] if marks else abstract
        out = [("Abstract", first.strip())] if first.strip() else []
    else:
        out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(abstract)
        body = abstract[m.end() : end].strip()
        if body:
            out.append((nice_label(m.group(1)), body))
    return out


def record_blocks(
    record: Record, sections: Iterable[tuple[str, str]], line: int
) -> list[Block]:
    """A record's blocks: each labelled section a heading and its text (a record with no
    abstract: its title, so that it can still be found and cited)."""
    blocks: list[Block] = []
    for label, text in sections:
        text = clean_line(text)
        if not text:
            continue
        blocks.append(Block(kind="heading", text=label, level=1, line=line, record=record))
        blocks.append(Block(kind="paragraph", text=text, line=line, record=record))
    if not blocks and record.title:
        blocks.append(Block(kind="heading", text="Title", level=1, line=line, record=record))
        blocks.append(Block(kind="paragraph", text=record.title, line=line, record=record))
    return blocks


def _year(text: str | None) -> int | None:
    m = YEAR.search(text or "")
    return int(m.group(1)) if m else None


def _doi(ids: Iterable[str]) -> str | None:
    for value in ids:
        if value.strip().endswith("[doi]"):
            return value.strip()[: -len("[doi]")].strip()
    return None


def read_medline(name: str, data: bytes) -> SourceFile:
    from Bio import Medline

    text, note = decode(data)
    text = clean(text)
    starts = [i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("PMID-")]
    blocks: list[Block] = []
    n = 0
    try:
        records = list(Medline.parse(io.StringIO(text)))
    except Exception as exc:  # a damaged export: named, the rest of the corpus goes on
        raise Unreadable(f"damaged (MEDLINE: {type(exc).__name__})") from exc
    for k, rec in enumerate(records):
        pmid = str(rec.get("PMID", "")).strip() or None
        if not pmid and not rec.get("TI"):
            continue
        record = Record(
            pmid=pmid,
            title=clean_line(str(rec.get("TI", ""))) or None,
            journal=clean_line(str(rec.get("TA") or rec.get("JT") or "")) or None,
            year=_year(str(rec.get("DP", ""))),
            doi=_doi([*_list(rec.get("LID")), *_list(rec.get("AID"))]),
        )
        line = starts[k] if k < len(starts) else 1
        blocks.extend(record_blocks(record, labelled_sections(str(rec.get("AB", ""))), line))
        n += 1
    if not n:
        raise Unreadable("no text (no PubMed records in MEDLINE format)")
    return source(name, data, "medline", text, blocks, decode_note=note, records=n)


def _list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _text(el: ET.Element | None) -> str:
    return clean_line("".join(el.itertext())) if el is not None else ""


def read_pubmed_xml(name: str, data: bytes) -> SourceFile:
    if b"<!ENTITY" in data:
        raise Unreadable("unsupported type (XML with entity declarations)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise Unreadable(f"damaged (XML: {exc})") from exc
    if root.tag == "PubmedArticle":
        articles = [root]
    elif root.tag == "PubmedArticleSet":
        articles = root.findall("PubmedArticle")
    else:
        raise Unreadable(f"unsupported type (XML that is not a PubMed export: <{root.tag}>)")
    text, note = decode(data)
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<PubmedArticle\b", text)]
    blocks: list[Block] = []
    n = 0
    for k, art in enumerate(articles):
        record, sections = _xml_record(art)
        if record is None:
            continue
        line = starts[k] if k < len(starts) else 1
        blocks.extend(record_blocks(record, sections, line))
        n += 1
    if not n:
        raise Unreadable("no text (no PubMed records in the XML)")
    body = "\n\n".join(b.text for b in blocks)
    return source(name, data, "pubmed-xml", body, blocks, decode_note=note, records=n)


def _xml_record(art: ET.Element) -> tuple[Record | None, list[tuple[str, str]]]:
    cit = art.find("MedlineCitation")
    if cit is None:
        return None, []
    article = cit.find("Article")
    pmid = _text(cit.find("PMID")) or None
    title = _text(article.find("ArticleTitle")) if article is not None else ""
    if not pmid and not title:
        return None, []
    journal = _text(cit.find("MedlineJournalInfo/MedlineTA"))
    year = None
    doi = None
    sections: list[tuple[str, str]] = []
    if article is not None:
        journal = (
            journal or _text(article.find("Journal/ISOAbbreviation"))
            or _text(article.find("Journal/Title"))
        )
        date = "Journal/JournalIssue/PubDate/"
        year = (
            _year(_text(article.find(date + "Year")))
            or _year(_text(article.find(date + "MedlineDate")))
            or _year(_text(article.find("ArticleDate/Year")))
        )
        for loc in article.findall("ELocationID"):
            if loc.get("EIdType") == "doi":
                doi = _text(loc)
        for part in article.findall("Abstract/AbstractText"):
            label = part.get("Label")
            sections.append((nice_label(label) if label else "Abstract", _text(part)))
    if doi is None:
        for aid in art.findall("PubmedData/ArticleIdList/ArticleId"):
            if aid.get("IdType") == "doi":
                doi = _text(aid)
    record = Record(pmid=pmid, title=title or None, journal=journal or None, year=year, doi=doi)
    return record, sections
