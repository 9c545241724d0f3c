"""Stage 1: read a corpus folder of ``.md``/``.txt`` files into decoded source files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.core.errors import CorpusError
from assistant.core.types import SourceFile

SUFFIXES = (".md", ".markdown", ".txt")
# A single file larger than this is refused rather than read into memory whole.
MAX_FILE_BYTES = 20 * 1024 * 1024


def corpus_files(folder: Path) -> list[Path]:
    """The corpus files under ``folder``, sorted; refuses a missing or empty folder."""
    if not folder.exists():
        raise CorpusError(f"corpus folder not found: {folder}")
    if not folder.is_dir():
        raise CorpusError(f"corpus is not a folder: {folder}")
    try:
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in SUFFIXES
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
    except OSError as exc:
        raise CorpusError(f"cannot list corpus folder {folder}: {exc.strerror}") from exc
    if not files:
        raise CorpusError(f"corpus folder has no .md or .txt files: {folder}")
    root = folder.resolve()
    for p in files:
        # A link may not pull in text from elsewhere (../../etc/passwd named notes.txt).
        if not p.resolve().is_relative_to(root):
            raise CorpusError(
                f"corpus file {p.relative_to(folder).as_posix()} links outside the corpus "
                "folder; copy the file in instead"
            )
    return files


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of ``data``; invalid UTF-8 is replaced (not fatal) and reported in the note."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, f"invalid UTF-8 at byte {exc.start}; undecodable bytes replaced"


def _hidden(c: str) -> bool:
    return c < " " or "\x7f" <= c <= "\x9f" or "\u202a" <= c <= "\u202e" or (
        "\u2066" <= c <= "\u2069"
    )


def read_file(path: Path, folder: Path) -> SourceFile:
    name = path.relative_to(folder).as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(
                f"corpus file too large: {name} ({size // 1_000_000} MB; limit "
                f"{MAX_FILE_BYTES // 1_000_000} MB)"
            )
        data = path.read_bytes()
    except PermissionError as exc:
        raise CorpusError(f"cannot read corpus file {name}: permission denied") from exc
    except OSError as exc:
        raise CorpusError(f"cannot read corpus file {name}: {exc.strerror}") from exc
    text, note = decode(data)
    # Control characters other than tab/newline only confuse the chunker and the display; C1
    # controls and bidi overrides could also rewrite a terminal or reorder what a reader sees.
    text = "".join(c for c in text if c in "\t\n\r" or not _hidden(c)).replace("\r\n", "\n")
    return SourceFile(
        name=name, text=text, sha256=hashlib.sha256(data).hexdigest(), decode_note=note
    )


def load_corpus(folder: Path) -> list[SourceFile]:
    """Every corpus file under ``folder``; refuses a folder whose files hold no text."""
    files = [read_file(p, folder) for p in corpus_files(folder)]
    if not any(f.text.strip() for f in files):
        raise CorpusError(f"corpus folder has only empty files: {folder}")
    return files


def corpus_hash(files: list[SourceFile]) -> str:
    """A hash of the file names and contents: the index is stale when it changes."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        h.update(f.name.encode())
        h.update(b"\0")
        h.update(f.sha256.encode())
        h.update(b"\n")
    return h.hexdigest()
