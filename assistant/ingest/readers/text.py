"""Plain text (``.txt``): headings, paragraphs (hard-wrapped or one a line) and bullets.

A heading is a short line with no end punctuation standing alone (followed by a blank line, or
by text when it is clearly shorter than the wrapped lines), or a line in CAPITALS on its own;
a heading straight above another one heads a part (it ranks higher). In a hard-wrapped file a
paragraph written over several lines is one passage; in a file of one paragraph a line, each
line is one (a line that stops mid-sentence is continued by a next line in lower case).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from assistant.core.types import Block, SourceFile
from assistant.ingest.readers.common import clean, decode, source
from assistant.ingest.readers.markdown import BULLET, Builder

SENTENCE_END = ".!?:;"
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
# A file is hard-wrapped when many of its lines reach (this share of) a common width.
WRAP_SHARE = 0.7
MIN_WRAP_WIDTH = 40
MAX_WRAP_WIDTH = 120


def is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped file is wrapped at, or None when its lines are paragraphs.

    Hard-wrapped: many lines reach a common width (40-120 characters) and go on in the next
    line, most of them mid-sentence.
    """
    body = [ln.rstrip() for ln in lines if ln.strip() and not BULLET.match(ln)]
    if len(body) < 5:
        return None
    lengths = sorted(len(ln) for ln in body)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    wrapped = mid_sentence = 0
    for a, b in pairwise(lines):
        if (
            a.strip() and b.strip() and not BULLET.match(a) and not BULLET.match(b)
            and len(a.rstrip()) >= WRAP_SHARE * width
        ):
            wrapped += 1
            mid_sentence += a.rstrip()[-1] not in SENTENCE_END
    if wrapped < 3 or wrapped < 0.3 * len(body) or mid_sentence < 0.5 * wrapped:
        return None
    return width


def is_heading(line: str, nxt: str | None, width: int | None) -> bool:
    s = line.strip()
    if not s or len(s) > MAX_HEADING_CHARS or BULLET.match(line):
        return False
    if len(s.split()) > MAX_HEADING_WORDS or nxt is None:
        return False
    if is_caps(s) and s[-1] not in ".,;":
        return True  # a line in CAPITALS on its own
    if s[-1] in SENTENCE_END + ",)" or not s[0].isupper():
        return False
    if not nxt.strip():
        return True  # followed by a blank line
    # Followed by text that starts a sentence: a heading when it is clearly shorter than the
    # file's wrapped lines.
    start = nxt.strip()[0]
    if not (start.isupper() or start.isdigit() or BULLET.match(nxt)):
        return False
    return width is None or len(s) < 0.6 * width


def continues(current: Block, last: str, raw: str, width: int | None) -> bool:
    """Whether line ``raw`` goes on with the paragraph or bullet being read."""
    if current.kind == "bullet":
        return raw.startswith((" ", "\t"))
    last = last.rstrip()
    unfinished = last[-1:] not in SENTENCE_END
    if width is not None:
        return unfinished or len(last) >= 0.8 * width
    return unfinished and raw.strip()[:1].islower()


def parse_plain(text: str) -> list[Block]:
    return list(_plain_blocks(text))


def _plain_blocks(text: str) -> Iterator[Block]:
    lines = text.split("\n")
    width = wrap_width(lines)
    b = Builder()
    last = ""
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        stripped = line.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not stripped:
            yield from b.flush()
            continue
        bullet = BULLET.match(line)
        if b.current is not None and not bullet and continues(b.current, last, raw, width):
            b.add(stripped)
        elif not bullet and is_heading(line, nxt, width):
            yield from b.flush()
            after = lines[i + 2] if i + 2 < len(lines) else None
            if nxt is not None and nxt.strip() and is_heading(nxt, after, width):
                level = 1  # a title line straight above another one heads a part
            else:
                level = 2 if is_caps(stripped) else 3
            yield Block(kind="heading", text=stripped, level=level, line=i + 1)
        elif bullet:
            yield from b.start("bullet", bullet.group(1).strip(), i + 1)
        else:
            yield from b.start("paragraph", stripped, i + 1)
        last = line
    yield from b.flush()


def looks_like_medline(text: str) -> bool:
    """A PubMed export in MEDLINE format saved as .txt starts with its first record's PMID."""
    return re.match(r"\s*PMID- ?\d", text[:200]) is not None


def read_text(name: str, data: bytes) -> SourceFile:
    text, note = decode(data)
    text = clean(text)
    return source(name, data, "text", text, parse_plain(text), decode_note=note)
