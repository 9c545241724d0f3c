"""The numpy query encoder gives sentence-transformers' vectors, and the query path avoids torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.store.embed import Embedder, model_path
from assistant.store.minilm import NumpyMiniLM

TEXTS = [
    "What is the first-line treatment for IMNM?",
    "anti-HMGCR",
    "IVIG 2 g/kg monthly; CK > 10,000 IU/L — résumé naïve café ÄÖÜ 抗体",
    "Statin-associated necrotizing myopathy with anti-HMGCR antibodies often needs combined "
    "immunosuppression, and relapses are common when treatment is tapered too quickly. " * 3,
    "word " * 600,  # longer than the model's 256 tokens: cut where sentence-transformers cuts
]


@pytest.mark.slow
def test_numpy_vectors_match_sentence_transformers(embedder: Embedder) -> None:
    fast = NumpyMiniLM(model_path())
    reference = embedder.encode(TEXTS)
    ours = fast.encode(TEXTS, batch_size=2)
    assert ours.shape == reference.shape == (len(TEXTS), 384)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # encode_one takes the numpy path and gives the same vector.
    assert float(embedder.encode_one(TEXTS[0]) @ reference[0]) >= 0.9999


def test_order_kept_across_length_sorted_batches() -> None:
    fast = NumpyMiniLM(model_path())
    texts = ["a much longer text about muscle weakness and creatine kinase", "short", "mid text"]
    together = fast.encode(texts, batch_size=2)
    alone = np.stack([fast.encode([t])[0] for t in texts])
    assert float((together * alone).sum(axis=1).min()) >= 0.9999
    assert fast.encode([]).shape == (0, 384)


def test_asking_with_a_fresh_index_never_imports_torch() -> None:
    code = (
        "import sys\n"
        "from assistant.answering.pipeline import Assistant\n"
        "from assistant.core.settings import Settings\n"
        "a = Assistant(Settings(), rebuild=False)\n"
        "answer = a.ask('What is the first-line treatment for IMNM?')\n"
        "assert answer.citations, answer\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'gradio')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout
