"""What a claim commits to beyond its words: its key terms, how they are related, how strongly.

- **Key terms**: abbreviations, drug names, populations and body sites, and words rare in
  English (domain terms). Every one must be stated by the cited passage.
- **Relations**: a key term must stand with the others as the passage has it. When the passage
  names the claim's term B only in clauses that pair it with another term of A's kind, and A
  elsewhere, the claim has swapped A in for that term ("drug A helps subtype Y" where the
  passage says it of subtype X).
- **Measured or given**: a term the passage names as a measured value ("serum X levels") is not
  the same claim as the term given as a treatment, and the other way round.
- **Strength**: a hedge or quantifier may be kept or weakened, never raised: hedged ("may",
  "some", "often", "commonly") < plain or "most"/"usually"/"should" < "all"/"always"/"must".
  A clause's strength is its weakest qualifier: "frequently require" is hedged.

The word lists are the checker's own data (verify/equivalents.toml).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.text.drugs import looks_like_drug
from assistant.text.frequency import RARE_TERM, zipf
from assistant.text.polarity import negations, neutralise, opposites
from assistant.text.quantities import spell_numbers
from assistant.text.sentences import clauses, split_sentences
from assistant.text.tokens import STOPWORDS, stem
from assistant.verify.vocabulary import EQUIVALENTS, Equivalents
from assistant.verify.wording import Said

HEDGED, PLAIN, UNIVERSAL = 1, 2, 3
# A clause of a claim must have at least this share of its content words in the passage.
CLAUSE_COVERAGE = 0.5
# ... or this share, when it is close in meaning (embedding similarity) to the clause it matches.
PARAPHRASE_COVERAGE = 0.3
# A claim whose matching clause is negated, sharing this much of its words, drops the negation.
NEGATED_OVERLAP = 0.6
# Share of a negated clause's words a plain claim must hold to be stating what it denies.
DENIED_COVERED = 0.8
_STOP = STOPWORDS
# List items flattened into one paragraph (" - ") are sentences of their own.
_ITEM = re.compile(r"\s+-\s+")
_WORD = re.compile(r"[A-Za-z0-9][\w-]*")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                          "\u2014": "-", "\u2212": "-"})


@dataclass(frozen=True)
class Lists:
    hedged: frozenset[str]
    most: frozenset[str]
    universal: frozenset[str]
    key_words: frozenset[str]  # populations and body sites
    measures: frozenset[str]  # "levels", "titre": what makes a term a measured value
    gives: frozenset[str]  # "given", "prescribed": what makes it a treatment


@lru_cache(maxsize=1)
def lists() -> Lists:
    data = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    s = data["strength"]
    return Lists(
        frozenset(s["hedged"]), frozenset(s["most"]), frozenset(s["universal"]),
        frozenset(data["key_words"]), frozenset(data["measures"]), frozenset(data["gives"]),
    )  # fmt: skip


def kind_of(word: str) -> str | None:
    """The kind of key term ``word`` is, or None for an ordinary word (``word`` as folded:
    lower case, defined abbreviations as ``abbr...`` tokens)."""
    if word.startswith("abbr") or (re.fullmatch(r"[a-z]*\d+[a-z\d]*", word) and len(word) > 2):
        return "name"
    if looks_like_drug(word):
        return "drug"
    if word in lists().key_words:
        return "group"
    if len(word) > 3 and word.isalpha() and max(
        zipf(form) for form in _forms(word)
    ) < RARE_TERM:
        return "term"
    return None


def _forms(word: str) -> set[str]:
    """``word`` and its base forms: a word is as rare as its commonest form ("relapses" is
    no domain term when "relapse" is common), so a claim rewording a form is not held to a
    term its passage does not commit to."""
    out = {word}
    for ending in ("s", "es", "ed", "d", "ing"):
        if word.endswith(ending) and len(word) - len(ending) > 3:
            out.add(word[: -len(ending)])
    return out


def keys_of(words: list[str], raw: str) -> dict[str, str]:
    """Key terms (folded word → kind) of a text whose folded words are ``words``; an
    abbreviation in capitals in ``raw`` ("ABC", "CD20") is a name too."""
    # Abbreviations: two capitals or more ("ABC", "CD20", "IgG", "MxA").
    caps = {w.lower() for w in re.findall(r"\b[A-Za-z0-9]{2,10}\b", raw)
            if sum(c.isupper() for c in w) >= 2}
    out: dict[str, str] = {}
    for whole in words:
        for w in {whole, *whole.split("-")}:
            kind = "name" if w in caps and not w.isdigit() else kind_of(w)
            if kind and w:
                out[w] = kind
    return out


def strength(words: list[str]) -> int:
    """HEDGED, PLAIN or UNIVERSAL: the weakest qualifier the words hold."""
    ls = lists()
    joined = " " + " ".join(words) + " "
    if any(w in ls.hedged for w in words) or " tend to " in joined or " in some " in joined:
        return HEDGED
    if any(w in ls.most for w in words):
        return PLAIN  # "most", "usually", "almost always"
    if any(w in ls.universal for w in words):
        return UNIVERSAL
    return PLAIN


def measured(words: list[str], key: str) -> bool:
    """Whether ``key`` is named as a measured value in ``words`` ("serum X levels"), not as
    something given ("X is given", "given X")."""
    ls = lists()
    for i, w in enumerate(words):
        if w != key:
            continue
        near = words[max(0, i - 2) : i] + words[i + 1 : i + 5]
        if any(n in ls.gives for n in near):
            return False
        if any(n in ls.measures for n in near):
            return True
    return False


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def fold(text: str, eq: Equivalents) -> list[str]:
    """``text`` as the checker compares it: numbers in words as digits, negated facts read as
    facts, listed spellings and defined abbreviations as one token, lower case."""
    raw = spell_numbers(text.translate(_DASHES))
    words = re.findall(r"[a-z0-9][a-z0-9'-]*|n't", eq.apply(neutralise(raw)).lower())
    # A hyphenated word is also its parts ("anti-TIF1-gamma" names TIF1).
    return [p for w in words for p in ([w, *w.split("-")] if "-" in w else [w]) if p]


def commitments(
    claim: str,
    passage: str,
    eq: Equivalents,
    similarity: Callable[[str, str], float] | None = None,
    similarity_min: float = 0.8,
) -> str | None:
    """Why ``passage`` does not back what ``claim`` commits to (None when it does): a key term
    missing or not where the passage says it, a clause the passage does not state, a measured
    value read as given (or the reverse), an opposite or a stronger qualifier than the
    passage's matching clause."""
    words = fold(claim, eq)
    keys = keys_of(words, claim)
    raw_sentences = [p for s in split_sentences(passage) for p in _ITEM.split(s) if p.strip()]
    sentences = [fold(s, eq) for s in raw_sentences]
    sent_stems = [{stem(w) for w in s} for s in sentences]
    have = set().union(*sent_stems) if sent_stems else set()
    said_all = Said(have)
    for k in keys:
        if stem(k) not in have:
            return f"'{_shown(k)}' is not in the cited passage"
    defined = {short.upper(): long for short, long in eq.abbreviations}
    for short, long_form in eq.abbreviations:
        # "blood pressure (XY)": a defined long form followed by another abbreviation (not
        # one whose own long form ends there too: "juvenile dermatomyositis (JDM)").
        m = re.search(re.escape(long_form) + r"\s*\(\s*([A-Za-z][\w-]{1,9})\s*\)", claim, re.I)
        if m is None or m.group(1).upper() == short.upper():
            continue
        other = defined.get(m.group(1).upper(), "")
        if not (other and claim[: m.start(1) - 1].rstrip(" (").lower().endswith(other.lower())):
            return f"'{m.group(1)}' is not the abbreviation of '{long_form}'"
    raw_parts = [(i, c) for i, s in enumerate(raw_sentences) for c in clauses(s)]
    parts = [(i, fold(c, eq)) for i, c in raw_parts]
    if not parts:
        return "the cited passage has no sentence"
    part_said = [Said(stem(w) for w in p) for _, p in parts]
    # A claim reordered may carry a passage clause's negation or term in another clause.
    whole = fold(claim, eq)
    ls = lists()
    for piece in clauses(claim):
        cw = fold(piece, eq)
        mine = {stem(w) for w in cw if w not in _STOP and not w.isdigit()}
        if not mine:
            continue
        # The passage clause that says most of it, the shortest on a tie (itself, if quoted).
        n = max(range(len(parts)), key=lambda j: (
            len(part_said[j].covered(mine)), -len(parts[j][1])))
        i, best = parts[n]
        theirs = {stem(w) for w in best}
        covered = len(said_all.covered(mine))
        if covered < CLAUSE_COVERAGE * len(mine) and not (
            # A paraphrase in other words, close in meaning to the clause it matches or to
            # its whole sentence (a claim may join what the passage says in two clauses).
            similarity is not None
            and covered >= PARAPHRASE_COVERAGE * len(mine)
            and max(similarity(piece, raw_parts[n][1]), similarity(piece, raw_sentences[i]))
            >= similarity_min
        ):
            return f"the cited passage does not state '{piece.strip()}'"
        # The clause's numbers stand in the sentence that says what it says (a key term put
        # with another's words is a swap, below).
        numbers = {w for w in cw if w[:1].isdigit()}
        for k in numbers:
            if stem(k) not in sent_stems[i]:
                return f"'{_shown(k)}' is not where the cited passage says this"
        qualifiers = ls.hedged | ls.most | ls.universal
        for w in sorted(mine - theirs):
            # Hedges and quantifiers are weighed on their scale below, not as opposites.
            if opposites(w) & theirs and w not in qualifiers:
                other = sorted(opposites(w) & theirs)[0]
                return f"'{w}' contradicts '{other}' where the passage says it"
        # A negation is a negation whichever word says it ("no benefit", "did not help"),
        # and a reordered claim may say it in another clause: the claim drops one when it
        # says fewer than the passage clause it matches.
        if _negated(best) > _negated(whole) and (
            len(part_said[n].covered(mine)) >= NEGATED_OVERLAP * len(mine)
        ):
            return "the cited passage negates what the sentence states"
        if negations(cw) and not negations(sentences[i]):
            return "the cited passage does not negate what the sentence negates"
        denied = None if negations(cw) else _denied(mine, parts, qualifiers)
        if denied:
            return denied
        moved = _moved_group(cw, best, piece, whole) or _rival(cw, piece, best, raw_parts, i, eq)
        if moved:
            return moved
        raised = _raised(cw, best)
        if raised:
            return raised
        measured_there = [best[j - 1] for j, w in enumerate(best) if j and w in ls.measures]
        for k in dict.fromkeys([*keys_of(cw, piece), *measured_there]):
            # A population or body site is never a lab read as a drug ("monitored in
            # older patients" does not measure "older").
            if k in ls.measures or k in STOPWORDS or k not in cw or k in ls.key_words:
                continue
            there = measured(best, k) if stem(k) in theirs else None
            if there is not None and there != measured(cw, k):
                said = "a measured value" if there else "given, not measured"
                return f"'{_shown(k)}' is {said} in the cited passage"
    clause_keys = [keys_of(p, raw) for (_, p), (_, raw) in zip(parts, raw_parts, strict=True)]
    return _swapped(keys, {k: stem(k) for k in keys}, clause_keys, sentences)


