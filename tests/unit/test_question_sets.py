"""Every question set of eval/suites.toml is well formed against its own corpus: ids unique,
each support span the corpus's own words, a follow-up's last turn its question. A span that no
file holds could never be cited, and the item would fail for the data's sake, not the answer's."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.suites import Suite, load_suites

SUITES = load_suites()


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.mark.parametrize("suite", SUITES, ids=[s.name for s in SUITES])
def test_each_set_is_well_formed_against_its_corpus(suite: Suite) -> None:
    files = sorted(p for p in suite.corpus.rglob("*") if p.suffix in {".txt", ".md"})
    corpus = " \n".join(_flat(p.read_text(encoding="utf-8")) for p in files)
    rows = [json.loads(line) for line in suite.questions.read_text().splitlines() if line.strip()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        for span in r.get("support", []):
            assert _flat(span) in corpus, (r["id"], span)
        if r.get("turns"):
            assert r["turns"][-1] == r["question"], r["id"]
        if r["kind"] == "answerable":
            assert r.get("facts") and r.get("support"), r["id"]
