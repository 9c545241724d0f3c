"""The readers, on real files made here (no model): structure, pages, records, what is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from source_files import GUIDELINE, PAPERS, Page, make_pdf, medline, mixed_corpus, pubmed_xml

from assistant.core.settings import SourcesSettings
from assistant.core.types import Chunk
from assistant.ingest.chunk import PAGE_BREAK, chunk_source
from assistant.ingest.corpus import read_corpus, read_file, scan_corpus
from assistant.ingest.readers import Unreadable
from assistant.ingest.readers.html import read_html
from assistant.ingest.readers.pdf import read_pdf
from assistant.ingest.readers.pdf_layout import join_lines
from assistant.ingest.readers.pubmed import labelled_sections, read_medline, read_pubmed_xml
from assistant.ingest.readers.text import parse_plain

REPO = Path(__file__).resolve().parents[2]


def chunks_of(path: Path) -> list[Chunk]:
    return chunk_source(read_file(path, path.parent))


# --- plain text -------------------------------------------------------------------------------


def test_hard_wrapped_paragraphs_are_one_passage_and_capitals_are_headings() -> None:
    chunks = chunks_of(REPO / "eval" / "corpora" / "pmr" / "pmr.txt")
    title = "POLYMYALGIA RHEUMATICA AND GIANT CELL ARTERITIS"
    first = chunks[0]
    assert first.section == f"{title} > About This Guide"
    # Four lines in the file, one passage (not one passage a line).
    assert first.text.startswith("This guide summarises the diagnosis")
    assert first.text.endswith("specialist advice for patients with atypical features.")
    sections = {c.section for c in chunks}
    assert f"{title} > WHAT IS POLYMYALGIA RHEUMATICA? > Who Gets It" in sections
    assert f"{title} > 2012 EULAR/ACR CLASSIFICATION CRITERIA" in sections
    assert f"{title} > SYMPTOMS AND SIGNS" in sections
    bullet = next(c for c in chunks if c.text.startswith("morning stiffness lasting more than 45"))
    assert bullet.kind == "bullet" and bullet.lead == "The typical features are:"
    # No passage is a fragment of a wrapped line.
    assert not any(c.text[0].islower() and c.kind == "paragraph" for c in chunks)


def test_a_heading_followed_by_a_blank_line_is_a_heading() -> None:
    chunks = chunks_of(REPO / "eval" / "corpora" / "cidp" / "treatment_notes.txt")
    assert chunks[0].section == "CIDP TREATMENT NOTES > Goals of treatment"
    ivig = next(c for c in chunks if c.text.startswith("The usual loading dose of IVIG"))
    assert ivig.section == "CIDP TREATMENT NOTES > Intravenous immunoglobulin"
    assert all(c.section for c in chunks)


def test_one_paragraph_a_line_files_keep_their_lines_apart() -> None:
    text = (
        "Drugs\nStatins can trigger it.\nSo can checkpoint inhibitors.\n"
        "A line that stops\nmid-way goes on.\n"
    )
    blocks = [b for b in parse_plain(text) if b.kind != "heading"]
    assert [b.text for b in blocks] == [
        "Statins can trigger it.",
        "So can checkpoint inhibitors.",
        "A line that stops mid-way goes on.",
    ]
    assert parse_plain(text)[0].kind == "heading" and parse_plain(text)[0].text == "Drugs"


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guideline(tmp_path_factory: pytest.TempPathFactory) -> list[Chunk]:
    path = make_pdf(tmp_path_factory.mktemp("pdf") / "g.pdf", GUIDELINE)
    source = read_pdf("g.pdf", path.read_bytes(), SourcesSettings())
    assert source.pages == 5
    assert source.warnings == ["no text on page 4: scanned pages are not read"]
    return chunk_source(source)


def find(chunks: list[Chunk], phrase: str) -> Chunk:
    found = [c for c in chunks if phrase in c.text]
    assert len(found) == 1, (phrase, [c.text for c in chunks])
    return found[0]


def test_every_passage_keeps_its_page(guideline: list[Chunk]) -> None:
    assert find(guideline, "brachial plexus").page == 1
    assert find(guideline, "loading dose of 2 g/kg").page == 2
    assert find(guideline, "Serum IgA is measured").page == 5
    assert find(guideline, "Serum IgA is measured").kind == "bullet"
    assert not any(c.pages for c in guideline if c.page in (1, 5))


def test_a_paragraph_across_pages_keeps_both_and_each_sentence_its_own(
    guideline: list[Chunk],
) -> None:
    c = find(guideline, "five exchanges over two weeks")
    assert c.page == 2 and c.pages == [2, 3]
    assert c.sentence_pages == [[2, 3], [3]]  # the second sentence is on page 3 only
    assert PAGE_BREAK not in c.text and "  " not in c.text


def test_two_columns_are_read_one_after_the_other(guideline: list[Chunk]) -> None:
    left = find(guideline, "Rituximab is recommended")
    right = find(guideline, "Grip strength measured")
    assert left.text.endswith("who respond poorly to immunoglobulin.")
    assert right.text.endswith("to judge the response to treatment.")
    assert left.page == right.page == 3 and left.position < right.position


def test_headers_footers_dropped_headings_found(guideline: list[Chunk]) -> None:
    text = " ".join(c.text + " " + c.section for c in guideline)
    assert "test edition" not in text and "Page 1 of" not in text
    assert find(guideline, "brachial plexus").section == "Diagnosis of CIDP > Nerve imaging"
    assert find(guideline, "Serum IgA").section == "Monitoring"


def test_hyphens_at_line_ends_are_mended() -> None:
    assert join_lines("severe immuno-", "globulin-refractory disease") == (
        "severe immunoglobulin-refractory disease"
    )
    assert join_lines("a dose-", "dependent effect") == "a dose-dependent effect"
    assert join_lines("anti-", "HMGCR antibodies") == "anti-HMGCR antibodies"
    assert join_lines("the end.", "Next") == "the end. Next"


def test_damaged_encrypted_and_scanned_pdfs_are_refused_with_one_reason(tmp_path: Path) -> None:
    settings = SourcesSettings()
    locked = make_pdf(tmp_path / "locked.pdf", GUIDELINE[:1], password="secret")
    with pytest.raises(Unreadable, match=r"^encrypted \(needs a password\)$"):
        read_pdf("locked.pdf", locked.read_bytes(), settings)
    with pytest.raises(Unreadable, match=r"^damaged"):
        read_pdf("bad.pdf", b"%PDF-1.7\n1 0 obj garbage", settings)
    scanned = make_pdf(tmp_path / "scan.pdf", [Page(image_only=True)] * 2, header=None)
    with pytest.raises(Unreadable, match=r"^no text \(scanned pages are not read; 2 pages\)"):
        read_pdf("scan.pdf", scanned.read_bytes(), settings)


# --- PubMed -------------------------------------------------------------------------------------


def test_medline_records_carry_their_pmid_title_journal_year_doi() -> None:
    source = read_medline("export.nbib", medline(PAPERS).encode())
    assert source.records == 3
    chunks = chunk_source(source)
    results = find(chunks, "improved in 78% of patients")
    assert (results.pmid, results.journal, results.year, results.doi) == (
        "31234567", "Neurology", 2019, "10.1212/WNL.0000000000007890"
    )
    assert results.title == PAPERS[0].title and results.section == "Results"
    assert find(chunks, "62 of 70 patients").section == "Abstract"
    assert [c.pmid for c in chunks].count("35555555") == 3


def test_pubmed_xml_of_any_release_is_read_offline_and_entities_are_refused() -> None:
    chunks = chunk_source(read_pubmed_xml("set.xml", pubmed_xml(PAPERS).encode()))
    relapse = find(chunks, "Relapse occurred in 10%")
    assert (relapse.pmid, relapse.journal, relapse.year, relapse.doi, relapse.section) == (
        "35555555", "Ann Neurol", 2022, "10.1002/ana.26100", "Results"
    )
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><PubmedArticleSet/>'
    with pytest.raises(Unreadable, match="entity declarations"):
        read_pubmed_xml("bomb.xml", bomb)
    with pytest.raises(Unreadable, match="not a PubMed export"):
        read_pubmed_xml("other.xml", b"<svg><g/></svg>")


def test_structured_abstract_labels_become_sections() -> None:
    assert labelled_sections("BACKGROUND: A b. CONCLUSIONS AND RELEVANCE: C d.") == [
        ("Background", "A b."), ("Conclusions and relevance", "C d.")
    ]
    assert labelled_sections("Plain text about CIDP: no labels.") == [
        ("Abstract", "Plain text about CIDP: no labels.")
    ]


# --- HTML ---------------------------------------------------------------------------------------


def test_html_keeps_headings_and_text_and_drops_scripts_and_navigation() -> None:
    page = b"""<html><head><title>Guideline</title><script>var x = "SECRET";</script>
    <style>p { color: red }</style></head><body><nav><a href="/">Home</a> Menu</nav>
    <main><h1>CIDP guideline</h1><h2>Treatment</h2><p>IVIG is <b>first-line</b>.<br>
    It is given at 2 g/kg.</p><ul><li>Steroids are an alternative.</li></ul></main>
    <footer>Copyright</footer></body></html>"""
    chunks = chunk_source(read_html("g.html", page))
    assert [(c.section, c.kind, c.text) for c in chunks] == [
        ("CIDP guideline > Treatment", "paragraph", "IVIG is first-line. It is given at 2 g/kg."),
        ("CIDP guideline > Treatment", "bullet", "Steroids are an alternative."),
    ]


# --- the corpus folder --------------------------------------------------------------------------


def test_every_file_of_a_mixed_folder_is_indexed_or_named(tmp_path: Path) -> None:
    corpus = read_corpus(mixed_corpus(tmp_path / "c"))
    assert sorted(f.name for f in corpus.files) == [
        "cidp-guideline.pdf", "note.md", "path.xml", "pubmed-export.txt"
    ]
    assert {f.name: f.format for f in corpus.files}["pubmed-export.txt"] == "medline"
    assert {s.name: s.reason for s in corpus.skipped} == {
        "blank.md": "empty",
        "broken.pdf": "damaged (not a readable PDF)",
        "letter.docx": "unsupported type (.docx)",
        "scan.pdf": "no text (scanned pages are not read; 1 page)",
    }
    assert corpus.summary() == (
        "read 1 .md, 1 .pdf (5 pages), 1 .txt (2 records), 1 .xml (1 record); "
        "skipped 4 (1 damaged, 1 empty, 1 no text, 1 unsupported type)"
    )


def test_the_corpus_hash_follows_what_can_be_read(tmp_path: Path) -> None:
    folder = mixed_corpus(tmp_path / "c")
    before = scan_corpus(folder).hash()
    (folder / "more.docx").write_bytes(b"not read")  # an unsupported file changes nothing
    assert scan_corpus(folder).hash() == before
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 still broken, but other bytes")
    assert scan_corpus(folder).hash() != before
