"""What every reader shares: decoding, cleaning, and the one way to refuse a file."""

from __future__ import annotations

import hashlib

from assistant.core.types import Block, SourceFile

# Where a PDF paragraph runs onto the next page, in a block's text (a private-use character:
# readers drop those from the text); the chunker gives each sentence its page(s) by it.
PAGE_BREAK = "\ue000"


class Unreadable(Exception):
    """A file that cannot be indexed; ``reason`` is the one line the user sees after its name."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of ``data``; invalid UTF-8 is replaced (not fatal) and reported in the note."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, f"invalid UTF-8 at byte {exc.start}; undecodable bytes replaced"


def hidden(c: str) -> bool:
    """Control characters, C1 controls and bidi overrides: they could rewrite a terminal or
    reorder what a reader sees; the chunker and the display are better without them."""
    return c < " " or "\x7f" <= c <= "\x9f" or "\u202a" <= c <= "\u202e" or (
        "\u2066" <= c <= "\u2069"
    )


def clean(text: str) -> str:
    """``text`` without hidden characters (tab and newline kept), with ``\\n`` line ends."""
    text = text.replace("\r\n", "\n")
    return "".join(c for c in text if c in "\t\n\r" or not hidden(c))


def clean_line(text: str) -> str:
    """One line of display text: hidden characters dropped, white space collapsed."""
    return " ".join("".join(" " if hidden(c) else c for c in text).split())


def source(
    name: str, data: bytes, fmt: str, text: str, blocks: list[Block] | None = None, **extra: object
) -> SourceFile:
    return SourceFile(
        name=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        blocks=blocks or [],
        **extra,  # type: ignore[arg-type]
    )


def page_ranges(pages: list[int]) -> str:
    """[4, 5, 6, 9] -> "4-6, 9"."""
    out: list[str] = []
    for p in sorted(set(pages)):
        if out and out[-1].split("-")[-1] == str(p - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return ", ".join(out)
