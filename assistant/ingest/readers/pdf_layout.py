"""From a PDF's runs of text to blocks: reading order, headers and footers, paragraphs, headings.

Heuristics on geometry only (no model): a vertical gutter with text on both sides is a
two-column page (the left column is read first); a line near the top or bottom edge that recurs
on many pages (digits aside) is a running header or footer; a line in a larger font, a short
bold line, a line in CAPITALS or an outline entry is a heading; a paragraph ends at a wider gap,
an indent, or a short line that ends a sentence. A paragraph running onto the next page keeps
both pages (``PAGE_BREAK`` in its text).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from assistant.core.settings import SourcesSettings
from assistant.core.types import Block
from assistant.ingest.readers.common import PAGE_BREAK

SOFT_HYPHEN = "\u00ad"
PAGE_NUMBER = re.compile(
    r"^\W*(?:page|p\.|seite)?\s*\d{1,4}(?:\s*(?:of|/|von)\s*\d{1,4})?\W*$", re.IGNORECASE
)
BULLET = re.compile(r"^(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7\u2013\u2014*\-]|\d{1,2}[.)]"
                    r"|[a-z][.)])\s+(.*)$")
END = ".!?:"


@dataclass
class Run:
    """Text on one baseline, in one piece (no wide gap inside)."""

    text: str
    x0: float
    x1: float
    y: float  # baseline, PDF coordinates (up is larger)
    size: float
    bold: bool
    page: int
    col: int = 0  # 0: full width (or one column), 1: left column, 2: right column


@dataclass
class PageText:
    number: int  # 1-based
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)


@dataclass
class OutlineEntry:
    title: str
    level: int  # 1 is the top
    page: int  # 1-based


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    page: int
    col: int
    number: int  # 1-based on its page


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def drop_running(pages: list[PageText], settings: SourcesSettings) -> None:
    """Remove running headers, footers and page numbers (lines near the edges that recur)."""
    def edge(r: Run, p: PageText) -> bool:
        m = settings.pdf_margin * p.height
        return r.y > p.height - m or r.y < m

    seen: Counter[str] = Counter()
    for p in pages:
        seen.update({_key(r.text) for r in p.runs if edge(r, p)})
    with_text = sum(1 for p in pages if p.runs)
    need = max(2.0, settings.pdf_repeat_share * with_text)
    for p in pages:
        p.runs = [
            r for r in p.runs
            if not (edge(r, p) and (seen[_key(r.text)] >= need or PAGE_NUMBER.match(r.text)))
        ]


def _gutter(p: PageText) -> float | None:
    """The x of a vertical gap with columns of text on both sides, or None (one column)."""
    runs = [r for r in p.runs if len(r.text) >= 3]
    if len(runs) < 8:
        return None
    lo, hi = int(0.3 * p.width), int(0.7 * p.width)
    best: tuple[int, int, int] | None = None  # (crossing, -band width, x)
    band_start = None
    prev_cross = None
    for x in range(lo, hi + 1, 2):
        cross = sum(1 for r in runs if r.x0 < x < r.x1)
        if cross != prev_cross:
            band_start, prev_cross = x, cross
        cand = (cross, -(x - (band_start or x)), x)
        if best is None or cand < best:
            best = cand
    assert best is not None
    cross, neg_width, x_end = best
    x = x_end + neg_width // 2  # the middle of the widest band with the fewest crossings
    left = [r for r in runs if r.x1 <= x]
    right = [r for r in runs if r.x0 >= x]
    if cross > 0.15 * len(runs) or len(left) < 4 or len(right) < 4:
        return None
    wide = 0.18 * p.width
    if statistics.mean(r.x1 - r.x0 for r in left) < wide:
        return None
    if statistics.mean(r.x1 - r.x0 for r in right) < wide:
        return None
    return float(x)


def order_runs(p: PageText) -> list[Run]:
    """The page's runs in reading order, each marked with its column."""
    runs = sorted(p.runs, key=lambda r: (-round(r.y), r.x0))
    gutter = _gutter(p)
    if gutter is None:
        return runs
    out: list[Run] = []
    band: list[Run] = []

    def flush_band() -> None:
        for col in (1, 2):
            out.extend(r for r in band if r.col == col)
        band.clear()

    for r in runs:
        if r.x0 < gutter < r.x1:
            r.col = 0
            flush_band()
            out.append(r)
        else:
            r.col = 1 if r.x1 <= gutter else 2
            band.append(r)
    flush_band()
    return out


