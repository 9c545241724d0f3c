"""The ONNX model, exported once from the packaged safetensors weights and cached with a checksum.

``onnx_model(cache_dir)`` returns the cached file after checking it against the SHA-256 written
beside it; a missing or damaged file is exported again (torch is needed only then). The export
takes the BERT encoder with mean pooling and L2 normalisation in the graph, so one run gives the
sentence vectors. ``int8=True`` gives the MatMul weights quantized per channel (dynamic int8).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path
from typing import Any

from assistant.core.errors import ModelError
from assistant.core.files import sha256_file
from assistant.store.model import model_path, model_version

EXPORT_VERSION = 1
OPSET = 17



def model_file(cache_dir: Path, int8: bool = False) -> Path:
    kind = "int8" if int8 else "fp32"
    name = f"all-MiniLM-L6-v2-{model_version()}-v{EXPORT_VERSION}-{kind}.onnx"
    return cache_dir / "encoders" / name


def _source_digest() -> str:
    """What the export is made from: the packaged weights' own checksum."""
    return sha256_file(model_path() / "model.safetensors")


def verified(path: Path) -> bool:
    """The cached file is there and matches the checksum recorded when it was written."""
    meta = path.with_suffix(".json")
    try:
        recorded = json.loads(meta.read_text(encoding="utf-8"))
        return bool(path.is_file() and recorded.get("sha256") == sha256_file(path))
    except (OSError, ValueError, AttributeError):
        return False


def onnx_model(cache_dir: Path, int8: bool = False, create: bool = True) -> Path:
    """The verified cached model, exported (or quantized) first when missing or damaged."""
    path = model_file(cache_dir, int8)
    if verified(path):
        return path
    if not create:
        raise ModelError(f"no verified ONNX export at {path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = (path.parent / f".{path.name}.lock").open("a")
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX export to {path.parent}: {exc.strerror}") from exc
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one exporter at a time; the others then find it
        if not verified(path):
            if int8:
                _publish(path, lambda tmp: _quantize(onnx_model(cache_dir), tmp))
            else:
                _publish(path, _export)
    return path


def _publish(path: Path, make: Any) -> None:
    """Make the file under a temporary name, record its checksum, then rename it in place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        make(tmp)
        meta = {"sha256": sha256_file(tmp), "source_sha256": _source_digest(),
                "model_version": model_version(), "export_version": EXPORT_VERSION}
        path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX export to {path.parent}: {exc.strerror}") from exc
    finally:
        with contextlib.suppress(OSError, UnboundLocalError):
            tmp.unlink(missing_ok=True)


def _export(target: Path) -> None:
    """torch.onnx.export of the packaged weights, pooling and normalisation included."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise ModelError("exporting the ONNX encoder needs torch; run `make install`") from exc
    import warnings

    bert = AutoModel.from_pretrained(str(model_path())).eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        # The TorchScript exporter: it writes one self-contained file and needs only `onnx`.
        torch.onnx.export(
            Pooled(bert), (ids, torch.ones_like(ids)), str(target),
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "embedding": {0: "batch"}},
            opset_version=OPSET, dynamo=False,
        )


def _quantize(source: Path, target: Path) -> None:
    """Dynamic int8, per channel, MatMul only (what kept the vectors closest in measurements)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger("root").setLevel(logging.ERROR)
    quantize_dynamic(str(source), str(target), per_channel=True,
                     op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8)


if __name__ == "__main__":  # `make install`: the export made once, so no build waits for it
    from assistant.core.settings import Settings
    from assistant.store.model import offline

    offline()
    print(f"ONNX encoder ready: {onnx_model(Settings().cache_dir)}")
