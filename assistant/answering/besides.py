"""What a question sets aside: "apart from drug X, what else?" asks for the others, so a sentence
whose only drugs are the ones set aside answers nothing asked (English wording; any text)."""

from __future__ import annotations

from assistant.answering.gaps import drugs_leading_to
from assistant.domain.vocabulary import Vocabulary


def about_set_aside(sentence: str, aside: set[str], vocab: Vocabulary, before: str = "") -> bool:
    """Whether the first drug ``sentence`` names, what it is about, is one set aside (a drug
    given with it, "with a tapering course of drug B", does not change that); naming
    none ("NICE recommends it for relapsing disease"), the drug named first or last in the
    sentences of its passage ``before`` it."""
    drugs = [e for t, e in vocab.entities(sentence) if t == "drug"]
    if not drugs:
        return any(d in aside for d in drugs_leading_to(before, vocab))
    return drugs[0] in aside
