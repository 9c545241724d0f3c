"""The encoder backends give the reference's vectors (int8 only near them), the ONNX export is
verified on load, and an index is read only by the backend that built it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.core.errors import IndexStateError
from assistant.core.settings import EmbedSettings, Settings
from assistant.store.embed import Embedder
from assistant.store.encoders import make_encoder
from assistant.store.encoders.export import model_file, onnx_model, verified
from assistant.store.index import ensure_index

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]

TEXTS = [
    "What is the first-line treatment for IMNM?",
    "anti-HMGCR",
    "IVIG 2 g/kg monthly; CK > 10,000 IU/L — résumé naïve café ÄÖÜ 抗体",
    "Statin-associated necrotizing myopathy with anti-HMGCR antibodies often needs combined "
    "immunosuppression, and relapses are common when treatment is tapered too quickly. " * 3,
    "word " * 600,  # longer than the model's 256 tokens: cut where sentence-transformers cuts
    "Muscle biopsy shows scattered necrotic fibres with little inflammation.",
    "Creatine kinase is often above 10,000 IU/L at presentation.",
    "Patients with anti-SRP antibodies tend to have severe weakness and dysphagia.",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return make_encoder("torch", Path("unused")).encode(TEXTS, batch_size=3)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REPO / "corpus" / "imnm.md", folder / "imnm.md")
    return folder


def neighbours(vectors: np.ndarray) -> list[list[int]]:
    return np.argsort(-(vectors @ vectors.T), axis=1)[:, :5].tolist()


def test_onnx_vectors_equal_the_reference(cache: Path, reference: np.ndarray) -> None:
    onnx = make_encoder("onnx", cache)
    ours = onnx.encode(TEXTS, batch_size=3)
    assert ours.shape == reference.shape == (len(TEXTS), 384)
    assert float((ours * reference).sum(axis=1).min()) >= 0.9999
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert neighbours(ours) == neighbours(reference)
    assert onnx.encode([]).shape == (0, 384)


def test_int8_is_close_but_a_backend_of_its_own(cache: Path, reference: np.ndarray) -> None:
    int8 = make_encoder("onnx-int8", cache)
    assert int8.backend == "onnx-int8"
    cos = (int8.encode(TEXTS) * reference).sum(axis=1)
    assert cos.mean() >= 0.97, cos
    embedder = Embedder(EmbedSettings(backend="onnx-int8"), cache)
    # Questions go through the int8 model too: an index is searched with vectors of its kind.
    assert embedder.query_encoder.backend == "onnx-int8"


def test_damaged_export_is_made_again(cache: Path) -> None:
    path = onnx_model(cache)
    assert verified(path)
    with path.open("r+b") as f:
        f.seek(path.stat().st_size // 2)
        f.write(b"\0\1\2\3")
    assert not verified(path)
    # A question never exports: with no verified export it takes the numpy pass.
    assert Embedder(EmbedSettings(), cache).query_encoder.backend == "numpy"
    assert onnx_model(cache) == path and verified(path)
    assert Embedder(EmbedSettings(), cache).query_encoder.backend == "onnx"
    assert model_file(cache, int8=True) != path


def test_index_of_another_backend_is_refused(
    corpus: Path, tmp_path: Path, cache: Path
) -> None:
    settings = Settings(corpus=corpus, index=tmp_path / "idx", cache_dir=cache)
    settings.embed.backend = "torch"
    ensure_index(settings, Embedder(settings.embed, cache))
    other = Settings(corpus=corpus, index=tmp_path / "idx", cache_dir=cache)
    with pytest.raises(IndexStateError) as caught:
        ensure_index(other, Embedder(other.embed, cache), rebuild=False)
    message = str(caught.value)
    assert "built with the torch encoder and this run uses onnx" in message
    assert "\n" not in message
