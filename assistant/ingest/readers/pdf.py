"""PDF: text page by page with PDFium (pypdfium2, Apache-2.0/BSD), every passage on its page.

Each page's characters are grouped into runs of text on one baseline (with their position,
font size and weight); ``pdf_layout`` then orders them (two columns read one after the other),
drops running headers and footers, joins lines into paragraphs (hyphens at line ends mended)
and finds headings (the outline's, larger or bold lines). Pages with no text (scanned) are
named in a warning; an encrypted or damaged file is skipped with one line.
"""

from __future__ import annotations

import ctypes
from typing import Any

from assistant.core.settings import SourcesSettings
from assistant.core.types import SourceFile
from assistant.ingest.readers.common import Unreadable, hidden, page_ranges, source
from assistant.ingest.readers.pdf_layout import (
    SOFT_HYPHEN,
    OutlineEntry,
    PageText,
    Run,
    layout_blocks,
)

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
# A horizontal gap this many font sizes wide separates two runs (columns, table cells).
RUN_GAP_EM = 1.25


def _bold(raw: Any, tp: Any, index: int) -> bool:
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    raw.FPDFText_GetFontInfo(tp, index, buf, 128, ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace").lower()
    weight = raw.FPDFText_GetFontWeight(tp, index)
    return (
        any(w in name for w in ("bold", "black", "heavy", "semibold", "demi"))
        or weight >= 600
        or bool(flags.value & (1 << 18))  # ForceBold
    )


def page_runs(textpage: Any, number: int) -> list[Run]:
    """The runs of one page, in the order PDFium found them."""
    import pypdfium2.raw as raw

    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    runs: list[Run] = []
    cur: Run | None = None
    chars: list[str] = []

    def close() -> None:
        nonlocal cur
        if cur is not None:
            cur.text = "".join(chars).strip()
            if cur.text:
                runs.append(cur)
        cur = None
        chars.clear()

    for i in range(n):
        code = raw.FPDFText_GetUnicode(tp, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        generated = raw.FPDFText_IsGenerated(tp, i) == 1
        if ch in ("\r", "\n") or (generated and ch not in (" ", "-")):
            close()
            continue
        if ch in ("\x02", "\x03"):
            ch = SOFT_HYPHEN  # PDFium's mark for a hyphen it found at a line end
        if ch == " " or generated:
            if cur is not None:
                chars.append(ch)
            continue
        if not ch or hidden(ch) or "\ue000" <= ch <= "\uf8ff" or ch in "\ufffe\uffff\ufffd":
            continue
        ch = LIGATURES.get(ch, ch)
        raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top)
        raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
        size = float(raw.FPDFText_GetFontSize(tp, i)) or (top.value - bottom.value) or 10.0
        if cur is not None and (
            abs(oy.value - cur.y) > 0.5 * max(size, cur.size)
            or left.value - cur.x1 > RUN_GAP_EM * max(size, cur.size)
            or left.value < cur.x1 - 2 * max(size, cur.size)
        ):
            close()
        if cur is None:
            cur = Run("", left.value, right.value, oy.value, size, _bold(raw, tp, i), number)
        cur.x0 = min(cur.x0, left.value)
        cur.x1 = max(cur.x1, right.value)
        cur.size = max(cur.size, size)
        chars.append(ch)
    close()
    return runs


def _outline(pdf: Any) -> list[OutlineEntry]:
    out: list[OutlineEntry] = []
    try:
        for item in pdf.get_toc(max_depth=8):
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            title = " ".join((item.get_title() or "").split())
            if index is not None and title:
                out.append(OutlineEntry(title, item.level + 1, index + 1))
    except Exception:  # a broken outline only loses the headings it would give
        return []
    return out


def _why(exc: Exception) -> str:
    text = str(exc).lower()
    if "password" in text:
        return "encrypted (needs a password)"
    if "format" in text or "file" in text:
        return "damaged (not a readable PDF)"
    return f"damaged ({' '.join(str(exc).split())[:80]})"


def read_pdf(name: str, data: bytes, settings: SourcesSettings) -> SourceFile:
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # a core dependency: only a broken install lacks it
        raise Unreadable("PDF reader missing: pip install pypdfium2") from exc
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Unreadable(_why(exc)) from exc
    pages: list[PageText] = []
    try:
        outline = _outline(pdf)
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    runs = page_runs(textpage, i + 1)
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(PageText(i + 1, width, height, runs))
    except pdfium.PdfiumError as exc:
        raise Unreadable(_why(exc)) from exc
    finally:
        pdf.close()
    empty = [p.number for p in pages if not p.runs]
    if not pages or len(empty) == len(pages):
        n = len(pages)
        raise Unreadable(f"no text (scanned pages are not read; {n} page{'s' if n != 1 else ''})")
    blocks = layout_blocks(pages, outline, settings)
    where = f"page{'s' if len(empty) > 1 else ''} {page_ranges(empty)}"
    warnings = [f"no text on {where}: scanned pages are not read"] if empty else []
    text = "\n\n".join(b.text for b in blocks)
    return source(name, data, "pdf", text, blocks, pages=len(pages), warnings=warnings)
