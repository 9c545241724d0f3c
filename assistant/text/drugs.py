"""Drug names told by their form: the stems of international non-proprietary names (INN).

WHO's INN stems mark a drug's class in its name ("-mab" a monoclonal antibody, "-cillin" a
penicillin, "-prazole" a proton pump inhibitor). A word ending in one is a drug name, whatever
the corpus: the quiz's multiple-choice distractors and the answerer's reading of "which drug"
questions use it where no domain pack names the drugs.
"""

from __future__ import annotations

import re

# INN stems (suffixes) common in clinical texts; each long enough not to end ordinary words.
STEMS = (
    "mab", "cept", "kinra", "tinib", "ciclib", "rafenib", "limus", "cillin", "mycin",
    "floxacin", "oxacin", "cycline", "conazole", "azole", "vir", "prazole", "tidine",
    "statin", "pril", "sartan", "olol", "dipine", "parin", "xaban", "gatran", "grel",
    "gliflozin", "gliptin", "glinide", "dronate", "lukast", "setron", "triptan", "zepam",
    "zolam", "barbital", "caine", "profen", "coxib", "fenac", "sone", "olone", "sonide",
    "methasone", "phylline", "terol", "tropium", "semide", "thiazide", "platin", "rubicin",
    "taxel", "trexate", "mustine", "thioprine", "oxetine", "triptyline", "apine", "peridone",
    "dopa", "entan", "afil", "ciguat", "tiapine", "pramine", "lamide", "quine", "phamide", "sporin",
)  # fmt: skip
_STEM = re.compile(r"^[a-z]{2,}(?:" + "|".join(sorted(STEMS, key=len, reverse=True)) + r")s?$")
# Ordinary words that end like a stem.
NOT_DRUGS = frozenset(
    [
        "person", "reason", "season", "prison", "poison", "unison", "venison", "cocaine",
        "concept", "accept", "except", "intercept", "percept", "precept", "throne", "stone",
    ]
)  # fmt: skip


def looks_like_drug(word: str) -> bool:
    """Whether ``word`` has the form of a drug's generic name."""
    low = word.lower()
    return low not in NOT_DRUGS and bool(_STEM.match(low)) and len(low) >= 6


# The class an INN stem names, where it names one (the quiz keeps a drug and its class apart).
STEM_CLASSES = {
    "sone": "corticosteroid", "olone": "corticosteroid", "methasone": "corticosteroid",
    "sonide": "corticosteroid", "statin": "statin", "prazole": "proton pump inhibitor",
    "dronate": "bisphosphonate", "cillin": "penicillin", "floxacin": "fluoroquinolone",
    "oxacin": "fluoroquinolone", "mycin": "antibiotic", "cycline": "antibiotic",
}  # fmt: skip


def drug_class(word: str) -> str | None:
    """The class a drug's name shows by its stem ("methylprednisolone": corticosteroid), or None."""
    low = word.lower()
    for stem, cls in sorted(STEM_CLASSES.items(), key=lambda kv: -len(kv[0])):
        if low.endswith(stem) and looks_like_drug(low):
            return cls
    return None
