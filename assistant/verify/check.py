"""An independent citation checker: is each answer sentence supported by the passages it cites?

It does not trust the answerer and shares none of its knowledge: it imports nothing from
answering/, retrieval/ or domain/, and keeps its own fail-closed vocabulary (verify/vocabulary.py:
only listed spellings and defined abbreviations are the same word). It shares the text skills
every stage uses (text/: sentences, numbers and units, negation and opposites). No NLI model can
be had offline, so "supports" is a conjunction of checks that each catch one way a sentence can go
beyond its source:

1. **Content words.** The sentence's content words (stopwords dropped, stemmed, known
   spellings and defined abbreviations folded) must be covered by the cited passage:
   coverage >= 0.7 (a verbatim sentence scores 1.0). Another form of a word or a general
   paraphrase of it counts as covered (verify/wording.py); key terms are weighed exactly.
2. **Numbers and units.** Every number in the sentence, with its unit, must be in the passage
   (ranges written "0.5-1", "0.5 to 1" or "0.5–1" are the same numbers): 0.5 → 5 mg/kg fails.
3. **Negation.** A negation cue (not, no, never, without, cannot, ...) in the sentence must also
   be in the passage, and a negation in the passage must not be dropped by a sentence that
   otherwise copies it.
4. **Antonyms.** A word whose opposite the passage uses instead ("good" for "poor",
   "low" for "high", "late" for "early") fails.
5. **Embedding similarity (optional).** A paraphrase that keeps fewer of the passage's words
   (coverage 0.5-0.7) is accepted when a ``similarity`` function is given (the evaluation and
   the LLM check pass the MiniLM embedder's cosine) and some sentence of the passage is at
   least 0.8 similar to it. Checks 2-4 still apply first: similarity never excuses a changed
   number, an added negation or an antonym, which embeddings barely notice.

Citation recall (as in ALCE): the share of answer sentences that their cited passages, taken
together, support. Citation precision: the share of citations that add support — a citation
counts when it supports the sentence alone, or when the others without it no longer do.
Sentences that start "The indexed sources do not" say what is missing; they carry no marker
and are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from assistant.core.settings import CheckSettings
from assistant.text.polarity import negations, neutralise
from assistant.text.quantities import quantities, spell_numbers
from assistant.text.sentences import split_sentences
from assistant.text.tokens import stem
from assistant.verify.claims import commitments
from assistant.verify.vocabulary import Equivalents
from assistant.verify.wording import Said

META_PREFIX = "The indexed sources do not"
_DEFAULTS = CheckSettings()
_GENERAL = Equivalents()

# cosine similarity of two texts, e.g. from the embedding model
Similarity = Callable[[str, str], float]

_MARKER = re.compile(r"\[(\d{1,3})\]")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                          "\u2014": "-", "\u2212": "-"})
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for",
        "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "do", "does",
        "did", "have", "has", "had", "this", "that", "these", "those", "it", "its", "they", "them",
        "their", "which", "who", "whom", "what", "when", "where", "why", "how", "than", "then",
        "so", "such", "can", "could", "should", "would", "may", "might", "must", "will", "there",
        "here", "about", "into", "over", "under", "also", "very", "more", "most", "some", "any",
        "each", "other", "same", "just", "only", "own", "both", "all", "per", "via", "like",
        "including", "include", "includes", "e.g", "i.e", "ref", "according", "study",
    ]
)  # fmt: skip


@dataclass
class SentenceCheck:
    sentence: str
    markers: list[int]
    supported: bool
    score: float
    reason: str
    marker_support: dict[int, bool] = field(default_factory=dict)


@dataclass
class AnswerCheck:
    sentences: list[SentenceCheck]
    citation_recall: float
    citation_precision: float
    unknown_markers: list[int]


def split_answer(text: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences, each without its markers, with the markers it carries.

    Markers stand before or just after the final punctuation: "... life [1]." or "... life. [1]".
    """
    pieces = split_sentences(text)
    out: list[tuple[str, list[int]]] = []
    for piece in pieces:
        lead = re.match(r"^((?:\[\d{1,3}\]\s*)+)", piece)
        if lead and out:  # markers placed after the previous sentence's period
            out[-1][1].extend(int(m) for m in _MARKER.findall(lead.group(1)))
            piece = piece[lead.end():]
            if not piece.strip():
                continue
        markers = [int(m) for m in _MARKER.findall(piece)]
        sentence = " ".join(_MARKER.sub(" ", piece).split())
        sentence = re.sub(r"\s+([.!?,;:])", r"\1", sentence)
        if sentence:
            out.append((sentence, markers))
    return out


