"""Stage 1: read a corpus folder into sources, accounting for every file in it.

``scan_corpus`` lists the folder and hashes what can be read (cheap: no parsing), which is all
a staleness check needs; ``read_corpus`` then parses each file with the reader of its format
(assistant/ingest/readers/). A file that cannot be indexed is named with its reason (one line
each) and the rest is indexed; only a folder with nothing readable is refused.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.core.errors import CorpusError
from assistant.core.files import sha256_file
from assistant.core.settings import SourcesSettings
from assistant.core.types import Edition, Skipped, SourceFile
from assistant.domain.pack import PACK_NAME
from assistant.ingest.readers import SUFFIXES, Unreadable, reader_for
from assistant.ingest.readers.common import decode

__all__ = ["MAX_FILE_BYTES", "SUFFIXES", "decode"]

MB = 1024 * 1024
# A single text file larger than this is skipped rather than read into memory whole.
MAX_FILE_BYTES = int(SourcesSettings().max_text_mb * MB)


class Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class Entry:
    """One file of the corpus folder, as listed: hashed when readable, else why not."""

    name: str  # relative to the folder, forward slashes
    path: Path
    size: int
    mtime: float
    sha256: str = ""
    skip: str | None = None
    supported: bool = True


@dataclass
class Scan:
    folder: Path
    entries: list[Entry]

    @property
    def readable(self) -> list[Entry]:
        return [e for e in self.entries if e.skip is None]

    @property
    def skipped(self) -> list[Skipped]:
        return [Skipped(name=e.name, reason=e.skip) for e in self.entries if e.skip]

    def hash(self) -> str:
        # A supported file skipped now (too large, unreadable) counts by its state: when it can
        # be read later the corpus has changed. Unsupported files do not count.
        tracked = [
            _Hashed(e.name, e.sha256 or f"skipped:{e.skip}:{e.size}")
            for e in self.entries
            if e.supported
        ]
        return corpus_hash(tracked)


@dataclass(frozen=True)
class _Hashed:
    name: str
    sha256: str


@dataclass
class Corpus:
    """What was read: the sources, and every file skipped with its reason."""

    scan: Scan
    files: list[SourceFile]
    skipped: list[Skipped] = field(default_factory=list)

    def edition(self) -> Edition:
        """The corpus hash (every readable file counts) and the newest indexed file's date."""
        indexed = {f.name for f in self.files}
        newest = max((e.mtime for e in self.scan.entries if e.name in indexed), default=None)
        date = time.strftime("%Y-%m-%d", time.gmtime(newest)) if newest is not None else None
        return Edition(hash=self.scan.hash()[:12], date=date, files=len(self.files))

    def summary(self) -> str:
        """ "read 2 .md, 1 .pdf (12 pages), 1 .nbib (3 records); skipped 1 (unsupported type)"."""
        counts: Counter[str] = Counter()
        pages: Counter[str] = Counter()
        records: Counter[str] = Counter()
        for f in self.files:
            kind = Path(f.name).suffix.lower() or f.format
            counts[kind] += 1
            pages[kind] += f.pages or 0
            records[kind] += f.records or 0
        parts = []
        for kind, n in sorted(counts.items()):
            extra = []
            for count, unit in ((pages[kind], "page"), (records[kind], "record")):
                if count:
                    extra.append(f"{count} {unit}{'s' if count > 1 else ''}")
            parts.append(f"{n} {kind}" + (f" ({', '.join(extra)})" if extra else ""))
        line = "read " + (", ".join(parts) or "nothing")
        if self.skipped:
            why = Counter(re.split(r" \(|:", s.reason, maxsplit=1)[0] for s in self.skipped)
            reasons = ", ".join(f"{n} {r}" for r, n in sorted(why.items()))
            line += f"; skipped {len(self.skipped)} ({reasons})"
        return line


def _ignored(rel: Path) -> bool:
    """Hidden files and folders, and the corpus's domain pack (it has its own manifest entry)."""
    return any(part.startswith(".") for part in rel.parts) or rel.as_posix() == PACK_NAME


def _list(folder: Path) -> list[Path]:
    if not folder.exists():
        raise CorpusError(f"corpus folder not found: {folder}")
    if not folder.is_dir():
        raise CorpusError(f"corpus is not a folder: {folder}")
    try:
        paths = sorted(
            p
            for p in folder.rglob("*")
            if not _ignored(p.relative_to(folder)) and (p.is_file() or p.is_symlink())
            and not p.is_dir()
        )
    except OSError as exc:
        raise CorpusError(f"cannot list corpus folder {folder}: {exc.strerror}") from exc
    root = folder.resolve()
    for p in paths:
        # A link may not pull in text from elsewhere (../../etc/passwd named notes.txt).
        if p.is_symlink() and not p.resolve().is_relative_to(root):
            raise CorpusError(
                f"corpus file {p.relative_to(folder).as_posix()} links outside the corpus "
                "folder; copy the file in instead"
            )
    return paths


