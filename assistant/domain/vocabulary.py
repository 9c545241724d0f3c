"""A corpus's vocabulary: its domain packs compiled for matching.

Variants are rewritten to one canonical term before matching, so two spellings of one drug
match each other. This is the answerer's and the quiz's vocabulary; the citation checker keeps
its own (verify/), which fails closed on synonyms it does not know.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from assistant.core.errors import CorpusError
from assistant.domain.cues import Cue, compile_cues
from assistant.domain.matching import Alternation
from assistant.domain.pack import (
    ContextRewrite,
    DomainPack,
    Term,
    general_paths,
    hash_of,
    pack_paths,
    packs_hash,
    read_pack,
)
from assistant.domain.rewrites import rewrite_pattern, rewrite_words
from assistant.text.drugs import drug_class as drug_class_by_stem
from assistant.text.frequency import COMMON_WORD, zipf
from assistant.text.tokens import STOPWORDS, TOKEN, stem

# Units: an all-capitals abbreviation spelled like one ("MG", "ML") is matched in capitals only.
UNITS = frozenset(
    ["mg", "g", "kg", "mcg", "ug", "ml", "l", "dl", "mmol", "iu", "mm", "cm", "m", "h", "hr", "min"]
)
# ... as is one spelled like a common English word ("AM", "ALL", "US"): text/frequency.py.
_BETWEEN = r"(?:\s+|\s*[-\u2010\u2011]\s*)"


def _ambiguous(abbreviation: str) -> bool:
    low = abbreviation.lower()
    return low in UNITS or zipf(low) >= COMMON_WORD


def _word_pattern(word: str, last: bool) -> str:
    out = re.escape(word)
    # British and American spellings: -ise/-ize, -our/-or, ae/e, oe/e.
    out = re.sub(r"i[sz](?=e|ing|ation|ed)", "i[sz]", out)
    out = re.sub(r"our$", "ou?r", out)
    out = re.sub(r"(?<=[a-z])ae(?=[a-z])|^ae", "a?e", out)
    out = re.sub(r"(?<=[a-z])oe(?=[a-z])|^oe", "o?e", out)
    if last and word.isalpha():
        if re.search(r"[^aeiou]y$", word):
            out = out[:-1] + "(?:y|ies)"
        elif word.endswith("sis"):
            out = out[:-3] + "s[ie]s"
        elif word.endswith(("s", "x", "sh", "ch")):
            out += "(?:es)?"
        else:
            out += "s?"
    return out


def phrase_pattern(variant: str) -> str:
    """The regular expression of one variant (see the module docstring of domain/pack.py)."""
    if variant.startswith("re:"):
        return variant[3:]
    words = [w for w in re.split(r"[\s\-\u2010\u2011]+", variant.strip()) if w]
    pattern = _BETWEEN.join(_word_pattern(w, i == len(words) - 1) for i, w in enumerate(words))
    if len(words) == 1 and variant.isupper() and len(variant) <= 4 and _ambiguous(variant):
        return f"(?-i:{pattern})"
    return pattern


@dataclass
class Vocabulary:
    """The merged packs of one corpus, compiled."""

    terms_by_id: dict[str, Term]
    abbreviations: dict[str, str]
    subject_name: str = "the indexed sources"
    title: str | None = None
    examples: list[str] = field(default_factory=list)
    subject_words: frozenset[str] = frozenset()
    subject_nouns: list[str] = field(default_factory=list)
    question_words: frozenset[str] = frozenset()
    topics: dict[str, list[str]] = field(default_factory=dict)
    descriptors: list[tuple[str, list[str]]] = field(default_factory=list)
    cue_specs: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    rewrites: dict[str, str] = field(default_factory=dict)  # lower-case key: any case
    rewrites_exact: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-case name → its kind ("drug")
    digest: str = ""
    # A rewrite with several readings (lower-case key → readings in order of preference).
    rewrite_choices: dict[str, list[str]] = field(default_factory=dict)
    # Readings chosen by the words around (lower-case key): domain/pack.py ContextRewrite.
    rewrites_in_context: dict[str, ContextRewrite] = field(default_factory=dict)

    def __post_init__(self) -> None:
        variants = sorted(
            (
                (t.id, phrase_pattern(v))
                for t in self.terms_by_id.values()
                for v in t.variants
            ),
            key=lambda cv: -len(cv[1]),
        )
        self._any = Alternation(variants)
        self.types = {t.id: t.type for t in self.terms_by_id.values() if t.type}
        abbrevs = sorted(self.abbreviations, key=len, reverse=True)
        self._abbrev = re.compile(
            r"\b("
            + "|".join(
                f"(?-i:{re.escape(a)})" if _ambiguous(a) else re.escape(a) for a in abbrevs
            )
            + r")\b"
            if abbrevs
            else "(?!)",
            re.IGNORECASE,
        )
        self._long_of = {a.lower(): long for a, long in self.abbreviations.items()}
        self._rewrite = rewrite_pattern(
            self.rewrites, self.rewrites_exact, self.rewrites_in_context
        )
        names = sorted(self.names, key=len, reverse=True)
        self._names = re.compile(
            r"\b(?:" + "|".join(phrase_pattern(n) for n in names) + r")\b" if names else "(?!)",
            re.IGNORECASE,
        )
        self.cues: list[Cue] = compile_cues(self.cue_specs, phrase_pattern)
        self._terms_cache: dict[tuple[str, bool], list[str]] = {}
        self._spans_cache: dict[str, list[tuple[int, int, str]]] = {}
        self._entities_cache: dict[str, list[tuple[str, str]]] = {}
        self._lock = threading.Lock()

    # --- matching --------------------------------------------------------------------------------

    def canonical_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term id) of every variant found in ``text`` (cached: passage sentences
        come back question after question)."""
        cached = self._spans_cache.get(text)
        if cached is not None:
            return cached
        out = []
        out.extend(self._any.finditer(text))
        if len(self._spans_cache) > 50_000:
            self._spans_cache.clear()
        self._spans_cache[text] = out
        return out

    def canonicalize(self, text: str) -> str:
        """``text`` with every known variant replaced by its term id."""
        return self._any.sub(lambda canon: f" {canon} ", text)

    def terms(self, text: str, keep_stopwords: bool = False) -> list[str]:
        """Lowercased, canonicalised, stemmed word tokens (numbers kept) for lexical matching."""
        key = (text, keep_stopwords)
        cached = self._terms_cache.get(key)
        if cached is not None:
            return cached
        out: list[str] = []
        for tok in TOKEN.findall(self.canonicalize(text).lower()):
            if not keep_stopwords and (tok in STOPWORDS or (len(tok) == 1 and not tok.isdigit())):
                continue
            out.append(tok if tok in self.terms_by_id or tok[0].isdigit() else stem(tok))
        if len(self._terms_cache) > 50_000:
            self._terms_cache.clear()
        self._terms_cache[key] = out
        return out

    def entities(self, text: str) -> list[tuple[str, str]]:
        """(type, term id or name) of each typed term and named thing (a drug a general pack
        knows by name) in ``text``, in order, without repeats."""
        cached = self._entities_cache.get(text)
        if cached is not None:
            return cached
        spans = [(s, e, t) for s, e, t in self.canonical_spans(text) if t in self.types]
        found: list[tuple[int, str, str]] = [(s, self.types[t], t) for s, _, t in spans]
        taken = [(s, e) for s, e, _ in spans]
        for m in self._names.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                name = " ".join(m.group(0).lower().split())
                kind = self.names.get(name) or self.names.get(name.rstrip("s"), "drug")
                found.append((m.start(), kind, name))
        out: list[tuple[str, str]] = []
        for _, kind, ident in sorted(found):
            if (kind, ident) not in out:
                out.append((kind, ident))
        if len(self._entities_cache) > 50_000:
            self._entities_cache.clear()
        self._entities_cache[text] = out
        return out

    def display(self, term: str) -> str:
        t = self.terms_by_id.get(term)
        return (t.display if t and t.display else None) or term

    def class_names(self, cls: str) -> list[str]:
        """The words a text may use for the class ``cls``: its display name, then its
        variants ("corticosteroids", "corticosteroid", "glucocorticoid", "steroid")."""
        term = self.terms_by_id.get(cls)
        return [self.display(cls), *(term.variants if term else [])]

    def drug_class(self, term: str) -> str | None:
        """The class a pack gives the drug; else the class its name shows by its INN stem
        ("methylprednisolone": corticosteroid), so a corpus without a pack still ties a drug
        to the class a question names ("dose of steroids")."""
        t = self.terms_by_id.get(term)
        if t and t.drug_class:
            return t.drug_class
        by_stem = drug_class_by_stem(term.split()[-1]) if term.strip() else None
        if not by_stem:
            return None
        # The class as the vocabulary names it ("steroids" and "corticosteroids" are one term).
        named = [e for kind, e in self.entities(by_stem) if kind == "drug"]
        return named[0] if named else by_stem

    def expand_abbreviations(self, text: str) -> str:
        """``text`` with known abbreviations followed by their long form (for dense retrieval)."""
        return self._abbrev.sub(
            lambda m: f"{m.group(0)} ({self._long_of[m.group(0).lower()]})", text
        )

    def rewrite(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """``text`` with shorthand and brand names written as texts write them, and the
        (typed, read as) pairs changed: "w/ Tylenol" → "with acetaminophen"."""
        return rewrite_words(
            self._rewrite, text, self.rewrites, self.rewrites_exact, self.rewrites_in_context
        )

    def choosing_rewrites(self, passages: Mapping[str, int]) -> Vocabulary:
        """This vocabulary with each rewrite of several readings read as the one the corpus
        uses most (``passages``: lower-cased word → passages holding it): a clipped drug name
        is the drug the text uses, not another of the same stem it names once in passing or
        never; none present, or a tie, keeps the first."""
        chosen = dict(self.rewrites)
        for key, readings in self.rewrite_choices.items():
            used = [min(passages.get(w, 0) for w in r.lower().split()) for r in readings]
            chosen[key] = readings[used.index(max(used))]
        if chosen == self.rewrites:
            return self
        return replace(self, rewrites=chosen)

    def with_abbreviations(self, learned: dict[str, str]) -> Vocabulary:
        """This vocabulary plus abbreviations a corpus defines ("long form (SHORT)"), each a
        term whose variants are its short and long forms, unless a pack already knows it."""
        known = {a.lower() for a in self.abbreviations}
        terms = dict(self.terms_by_id)
        added: dict[str, str] = {}
        for short, long in learned.items():
            if short.lower() in known or self.canonical_spans(short) or self.canonical_spans(long):
                continue
            tid = re.sub(r"[^a-z0-9]", "", short.lower())
            if not tid or tid in terms or tid in STOPWORDS:
                continue
            # An abbreviation of a name a general pack knows ("HCQ") is of that name's kind.
            kind = self.names.get(" ".join(long.lower().split()))
            terms[tid] = Term(id=tid, variants=[short, long], type=kind)
            added[short] = long
        if not added:
            return self
        return Vocabulary(
            terms_by_id=terms,
            abbreviations=self.abbreviations | added,
            subject_name=self.subject_name,
            title=self.title,
            examples=self.examples,
            subject_words=self.subject_words,
            subject_nouns=self.subject_nouns,
            question_words=self.question_words,
            topics=self.topics,
            descriptors=self.descriptors,
            cue_specs=self.cue_specs,
            rewrites=self.rewrites,
            rewrites_exact=self.rewrites_exact,
            names=self.names,
            digest=self.digest,
            rewrite_choices=self.rewrite_choices,
            rewrites_in_context=self.rewrites_in_context,
        )

    def variant_patterns(self, term: str) -> list[str]:
        t = self.terms_by_id.get(term)
        return [phrase_pattern(v) for v in t.variants] if t else [re.escape(term)]


def merge(packs: list[tuple[Path, DomainPack]], digest: str = "") -> Vocabulary:
    """One vocabulary from packs in order (a later pack's term of the same id replaces it)."""
    terms: dict[str, Term] = {}
    abbreviations: dict[str, str] = {}
    topics: dict[str, list[str]] = {}
    descriptors: dict[str, list[str]] = {}
    cues: dict[str, tuple[list[str], list[str]]] = {}
    question_words: set[str] = set()
    subject_words: set[str] = set()
    rewrites: dict[str, str] = {}
    rewrite_choices: dict[str, list[str]] = {}
    rewrites_exact: dict[str, str] = {}
    in_context: dict[str, ContextRewrite] = {}
    names: dict[str, str] = {}
    nouns: list[str] = []
    name, title = "the indexed sources", None
    examples: list[str] = []
    for _, pack in packs:
        terms.update({t.id: t for t in pack.terms})
        abbreviations.update(pack.abbreviations)
        for topic in pack.topics:
            topics.setdefault(topic.name, []).extend(topic.words)
        for d in pack.descriptors:
            descriptors[d.word] = [d.word, *d.accept]
        for c in pack.cues:
            asks, says = cues.setdefault(c.kind, ([], []))
            asks.extend(c.asks)
            says.extend(c.says)
        question_words.update(pack.question_words)
        for k, v in pack.rewrites.items():
            readings = [v] if isinstance(v, str) else v
            rewrites[k.lower()] = readings[0]
            rewrite_choices.pop(k.lower(), None)
            if len(readings) > 1:
                rewrite_choices[k.lower()] = readings
        rewrites_exact.update(pack.rewrites_exact)
        in_context.update({k.lower(): v for k, v in pack.rewrites_in_context.items()})
        if pack.kind:
            values = [
                *(r for v in pack.rewrites.values() for r in ([v] if isinstance(v, str) else v)),
                *pack.rewrites_exact.values(),
            ]
            names.update({" ".join(v.lower().split()): pack.kind for v in values})
        if pack.subject is not None:
            name = pack.subject.name
            title = pack.subject.title or title
            examples = pack.subject.examples or examples
            subject_words.update(pack.subject.words)
            nouns.extend(pack.subject.nouns)
    for t in terms.values():
        if t.drug_class and t.drug_class not in terms:
            where = next((str(p) for p, k in packs if t in k.terms), "a domain pack")
            raise CorpusError(
                f"domain pack {where}: terms ({t.id}).class: {t.drug_class!r} is not a term id"
            )
    vocab = Vocabulary(
        terms_by_id=terms,
        abbreviations=abbreviations,
        subject_name=name,
        title=title,
        examples=examples,
        topics=topics,
        descriptors=list(descriptors.items()),
        cue_specs=[(k, a, s) for k, (a, s) in cues.items()],
        subject_nouns=nouns,
        rewrites=rewrites,
        rewrites_exact=rewrites_exact,
        names=names,
        digest=digest,
        rewrite_choices=rewrite_choices,
        rewrites_in_context=in_context,
    )
    # Word lists are compared as stems after canonicalisation ("patients" → "patient").
    vocab.question_words = frozenset(t for w in question_words for t in vocab.terms(w))
    vocab.subject_words = frozenset(t for w in subject_words for t in vocab.terms(w))
    return vocab


@lru_cache(maxsize=32)
def _load(paths: tuple[Path, ...], digest: str) -> Vocabulary:
    return merge([(p, read_pack(p)) for p in paths], digest)


def vocabulary_for(corpus: Path) -> Vocabulary:
    """The vocabulary of the corpus folder ``corpus`` (cached until a pack changes)."""
    return _load(tuple(pack_paths(corpus)), packs_hash(corpus))


def general_vocabulary() -> Vocabulary:
    """The general pack alone: for text that belongs to no corpus."""
    paths = general_paths()
    return _load(tuple(paths), hash_of(paths))
