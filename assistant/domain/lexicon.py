"""Domain vocabulary shared by retrieval, follow-ups and grading: synonyms, abbreviations, entities.

Variants are rewritten to one canonical term before matching, so "IVIG" matches "intravenous
immunoglobulin" and "CK" matches "creatine kinase". On another corpus these rules simply never fire.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

# canonical term -> variants (regular expressions, matched case-insensitively on word boundaries)
SYNONYMS: dict[str, list[str]] = {
    "imnm": [
        r"(?:immune[- ]mediated|inflammatory|autoimmune)\s+necroti[sz]ing\s+myopath(?:y|ies)",
        r"necroti[sz]ing\s+(?:autoimmune\s+)?myopath(?:y|ies)",
        r"imnm",
        r"nam",
    ],
    "ivig": [
        r"intravenous\s+immune?\s*globulins?",
        r"intravenous\s+immunoglobulins?",
        r"immunoglobulins?",
        r"immune\s+globulins?",
        r"ivig",
        r"ivigs",
    ],
    # "muscle enzyme" names CK in this field; a bare "enzyme" (liver enzymes) does not.
    "ck": [
        r"creatine\s+(?:phospho)?kinase",
        r"\bcpk",
        r"ck",
        r"(?:blood|muscle|serum)\s+enzymes?",
    ],
    "hmgcr": [
        r"3[\u2011\u2010-]hydroxy[\u2011\u2010-]3[\u2011\u2010-]methylglutaryl[\u2011\u2010-]coa\s+reductase",
        r"hmg[\u2011\u2010-]?coa\s+reductase",
        r"hmgcr",
    ],
    "srp": [r"signal[- ]recognition\s+(?:particle|peptide)", r"srp"],
    "corticosteroid": [
        r"corticosteroids?",
        r"glucocorticoids?",
        r"steroids?",
    ],
    "mmf": [r"mycophenolate(?:\s+mofetil)?", r"mmf", r"cellcept"],
    "mtx": [r"methotrexate", r"mtx"],
    "aza": [r"azathioprine", r"aza"],
    "rituximab": [r"rituximab", r"rtx"],
    "prednisone": [r"prednisone", r"prednisolone"],
    "mri": [r"magnetic\s+resonance(?:\s+imaging)?", r"mri"],
    "prognosis": [r"prognos[ie]s", r"prognostic", r"outlook", r"outcomes?", r"predict\w*"],
    "diagnosis": [r"diagnos[ie]s", r"diagnostic", r"diagnos(?:e|ed|ing)", r"work[- ]?up"],
    "autoantibody": [
        r"auto-?antibod(?:y|ies)",
        r"antibod(?:y|ies)",
        r"serolog\w*",
        r"seropositiv\w*",
    ],
    "taper": [
        r"taper(?:ed|ing|s)?",
        r"wean(?:ed|ing)?",
        r"dose\s+(?:is\s+|be\s+)?(?:reduced|lowered|decreased)",
        r"(?:reduc|lower|decreas)\w*\s+the\s+dose",
    ],
    "extramuscular": [
        r"extra-?muscular",
        r"organs?\s+other\s+than\s+(?:the\s+)?muscles?",
        r"outside\s+(?:the\s+)?muscles?",
        r"other\s+organs?",
    ],
    "kg": [r"kilograms?", r"kg"],
    "monitor": [
        r"monitor\w*",
        r"follow(?:ed|ing)?[- ]up",
        r"track(?:ed|ing)?",
        r"check(?:ed|ing|s)?",
        r"surveillance",
    ],
    "goal": [
        r"goals?",
        r"aims?",
        r"objectives?",
        r"purposes?",
        r"(?:meant|intended|supposed)\s+to\s+(?:achieve|accomplish|do)",
    ],
    # "wide practice variation" is what the sources say where a question asks about consensus
    "consensus": [
        r"consensus",
        r"agreement",
        r"agreed",
        r"(?:wide\s+)?(?:practice\s+)?variation\s+(?:in\s+practice\s+)?exists?",
        r"practice\s+variation",
    ],
    "elevated": [r"elevated", r"raised", r"increased"],
    "irreversible": [r"irreversible", r"(?:cannot|can\s*not|can't)\s+be\s+reversed", r"permanent"],
    "disabling": [r"disabling", r"disabled", r"disability", r"disabilities", r"incapacitat\w*"],
    "prompt": [r"prompt(?:ly)?", r"without\s+delay", r"immediately", r"right\s+away", r"urgently"],
    "favor": [r"favou?r(?:ed|s)?", r"prefer(?:red|s)?", r"preferable", r"first[- ]choice"],
    "advance": [r"advances?", r"progress", r"breakthroughs?"],
    "tailor": [r"tailor(?:ed|ing)?", r"individuali[sz](?:ed|e)", r"personali[sz](?:ed|e)"],
    "relapse": [r"relapses?", r"relapsing", r"flares?", r"recurrences?"],
    "dose": [r"doses?", r"dosages?", r"dosing", r"how\s+much"],
    "physiotherapy": [
        r"physical\s+therapy",
        r"physiotherapy",
        r"exercise\s+therapy",
        r"rehabilitation",
    ],
}

# canonical entity -> its type; a follow-up naming another entity of the same type replaces it.
ENTITY_TYPES: dict[str, str] = {
    "hmgcr": "antibody",
    "srp": "antibody",
    "seronegative": "antibody",
    "ivig": "drug",
    "rituximab": "drug",
    "prednisone": "drug",
    "corticosteroid": "drug",
    "mtx": "drug",
    "aza": "drug",
    "mmf": "drug",
}

# A drug and the class it belongs to: a dose of prednisone is a dose of a corticosteroid.
DRUG_CLASS: dict[str, str] = {"prednisone": "corticosteroid"}

# How an entity is written back into a question (readable, and matched again by SYNONYMS).
DISPLAY: dict[str, str] = {
    "hmgcr": "anti-HMGCR",
    "srp": "anti-SRP",
    "seronegative": "antibody negative",
    "ivig": "intravenous immunoglobulin (IVIG)",
    "mtx": "methotrexate",
    "aza": "azathioprine",
    "mmf": "mycophenolate mofetil",
}

_VARIANTS = sorted(
    ((canon, v) for canon, vs in SYNONYMS.items() for v in vs), key=lambda cv: -len(cv[1])
)
_SYNONYM_RE = re.compile(
    "|".join(f"(?P<g{i}>\\b(?:{v})\\b)" for i, (_, v) in enumerate(_VARIANTS)), re.IGNORECASE
)
_ANTIBODY_NEGATIVE = re.compile(r"\b(?:antibody|autoantibody|sero)[- ]?negative\b", re.IGNORECASE)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "doing",
        "have",
        "has",
        "had",
        "having",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "whether",
        "than",
        "then",
        "so",
        "such",
        "can",
        "could",
        "should",
        "would",
        "may",
        "might",
        "must",
        "shall",
        "will",
        "there",
        "here",
        "about",
        "into",
        "over",
        "under",
        "again",
        "further",
        "once",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "too",
        "very",
        "just",
        "also",
        "s",
        "t",
        "don",
        "now",
        "per",
        "vs",
        "via",
        "among",
        "up",
        "down",
        "out",
        "off",
        "tell",
        "explain",
        "describe",
        "give",
        "given",
        "list",
        "please",
        "kind",
        "sort",
        "type",
        "types",
        "usually",
        "typically",
        "often",
        "generally",
    ]
)
# "not"/"no" carry meaning for support checks, but not for topic matching.

_stemmer = Stemmer.Stemmer("english")
TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+", re.UNICODE)


def canonicalize(text: str) -> str:
    """``text`` with every known variant replaced by its canonical term."""
    text = _ANTIBODY_NEGATIVE.sub(" seronegative ", text)

    def repl(m: re.Match[str]) -> str:
        idx = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        return f" {_VARIANTS[idx][0]} "

    return _SYNONYM_RE.sub(repl, text)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """Lowercased, canonicalised, stemmed word tokens (numbers kept) for lexical matching."""
    out: list[str] = []
    for tok in TOKEN.findall(canonicalize(text).lower()):
        if not keep_stopwords and (tok in STOPWORDS or (len(tok) == 1 and not tok.isdigit())):
            continue
        out.append(tok if tok in SYNONYMS or tok[0].isdigit() else _stem(tok))
    return out


def entities(text: str) -> list[tuple[str, str]]:
    """(type, canonical) of each known entity in ``text``, in order, without repeats."""
    found: list[tuple[str, str]] = []
    canon = canonicalize(text).lower()
    for tok in re.findall(r"[a-z][a-z-]*", canon):
        if tok in ENTITY_TYPES and (ENTITY_TYPES[tok], tok) not in found:
            found.append((ENTITY_TYPES[tok], tok))
    return found


def display(entity: str) -> str:
    return DISPLAY.get(entity, entity)


# Abbreviations spelled out for the embedding model, which does not know them.
EXPANSIONS: dict[str, str] = {
    "imnm": "immune-mediated necrotizing myopathy",
    "nam": "necrotizing autoimmune myopathy",
    "ivig": "intravenous immunoglobulin",
    "ck": "creatine kinase",
    "cpk": "creatine kinase",
    "hmgcr": "HMG-CoA reductase",
    "srp": "signal recognition particle",
    "mmf": "mycophenolate mofetil",
    "mtx": "methotrexate",
    "aza": "azathioprine",
    "rtx": "rituximab",
    "mri": "magnetic resonance imaging",
}
_ABBREV_RE = re.compile(r"\b(" + "|".join(EXPANSIONS) + r")\b", re.IGNORECASE)


def expand_abbreviations(text: str) -> str:
    """``text`` with known abbreviations followed by their long form (for dense retrieval)."""
    return _ABBREV_RE.sub(lambda m: f"{m.group(0)} ({EXPANSIONS[m.group(0).lower()]})", text)
