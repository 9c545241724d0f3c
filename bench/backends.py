"""The encoder backends side by side (``make bench``): build throughput against the plain
LangChain baseline of the same run, PubMedQA recall, warm answer latency, each kind of text, and
the Ray path's overhead on this one machine."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

BACKENDS = ("onnx", "torch", "onnx-int8")  # the default first

Worker = Callable[[str, dict[str, Any], Path], dict[str, Any]]


def ray_installed() -> bool:
    # Looked up, not imported: importing ray puts its vendored packages on sys.path.
    return importlib.util.find_spec("ray") is not None


def builds(corpus: Path, work: Path, run_worker: Worker, log: Callable[[str], None],
           default: dict[str, Any]) -> dict[str, Any]:
    """A clean build per backend (the default's is ``default``, already measured), then the
    default on local Ray."""
    out: dict[str, Any] = {BACKENDS[0]: default}
    for backend in BACKENDS[1:]:
        log(f"imnm build, {backend} encoder")
        out[backend] = run_worker("imnm-build", {"corpus": str(corpus), "backend": backend,
                                                 "index": str(work / f"index-{backend}")}, work)
    return out


def ray_build(corpus: Path, work: Path, run_worker: Worker, log: Callable[[str], None]
              ) -> dict[str, Any]:
    """The default backend on local Ray, right after a local build in the same worker."""
    if not ray_installed():
        return {"skipped": "the ray extra is not installed (pip install 'imnm[ray]')"}
    log("imnm build, local and then on local Ray")
    return run_worker("imnm-build", {"corpus": str(corpus), "index": str(work / "index-ray"),
                                     "ray": True}, work)


def encode_kinds(passages: Path, work: Path, run_worker: Worker,
                 log: Callable[[str], None]) -> dict[str, Any]:
    out = {}
    for backend in BACKENDS:
        log(f"encode passages and sentences, {backend}")
        out[backend] = run_worker("encode-kinds", {"passages": str(passages),
                                                   "backend": backend}, work)
    return out


def quality(corpus: Path, work: Path, items: list[Any], sample: list[str],
            measure_retrieval: Callable[[Any, list[Any]], dict[str, Any]],
            latency: Callable[..., dict[str, Any]], default: dict[str, Any]) -> dict[str, Any]:
    """Recall and warm answer latency on each backend's own index (the default's measured
    already: ``default``)."""
    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings

    out: dict[str, Any] = {BACKENDS[0]: default}
    for backend in BACKENDS[1:]:
        settings = Settings(corpus=corpus, index=work / f"index-{backend}")
        settings.embed.backend = backend
        assistant = Assistant(settings, rebuild=False)
        out[backend] = {"recall": measure_retrieval(assistant, items),
                        "answer_latency": latency(assistant.ask, sample),
                        "query_encoder": assistant.embedder.query_encoder.backend}
    return out


def report_lines(r: dict[str, Any]) -> list[str]:
    b = r["backends"]
    base = r["baseline"]
    lines = [
        "## Encoder backends",
        "",
        "Each backend builds the same PubMedQA index from scratch (no vector cache), in its own "
        "process, the model loaded; speed-up is passages per CPU-second against the plain "
        "LangChain baseline of this run (HuggingFaceEmbeddings, which embeds the passages only). "
        "Recall is hybrid retrieval on that backend's index; answer latency is warm `ask`.",
        "",
        "| backend | passages/s | CPU s | speed-up vs baseline (CPU) | (wall) | recall@1 | "
        "recall@5 | answer p50 (ms) | question encoder |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in BACKENDS:
        x, q = b["build"][name], b["quality"][name]
        lines.append(
            f"| {name}{' (default)' if name == BACKENDS[0] else ''} | {x['passages_per_s']} | "
            f"{x['cpu_seconds']} | {round(x['passages_per_cpu_s'] / base['passages_per_cpu_s'], 2)}"
            f"× | {round(x['passages_per_s'] / base['passages_per_s'], 2)}× | "
            f"{q['recall']['hybrid']['recall@1']} | {q['recall']['hybrid']['recall@5']} | "
            f"{q['answer_latency']['p50_ms']} | {q['query_encoder']} |")
    lines += [
        f"| plain LangChain baseline | {base['passages_per_s']} | {base['cpu_seconds']} | 1× | "
        f"1× | {base['recall']['recall@1']} | {base['recall']['recall@5']} | – | torch |",
        "",
        "Texts per second by kind of text (each backend's encoder alone, batches of 32 sorted "
        "by length; passages are up to three sentences):",
        "",
        "| backend | passages/s | per CPU-s | sentences/s | per CPU-s |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in BACKENDS:
        k = b["kinds"][name]
        lines.append(f"| {name} | {k['passages']['texts_per_s']} | "
                     f"{k['passages']['texts_per_cpu_s']} | {k['sentences']['texts_per_s']} | "
                     f"{k['sentences']['texts_per_cpu_s']} |")
    ray = b["ray"]
    lines += ["", "### Ray on one machine", ""]
    if "skipped" in ray:
        lines.append(f"Not measured: {ray['skipped']}.")
    else:
        local = ray["local"]
        lines.append(
            f"`imnm index --ray` (local Ray, {BACKENDS[0]} encoder, one actor per core, "
            f"ray.init and every actor's model load included): {ray['seconds']} s against "
            f"{local['seconds']} s for a local build of the same corpus just before it: "
            f"{ray['wall_ratio_vs_local']}× the wall time, {ray['overhead_s']} s of overhead. "
            "On one machine Ray only costs; it pays when a cluster adds cores.")
    return [*lines, ""]