def page_lines(p: PageText, body: float) -> list[Line]:
    """Runs on one baseline (and column) joined into lines; superscript numbers become [n]."""
    lines: list[Line] = []
    for r in order_runs(p):
        text = r.text
        last = lines[-1] if lines else None
        raised = last is not None and r.size < 0.85 * last.size and 0 < r.y - last.y < last.size
        if raised and re.fullmatch(r"[\d,\s\u2013\-]+", text):
            text = "".join(f"[{n}]" for n in re.findall(r"\d+", text)[:6])
        same_line = last is not None and abs(r.y - last.y) < 0.4 * last.size
        if last is not None and last.col == r.col and (same_line or raised):
            last.text = f"{last.text}{'' if raised else ' '}{text}"
            last.x1 = max(last.x1, r.x1)
            continue
        lines.append(Line(text, r.x0, r.x1, r.y, r.size, r.bold, p.number, r.col, len(lines) + 1))
    return lines


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def join_lines(a: str, b: str) -> str:
    """``a`` and ``b`` as one text: a hyphen at the end of ``a`` mends a broken word."""
    from wordfreq import zipf_frequency

    if a.endswith(SOFT_HYPHEN):
        return a[:-1] + b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].isalpha():
        if b[0].islower():
            head = re.search(r"[A-Za-z]+-$", a)
            tail = re.match(r"[a-z]+", b)
            word = (head.group(0)[:-1] if head else "") + (tail.group(0) if tail else "")
            if zipf_frequency(word, "en") > 0:
                return a[:-1] + b  # "immuno-" + "globulin"
        return a + b  # "dose-" + "dependent", "anti-" + "CD20"
    return f"{a} {b}"


