"""PDF parsing beside embedding: is reading a guideline PDF ever the bottleneck of a build?

A generated guideline-like PDF (reportlab): a heading and five paragraphs a page, every fifth page
in two columns, a running header and footer. Measured in one process, the model already loaded:
the PDF reader (``assistant.ingest.readers.pdf``: PDFium, layout, headers, paragraphs), the
chunker, and the embedding of what ``build_index`` embeds (passages and their sentences).
"""

from __future__ import annotations

import random
import textwrap
import time
from pathlib import Path
from typing import Any

TOPICS = ["immunoglobulin", "prednisolone", "rituximab", "plasma exchange", "methotrexate",
          "azathioprine", "mycophenolate", "creatine kinase", "muscle MRI", "nerve conduction"]
TEMPLATES = [
    "Treatment with {t} is started at {n} mg daily and reviewed after {w} weeks.",
    "In a cohort of {c} patients, {p} percent improved on {t} within {w} months.",
    "Side effects of {t} include infection, weight gain and raised blood glucose.",
    "The response to {t} is judged by strength testing and {u} at every visit.",
    "Guidance recommends that {t} be tapered slowly once the disease is controlled.",
    "Patients who do not respond to {t} within {w} weeks should be referred.",
]


def _paragraph(rng: random.Random) -> str:
    return " ".join(
        rng.choice(TEMPLATES).format(
            t=rng.choice(TOPICS), u=rng.choice(TOPICS), n=rng.randint(5, 80),
            w=rng.randint(2, 12), c=rng.randint(20, 400), p=rng.randint(10, 90),
        )
        for _ in range(rng.randint(3, 5))
    )


def make_pdf(path: Path, pages: int, seed: int = 7) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(72, height - 40, "Guideline for inflammatory myopathies — bench edition")
        c.drawCentredString(width / 2, 30, f"Page {n} of {pages}")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, height - 80, f"Section {n}: {rng.choice(TOPICS).capitalize()}")
        y = height - 110
        c.setFont("Helvetica", 10)
        if n % 5 == 0:  # two columns
            cols = [textwrap.wrap(" ".join(_paragraph(rng) for _ in range(3)), 42) for _ in "ab"]
            for k in range(max(map(len, cols))):
                for x, col in ((72, cols[0]), (width / 2 + 18, cols[1])):
                    if k < len(col) and y - 13 * k > 60:
                        c.drawString(x, y - 13 * k, col[k])
        else:
            for _ in range(5):
                for line in textwrap.wrap(_paragraph(rng), 90):
                    if y > 60:
                        c.drawString(72, y, line)
                    y -= 13
                y -= 8
        c.showPage()
    c.save()
    return path


def measure(pages: int, work: Path, repeats: int = 3) -> dict[str, Any]:
    """Parse (best of ``repeats``), chunk and embed a ``pages``-page PDF; times in seconds."""
    from assistant.core.settings import Settings
    from assistant.ingest.chunk import chunk_source, embed_sentence, embed_text
    from assistant.ingest.readers.pdf import read_pdf
    from assistant.store.embed import shared_embedder

    path = make_pdf(work / f"bench-{pages}.pdf", pages)
    data = path.read_bytes()
    settings = Settings()
    parse_times = []
    for _ in range(repeats):
        t = time.perf_counter()
        source = read_pdf(path.name, data, settings.sources)
        parse_times.append(time.perf_counter() - t)
    t = time.perf_counter()
    chunks = chunk_source(source, settings.chunk.max_chars)
    chunk_s = time.perf_counter() - t
    passages = [embed_text(c) for c in chunks]
    sentences = [embed_sentence(c, s) for c in chunks for s in c.sentences]
    texts = list(dict.fromkeys(passages + sentences))
    embedder = shared_embedder()
    embedder.encode(["warm up"])
    t = time.perf_counter()
    embedder.encode(texts)
    embed_s = time.perf_counter() - t
    parse_s = min(parse_times)
    return {
        "pages": pages,
        "file_kb": round(len(data) / 1024, 1),
        "passages": len(chunks),
        "texts_embedded": len(texts),
        "parse_s": round(parse_s, 3),
        "parse_ms_per_page": round(1e3 * parse_s / pages, 2),
        "parse_pages_per_s": round(pages / parse_s, 1),
        "chunk_s": round(chunk_s, 3),
        "embed_s": round(embed_s, 2),
        "embed_ms_per_page": round(1e3 * embed_s / pages, 1),
        "parse_share": round(parse_s / (parse_s + chunk_s + embed_s), 4),
        "pages_cited": sorted({c.page for c in chunks if c.page}) == list(range(1, pages + 1)),
    }


def report_lines(r: dict[str, Any]) -> list[str]:
    verdict = "parsing is not the bottleneck" if r["parse_share"] < 0.1 else (
        "**parsing is a bottleneck**"
    )
    return [
        "",
        f"## PDF parsing vs embedding ({r['pages']}-page PDF)",
        "",
        f"A generated guideline-like PDF ({r['file_kb']} KB: a heading and five paragraphs a "
        "page, every fifth page in two columns, running header and footer), read by "
        "`assistant.ingest.readers.pdf` (PDFium through pypdfium2, then layout: columns, headers "
        "and footers, paragraphs, headings), cut into passages, and embedded as `build_index` "
        "does (passages and their sentences), the model already loaded. `bench/pdf_speed.py`.",
        "",
        "| step | seconds | per page (ms) |",
        "| --- | --- | --- |",
        f"| parse (best of 3) | {r['parse_s']} | {r['parse_ms_per_page']} |",
        f"| chunk | {r['chunk_s']} | {round(1e3 * r['chunk_s'] / r['pages'], 2)} |",
        f"| embed ({r['texts_embedded']} texts, {r['passages']} passages) | {r['embed_s']} | "
        f"{r['embed_ms_per_page']} |",
        "",
        f"Parsing is {100 * r['parse_share']:.1f}% of parse + chunk + embed "
        f"({r['parse_pages_per_s']} pages/s): {verdict}. Every page's passages carry their page "
        f"number: {'yes' if r['pages_cited'] else '**no**'}.",
    ]
