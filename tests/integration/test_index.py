"""The index: built aside, loaded only when fresh and intact, rebuilt when stale."""

import json
import shutil
from pathlib import Path

import pytest

from assistant.core.errors import IndexStateError
from assistant.core.settings import Settings
from assistant.store.embed import Embedder
from assistant.store.index import ensure_index, load_index

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REPO / "corpus" / "imnm.md", folder / "imnm.md")
    shutil.copy(REPO / "corpus" / "domain.toml", folder / "domain.toml")
    return folder


def test_committed_index_is_fresh_for_the_committed_corpus(embedder: Embedder) -> None:
    idx = ensure_index(Settings(), embedder, rebuild=False)
    assert idx.manifest["n_chunks"] == len(idx.chunks) > 20
    for name in ("manifest.json", "docstore.json", "chunks.faiss", "sentences.npy"):
        assert (REPO / "index" / name).exists()


def test_build_then_reuse_then_rebuild_when_corpus_changes(
    corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    settings = Settings(corpus=corpus, index=tmp_path / "idx")
    messages: list[str] = []
    first = ensure_index(settings, embedder, notify=messages.append)
    assert any("building" in m for m in messages)
    messages.clear()
    again = ensure_index(settings, embedder, notify=messages.append)
    assert not messages and again.manifest["built_at"] == first.manifest["built_at"]

    (corpus / "extra.md").write_text("# Extra\n\nDermatomyositis has a heliotrope rash.\n")
    rebuilt = ensure_index(settings, embedder, notify=messages.append)
    assert any("corpus changed" in m for m in messages)
    assert any(c.source == "extra.md" for c in rebuilt.chunks)


def test_stale_index_is_refused_when_rebuild_is_off(
    corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    settings = Settings(corpus=corpus, index=tmp_path / "idx")
    ensure_index(settings, embedder)
    (corpus / "imnm.md").write_text("# Changed\n\nSomething else entirely.\n")
    with pytest.raises(IndexStateError, match="stale: corpus changed; run `imnm index`"):
        ensure_index(settings, embedder, rebuild=False)


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_index_is_detected_and_rebuilt(
    corpus: Path, tmp_path: Path, embedder: Embedder, damage: str
) -> None:
    settings = Settings(corpus=corpus, index=tmp_path / "idx")
    ensure_index(settings, embedder)
    target = tmp_path / "idx" / "chunks.faiss"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "flip":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "delete":
        target.unlink()
    else:
        (tmp_path / "idx" / "manifest.json").write_text("{not json")
    with pytest.raises(IndexStateError):
        load_index(tmp_path / "idx")
    rebuilt = ensure_index(settings, embedder)
    assert load_index(tmp_path / "idx").manifest["n_chunks"] == rebuilt.manifest["n_chunks"]


def test_manifest_records_what_makes_an_index_stale(
    corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    ensure_index(Settings(corpus=corpus, index=tmp_path / "idx"), embedder)
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert {"format_version", "corpus_hash", "model", "chunking", "files"} <= set(manifest)
    assert "all-MiniLM-L6-v2" in manifest["model"]
    assert not list(tmp_path.glob(".idx.tmp-*")), "the build folder is renamed, not left behind"
