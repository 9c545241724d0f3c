"""``make bench`` end to end on a tiny slice: every worker runs and the report is written.

No timing is asserted (speed is what the benchmark reports); the figures must be well-formed, the
recall counted right and the report must carry the targets table and the plot.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# bench/ is not an installed package: it runs from the repository (python -m bench.run).
sys.path.insert(0, str(REPO))

from bench import pubmedqa  # noqa: E402
from bench.run import abstract_recall, bench  # noqa: E402

# Eight PubMedQA PQA-L entries (MIT licence, see its LICENSE file) kept in the repository, so the
# test runs where the full data set beside the project is not.
TINY = REPO / "tests" / "data" / "pubmedqa_tiny"


def test_abstract_recall_counts_an_abstract_at_its_best_passage() -> None:
    ranked = [["a.md", "a.md", "b.md"], ["c.md", "c.md", "c.md", "d.md", "e.md", "f.md", "g.md"],
              ["x.md", "y.md", "z.md", "v.md", "w.md", "t.md"], []]
    gold = ["a.md", "g.md", "w.md", "a.md"]
    # g.md is the 5th distinct abstract (c, d, e, f, g); t.md would be 6th.
    assert abstract_recall(ranked, gold) == {"recall@1": 0.25, "recall@5": 0.75}


def test_pubmedqa_corpus_has_no_question_in_it(tmp_path: Path) -> None:
    items = pubmedqa.load(TINY, limit=3)
    folder = pubmedqa.write_corpus(items, tmp_path / "corpus")
    for item in items:
        text = (folder / item.source).read_text(encoding="utf-8")
        assert item.question not in text
        assert all(p in text for p in item.passages)
        assert all(len(pubmedqa.split_sentences(p)) <= 3 for p in item.passages)


@pytest.mark.slow
def test_bench_runs_on_a_tiny_slice(tmp_path: Path) -> None:
    # Ray and IVF-PQ have tests of their own (tests/integration/test_ray_index.py, unit).
    results = bench(True, tmp_path, dataset=TINY, limit=6, sizes=(3_000,), runs=1, rounds=1,
                    int8=False, ray=False, ivfpq_n=None)
    assert {p.name for p in tmp_path.iterdir()} == {"results.json", "REPORT.md", "scaling.png"}
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert saved["pubmedqa"]["abstracts"] == 6
    for mode in ("dense", "sparse", "hybrid"):
        assert 0.0 <= saved["pubmedqa"]["recall"][mode]["recall@1"] <= 1.0
    # Six abstracts: each question's own abstract is among the first five nearly always.
    assert saved["pubmedqa"]["recall"]["hybrid"]["recall@5"] >= 0.8
    assert saved["build"]["imnm"]["passages"] == saved["baseline"]["passages"] > 6
    assert saved["build"]["imnm"]["passages_per_s"] > 0
    assert saved["scaling"][0]["index_type"] == "flat"
    assert saved["cold_start"]["imnm"]["median_s"] > 0
    assert len(results["targets"]) == 7
    for backend in ("onnx", "torch", "onnx-int8"):
        assert saved["backends"]["build"][backend]["backend"] == backend
        assert saved["backends"]["quality"][backend]["recall"]["hybrid"]["recall@5"] >= 0.8
        assert saved["backends"]["kinds"][backend]["sentences"]["texts"] > 6
    assert "Encoder backends" in (tmp_path / "REPORT.md").read_text(encoding="utf-8")
    report = (tmp_path / "REPORT.md").read_text(encoding="utf-8")
    assert "| target | goal | measured | met |" in report
    assert "![search latency and memory by size](scaling.png)" in report
    assert (tmp_path / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_missing_data_set_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(pubmedqa.DatasetMissing, match="IMNM_PUBMEDQA"):
        pubmedqa.load(tmp_path / "nowhere")
