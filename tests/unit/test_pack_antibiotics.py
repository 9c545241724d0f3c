"""Antibiotics as clinicians type them: clipped names and brands are read as the generic a text
writes, so "cipro" reaches a text's "ciprofloxacin" (and its class by the INN stem)."""

from __future__ import annotations

import pytest

from assistant.domain.vocabulary import general_vocabulary


@pytest.mark.parametrize(
    ("typed", "generic"),
    [("cipro", "ciprofloxacin"), ("Levaquin", "levofloxacin"), ("zithromax", "azithromycin"),
     ("vanco", "vancomycin"), ("doxy", "doxycycline")],
)
def test_clipped_and_brand_antibiotics_are_read_as_generics(typed: str, generic: str) -> None:
    text, changes = general_vocabulary().rewrite(f"can pts with MG have {typed}?")
    assert generic in text and (typed, generic) in changes
    assert general_vocabulary().drug_class(generic)