class _Assembler:
    def __init__(self, lines: list[Line], outline: list[OutlineEntry], settings: SourcesSettings):
        self.lines = lines
        self.settings = settings
        sizes: Counter[float] = Counter()
        bold_chars = 0
        for ln in lines:
            sizes[round(ln.size * 2) / 2] += len(ln.text)
            bold_chars += len(ln.text) if ln.bold else 0
        self.body = sizes.most_common(1)[0][0] if sizes else 10.0
        self.bold_body = bold_chars > 0.5 * sum(sizes.values())
        self.outline = {(e.page, _norm(e.title)): e.level for e in outline}
        self.outline_titles = [(e.page, _norm(e.title), e.level) for e in outline]
        self.outline_depth = max((e.level for e in outline), default=0)
        heading_sizes = sorted(
            {round(ln.size) for ln in lines if ln.size >= settings.pdf_heading_ratio * self.body},
            reverse=True,
        )
        self.size_level = {s: i + 1 + self.outline_depth for i, s in enumerate(heading_sizes)}
        self.minor_level = len(heading_sizes) + 1 + self.outline_depth
        self.leading = self._leading()
        self.right = self._right_edges()

    def _leading(self) -> dict[tuple[int, int], float]:
        gaps: dict[tuple[int, int], list[float]] = {}
        for a, b in zip(self.lines, self.lines[1:], strict=False):
            if a.page == b.page and a.col == b.col and 0.8 * a.size < a.y - b.y < 2.5 * a.size:
                gaps.setdefault((a.page, a.col), []).append(a.y - b.y)
        return {k: statistics.median(v) for k, v in gaps.items()}

    def _right_edges(self) -> dict[tuple[int, int], float]:
        edges: dict[tuple[int, int], list[float]] = {}
        for ln in self.lines:
            edges.setdefault((ln.page, ln.col), []).append(ln.x1)
        return {k: sorted(v)[int(0.9 * (len(v) - 1))] for k, v in edges.items()}

    def heading_level(self, i: int) -> int | None:
        ln = self.lines[i]
        words = ln.text.split()
        if not any(c.isalpha() for c in ln.text) or len(words) > 20:
            return None
        level = self.outline.get((ln.page, _norm(ln.text)))
        if level is None and len(_norm(ln.text)) >= 8:  # the first line of a longer entry
            level = next(
                (lv for page, title, lv in self.outline_titles
                 if page == ln.page and title.startswith(_norm(ln.text))),
                None,
            )
        if level is not None:
            return level
        if ln.size >= self.settings.pdf_heading_ratio * self.body:
            return self.size_level.get(round(ln.size), self.minor_level)
        if len(words) > 12 or ln.text[-1] in ".,;" or not self._standalone(i):
            return None
        if ln.bold and not self.bold_body:
            return self.minor_level
        letters = [c for c in ln.text if c.isalpha()]
        if len(letters) >= 4 and all(c.isupper() for c in letters):
            return self.minor_level
        return None

    def _standalone(self, i: int) -> bool:
        """A line that starts a block (page or column top, a sentence ended, or a gap above)
        and is followed by one that starts with a capital or a digit."""
        ln = self.lines[i]
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        if nxt is None or not (nxt.text[:1].isupper() or nxt.text[:1].isdigit()):
            return False
        prev = self.lines[i - 1] if i else None
        return prev is None or prev.page != ln.page or prev.col != ln.col or (
            prev.text[-1] in END or self._gap(prev, ln)
        )

    def _gap(self, a: Line, b: Line) -> bool:
        leading = self.leading.get((b.page, b.col), 1.2 * self.body)
        return a.y - b.y > self.settings.pdf_paragraph_gap * leading

    def breaks(self, a: Line, b: Line) -> bool:
        """Whether line ``b`` starts a new paragraph after line ``a``."""
        if a.page != b.page or a.col != b.col:
            return a.text[-1] in ".!?"  # a paragraph goes on across a page or column
        if self._gap(a, b) or b.y > a.y:
            return True
        short = a.x1 < self.right.get((a.page, a.col), a.x1) - 2 * a.size
        indent = b.x0 > a.x0 + 1.0 * b.size
        return a.text[-1] in END and (short or indent)

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        cur: Block | None = None
        last: Line | None = None
        last_heading: tuple[Line, int] | None = None
        for i, ln in enumerate(self.lines):
            level = self.heading_level(i)
            if level is not None:
                if (last_heading and last is last_heading[0] and out and out[-1].kind == "heading"
                        and last_heading[1] == level and ln.page == last.page
                        and not self._gap(last, ln)):
                    out[-1].text = f"{out[-1].text} {ln.text}"  # a heading over two lines
                else:
                    out.append(Block(kind="heading", text=ln.text, level=level, line=ln.number,
                                     page=ln.page))
                cur, last, last_heading = None, ln, (ln, level)
                continue
            bullet = BULLET.match(ln.text)
            if cur is None or bullet or last is None or self.breaks(last, ln):
                text = bullet.group(1) if bullet else ln.text
                cur = Block(kind="bullet" if bullet else "paragraph", text=text, line=ln.number,
                            page=ln.page)
                out.append(cur)
            else:
                mark = PAGE_BREAK + " " if ln.page != last.page else ""
                cur.text = join_lines(cur.text, mark + ln.text) if not mark else (
                    _join_across(cur.text, ln.text)
                )
            last = ln
        return [b for b in out if b.text.replace(PAGE_BREAK, "").strip()]


def _join_across(a: str, b: str) -> str:
    """Join across a page break: the word mended as on one page, the mark before ``b``."""
    joined = join_lines(a, b)
    head = len(joined) - len(b)
    if joined[head - 1 : head] == " ":
        return f"{joined[:head].rstrip()} {PAGE_BREAK} {joined[head:]}"
    return _mark_in_word(joined, head)


def _mark_in_word(joined: str, at: int) -> str:
    """A word mended across the page break: the mark goes after the word (its sentence starts
    on the first page, which is where a reader finds it)."""
    m = re.match(r"\S*", joined[at:])
    end = at + (m.end() if m else 0)
    return f"{joined[:end]} {PAGE_BREAK} {joined[end:].lstrip()}".rstrip()


def layout_blocks(
    pages: list[PageText], outline: list[OutlineEntry], settings: SourcesSettings
) -> list[Block]:
    drop_running(pages, settings)
    sizes: Counter[float] = Counter()
    for p in pages:
        for r in p.runs:
            sizes[round(r.size * 2) / 2] += len(r.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    lines = [ln for p in pages for ln in page_lines(p, body)]
    return _Assembler(lines, outline, settings).blocks()
