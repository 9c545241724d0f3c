"""An independent citation checker: is each answer sentence supported by the passages it cites?

It does not trust the answerer and shares no code with it (no import of answer, retrieve,
lexicon or converse): its own tokeniser, synonym table and rules. No NLI model can be had
offline, so "supports" is a conjunction of checks that each catch one way a sentence can go
beyond its source:

1. **Content words.** The sentence's content words (stopwords dropped, light stemming,
   synonyms folded: IVIG = intravenous immunoglobulin, CK = creatine kinase, ...) must be
   covered by the cited passage: coverage >= 0.7 (a verbatim sentence scores 1.0).
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

META_PREFIX = "The indexed sources do not"
_DEFAULTS = CheckSettings()

# cosine similarity of two texts, e.g. from the embedding model
Similarity = Callable[[str, str], float]

_MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[(\"'])")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                          "\u2014": "-", "\u2212": "-"})
_SYNONYMS = [
    (r"intravenous immune? ?globulins?|intravenous immunoglobulins?|immunoglobulins?", "ivig"),
    (r"creatine (?:phospho)?kinase|\bcpk\b", "ck"),
    (r"3-hydroxy-3-methylglutaryl-coa reductase|hmg-?coa reductase", "hmgcr"),
    (r"signal[- ]recognition (?:particle|peptide)", "srp"),
    (r"(?:immune[- ]mediated|inflammatory|autoimmune) necroti[sz]ing myopath(?:y|ies)", "imnm"),
    (r"glucocorticoids?|corticosteroids?|steroids?", "corticosteroid"),
    (r"mycophenolate mofetil", "mycophenolate"),
    (r"physiotherapy", "physical therapy"),
    (r"favou?red|preferred", "favored"),
    (r"\bper day\b|/day|\ba day\b|\bdaily\b", " perday "),
]
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
)
_NEGATIONS = frozenset(["not", "no", "never", "without", "cannot", "none", "neither", "nor", "n't"])
_OPPOSITES = {
    "poor": {"good", "better", "favorable", "favourable", "excellent", "well"},
    "good": {"poor", "bad", "worse"},
    "better": {"worse", "poor"},
    "worse": {"better", "good"},
    "high": {"low"},
    "low": {"high"},
    "elevated": {"low", "normal", "reduced"},
    "early": {"late", "delayed"},
    "late": {"early"},
    "frequent": {"infrequent", "rare"},
    "frequently": {"rarely", "infrequently"},
    "infrequent": {"frequent", "common"},
    "minimal": {"extensive", "marked", "prominent"},
    "increase": {"decrease", "reduce"},
    "reduce": {"increase"},
    "well": {"poorly", "badly"},
    "irreversible": {"reversible"},
    "unknown": {"known", "established"},
    "common": {"rare", "uncommon"},
    "severe": {"mild"},
    "sufficient": {"insufficient"},
    "effective": {"ineffective"},
}


def _antonym_table() -> dict[str, set[str]]:
    # Compared after stemming ("poorly" -> "poor"), and an opposite works both ways.
    table: dict[str, set[str]] = {}
    for word, opposites in _OPPOSITES.items():
        for other in opposites:
            table.setdefault(_stem(word), set()).add(_stem(other))
            table.setdefault(_stem(other), set()).add(_stem(word))
    return table
_NUMBER_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:(?:-|to)\s*(\d+(?:\.\d+)?)\s*)?"
    r"(mg/kg|mg|g/kg|g|mcg|µg|ml|kg|%|percent|weeks?|days?|months?|years?|hours?)?",
    re.IGNORECASE,
)


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
    text = " ".join(text.split())
    pieces = [p for p in _SENTENCE_END.split(text) if p.strip()]
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


def _normalise(text: str) -> str:
    text = text.translate(_DASHES).lower()
    for pattern, repl in _SYNONYMS:
        text = re.sub(pattern, f" {repl} ", text)
    return text


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es",
                   "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_ANTONYMS = _antonym_table()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z'-]*|n't", _normalise(text))


def _content(text: str) -> set[str]:
    words = set()
    for w in _words(text):
        for part in w.split("-"):
            if part and part not in _STOP and part not in _NEGATIONS and len(part) > 1:
                words.add(_stem(part))
    return words


def _quantities(text: str) -> set[tuple[str, str]]:
    """(number, unit) pairs; a range yields both ends, a bare number an empty unit."""
    found: set[tuple[str, str]] = set()
    norm = _normalise(text).replace(" perday ", " ")
    for m in _NUMBER_UNIT.finditer(norm):
        unit = (m.group(3) or "").lower().rstrip("s") if m.group(3) else ""
        unit = {"percent": "%"}.get(unit, unit)
        for n in (m.group(1), m.group(2)):
            if n is not None:
                found.add((str(float(n)), unit))
    return found


def _negations(text: str) -> set[str]:
    return {w for w in _words(text) if w in _NEGATIONS or w.endswith("n't")}


def supports(
    sentence: str,
    passage: str,
    similarity: Similarity | None = None,
    settings: CheckSettings | None = None,
) -> tuple[bool, float, str]:
    """Whether ``passage`` supports ``sentence``: (verdict, score 0..1, reason if not)."""
    s = settings or _DEFAULTS
    if not passage.strip():
        return False, 0.0, "no cited passage"
    sent_q, pass_q = _quantities(sentence), _quantities(passage)
    pass_numbers = {n for n, _ in pass_q}
    for number, unit in sorted(sent_q):
        if (number, unit) in pass_q or (not unit and number in pass_numbers):
            continue
        if unit and (number, "") in pass_q and any(u == unit for _, u in pass_q):
            continue  # "0.5 to 1 mg/kg": the unit follows the range's second number
        shown = number.removesuffix(".0") + (f" {unit}" if unit else "")
        return False, 0.0, f"number {shown} is not in the cited passage"
    extra_neg = _negations(sentence) - _negations(passage)
    if extra_neg:
        return False, 0.0, f"negation '{sorted(extra_neg)[0]}' is not in the cited passage"
    words, pwords = _content(sentence), _content(passage)
    for w in words:
        opposite = _ANTONYMS.get(w, set())
        if w not in pwords and opposite & pwords:
            return False, 0.0, f"'{w}' contradicts '{sorted(opposite & pwords)[0]}' in the passage"
    if not words:
        return True, 1.0, ""
    coverage = len(words & pwords) / len(words)
    if _negations(passage) - _negations(sentence) and coverage >= 0.9:
        return False, coverage, "the cited passage negates what the sentence states"
    if (
        coverage < s.coverage_min
        and similarity is not None
        and coverage >= s.paraphrase_coverage_min
        and max(similarity(sentence, p) for p in _SENTENCE_END.split(passage) if p.strip())
        >= s.similarity_min
    ):
        return True, coverage, ""
    if coverage < s.coverage_min:
        missing = ", ".join(sorted(words - pwords)[:4])
        return False, coverage, f"not in the cited passage: {missing}"
    return True, coverage, ""


def check_answer(
    answer: str,
    citations: Mapping[int, str],
    abstained: bool = False,
    similarity: Similarity | None = None,
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
            sentence, " ".join(citations[m] for m in known), similarity
        )
        per_marker: dict[int, bool] = {}
        for m in markers:
            if m not in citations:
                per_marker[m] = False
                continue
            alone = supports(sentence, citations[m], similarity)[0]
            others = [citations[o] for o in known if o != m]
            needed = (
                ok and bool(others) and not supports(sentence, " ".join(others), similarity)[0]
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
