"""``imnm index --ray [ADDRESS]``: reading, chunking and embedding as a Ray Data job.

Without an address Ray starts on this machine; with one (``auto``, ``HOST:6379`` or
``ray://HOST:10001``) the job runs on that cluster, whose nodes must have ``imnm[ray]``
installed and see the corpus folder at the same path. The driver lists the files, turns the
chunks into the same passages a local build makes, looks vectors up in its vector cache, and
writes the index exactly as a local build does (:func:`assistant.store.index.write_index`): same
passages, same manifest, vectors equal to a local build's to a cosine of 1 - 1e-6.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import CorpusError, ImnmError
from assistant.core.settings import Settings, SourcesSettings
from assistant.core.types import Chunk, Skipped, SourceFile
from assistant.ingest.chunk import chunk_source
from assistant.ingest.corpus import Corpus, Entry, _read_entry, scan_corpus
from assistant.ingest.readers import Unreadable
from assistant.store.embed import Embedder
from assistant.store.index import Index, Notify, build_lock, write_index
from assistant.store.leftovers import recover_leftovers
from assistant.store.prepare import prepare, vector_cache
from assistant.store.vector_cache import encode_cached

INSTALL = "pip install 'imnm[ray]'"


class RayMissing(ImnmError):
    """`--ray` was asked for but the ray extra is not installed."""


def import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise RayMissing(f"--ray needs the ray extra: {INSTALL}") from exc
    return ray


def read_and_chunk(row: dict[str, Any], max_chars: int) -> dict[str, Any]:
    """One corpus file read by its format's reader and cut into passages (on a Ray worker)."""
    entry = Entry(row["name"], Path(row["path"]), row["size"], row["mtime"], row["sha256"])
    try:
        source = _read_entry(entry, SourcesSettings.model_validate_json(row["sources"]))
    except Unreadable as exc:
        return {"order": row["order"], "skip": exc.reason, "source": "", "chunks": "[]"}
    chunks = chunk_source(source, max_chars)
    # The driver needs what the manifest records of a file, not its text.
    meta = source.model_copy(update={"text": "", "blocks": []})
    return {"order": row["order"], "skip": "", "source": meta.model_dump_json(),
            "chunks": json.dumps([c.model_dump() for c in chunks], ensure_ascii=False)}


class EncodeBatch:
    """A Ray Data actor: one encoder loaded once, one thread (one actor per CPU)."""

    def __init__(self, backend: str, cache_dir: str, batch_size: int) -> None:
        from assistant.store.encoders import make_encoder

        self.encoder = make_encoder(backend, Path(cache_dir), threads=1)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.encoder.encode([str(t) for t in batch["text"]], self.batch_size)
        return {"row": batch["row"], "vector": vectors}


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """A HOST:PORT address that nothing answers at fails here, in seconds, with one line (Ray's
    own client would retry for minutes). ``auto`` and ``ray://`` addresses are left to Ray."""
    host, sep, port = address.rpartition(":")
    if address == "auto" or "://" in address or not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ImnmError(f"no Ray cluster answers at {address}: {exc.strerror or exc}") from exc


def _start(ray: Any, address: str | None) -> bool:
    """Connect to ``address`` (or start Ray here); True when this call started it."""
    if ray.is_initialized():
        return False
    if address:
        check_reachable(address)
    try:
        ray.init(address=address or None, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING, configure_logging=False)
    except Exception as exc:  # a wrong address, a cluster that does not answer: one line
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise ImnmError(f"cannot start {where}: {exc}") from exc
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx = ray.data.DataContext.get_current()
    ctx.print_on_execution_start = False
    return True


def _read(ray: Any, settings: Settings) -> tuple[Corpus, list[Chunk]]:
    """The corpus as a local build reads it (same files, same skips, same order)."""
    scan = scan_corpus(settings.corpus, settings.sources)
    items = [{"order": i, "name": e.name, "path": str(e.path), "size": e.size, "mtime": e.mtime,
              "sha256": e.sha256, "sources": settings.sources.model_dump_json()}
             for i, e in enumerate(scan.entries) if e.skip is None]
    rows = {r["order"]: r for r in (
        ray.data.from_items(items)
        .map(read_and_chunk, fn_kwargs={"max_chars": settings.chunk.max_chars})
        .take_all()
    )} if items else {}
    files: list[SourceFile] = []
    skipped: list[Skipped] = []
    chunks: list[Chunk] = []
    for i, entry in enumerate(scan.entries):
        if entry.skip:
            skipped.append(Skipped(name=entry.name, reason=entry.skip))
        elif rows[i]["skip"]:
            skipped.append(Skipped(name=entry.name, reason=rows[i]["skip"]))
        else:
            files.append(SourceFile.model_validate_json(rows[i]["source"]))
            chunks += [Chunk.model_validate(c) for c in json.loads(rows[i]["chunks"])]
    if not files:
        why = "; ".join(f"{s.name}: {s.reason}" for s in skipped[:5])
        raise CorpusError(f"corpus folder has no readable text ({why}): {settings.corpus}")
    return Corpus(scan, files, skipped), chunks


def _embed(
    ray: Any, texts: list[str], embedder: Embedder, settings: Settings
) -> np.ndarray:
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    if not texts:
        return out
    if embedder.backend.startswith("onnx"):
        from assistant.store.encoders.export import onnx_model

        # Made once here, not by every actor of this machine at the same time.
        onnx_model(settings.cache_dir, int8=embedder.backend == "onnx-int8")
    actors = settings.embed.ray_actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
    # Similar lengths side by side: each Ray batch pads little.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    ds = ray.data.from_items([{"row": i, "text": texts[i]} for i in order]).map_batches(
        EncodeBatch,
        fn_constructor_kwargs={"backend": embedder.backend, "cache_dir": str(settings.cache_dir),
                               "batch_size": settings.embed.batch_size},
        batch_size=settings.embed.ray_batch_size, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
    )
    for batch in ds.iter_batches(batch_format="numpy", batch_size=None):
        out[batch["row"]] = batch["vector"]
    return out


def build_index_ray(
    settings: Settings, embedder: Embedder, address: str | None = None, notify: Notify = print
) -> Index:
    """Build the index of ``settings.corpus`` with Ray; replaces the index folder atomically."""
    ray = import_ray()
    os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")
    directory = settings.index_dir()
    started_ray = _start(ray, address)
    try:
        resources = ray.cluster_resources()
        notify(f"Ray: {int(resources.get('CPU', 0))} CPU(s) on {len(ray.nodes())} node(s)")
        with build_lock(directory):
            recover_leftovers(directory, notify)
            started = time.perf_counter()
            corpus, chunks = _read(ray, settings)
            files = corpus.files
            for f in files:
                if f.decode_note:
                    notify(f"warning: {f.name}: {f.decode_note}")
            prep = prepare(chunks)
            notify(f"indexing {len(prep.chunks)} passages from {len(files)} file(s) on Ray: "
                   f"{len(prep.distinct)} texts, {embedder.backend} encoder")
            embedded, encoded = encode_cached(
                prep.distinct, lambda texts: _embed(ray, texts, embedder, settings),
                vector_cache(settings, embedder), embedder.dim, notify,
            )
            if encoded < len(prep.distinct):
                notify(f"{len(prep.distinct) - encoded} of {len(prep.distinct)} vectors from "
                       "the cache")
            return write_index(corpus, directory, settings, embedder.backend, prep, embedded,
                               started)
    finally:
        if started_ray:
            ray.shutdown()