def _negated(words: list[str]) -> int:
    return sum(1 for w in words if negations([w]))


def _denied(
    mine: set[str], parts: list[tuple[int, list[str]]], qualifiers: frozenset[str]
) -> str | None:
    """A plain claim that states the words of a negated clause of the passage: the claim's
    best clause may be another one ("X is safe in A, and does not increase B" against
    "X in A increases B"), so every negated clause is weighed."""
    for _, words in parts:
        if not negations(words):
            continue
        said = {stem(w) for w in words
                if w not in _STOP and w not in qualifiers and not negations([w])
                and not w.isdigit()}
        if len(said) >= 2 and len(said & mine) >= DENIED_COVERED * len(said):
            return "the cited passage negates what the sentence states"
    return None


def _moved_group(
    claim: list[str], source: list[str], raw: str, whole: list[str]
) -> str | None:
    """A key term moved: a population, body site or name of the source clause is gone from
    the whole claim (``whole``: a reordered claim may name it in another clause) while
    another is said in this clause more often than the source says it ("women ... as often
    as men" made "men ... as often as men")."""
    kinds = keys_of(claim, raw)
    kind = {stem(w): k for w, k in kinds.items()}
    kind.update({stem(w): k for w in source if (k := kinds.get(w) or kind_of(w))})
    mine = Counter(stem(w) for w in claim if w in kinds)
    theirs = Counter(stem(w) for w in source if w in kinds or kind_of(w))
    everywhere = {stem(w) for w in whole}
    gone = [g for g in theirs if g not in mine and g not in everywhere]
    for g in mine:
        if mine[g] > theirs[g]:
            same = [o for o in gone if kind.get(o) == kind.get(g)]
            if same:
                return f"the cited passage says this of {same[0]}, not {g}"
    return None


