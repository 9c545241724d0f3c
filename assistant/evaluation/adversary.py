"""The adversarial generator: the errors language models make, written into real answers.

For each question, the answer's cited passage sentences are written out faithfully, in honest
light paraphrase, and distorted in the ways models distort: invented, negated, a number changed,
a key term swapped for another of its kind from the corpus, a population moved, a quantifier
raised, a hedge dropped, a measured value read as a treatment, a wrong citation marker. Every
written sentence goes through the citation checker exactly as a generated one does
(verify/check.py); the tally says how many of each kind it removed and how many faithful
sentences it kept. Used by ``imnm eval --adversary`` and the LLM tests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from assistant.text.sentences import split_sentences
from assistant.verify.check import Similarity, check_answer
from assistant.verify.claims import keys_of, lists
from assistant.verify.vocabulary import Equivalents

ADVERSARIAL = (
    "invented", "negated", "number-changed", "entity-swap", "subgroup-move",
    "quantifier-raised", "hedge-dropped", "lab-as-drug", "wrong-marker",
)  # fmt: skip
FAITHFUL = ("faithful", "paraphrase", "weakened")
INVENTED = "It is cured within two weeks by high-dose vitamin C infusions"
_AUX = re.compile(r"\b(is|are|was|were|can|may|should|will|has|have|does|do)\b")
_GROUPS = {"children": "adults", "adults": "children", "adult": "child", "child": "adult",
           "women": "men", "men": "women", "juvenile": "adult", "elderly": "young",
           "older": "younger", "younger": "older", "pregnant": "elderly"}  # fmt: skip
_RAISE = [(r"\bmay be\b", "must be"), (r"\bmay\b", "must"), (r"\bcan\b", "always"),
          (r"\bsome\b", "all"), (r"\bcertain\b", "all"), (r"\bmany\b", "all"),
          (r"\bseveral\b", "all"), (r"\bmost\b", "all"), (r"\boften\b", "always"),
          (r"\bfrequently\b", "always"), (r"\bcommonly\b", "always"),
          (r"\busually\b", "always"), (r"\bsometimes\b", "always"),
          (r"\btends? to\b", "always")]  # fmt: skip
_WEAKEN = [(r"\balways\b", "often"), (r"\ball\b", "most"), (r"\bmust\b", "should"),
           (r"\bis\b", "is often"), (r"\bare\b", "are often")]  # fmt: skip
_MEASURED = re.compile(
    r"\b((?:serum\s+)?[\w-]+(?:\s+[\w-]+)?)\s+(levels?|concentrations?|titres?)\s+"
    r"(?:are|is|should be|may be)?\s*(measured|checked|monitored|tested)", re.I,
)


def distort(sentence: str, rivals: list[str]) -> list[tuple[str, str]]:
    """(class, text) of each distortion ``sentence`` admits; ``rivals``: key terms of the
    corpus, for swaps."""
    s = sentence.rstrip(" .")
    out = [("invented", INVENTED), ("invented", f"{s}, and it is cured by vitamin C")]
    aux = _AUX.search(s)
    neg = f"{s[:aux.end()]} not{s[aux.end():]}" if aux else f"It is not the case that {s}"
    if not re.search(r"\b(not|no|never|without|cannot)\b", s, re.I):
        out.append(("negated", neg))
    num = re.search(r"\d+(?:\.\d+)?", s)
    if num:
        changed = float(num.group()) * 10 + 3
        out.append(("number-changed", f"{s[:num.start()]}{changed:g}{s[num.end():]}"))
    words = re.findall(r"[\w-]+", s)
    keys = keys_of([w.lower() for w in words], s)
    mine = {k.lower() for k in keys}
    for word in words:
        if word.lower() in keys and keys[word.lower()] == "name":
            other = next((r for r in rivals if r.lower() not in mine), None)
            if other:
                out.append(("entity-swap", re.sub(rf"\b{re.escape(word)}\b", other, s, count=1)))
                break
    for word in words:
        if word.lower() in _GROUPS:
            moved = re.sub(rf"\b{re.escape(word)}\b", _GROUPS[word.lower()], s, count=1)
            out.append(("subgroup-move", moved))
            break
    for pattern, stronger in _RAISE:
        if re.search(pattern, s, re.I):
            out.append(("quantifier-raised", re.sub(pattern, stronger, s, count=1, flags=re.I)))
            break
    hedges = [h for h in lists().hedged if re.search(rf"\b{h}\b", s, re.I) and h not in (
        "can", "common", "rare", "rarely", "few", "many", "uncommon", "infrequent",
        "infrequently", "seldom", "option", "optional", "selected", "consideration")]
    if hedges:
        dropped = re.sub(rf"\s*\b{hedges[0]}\b", "", s, count=1, flags=re.I)
        dropped = re.sub(r"\btends? to\b", "", dropped)
        out.append(("hedge-dropped", " ".join(dropped.split())))
    m = _MEASURED.search(s)
    if m:
        out.append(("lab-as-drug", f"{s[:m.start()]}{m.group(1)} is given{s[m.end():]}"))
    return [(kind, text.strip()) for kind, text in out if text.strip() and text != s]


def faithful(sentence: str) -> list[tuple[str, str]]:
    """The sentence as written, lightly paraphrased, and weakened: all true to the source."""
    s = sentence.rstrip(" .")
    out = [("faithful", s)]
    para = re.sub(r"\s*\([^)]{1,40}\)", "", s)  # parenthetical abbreviations dropped
    para = re.sub(r"\bref\.\s*\d+\b", "the study", para)
    if para != s:
        out.append(("paraphrase", para))
    for pattern, weaker in _WEAKEN:
        if re.search(pattern, s):
            out.append(("weakened", re.sub(pattern, weaker, s, count=1)))
            break
    return out


def tally_answer(
    passages: list[str],
    sentences: Iterable[str],
    rivals: list[str],
    similarity: Similarity | None,
    equivalents: Equivalents | None,
    counts: Counter[str],
) -> None:
    """Write each sentence's faithful and distorted forms citing its passage, check them as
    generated sentences are checked, and count what was kept and removed."""
    cited = {n: text for n, text in enumerate(passages, 1)}
    for sentence in sentences:
        n = next((m for m, t in cited.items() if sentence in t), None)
        if n is None:
            continue
        written = faithful(sentence) + distort(sentence, rivals)
        # A wrong marker: the passage that shares the fewest words with the sentence.
        words = set(sentence.lower().split())
        others = [m for m, t in cited.items() if m != n and sentence not in t]
        other = min(others, key=lambda m: len(words & set(cited[m].lower().split())),
                    default=None)
        if other is not None:
            written.append(("wrong-marker", sentence))
        for kind, text in written:
            marker = other if kind == "wrong-marker" else n
            check = check_answer(f"{text} [{marker}].", cited, similarity=similarity,
                                 equivalents=equivalents)  # fmt: skip
            kept = bool(check.sentences) and check.sentences[0].supported and all(
                check.sentences[0].marker_support.values()
            )
            counts[f"{kind} written"] += 1
            counts[f"{kind} {'kept' if kept else 'removed'}"] += 1


def rates(counts: Counter[str]) -> dict[str, float]:
    """Share removed of each adversarial class, share kept of each faithful class."""
    out = {}
    for kind in ADVERSARIAL:
        if counts[f"{kind} written"]:
            out[f"{kind} removed"] = counts[f"{kind} removed"] / counts[f"{kind} written"]
    for kind in FAITHFUL:
        if counts[f"{kind} written"]:
            out[f"{kind} kept"] = counts[f"{kind} kept"] / counts[f"{kind} written"]
    return out


RivalFinder = Callable[[str], list[str]]


def corpus_rivals(texts: Iterable[str]) -> list[str]:
    """Key names of a corpus (abbreviations, drug names), most frequent first."""
    found: Counter[str] = Counter()
    for text in texts:
        for sentence in split_sentences(text):
            words = re.findall(r"[\w-]+", sentence)
            keys = keys_of([w.lower() for w in words], sentence)
            found.update(w for w in words if keys.get(w.lower()) == "name")
    return [w for w, _ in found.most_common(40)]


def run_adversary(assistant: object, questions: Iterable[str]) -> Counter[str]:
    """The tally over ``questions`` answered by ``assistant`` (an answering.pipeline
    Assistant): each answer's sentences written faithfully and distorted, then checked."""
    from assistant.answering.pipeline import Assistant

    assert isinstance(assistant, Assistant)
    pipe = assistant.pipeline
    rivals = corpus_rivals(c.text for c in pipe.index.chunks)
    similarity = assistant.embedder.similarity()
    counts: Counter[str] = Counter()
    for question in questions:
        answer = assistant.ask(question, backend="extractive")
        if answer.abstained:
            continue
        counts["answers"] += 1
        passages = [h.chunk.text for h in answer.retrieved]
        sentences = [s for c in answer.citations for s in split_sentences(c.quote)]
        tally_answer(passages, sentences, rivals, similarity, pipe.equivalents, counts)
    return counts