class _Text:
    """A sentence or passage as the checker compares it."""

    def __init__(self, text: str, eq: Equivalents) -> None:
        raw = spell_numbers(text.translate(_DASHES))
        self.quantities = quantities(raw)
        folded = eq.apply(neutralise(raw)).lower()
        self.words = re.findall(r"[a-z0-9][a-z0-9'-]*|n't", folded)
        self.negations = negations(self.words)
        self.content = {
            stem(part)
            for w in self.words
            for part in w.split("-")
            if part and part not in _STOP and part not in self.negations and len(part) > 1
            and not part[0].isdigit()
        }


def supports(
    sentence: str,
    passage: str,
    similarity: Similarity | None = None,
    settings: CheckSettings | None = None,
    equivalents: Equivalents | None = None,
) -> tuple[bool, float, str]:
    """Whether ``passage`` supports ``sentence``: (verdict, score 0..1, reason if not)."""
    s = settings or _DEFAULTS
    if not passage.strip():
        return False, 0.0, "no cited passage"
    eq = (equivalents or _GENERAL).with_passage(passage)
    sent, pas = _Text(sentence, eq), _Text(passage, eq)
    pass_numbers = {n for n, _ in pas.quantities}
    for number, unit in sorted(sent.quantities):
        if (number, unit) in pas.quantities or (not unit and number in pass_numbers):
            continue
        if unit and (number, "") in pas.quantities and any(u == unit for _, u in pas.quantities):
            continue  # "0.5 to 1 mg/kg": the unit follows the range's second number
        shown = f"{number:g}" + (f" {unit}" if unit else "")
        return False, 0.0, f"number {shown} is not in the cited passage"
    # "cannot" and "not", "no" and "never": a negation is a negation, whichever word says it.
    if sent.negations and not pas.negations:
        said = sorted(sent.negations)[0]
        return False, 0.0, f"negation '{said}' is not in the cited passage"
    words, pwords = sent.content, pas.content
    if not words:
        return True, 1.0, ""
    # Other forms of a word and general paraphrases count as said (verify/wording.py).
    covered = Said(pwords).covered(words)
    coverage = len(covered) / len(words)
    unbacked = commitments(sentence, passage, eq, similarity, s.similarity_min)
    if unbacked:
        return False, coverage, unbacked
    if (
        coverage < s.coverage_min
        and similarity is not None
        and coverage >= s.paraphrase_coverage_min
        and max(similarity(sentence, p) for p in split_sentences(passage))
        >= s.similarity_min
    ):
        return True, coverage, ""
    if coverage < s.coverage_min:
        missing = ", ".join(sorted(words - covered)[:4])
        return False, coverage, f"not in the cited passage: {missing}"
    return True, coverage, ""


def check_answer(
    answer: str,
    citations: Mapping[int, str],
    abstained: bool = False,
    similarity: Similarity | None = None,
    equivalents: Equivalents | None = None,
) -> AnswerCheck:
    """Support of every sentence of ``answer`` by the passages its markers cite."""
    checks: list[SentenceCheck] = []
    unknown: list[int] = []
    cited_total = 0
    cited_good = 0
    for sentence, markers in split_answer(answer):
        if sentence.startswith(META_PREFIX):
            continue
        known = [m for m in dict.fromkeys(markers) if m in citations]
        unknown.extend(m for m in markers if m not in citations and m not in unknown)
        if not markers:
            checks.append(SentenceCheck(sentence, [], False, 0.0, "no citation marker"))
            continue
        if not known:
            checks.append(SentenceCheck(sentence, markers, False, 0.0,
                                        "marker without a citation", {m: False for m in markers}))
            cited_total += len(markers)
            continue
        ok, score, reason = supports(
            sentence, " ".join(citations[m] for m in known), similarity, equivalents=equivalents
        )
        per_marker: dict[int, bool] = {}
        for m in markers:
            if m not in citations:
                per_marker[m] = False
                continue
            alone = supports(sentence, citations[m], similarity, equivalents=equivalents)[0]
            others = [citations[o] for o in known if o != m]
            needed = (
                ok
                and bool(others)
                and not supports(sentence, " ".join(others), similarity,
                                 equivalents=equivalents)[0]
            )
            per_marker[m] = ok and (alone or needed or len(known) == 1)
        cited_total += len(per_marker)
        cited_good += sum(per_marker.values())
        checks.append(SentenceCheck(sentence, markers, ok, score, reason, per_marker))
    if not checks:
        return AnswerCheck([], 1.0, 1.0, unknown)
    recall = sum(c.supported for c in checks) / len(checks)
    precision = cited_good / cited_total if cited_total else 0.0
    return AnswerCheck(checks, recall, precision, unknown)