SUBORDINATORS = frozenset(
    {"when", "if", "unless", "because", "while", "although", "where", "once", "after",
     "before", "until", "since"}
)


def _raised(claim: list[str], source: list[str]) -> str | None:
    """Why ``claim`` states more strongly than ``source`` (None when it does not): a universal
    word the source lacks ("all", "must"), a hedge of the source dropped ("often" gone), or a
    hedged source stated plainly."""
    ls = lists()
    added = {w for w in claim if w in ls.universal} - set(source)
    if added and strength(source) < UNIVERSAL:
        return f"'{sorted(added)[0]}' states more strongly than the cited passage"
    # A subordinate clause ("when X fails") states a condition, not a finding whose
    # strength could be raised; its main clause is weighed on its own.
    if claim and claim[0] in SUBORDINATORS:
        return None
    hedges_claim = [w for w in claim if w in ls.hedged]
    # A hedge of the source binds the word it qualifies ("often indicated", "may be
    # sufficient"): when the claim keeps that word, it must keep a hedge too.
    kept = {stem(w) for w in claim}
    qualifiers = ls.hedged | ls.most | ls.universal
    bound = []
    for i, w in enumerate(source):
        if w not in ls.hedged:
            continue
        after = [v for v in source[i + 1 :] if v not in STOPWORDS and v not in qualifiers]
        if after and stem(after[0]) in kept:
            bound.append(w)
    if len(hedges_claim) < len(bound) and not {w for w in claim if w in ls.most} - set(source):
        gone = sorted(set(bound) - set(hedges_claim)) or bound
        return f"the cited passage's '{gone[0]}' is dropped: it states more strongly"
    if strength(claim) > strength(source):
        return "it states more strongly than the cited passage (a hedge or quantifier raised)"
    return None


