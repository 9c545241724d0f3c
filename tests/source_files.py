"""Real source files for the tests, made here: PDFs (reportlab), MEDLINE and PubMed XML exports.

Every PDF has known text on known pages; the exports follow the formats PubMed writes (MEDLINE:
four-character tags, continuation lines indented six spaces; XML: the efetch layout).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

A4 = (595.27, 841.89)


@dataclass
class Page:
    """One page: headings and paragraphs top to bottom, or two columns, or an image only."""

    items: list[tuple[str, str]] = field(default_factory=list)  # ("h1"|"h2"|"p"|"bullet", text)
    left: str = ""  # a two-column page: the left column's text ...
    right: str = ""  # ... and the right one's (drawn line by line, interleaved)
    image_only: bool = False
    # A paragraph that starts at the foot of this page and runs onto the top of the next one:
    # its first ``SPILL_LINES`` lines (wrapped at 88 characters) are on this page.
    spill: str = ""


SPILL_LINES = 2


def make_pdf(
    path: Path,
    pages: list[Page],
    outline: bool = True,
    header: str | None = "Clinical guideline — test edition",
    password: str | None = None,
) -> Path:
    """A PDF of ``pages`` with running header and page-number footer, an outline of its h1s."""
    from reportlab.pdfgen import canvas

    encrypt = None
    if password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(password, canPrint=0)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    width, height = A4
    mark = 0
    carry: list[str] = []
    for number, page in enumerate(pages, start=1):
        if page.image_only:
            _image(c)
            c.showPage()
            continue
        if header:
            c.setFont("Helvetica", 8)
            c.drawString(72, height - 40, header)
            c.drawCentredString(width / 2, 30, f"Page {number} of {len(pages)}")
        y = height - 90
        c.setFont("Helvetica", 10)
        for line in carry:
            c.drawString(72, y, line)
            y -= 13
        y -= 7 if carry else 0
        carry = []
        if page.left or page.right:
            y = _columns(c, page.left, page.right, y, width)
        for kind, text in page.items:
            if kind in ("h1", "h2"):
                size = 16 if kind == "h1" else 12
                y -= 8
                c.setFont("Helvetica-Bold", size)
                c.drawString(72, y, text)
                if outline and kind == "h1":
                    mark += 1
                    c.bookmarkPage(f"m{mark}")
                    c.addOutlineEntry(text, f"m{mark}", level=0)
                y -= size + 8
                continue
            x, prefix = (86, "\u2022 ") if kind == "bullet" else (72, "")
            c.setFont("Helvetica", 10)
            for k, line in enumerate(textwrap.wrap(prefix + text, 88)):
                c.drawString(x if k == 0 else x + 8 * bool(prefix), y, line)
                y -= 13
            y -= 7
        if page.spill:
            lines = textwrap.wrap(page.spill, 88)
            c.setFont("Helvetica", 10)
            for k, line in enumerate(lines[:SPILL_LINES]):
                c.drawString(72, 100 - 13 * k, line)
            carry = lines[SPILL_LINES:]
        c.showPage()
    c.save()
    return path


def _columns(c: object, left: str, right: str, y: float, width: float) -> float:
    left_lines = textwrap.wrap(left, 42)
    right_lines = textwrap.wrap(right, 42)
    c.setFont("Helvetica", 10)  # type: ignore[attr-defined]
    for k in range(max(len(left_lines), len(right_lines))):
        # Interleaved in the file (left line, right line, ...): only geometry tells the columns.
        if k < len(left_lines):
            c.drawString(72, y - 13 * k, left_lines[k])  # type: ignore[attr-defined]
        if k < len(right_lines):
            c.drawString(width / 2 + 18, y - 13 * k, right_lines[k])  # type: ignore[attr-defined]
    return y - 13 * max(len(left_lines), len(right_lines)) - 20


def _image(c: object) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (64, 64), (180, 40, 40))
    c.drawImage(ImageReader(img), 100, 300, 300, 300)  # type: ignore[attr-defined]


@dataclass
class Paper:
    pmid: str
    title: str
    journal: str  # the abbreviation (MEDLINE TA)
    year: int
    doi: str
    sections: list[tuple[str, str]]  # (LABEL, text); one ("", text) for an unlabelled abstract


def _field(tag: str, value: str) -> list[str]:
    lines = textwrap.wrap(value, 82) or [""]
    return [f"{tag:<4}- {lines[0]}"] + [f"      {ln}" for ln in lines[1:]]


def medline(papers: list[Paper]) -> str:
    """A MEDLINE export (PubMed's "PubMed" format, as saved to a .txt or .nbib file)."""
    out: list[str] = []
    for p in papers:
        abstract = " ".join(f"{label}: {text}" if label else text for label, text in p.sections)
        rec = [
            *_field("PMID", p.pmid), *_field("OWN", "NLM"), *_field("STAT", "MEDLINE"),
            *_field("DP", f"{p.year} Mar 4"), *_field("TI", p.title),
            *_field("LID", f"{p.doi} [doi]"), *_field("AB", abstract),
            *_field("FAU", "Doe, Jane"), *_field("AU", "Doe J"), *_field("LA", "eng"),
            *_field("PT", "Journal Article"), *_field("TA", p.journal),
            *_field("JT", p.journal.lower()), *_field("AID", f"{p.doi} [doi]"),
            *_field("SO", f"{p.journal}. {p.year} Mar 4;12(3):100-110."),
        ]
        out.append("\n".join(rec))
    return "\n\n".join(out) + "\n"


def pubmed_xml(papers: list[Paper]) -> str:
    """A PubMed XML export (efetch's layout; the DOCTYPE of a release no DTD is bundled for)."""
    arts = []
    for p in papers:
        texts = "".join(
            f'<AbstractText Label="{escape(label)}" NlmCategory="{escape(label)}">'
            f"{escape(text)}</AbstractText>"
            if label
            else f"<AbstractText>{escape(text)}</AbstractText>"
            for label, text in p.sections
        )
        arts.append(
            f"""<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{p.pmid}</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet"><Volume>12</Volume>
<PubDate><Year>{p.year}</Year><Month>Mar</Month></PubDate></JournalIssue>
<Title>{escape(p.journal)} journal</Title><ISOAbbreviation>{escape(p.journal)}</ISOAbbreviation>
</Journal><ArticleTitle>{escape(p.title)}</ArticleTitle>
<ELocationID EIdType="doi" ValidYN="Y">{escape(p.doi)}</ELocationID>
<Abstract>{texts}</Abstract></Article>
<MedlineJournalInfo><MedlineTA>{escape(p.journal)}</MedlineTA></MedlineJournalInfo>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">{p.pmid}</ArticleId>
<ArticleId IdType="doi">{escape(p.doi)}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"""
        )
    return (
        '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
        '1st January 2099//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_990101.dtd">\n'
        "<PubmedArticleSet>\n" + "\n".join(arts) + "\n</PubmedArticleSet>\n"
    )


# --- one realistic set: a CIDP guideline PDF and three papers -------------------------------------

GUIDELINE = [
    Page(items=[
        ("h1", "Diagnosis of CIDP"),
        ("p", "Chronic inflammatory demyelinating polyneuropathy is diagnosed from the clinical "
              "picture and nerve conduction studies showing demyelination in at least two nerves."),
        ("p", "Cerebrospinal fluid protein is raised in most patients and supports the diagnosis "
              "when the electrodiagnostic criteria are only partly met."),
        ("h2", "Nerve imaging"),
        ("p", "Ultrasound of the brachial plexus may show enlarged nerve roots in typical CIDP."),
    ]),
    Page(items=[
        ("h1", "First-line treatment"),
        ("p", "Intravenous immunoglobulin is given as a loading dose of 2 g/kg over two to five "
              "days, followed by maintenance infusions of 1 g/kg every three weeks."),
        ("p", "Oral prednisolone is started at 60 mg daily and tapered slowly over six months. "
              "Pulsed dexamethasone at 40 mg daily for four days each month is an alternative "
              "with fewer side effects."),
    ], spill="Plasma exchange is reserved for severe disease that has not responded to "
             "immunoglobulin, and it is given as five exchanges over two weeks, after which its "
             "benefit usually fades within a few weeks. Azathioprine or mycophenolate is started "
             "at the same time for patients whose weakness returns between exchanges."),
    Page(left="Rituximab is recommended for patients with antibodies against nodal or paranodal "
              "proteins such as neurofascin-155 and contactin-1, who respond poorly to "
              "immunoglobulin.",
         right="Grip strength measured with a Martin vigorimeter and the I-RODS disability scale "
               "are recorded at every visit to judge the response to treatment."),
    Page(image_only=True),
    Page(items=[
        ("h1", "Monitoring"),
        ("p", "A trial of dose reduction is recommended every six to twelve months to find the "
              "lowest effective dose of immunoglobulin."),
        ("bullet", "Serum IgA is measured before the first immunoglobulin course."),
        ("bullet", "Renal function is checked before each high-dose infusion."),
    ]),
]

PAPERS = [
    Paper("31234567", "Rituximab in refractory anti-SRP necrotizing myopathy: a cohort study.",
          "Neurology", 2019, "10.1212/WNL.0000000000007890",
          [("BACKGROUND", "Anti-SRP immune-mediated necrotizing myopathy is often refractory to "
                          "steroids and methotrexate."),
           ("METHODS", "We followed 40 patients who received rituximab after failing two agents."),
           ("RESULTS", "Muscle strength improved in 78% of patients at 12 months and creatine "
                       "kinase fell by half."),
           ("CONCLUSIONS", "Rituximab is an effective option in refractory anti-SRP myopathy.")]),
    Paper("30111222", "Statin exposure and anti-HMGCR myopathy in older adults.",
          "Muscle Nerve", 2018, "10.1002/mus.26000",
          [("", "Anti-HMGCR antibodies were found in 62 of 70 patients with statin-associated "
                "necrotizing myopathy, and symptoms persisted after the statin was stopped.")]),
    Paper("35555555", "Subcutaneous immunoglobulin for maintenance in CIDP: the PATH extension.",
          "Ann Neurol", 2022, "10.1002/ana.26100",
          [("OBJECTIVE", "To assess long-term subcutaneous immunoglobulin in CIDP."),
           ("RESULTS", "Relapse occurred in 10% of patients on 0.4 g/kg weekly over 48 weeks."),
           ("CONCLUSION", "Weekly subcutaneous immunoglobulin kept most patients in remission.")]),
]


def mixed_corpus(folder: Path) -> Path:
    """A guideline PDF, a MEDLINE export, a Markdown note, and files that cannot be indexed."""
    folder.mkdir(parents=True, exist_ok=True)
    make_pdf(folder / "cidp-guideline.pdf", GUIDELINE)
    (folder / "pubmed-export.txt").write_text(medline(PAPERS[:2]), encoding="utf-8")
    (folder / "path.xml").write_text(pubmed_xml(PAPERS[2:]), encoding="utf-8")
    (folder / "note.md").write_text(
        "# Clinic note\n\nPatients with anti-HMGCR myopathy should avoid statins for life.\n",
        encoding="utf-8",
    )
    (folder / "letter.docx").write_bytes(b"PK\x03\x04 not read")
    (folder / "blank.md").write_text("", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(make_pdf(folder / "tmp.pdf", [Page(image_only=True)],
                                              header=None).read_bytes())
    (folder / "tmp.pdf").unlink()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<\ngarbage")
    return folder
