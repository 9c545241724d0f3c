"""all-MiniLM-L6-v2 in plain numpy: the model's own weights and tokenizer, no torch.

Importing torch (through sentence-transformers) takes ~4.6 s of the ~5.7 s cold start of
``imnm ask``, yet a question needs one forward pass over a dozen tokens. This module runs that
forward pass (BERT encoder, mean pooling, L2 normalisation) with numpy on the weights in the
package's ``model.safetensors`` and the ``tokenizers`` tokenizer; its vectors match
sentence-transformers' to a cosine of 1 - 1e-6 (tests/test_embed_fast.py checks it against the
real model).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

# sentence_bert_config.json of the model: longer inputs are cut, as sentence-transformers does.
MAX_SEQ_LENGTH = 256
# Up to this many tokens a batch runs on one BLAS thread: a question's matrices are too small to
# share, and on a busy machine two threads waiting on each other took 30-70 ms where one takes 12.
SINGLE_THREAD_TOKENS = 1024


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26); numpy has none and scipy costs an import."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592
        + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact (erf) GELU; the tanh approximation drifts by ~1e-3.
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class NumpyMiniLM:
    """Mean-pooled, normalised sentence embeddings from a BERT checkpoint folder."""

    def __init__(self, path: Path, max_seq_length: int = MAX_SEQ_LENGTH) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dim = int(config["hidden_size"])
        w = load_file(str(path / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}
        # One matmul for query, key and value instead of three.
        for i in range(self.layers):
            p = f"encoder.layer.{i}.attention.self."
            self.w[p + "qkv.weight"] = np.concatenate(
                [self.w[p + n + ".weight"].T for n in ("query", "key", "value")], axis=1
            )
            self.w[p + "qkv.bias"] = np.concatenate(
                [self.w[p + n + ".bias"] for n in ("query", "key", "value")]
            )
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                key = f"encoder.layer.{i}.{name}.weight"
                self.w[key + ".T"] = np.ascontiguousarray(self.w[key].T)
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        # The shipped tokenizer.json pads and cuts at 128; sentence-transformers uses 256.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_seq_length)
        self.lock = threading.Lock()
        from threadpoolctl import ThreadpoolController

        self.threads = ThreadpoolController()

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        n, length = ids.shape
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                        self.eps)
        hd = self.dim // self.heads
        bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(
            np.float32
        )
        scale = np.float32(1.0 / np.sqrt(hd))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv = h @ w[p + "attention.self.qkv.weight"] + w[p + "attention.self.qkv.bias"]
            qkv = qkv.reshape(n, length, 3, self.heads, hd).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(n, length, self.dim)
            attn = ctx @ w[p + "attention.output.dense.weight.T"] + w[
                p + "attention.output.dense.bias"
            ]
            h = _layer_norm(attn + h, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            mid = _gelu(h @ w[p + "intermediate.dense.weight.T"] + w[p + "intermediate.dense.bias"])
            out = mid @ w[p + "output.dense.weight.T"] + w[p + "output.dense.bias"]
            h = _layer_norm(out + h, w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], self.eps)
        m = mask[:, :, None].astype(np.float32)
        pooled = (h * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Vectors of ``texts`` in their order; batches of similar length (little padding)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self.lock:
            encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.int64)
            for r, i in enumerate(rows):
                e = encodings[i].ids
                ids[r, : len(e)] = e
                mask[r, : len(e)] = 1
            if ids.size <= SINGLE_THREAD_TOKENS:
                with self.threads.limit(limits=1, user_api="blas"):
                    out[rows] = self._forward(ids, mask)
            else:
                out[rows] = self._forward(ids, mask)
        return out
