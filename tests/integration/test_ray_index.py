"""``imnm index --ray`` on local Ray builds the index a local build makes: same passages, same
manifest, vectors within cosine 0.9999, the same top-5 passages for the same questions."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.store.index import load_index

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from bench import pubmedqa  # noqa: E402

pytestmark = pytest.mark.slow
TINY = REPO / "tests" / "data" / "pubmedqa_tiny"
IMNM = [sys.executable, "-m", "assistant.cli.app"]
# Looked up, not imported: importing ray puts its vendored packages on this process's sys.path.
if importlib.util.find_spec("ray") is None:
    pytest.skip("the ray extra is not installed: pip install 'imnm[ray]'", allow_module_level=True)


def build(corpus: Path, index: Path, cache: Path, *extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")}
    # No vector cache: both builds embed every text themselves.
    env |= {"IMNM_CACHE_DIR": str(cache), "IMNM_EMBED_VECTOR_CACHE": "false",
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([*IMNM, "index", "--corpus", str(corpus), "--index", str(index), *extra],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr


def test_ray_build_equals_local_build(tmp_path: Path) -> None:
    items = pubmedqa.load(TINY)
    corpus = pubmedqa.write_corpus(items, tmp_path / "corpus")
    (corpus / "notes.md").write_text(
        "# Anti-HMGCR myopathy\n\nStatin exposure precedes most cases.\n\n"
        "- IVIG is effective\n- Relapse is common\n", encoding="utf-8")
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "local", cache)
    said = build(corpus, tmp_path / "ray", cache, "--ray")
    assert "Ray:" in said

    local, ray = load_index(tmp_path / "local"), load_index(tmp_path / "ray")
    assert [c.model_dump() for c in ray.chunks] == [c.model_dump() for c in local.chunks]
    volatile = {"built_at", "build_seconds", "files"}
    assert {k: v for k, v in ray.manifest.items() if k not in volatile} == {
        k: v for k, v in local.manifest.items() if k not in volatile}
    a = ray.vectors.reconstruct_n(0, ray.vectors.ntotal)
    b = local.vectors.reconstruct_n(0, local.vectors.ntotal)
    assert float((a * b).sum(axis=1).min()) >= 0.9999
    assert float((ray.sentence_vectors * local.sentence_vectors).sum(axis=1).min()) >= 0.9999

    def top5(index: Path) -> list[list[str]]:
        assistant = Assistant(Settings(corpus=corpus, index=index, cache_dir=cache),
                              rebuild=False)
        questions = [it.question for it in items] + ["Is IVIG effective for anti-HMGCR myopathy?"]
        return [[h.chunk.chunk_id for h in assistant.search(q, 5)] for q in questions]

    assert top5(tmp_path / "ray") == top5(tmp_path / "local")
    assert json.loads((tmp_path / "ray" / "manifest.json").read_text())["encoder"] == "onnx"