def corpus_files(folder: Path) -> list[Path]:
    """The files under ``folder`` that a reader exists for, sorted."""
    paths = [p for p in _list(folder) if reader_for(p.name) is not None]
    if not paths:
        raise CorpusError(
            f"corpus folder has no source files ({', '.join(SUFFIXES)}): {folder}"
        )
    return paths


def _limit(name: str, settings: SourcesSettings) -> float:
    found = reader_for(name)
    return settings.max_pdf_mb if found and found[0].binary else settings.max_text_mb



def scan_corpus(folder: Path, settings: SourcesSettings | None = None) -> Scan:
    """Every file under ``folder``: hashed when a reader exists and it can be read, else why not."""
    settings = settings or SourcesSettings()
    entries: list[Entry] = []
    paths = _list(folder)
    if not any(reader_for(p.name) for p in paths):
        raise CorpusError(
            f"corpus folder has no source files ({', '.join(SUFFIXES)}): {folder}"
        )
    for p in paths:
        name = p.relative_to(folder).as_posix()
        try:
            st = p.stat()
        except OSError as exc:
            entries.append(Entry(name, p, 0, 0.0, skip=f"unreadable ({exc.strerror})"))
            continue
        if reader_for(name) is None:
            suffix = p.suffix.lower() or "no suffix"
            entries.append(
                Entry(name, p, st.st_size, st.st_mtime, supported=False,
                      skip=f"unsupported type ({suffix})")
            )
            continue
        limit = _limit(name, settings)
        if st.st_size > limit * MB:
            skip = f"too large ({st.st_size // MB} MB; limit {limit:g} MB)"
            entries.append(Entry(name, p, st.st_size, st.st_mtime, skip=skip))
            continue
        try:
            digest = sha256_file(p)
        except PermissionError:
            why = "unreadable (permission denied)"
            entries.append(Entry(name, p, st.st_size, st.st_mtime, skip=why))
            continue
        except OSError as exc:
            why = f"unreadable ({exc.strerror})"
            entries.append(Entry(name, p, st.st_size, st.st_mtime, skip=why))
            continue
        entries.append(Entry(name, p, st.st_size, st.st_mtime, sha256=digest))
    return Scan(folder, entries)


def _read_entry(entry: Entry, settings: SourcesSettings) -> SourceFile:
    found = reader_for(entry.name)
    assert found is not None
    try:
        data = entry.path.read_bytes()
    except PermissionError as exc:
        raise Unreadable("unreadable (permission denied)") from exc
    except OSError as exc:
        raise Unreadable(f"unreadable ({exc.strerror})") from exc
    if not data.strip():
        raise Unreadable("empty")
    source = found[1](entry.name, data, settings)
    if not source.text.strip() and not source.blocks:
        raise Unreadable("no text")
    return source


def read_corpus(folder: Path | Scan, settings: SourcesSettings | None = None) -> Corpus:
    """Every readable source of the folder, and every other file named with its reason."""
    settings = settings or SourcesSettings()
    scan = folder if isinstance(folder, Scan) else scan_corpus(folder, settings)
    files: list[SourceFile] = []
    skipped: list[Skipped] = []
    for entry in scan.entries:
        if entry.skip:
            skipped.append(Skipped(name=entry.name, reason=entry.skip))
            continue
        try:
            files.append(_read_entry(entry, settings))
        except Unreadable as exc:
            skipped.append(Skipped(name=entry.name, reason=exc.reason))
    if not files:
        why = "; ".join(f"{s.name}: {s.reason}" for s in skipped[:5])
        raise CorpusError(f"corpus folder has no readable text ({why}): {scan.folder}")
    return Corpus(scan, files, skipped)


def read_file(path: Path, folder: Path, settings: SourcesSettings | None = None) -> SourceFile:
    """One corpus file, read by the reader of its format; CorpusError names what is wrong."""
    settings = settings or SourcesSettings()
    name = path.relative_to(folder).as_posix()
    if reader_for(name) is None:
        raise CorpusError(f"corpus file {name}: unsupported type ({path.suffix or 'no suffix'})")
    try:
        st = path.stat()
        entry = Entry(name, path, st.st_size, st.st_mtime)
        limit = _limit(name, settings)
        if st.st_size > limit * MB:
            raise Unreadable(f"too large ({st.st_size // MB} MB; limit {limit:g} MB)")
        return _read_entry(entry, settings)
    except Unreadable as exc:
        raise CorpusError(f"corpus file {name}: {exc.reason}") from exc
    except OSError as exc:
        raise CorpusError(f"cannot read corpus file {name}: {exc.strerror}") from exc


def load_corpus(folder: Path, settings: SourcesSettings | None = None) -> list[SourceFile]:
    """The readable sources under ``folder`` (skipped files: see ``read_corpus``)."""
    return read_corpus(folder, settings).files


def corpus_hash(files: Sequence[Named]) -> str:
    """A hash of the file names and contents: the index is stale when it changes."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        h.update(f.name.encode())
        h.update(b"\0")
        h.update(f.sha256.encode())
        h.update(b"\n")
    return h.hexdigest()
