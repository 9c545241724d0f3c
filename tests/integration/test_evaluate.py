"""The gold set, the scoring of answers from elsewhere (`--answers`) and `imnm eval` itself."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.pipeline import Assistant
from assistant.evaluation.gold import DEFAULT_GOLD, GoldItem, load_gold
from assistant.evaluation.scoring import METRICS, evaluate_answers, regressions

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold(DEFAULT_GOLD)


@pytest.fixture(scope="module")
def answer_lines(assistant: Assistant, gold: list[GoldItem]) -> list[dict[str, Any]]:
    """What `imnm ask --json` prints for each single-turn gold question, plus retrieved text."""
    lines = []
    for item in gold:
        if item.turns:
            continue
        answer = assistant.ask(item.question)
        data = answer.to_json_dict()
        data["retrieved"] = [{"chunk_id": h.chunk.chunk_id, "text": h.chunk.text}
                             for h in answer.retrieved]
        lines.append(data)
    return lines


def write_lines(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


# --- the gold set itself -------------------------------------------------------------------


def test_gold_set_has_the_size_and_kinds_the_eval_needs(gold: list[GoldItem]) -> None:
    assert len(gold) >= 40
    assert len({g.id for g in gold}) == len(gold)
    unanswerable = [g for g in gold if g.kind == "unanswerable"]
    assert len(unanswerable) >= 8
    assert any(g.category == "off-topic" for g in unanswerable)
    assert any(g.category != "off-topic" for g in unanswerable)  # on-topic, detail missing
    assert sum(1 for g in gold if g.turns) >= 3
    assert {"treatment", "diagnosis", "prognosis", "monitoring"} <= {g.category for g in gold}
    for g in gold:
        if g.kind == "answerable":
            assert g.facts and g.support, g.id


def test_every_fact_bearing_sentence_is_covered(assistant: Assistant, gold: list[GoldItem]) -> None:
    spans = [s for g in gold for s in g.support]
    for chunk in assistant.index.chunks:
        for sentence in chunk.sentences:
            if sentence.rstrip().endswith(":"):  # a list's lead-in states nothing by itself
                continue
            assert any(s in sentence for s in spans), f"no gold item covers: {sentence}"


def test_support_spans_are_corpus_text(assistant: Assistant, gold: list[GoldItem]) -> None:
    texts = [c.text for c in assistant.index.chunks]
    for g in gold:
        for span in g.support:
            assert any(span in t for t in texts), (g.id, span)


def test_questions_paraphrase_rather_than_copy(assistant: Assistant, gold: list[GoldItem]) -> None:
    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]{4,}", text.lower()))

    sentences = [s for c in assistant.index.chunks for s in c.sentences]
    for g in gold:
        for span in g.support:
            source = next(s for s in sentences if span in s)
            q = words(g.question)
            overlap = len(q & words(source)) / max(len(q), 1)
            assert overlap < 0.9, (g.id, g.question)


# --- scoring answers produced elsewhere ---------------------------------------------------


def test_faithful_answers_score_at_the_gate(
    answer_lines: list[dict[str, Any]], gold: list[GoldItem], tmp_path: Path
) -> None:
    summary = evaluate_answers(write_lines(tmp_path / "a.jsonl", answer_lines), gold)
    assert summary["n"] == len(answer_lines)
    assert regressions(summary) == []
    assert summary["metrics"]["retrieval_recall@5"] >= 0.95


def test_swapped_citations_bring_precision_below_half(
    answer_lines: list[dict[str, Any]], gold: list[GoldItem], tmp_path: Path
) -> None:
    answered = [x for x in answer_lines if not x["abstained"]]
    # each answer keeps its text and markers but gets the next question's citations
    swapped = [
        a | {"citations": [c | {"marker": i + 1} for i, c in enumerate(b["citations"])]}
        for a, b in zip(answered, answered[1:] + answered[:1], strict=True)
    ]
    summary = evaluate_answers(write_lines(tmp_path / "s.jsonl", swapped), gold)
    assert summary["metrics"]["citation_precision"] < 0.5
    assert summary["metrics"]["citation_recall"] < 0.5
    lines = regressions(summary)
    assert any(line.startswith("citation_precision = ") for line in lines)
    assert any(item_id in " ".join(lines) for item_id in (g.id for g in gold))


def test_a_lost_fact_fails_answer_accuracy(
    answer_lines: list[dict[str, Any]], gold: list[GoldItem], tmp_path: Path
) -> None:
    first = next(x for x in answer_lines if x["question"] == gold[0].question)
    broken = first | {"answer": "Physical therapy maintains muscle strength [1]."}
    summary = evaluate_answers(write_lines(tmp_path / "b.jsonl", [broken]), gold)
    item = summary["items"][0]
    assert item["answer_correct"] is False and "answer_accuracy" in item["failed"]
    assert item["facts_missing"]


def test_answering_an_unanswerable_question_fails_abstention(
    gold: list[GoldItem], tmp_path: Path
) -> None:
    item = next(g for g in gold if g.kind == "unanswerable")
    made_up = {"question": item.question, "answer": "It is 40 mg daily [1].", "abstained": False,
               "citations": [{"marker": 1, "text": "Prednisone is first-line therapy."}]}
    summary = evaluate_answers(write_lines(tmp_path / "u.jsonl", [made_up]), gold)
    assert summary["metrics"]["abstention_accuracy"] == 0.0
    assert summary["metrics"]["citation_recall"] == 0.0


# --- the command --------------------------------------------------------------------------


def imnm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli.app", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def test_eval_answers_json_has_the_documented_shape(
    answer_lines: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = imnm("eval", "--answers", str(write_lines(tmp_path / "a.jsonl", answer_lines)),
                  "--json", "--gate")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"n", "metrics", "by_category", "items"}
    assert set(data["metrics"]) >= set(METRICS)
    assert "treatment" in data["by_category"]


def test_eval_gate_fails_readably_on_swapped_citations(
    answer_lines: list[dict[str, Any]], tmp_path: Path
) -> None:
    answered = [x for x in answer_lines if not x["abstained"]]
    swapped = [a | {"citations": b["citations"]}
               for a, b in zip(answered, answered[1:] + answered[:1], strict=True)]
    result = imnm("eval", "--answers", str(write_lines(tmp_path / "s.jsonl", swapped)), "--gate")
    assert result.returncode == 1
    assert "regression: citation_precision = " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--answers", "{tmp}/missing.jsonl"], None, "cannot read the answers file"),
        (["--answers", "{tmp}/bad.jsonl"], "not json\n", "not an `imnm ask --json` line"),
        (["--answers", "{tmp}/bad.jsonl"], '{"question": "unrelated?"}\n',
         "no answer in"),
        (["--gold", "{tmp}/bad.jsonl"], '{"id": "x"}\n', "not a gold item"),
        (["--gold", "{tmp}/bad.jsonl"], "\n", "has no items"),
    ],
)
def test_eval_bad_input_is_one_line(
    args: list[str], content: str | None, message: str, tmp_path: Path
) -> None:
    if content is not None:
        (tmp_path / "bad.jsonl").write_text(content, encoding="utf-8")
    result = imnm("eval", *[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
