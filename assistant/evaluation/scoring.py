"""The gold-set evaluation: answers, citations, retrieval and abstention, scored independently.

Facts are matched by their accepted spellings; citations are judged by ``assistant.check``,
which shares no code with the answerer. ``abstention_accuracy`` counts an item right when an
unanswerable one is declined or says what the sources do not give ("The indexed sources do
not ..."), and an answerable one is not declined.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from assistant.core.errors import InputError
from assistant.evaluation.gold import GoldItem
from assistant.verify.check import META_PREFIX, Similarity, check_answer
from assistant.verify.vocabulary import Equivalents

if TYPE_CHECKING:
    from assistant.answering.pipeline import Assistant
    from assistant.core.types import Answer

METRICS = ("answer_accuracy", "citation_precision", "citation_recall", "retrieval_recall@5",
           "abstention_accuracy")
# The question sets in clinicians' phrasing add: the right facts with the right passage cited,
# asked-but-missing details named, follow-up conversations right, answerable ones declined.
SET_METRICS = ("grounded_accuracy", "missing_named", "followup_accuracy", "flat_declines",
               "contradictions")
# A note that a kind of value is not given ("... do not state a dose", "... say how long").
# On an answer that gives every asked fact it contradicts the answer: a clinician reads the
# dose and then that the sources give none.
VALUE_NOTE = re.compile(
    re.escape(META_PREFIX) + r" (?:state an? \w+|say how (?:long|often)|give (?:a|an|the|"
    r"percentages|rates|figures)\b)",
    re.I,
)
THRESHOLDS = {"answer_accuracy": 0.95, "citation_precision": 0.95, "citation_recall": 0.95,
              "abstention_accuracy": 0.9}


class ItemResult(BaseModel):
    id: str
    category: str
    kind: str
    split: str | None = None
    style: list[str] = []
    followup: bool = False
    # answerable: the facts, and each support span inside a passage the answer cites
    grounded_correct: bool | None = None
    # missing: a "The indexed sources do not ..." sentence names the asked detail
    missing_named: bool | None = None
    question: str
    answer: str
    abstained: bool
    facts_missing: list[str]
    answer_correct: bool | None  # None for unanswerable items
    abstention_correct: bool
    citation_precision: float | None
    citation_recall: float | None
    retrieval_hit: bool | None
    unsupported: list[str]
    latency_ms: float | None = None
    # answerable, every fact given, and yet a note that a value asked is not given
    contradicted: bool | None = None

    @property
    def failed(self) -> list[str]:
        out = []
        if self.answer_correct is False:
            out.append("answer_accuracy")
        if self.citation_precision is not None and self.citation_precision < 1:
            out.append("citation_precision")
        if self.citation_recall is not None and self.citation_recall < 1:
            out.append("citation_recall")
        if self.retrieval_hit is False:
            out.append("retrieval_recall@5")
        if not self.abstention_correct:
            out.append("abstention_accuracy")
        if self.grounded_correct is False:
            out.append("grounded_accuracy")
            if self.followup:
                out.append("followup_accuracy")
        if self.missing_named is False:
            out.append("missing_named")
        if self.contradicted:
            out.append("contradictions")
        return out


_DASHES = str.maketrans("\u2013\u2011\u2010", "---")


def _norm(text: str) -> str:
    text = text.translate(_DASHES)
    return " ".join(text.lower().split())


def names_missing_detail(item: GoldItem, text: str) -> bool:
    """Whether a sentence saying what the sources do not give names the asked detail."""
    said = [s for s in re.split(r"(?<=[.!?])\s+", text) if META_PREFIX.lower() in s.lower()]
    words = [_norm(w) for w in item.missing] or [""]
    return any(w in _norm(s) for s in said for w in words)


def missing_facts(item: GoldItem, text: str) -> list[str]:
    body = _norm(text)
    return [f.fact for f in item.facts if not any(_norm(a) in body for a in f.accept)]


def score(
    item: GoldItem,
    text: str,
    abstained: bool,
    citations: dict[int, str],
    retrieved: list[str] | None,
    latency_ms: float | None = None,
    similarity: Similarity | None = None,
    equivalents: Equivalents | None = None,
) -> ItemResult:
    """One item scored from what an answerer returned (any answerer: this trusts none)."""
    check = (
        None
        if abstained
        else check_answer(text, citations, similarity=similarity, equivalents=equivalents)
    )
    answerable = item.kind == "answerable"
    missing = missing_facts(item, text) if answerable else []
    hit = None
    spans = [_norm(s) for s in item.support_spans()]
    if answerable and retrieved is not None and spans:
        passages = [_norm(p) for p in retrieved[:5]]
        hit = all(any(span in passage for passage in passages) for span in spans)
    cited = [_norm(c) for c in citations.values()]
    grounded = (
        not abstained and not missing and all(any(sp in c for c in cited) for sp in spans)
        if answerable else None
    )  # fmt: skip
    return ItemResult(
        id=item.id, category=item.category, kind=item.kind, split=item.split, style=item.style,
        followup=bool(item.turns), grounded_correct=grounded,
        missing_named=names_missing_detail(item, text) if item.kind == "missing" else None,
        question=item.question, answer=text, abstained=abstained, facts_missing=missing,
        answer_correct=(not abstained and not missing) if answerable else None,
        # an unanswerable item is right when declined or when it names what is missing
        abstention_correct=not abstained if answerable else abstained or META_PREFIX in text,
        citation_precision=check.citation_precision if check else None,
        citation_recall=check.citation_recall if check else None,
        retrieval_hit=hit,
        unsupported=(
            [s.sentence for s in check.sentences if not s.supported]
            if check and answerable else []
        ),
        latency_ms=latency_ms,
        contradicted=(
            not abstained and not missing and bool(VALUE_NOTE.search(text))
            if answerable else None
        ),
    )


def _mean(values: Iterable[float | bool | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def metrics_of(results: list[ItemResult]) -> dict[str, float | None]:
    answerable = [r for r in results if r.kind == "answerable"]
    return {
        "grounded_accuracy": _mean(r.grounded_correct for r in results),
        "missing_named": _mean(r.missing_named for r in results),
        "followup_accuracy": _mean(r.grounded_correct for r in results if r.followup),
        "flat_declines": float(sum(r.abstained for r in answerable)) if answerable else None,
        "contradictions": (
            float(sum(bool(r.contradicted) for r in answerable)) if answerable else None
        ),
        "answer_accuracy": _mean(r.answer_correct for r in results),
        "citation_precision": _mean(r.citation_precision for r in results),
        "citation_recall": _mean(r.citation_recall for r in results),
        "retrieval_recall@5": _mean(r.retrieval_hit for r in results),
        "abstention_accuracy": _mean(r.abstention_correct for r in results),
    }


def summarise(results: list[ItemResult]) -> dict[str, Any]:
    by_cat: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_cat[r.category].append(r)
    lat = sorted(r.latency_ms for r in results if r.latency_ms is not None)
    latency = (
        {"p50_ms": round(statistics.median(lat), 2),
         "p95_ms": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 2)}
        if lat else {}
    )
    return {
        "n": len(results),
        "metrics": metrics_of(results),
        "latency": latency,
        "by_category": {c: {"n": len(rs)} | metrics_of(rs) for c, rs in sorted(by_cat.items())},
        "items": [r.model_dump() | {"failed": r.failed} for r in results],
    }


def run_item(
    assistant: Assistant, item: GoldItem, mode: str = "hybrid",
    similarity: Similarity | None = None,
) -> ItemResult:
    from assistant.core.types import Turn

    history: list[Turn] = []
    answer: Answer | None = None
    for question in item.turns or [item.question]:
        answer = assistant.ask(question, history, mode=mode)  # type: ignore[arg-type]
        history.append(answer.as_turn())
    assert answer is not None
    return score(
        item, answer.answer, answer.abstained, {c.marker: c.text for c in answer.citations},
        [h.chunk.text for h in answer.retrieved], answer.timings_ms.get("total"),
        similarity or assistant.embedder.similarity(),
        assistant.pipeline.equivalents,
    )


def evaluate(
    assistant: Assistant, gold: list[GoldItem], mode: str = "hybrid"
) -> dict[str, Any]:
    similarity = assistant.embedder.similarity()
    return summarise([run_item(assistant, item, mode, similarity) for item in gold])


def evaluate_answers(
    path: Path,
    gold: list[GoldItem],
    similarity: Similarity | None = None,
    equivalents: Equivalents | None = None,
) -> dict[str, Any]:
    """Score answers produced elsewhere: JSON lines as ``imnm ask --json`` prints them."""
    by_question: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the answers file {path}: {exc.strerror}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            by_question[_norm(str(data["question"]))] = data
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not an `imnm ask --json` line") from exc
    results = []
    for item in gold:
        data = by_question.get(_norm(item.question))
        if data is None:
            continue
        citations = {int(c["marker"]): str(c.get("text", "")) for c in data.get("citations", [])}
        retrieved = data.get("retrieved")
        # retrieval is scored only when the answers carry the passages' text
        texts = (
            [str(r["text"]) for r in retrieved]
            if isinstance(retrieved, list) and all(isinstance(r, dict) and "text" in r
                                                   for r in retrieved)
            else None
        )
        results.append(score(item, str(data.get("answer", "")), bool(data.get("abstained")),
                             citations, texts, (data.get("timings_ms") or {}).get("total"),
                             similarity, equivalents))
    if not results:
        raise InputError(f"no answer in {path} matches a gold question")
    return summarise(results)


def regressions(summary: dict[str, Any], thresholds: dict[str, float] = THRESHOLDS) -> list[str]:
    """One readable line per metric under its threshold, naming the items that failed it."""
    lines = []
    for name, minimum in thresholds.items():
        value = summary["metrics"].get(name)
        if value is None or value >= minimum:
            continue
        failing = [i for i in summary["items"] if name in i["failed"]]
        detail = "; ".join(f"{i['id']}: {i['answer'][:120]!r}" for i in failing[:8])
        lines.append(f"{name} = {value:.3f} < {minimum} — failing items: {detail}")
    return lines


def _compact(text: str) -> str:
    return re.sub(r"\s+", " ", text)
