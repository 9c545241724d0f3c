"""The bucketed term search finds what one plain alternation of named groups finds."""

from __future__ import annotations

import re

from assistant.domain.matching import Alternation
from assistant.domain.vocabulary import phrase_pattern

VARIANTS = [
    ("ck", "creatine kinase"), ("ck", "CK"), ("mg", "(?-i:MG)"), ("aet", "aetiology"),
    ("crp", "C-reactive protein"), ("crp", "CRP"), ("ivig", "intravenous immunoglobulin"),
    ("iv", "intravenous"), ("cs", "re:(?:cortico)?steroids?"), ("rx", "re:\\[trial\\]"),
    ("oes", "oesophagus"), ("a1", "a"), ("nmda", "N-methyl-D-aspartate"),
]  # fmt: skip
TEXTS = [
    "Creatine kinase (CK) and CRP; MG is not mg. Etiology and aetiology differ in spelling.",
    "Intravenous immunoglobulin or intravenous methylprednisolone; corticosteroids, steroid.",
    "C reactive protein, c-reactive proteins, [trial] a n-methyl-d-aspartate esophagus oesophagus",
    "", "ck", "CKs creatine-kinase",
]


def reference(variants: list[tuple[str, str]], text: str) -> list[tuple[int, int, str]]:
    """The former search: one regex, a named group per variant, longest pattern first."""
    pattern = re.compile(
        "|".join(f"(?P<g{i}>\\b(?:{p})\\b)" for i, (_, p) in enumerate(variants)), re.I
    )
    return [(m.start(), m.end(), variants[int(str(m.lastgroup)[1:])][0])
            for m in pattern.finditer(text)]  # fmt: skip


def test_the_same_matches_as_one_alternation_of_groups() -> None:
    variants = sorted(
        ((c, v[3:] if v.startswith("re:") else phrase_pattern(v)) for c, v in VARIANTS),
        key=lambda cv: -len(cv[1]),
    )
    alternation = Alternation(variants)
    for text in TEXTS:
        assert alternation.finditer(text) == reference(variants, text), text
        want = text
        for start, end, canon in reversed(reference(variants, text)):
            want = want[:start] + f"<{canon}>" + want[end:]
        assert alternation.sub(lambda c: f"<{c}>", text) == want
    assert [c for *_, c in alternation.finditer(TEXTS[0])][:3] == ["ck", "ck", "crp"]


def test_many_terms_do_not_change_what_is_found() -> None:
    """A thousand learnt abbreviations beside the pack's terms: still the same matches."""
    many = [(f"t{i}", phrase_pattern(f"Term{i} long form")) for i in range(1000)]
    variants = sorted(
        [*many, *((c, phrase_pattern(v)) for c, v in VARIANTS if not v.startswith("re:"))],
        key=lambda cv: -len(cv[1]),
    )
    text = " ".join(TEXTS) + " term17 long forms and TERM999 long form"
    assert Alternation(variants).finditer(text) == reference(variants, text)