def _rival(
    claim: list[str],
    raw: str,
    best: list[str],
    raw_parts: list[tuple[int, str]],
    sentence: int,
    eq: Equivalents,
) -> str | None:
    """A key term of the claim that the sentence saying the rest of it does not name, while
    that sentence names another term of the same kind instead ("the diagnosis of X is
    confirmed by ..." where the passage says it of Y)."""
    mine = keys_of(claim, raw)
    here = [keys_of(fold(c, eq), c) for i, c in raw_parts if i == sentence]
    there = {stem(w): k for ks in here for w, k in ks.items()}
    for word, kind in mine.items():
        if stem(word) in there:
            continue
        rivals = sorted(w for w, k in there.items() if k == kind and w not in map(stem, mine))
        if rivals:
            return f"the cited passage says this of '{rivals[0]}', not of '{_shown(word)}'"
    return None


def _swapped(
    keys: dict[str, str],
    stems: dict[str, str],
    clause_keys: list[dict[str, str]],
    sentences: list[list[str]],
) -> str | None:
    """A key term put where the passage has another of its kind: no sentence of the passage
    that names B names A, and a clause naming B names another term of A's kind."""
    clause_stems = [{stem(w): kind for w, kind in ck.items()} for ck in clause_keys]
    sentence_stems = [{stem(w) for w in s} for s in sentences]
    mine = set(stems.values())
    for a, kind_a in keys.items():
        for b in keys:
            if a == b:
                continue
            with_b = [cs for cs in clause_stems if stems[b] in cs]
            if not with_b or any(stems[a] in ss for ss in sentence_stems if stems[b] in ss):
                continue
            rivals = {w for cs in with_b for w, kind in cs.items() if kind == kind_a} - mine
            if rivals:
                return (f"the cited passage says '{_shown(b)}' of '{sorted(rivals)[0]}', "
                        f"not of '{_shown(a)}'")
    return None


def _shown(word: str) -> str:
    return word.removeprefix("abbr").upper() if word.startswith("abbr") else word
