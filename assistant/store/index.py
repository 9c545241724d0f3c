"""Stage 4: the FAISS index, its JSON docstore and its manifest; built aside, swapped in atomically.

Layout of an index folder (no pickle anywhere):
- ``manifest.json``  format version, corpus hash, model, chunking settings, file checksums
- ``docstore.json``  the passages (Chunk models) in vector order
- ``chunks.faiss``   passage vectors (inner product on normalised vectors = cosine)
- ``sentences.npy``  one vector per passage sentence, in passage order
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from assistant.core.errors import IndexStateError
from assistant.core.files import sha256_file
from assistant.core.settings import Settings
from assistant.core.types import Chunk, Edition, SourceFile
from assistant.domain.pack import packs_hash
from assistant.ingest.chunk import chunk_corpus
from assistant.ingest.corpus import Corpus, Named, Scan, corpus_hash, read_corpus, scan_corpus
from assistant.store.embed import Embedder, model_id
from assistant.store.leftovers import recover_leftovers
from assistant.store.neighbours import prime
from assistant.store.prepare import Prepared, prepare, vector_cache
from assistant.store.vector_cache import encode_cached
from assistant.store.vectors import index_kind, make_vector_index

FORMAT_VERSION = 1
# 3: readers per format (PDF pages, PubMed records, HTML); .txt headings and wrapped paragraphs.
CHUNKER_VERSION = 3
FILES = ("docstore.json", "chunks.faiss", "sentences.npy")

Notify = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


class IndexWriteError(IndexStateError):
    """The index folder (or its parent) cannot be written: a needed rebuild cannot happen here."""


@dataclass
class Index:
    directory: Path
    manifest: dict[str, Any]
    chunks: list[Chunk]
    vectors: faiss.Index
    sentence_vectors: np.ndarray
    # For sentence row i: (passage position, sentence position within the passage).
    sentence_owner: list[tuple[int, int]]

    @property
    def corpus_hash(self) -> str:
        return str(self.manifest["corpus_hash"])

    @property
    def edition(self) -> Edition:
        """The edition of the sources this index holds (an index built before editions were
        recorded: its corpus hash alone)."""
        found = self.manifest.get("edition")
        if isinstance(found, dict):
            return Edition.model_validate(found)
        return Edition(hash=self.corpus_hash[:12], files=len(self.manifest.get("corpus_files", [])))


def chunking_settings(settings: Settings) -> dict[str, Any]:
    return {"max_chars": settings.chunk.max_chars, "chunker_version": CHUNKER_VERSION}


def expected_manifest(files: Scan | Sequence[Named], settings: Settings) -> dict[str, Any]:
    """What an index of ``files`` (a scan of the corpus folder, or read sources) must record."""
    return {
        "format_version": FORMAT_VERSION,
        "corpus_hash": files.hash() if isinstance(files, Scan) else corpus_hash(files),
        "model": model_id(),
        "encoder": settings.embed.backend,
        "chunking": chunking_settings(settings),
        "domain": packs_hash(settings.corpus),
    }



def sentence_owners(chunks: list[Chunk]) -> list[tuple[int, int]]:
    return [(c.position, j) for c in chunks for j in range(len(c.sentences))]


def build_index(
    sources: list[SourceFile] | Corpus,
    directory: Path,
    settings: Settings,
    embedder: Embedder,
    progress: bool = False,
    notify: Notify = _quiet,
) -> Index:
    """Chunk, embed and write an index for ``files`` into ``directory``, replacing it atomically."""
    started = time.perf_counter()
    corpus: Corpus | None = None
    if isinstance(sources, Corpus):
        corpus, files = sources, sources.files
    else:
        files = sources
    prep = prepare(chunk_corpus(files, settings.chunk.max_chars))
    notify(
        f"indexing {len(prep.chunks)} passages from {len(files)} file(s): "
        f"{len(prep.distinct)} texts (passages and their {len(prep.sentences)} sentences), "
        f"{embedder.backend} encoder"
    )
    embedded, encoded = encode_cached(
        prep.distinct, lambda texts: embedder.encode(texts, show_progress=progress),
        vector_cache(settings, embedder), embedder.dim, notify,
    )
    if encoded < len(prep.distinct):
        notify(f"{len(prep.distinct) - encoded} of {len(prep.distinct)} vectors from the cache")
    # The corpus words' vectors too (answering a word the corpus lacks by its neighbours):
    # a load then reads them from the cache instead of encoding them.
    prime((c.text for c in prep.chunks), embedder, vector_cache(settings, embedder))
    return write_index(corpus or files, directory, settings, embedder.backend, prep, embedded,
                       started)


def write_index(
    sources: list[SourceFile] | Corpus,
    directory: Path,
    settings: Settings,
    backend: str,
    prep: Prepared,
    embedded: np.ndarray,
    started: float,
    extra: dict[str, Any] | None = None,
) -> Index:
    """The FAISS index, docstore and manifest of ``prep`` whose ``distinct`` texts are
    ``embedded`` (row for row), written atomically; what a local and a Ray build share."""
    row_of = {text: row for row, text in enumerate(prep.distinct)}
    vectors = np.ascontiguousarray(embedded[[row_of[t] for t in prep.passage_texts]])
    sentence_vectors = np.ascontiguousarray(embedded[[row_of[t] for t in prep.sentences]])
    vector_index = make_vector_index(vectors, settings=settings.vectors)
    if isinstance(sources, Corpus):
        corpus, files = sources, sources.files
        expected = expected_manifest(corpus.scan, settings)
        edition = corpus.edition()
        accounting: dict[str, Any] = {
            "skipped": [s.model_dump() for s in corpus.skipped],
            "summary": corpus.summary(),
        }
    else:
        files = sources
        expected = expected_manifest(files, settings)
        edition = Edition(hash=expected["corpus_hash"][:12], files=len(files))
        accounting = {}
    manifest = expected | {
        "encoder": backend,
        "edition": edition.model_dump(),
        **accounting,
        "corpus_files": [_file_entry(f) for f in files],
        "n_chunks": len(prep.chunks),
        "n_sentences": len(prep.sentences),
        "dim": int(vectors.shape[1]),
        "index_type": index_kind(vector_index),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(time.perf_counter() - started, 3),
    } | (extra or {})
    _write_atomically(directory, manifest, prep.chunks, vector_index, sentence_vectors)
    return Index(directory, manifest, prep.chunks, vector_index, sentence_vectors,
                 sentence_owners(prep.chunks))


def _file_entry(f: SourceFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": f.name, "sha256": f.sha256, "format": f.format}
    if f.pages is not None:
        entry["pages"] = f.pages
    if f.records is not None:
        entry["records"] = f.records
    if f.warnings:
        entry["warnings"] = f.warnings
    return entry


def _write_atomically(
    directory: Path,
    manifest: dict[str, Any],
    chunks: list[Chunk],
    vectors: faiss.Index,
    sentence_vectors: np.ndarray,
) -> None:
    """Write into a sibling folder, then rename: a half-written index is never in place."""
    parent = directory.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".{directory.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        (tmp / "docstore.json").write_text(
            json.dumps(
                {"chunks": [c.model_dump(exclude_none=True) for c in chunks]},
                ensure_ascii=False,
                indent=0,
            ),
            encoding="utf-8",
        )
        faiss.write_index(vectors, str(tmp / "chunks.faiss"))
        with (tmp / "sentences.npy").open("wb") as f:
            np.save(f, sentence_vectors, allow_pickle=False)
        manifest = manifest | {"files": {name: sha256_file(tmp / name) for name in FILES}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for name in (*FILES, "manifest.json"):
            with (tmp / name).open("rb") as f:
                os.fsync(f.fileno())
        old = parent / f".{directory.name}.old-{os.getpid()}"
        if directory.exists():
            os.replace(directory, old)
        os.replace(tmp, directory)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(parent / f".{directory.name}.tmp-{os.getpid()}", ignore_errors=True)
        why = exc.strerror or exc
        raise IndexWriteError(f"cannot write the index to {directory}: {why}") from exc


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    if not path.exists():
        raise IndexStateError(f"no index at {directory} (manifest.json missing)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexStateError(f"index manifest is damaged: {path}") from exc
    if not isinstance(data, dict):
        raise IndexStateError(f"index manifest is damaged: {path}")
    return data


def staleness(manifest: dict[str, Any], expected: dict[str, Any]) -> str | None:
    """Why an index with ``manifest`` does not fit ``expected``, or None when it does."""
    reasons = {
        "format_version": "index format changed",
        "model": "embedding model changed",
        "chunking": "chunking settings changed",
        "corpus_hash": "corpus changed",
        "domain": "domain pack changed",
    }
    for key, why in reasons.items():
        if manifest.get(key) != expected[key]:
            return why
    # Indexes from before the encoder was recorded were built with sentence-transformers.
    built_with = manifest.get("encoder", "torch")
    if built_with != expected["encoder"]:
        return (f"it was built with the {built_with} encoder and this run uses "
                f"{expected['encoder']} (IMNM_EMBED_BACKEND={built_with} to use it as it is)")
    return None


def load_index(directory: Path, expected: dict[str, Any] | None = None) -> Index:
    """Load and verify an index; refuses (IndexStateError) a stale or damaged one."""
    manifest = read_manifest(directory)
    if expected is not None and (why := staleness(manifest, expected)):
        raise IndexStateError(f"index at {directory} is stale: {why}")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != set(FILES):
        raise IndexStateError(f"index manifest is damaged: {directory / 'manifest.json'}")
    for name, digest in files.items():
        path = directory / name
        if not path.exists():
            raise IndexStateError(f"index file missing: {path}")
        if sha256_file(path) != digest:
            raise IndexStateError(f"index file damaged (checksum mismatch): {path}")
    try:
        store = json.loads((directory / "docstore.json").read_text(encoding="utf-8"))
        chunks = [Chunk.model_validate(c) for c in store["chunks"]]
        vectors = faiss.read_index(str(directory / "chunks.faiss"))
        sentence_vectors = np.load(directory / "sentences.npy", allow_pickle=False)
    except Exception as exc:
        raise IndexStateError(f"index at {directory} is damaged: {exc}") from exc
    owners = sentence_owners(chunks)
    if vectors.ntotal != len(chunks) or sentence_vectors.shape[0] != len(owners):
        raise IndexStateError(f"index at {directory} is damaged: vector and passage counts differ")
    return Index(directory, manifest, chunks, vectors, sentence_vectors, owners)


@contextlib.contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    """One builder at a time per index folder (other processes wait for it)."""
    parent = directory.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        handle = (parent / f".{directory.name}.lock").open("a")
    except OSError as exc:
        raise IndexWriteError(f"cannot write the index to {directory}: {exc.strerror}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_index(
    settings: Settings,
    embedder: Embedder,
    rebuild: bool = True,
    force: bool = False,
    progress: bool = False,
    notify: Notify = _quiet,
) -> Index:
    """The index of ``settings.corpus``: loaded when fresh, otherwise rebuilt (or refused).

    Only a rebuild reads (parses) the sources; a freshness check hashes their bytes.
    """
    scan = scan_corpus(settings.corpus, settings.sources)
    directory = settings.index_dir()
    expected = expected_manifest(scan, settings)
    if not force:
        try:
            return load_index(directory, expected)
        except IndexStateError as exc:
            if not rebuild:
                raise IndexStateError(f"{exc}; run `imnm index` to rebuild it") from exc
            reason = str(exc)
    else:
        reason = "rebuild requested"
    try:
        with build_lock(directory):
            recover_leftovers(directory, notify)
            if not force:
                # Another process may have rebuilt it while this one waited for the lock
                # (or a builder killed between its two renames left the old one aside).
                with contextlib.suppress(IndexStateError):
                    return load_index(directory, expected)
            notify(f"building the index at {directory} ({reason})")
            corpus = read_corpus(scan, settings.sources)
            report_sources(corpus, notify)
            return build_index(
                corpus, directory, settings, embedder, progress=progress, notify=notify
            )
    except IndexWriteError as exc:
        # Say why a rebuild was needed, not only that it failed, and what to do about it.
        raise IndexWriteError(
            f"{reason}; {exc} (make the folder writable or choose another with --index or "
            "IMNM_INDEX)"
        ) from exc


def report_sources(corpus: Corpus, notify: Notify) -> None:
    """One line per file skipped or read with a warning: nothing is left out without a word."""
    for s in corpus.skipped:
        notify(f"skipped {s.name}: {s.reason}")
    for f in corpus.files:
        if f.decode_note:
            notify(f"warning: {f.name}: {f.decode_note}")
        for w in f.warnings:
            notify(f"warning: {f.name}: {w}")


def check_index(settings: Settings) -> Index:
    """The index of ``settings.corpus`` if it is current; IndexStateError saying why if not
    (CI runs this on the committed index/: a corpus change must come with its rebuilt index)."""
    scan = scan_corpus(settings.corpus, settings.sources)
    directory = settings.index_dir()
    try:
        return load_index(directory, expected_manifest(scan, settings))
    except IndexStateError as exc:
        raise IndexStateError(f"{exc}; run `imnm index` and commit the result") from exc
