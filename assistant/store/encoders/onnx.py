"""The onnxruntime backend: the exported model (:mod:`.export`) and the model's own tokenizer.

A batch encode runs one batch per core at a time (up to ``MAX_WORKERS``), each on one thread,
rather than each batch with its every operation split across the cores: a small sentence batch
leaves the threads of a split operation waiting on each other (and spinning), and on a busy
machine one descheduled thread stalls them all. Measured on 2 cores: 25% less CPU time for the
same vectors. One session serves them all (onnxruntime runs concurrent calls; the weights are
held once).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import ModelError
from assistant.store.minilm import MAX_SEQ_LENGTH

# Cores beyond this many workers become threads of each worker's calls.
MAX_WORKERS = 4


def length_sorted_batches(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Row numbers in batches of similar length: short texts are not padded to long ones."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[s : s + batch_size] for s in range(0, len(order), batch_size)]


def plan_workers(threads: int) -> tuple[int, int]:
    """(batches run at once, threads per batch) for ``threads`` cores (0: all of them)."""
    cores = threads or os.cpu_count() or 1
    workers = min(cores, MAX_WORKERS)
    return workers, max(1, cores // workers)


class OnnxEncoder:
    def __init__(
        self, model_file: Path, path: Path, threads: int = 0, backend: str = "onnx"
    ) -> None:
        self.backend = backend
        self.workers, per_batch = plan_workers(threads)
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            options = ort.SessionOptions()
            options.intra_op_num_threads = per_batch
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            self.session = ort.InferenceSession(
                str(model_file), options, providers=["CPUExecutionProvider"]
            )
            self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        except ImportError as exc:
            raise ModelError("the onnx encoder needs onnxruntime; run `make install`") from exc
        except Exception as exc:  # any load failure is one message
            raise ModelError(f"cannot load the ONNX embedding model {model_file}: {exc}") from exc
        # The shipped tokenizer.json pads and cuts at 128; sentence-transformers cuts at 256.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self.lock = threading.Lock()
        self.show_progress = False

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self.lock:
            encodings = [e.ids for e in self.tokenizer.encode_batch(texts)]
        batches = length_sorted_batches([len(e) for e in encodings], batch_size)
        bar: Any = None
        if self.show_progress:
            from tqdm import tqdm

            bar = tqdm(total=len(batches), desc="Batches")  # as sentence-transformers shows it

        def run(k: int) -> None:
            rows = batches[k]
            length = max(len(encodings[i]) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, : len(encodings[i])] = encodings[i]
                mask[r, : len(encodings[i])] = 1
            (vectors,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[rows] = vectors  # rows of different batches never overlap
            if bar is not None:
                bar.update(1)

        if self.workers == 1 or len(batches) == 1:
            for k in range(len(batches)):
                run(k)
        else:
            # onnxruntime lets go of the GIL while it runs: one Python thread per worker.
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(run, range(len(batches))))
        if bar is not None:
            bar.close()
        return out
