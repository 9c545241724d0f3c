"""Citations point back to the original: page(s), PubMed record, links; the edition is shown."""

from __future__ import annotations

from assistant.answering.citing import CitationBuilder, render_text, source_label
from assistant.core.types import Answer, Chunk, Edition
from assistant.web.chat import render_answer

PDF = Chunk(
    chunk_id="g.pdf#4", source="g.pdf", section="Treatment", position=4, line=7,
    text="A is given. B crosses the page. C is on the next.",
    sentences=["A is given.", "B crosses the page.", "C is on the next."],
    page=3, pages=[3, 4], sentence_pages=[[3], [3, 4], [4]],
)
PAPER = Chunk(
    chunk_id="x.nbib#2", source="x.nbib", section="Results", position=2, line=1,
    text="Strength improved in 78%.", sentences=["Strength improved in 78%."],
    pmid="31234567", title="Rituximab in anti-SRP myopathy.", journal="Neurology", year=2019,
    doi="10.1212/WNL.123<x>",
)


def test_a_citation_gives_the_page_of_its_quote() -> None:
    b = CitationBuilder()
    b.cite(PDF, "A is given.")
    assert (b.citations[0].page, b.citations[0].pages) == (3, None)
    b.cite(PDF, "C is on the next.")  # a second sentence of the same passage, on page 4
    assert (b.citations[0].page, b.citations[0].pages) == (3, [3, 4])
    b = CitationBuilder()
    b.cite(PDF, "C is on the next.")
    assert (b.citations[0].page, b.citations[0].pages) == (4, None)
    b = CitationBuilder()
    b.cite(PDF, "B crosses the page.")
    assert (b.citations[0].page, b.citations[0].pages) == (3, [3, 4])
    assert source_label(b.citations[0]) == "g.pdf, pp. 3-4 — Treatment"


def test_a_paper_citation_carries_its_record_and_links_back() -> None:
    b = CitationBuilder()
    b.cite(PAPER, "Strength improved in 78%.")
    c = b.citations[0]
    assert (c.pmid, c.title, c.journal, c.year, c.page) == (
        "31234567", "Rituximab in anti-SRP myopathy.", "Neurology", 2019, None
    )
    assert source_label(c) == (
        "x.nbib — PMID 31234567: Rituximab in anti-SRP myopathy. (Neurology, 2019) — Results"
    )
    answer = Answer(question="q", answer="Strength improved in 78% [1].", abstained=False,
                    citations=[c], edition=Edition(hash="abcdef123456", date="2025-01-02", files=3))
    text = render_text(answer)
    assert "https://pubmed.ncbi.nlm.nih.gov/31234567/" in text
    assert text.endswith("Answered from the sources' edition abcdef123456, newest file 2025-01-02.")
    card = render_answer(answer)
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/31234567/"' in card
    assert "WNL.123<x>" not in card and "doi:10.1212/WNL.123&lt;x&gt;" in card  # escaped
    footer = "_Answered from the sources: edition abcdef123456, newest file 2025-01-02_"
    assert card.endswith("\n\n" + footer)
    assert "PMID 31234567" in card


def test_json_keeps_every_citation_field_and_the_edition() -> None:
    b = CitationBuilder()
    b.cite(PDF, "B crosses the page.")
    data = Answer(question="q", answer="B [1].", abstained=False, citations=b.citations,
                  edition=Edition(hash="abcdef123456", files=1)).to_json_dict()
    assert data["citations"][0]["page"] == 3 and data["citations"][0]["pages"] == [3, 4]
    assert data["edition"] == {"hash": "abcdef123456", "date": None, "files": 1}
