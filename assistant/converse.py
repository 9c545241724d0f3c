"""Follow-ups: read a short question ("What dose?", "And in anti-SRP disease?") in its conversation.

The result is a standalone question used for retrieval and answering; it is returned with the
answer so a user can see how the follow-up was understood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lexicon import display, entities, terms
from .types import Turn

PRONOUN = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|which of (?:them|these|those)|the drug|"
    r"the same|such patients|this condition|the disease)\b",
    re.IGNORECASE,
)
ELLIPSIS_START = re.compile(
    r"^\s*(and|also|what about|how about|and what about|what if|in|for|with|but|or|then|same)\b",
    re.IGNORECASE,
)


def is_followup(question: str) -> bool:
    """A question that leans on the earlier turns rather than standing alone."""
    content = terms(question)
    return bool(ELLIPSIS_START.match(question) or PRONOUN.search(question) or len(content) <= 2)


def contextualize(question: str, history: Sequence[Turn]) -> str:
    """``question`` made standalone with the earlier turns (unchanged when it already is)."""
    return read_in_context(question, history)[0]


def read_in_context(question: str, history: Sequence[Turn]) -> tuple[str, str | None]:
    """The standalone question, and the words that must weigh most (None: all of it).

    "What dose?" keeps its own words in focus, the earlier question only adding context;
    "And in anti-SRP disease?" becomes a whole new question, with no narrower focus.
    """
    if not history or not is_followup(question):
        return question, None
    last = history[-1]
    previous = last.standalone_question or last.question
    new_entities = entities(question)
    old_entities = entities(previous)
    new_types = {t for t, _ in new_entities}
    # "And in anti-SRP disease?" after a question about anti-HMGCR: swap the entity, keep the rest.
    swapped = previous
    replaced = False
    for etype, old in old_entities:
        if etype in new_types:
            new = next(e for t, e in new_entities if t == etype)
            if new != old:
                swapped = _replace_entity(swapped, old, display(new))
                replaced = True
    if replaced:
        rest = _strip_ellipsis(question)
        extra = [t for t in terms(rest) if t not in terms(swapped)]
        return (swapped if not extra else f"{swapped} ({rest})"), None
    # "What dose?" / "Which of them ...": the new question, with what the last turn was about.
    about = [display(e) for t, e in entities(last.answer) if (t, e) not in new_entities][:4]
    context = previous.rstrip("?. ")
    tail = f"; about {', '.join(about)}" if about else ""
    return f"{question.rstrip()} (context: {context}{tail})", question


def _strip_ellipsis(question: str) -> str:
    return ELLIPSIS_START.sub("", question).strip(" ?.,")


def _replace_entity(text: str, entity: str, replacement: str) -> str:
    from .lexicon import SYNONYMS

    variants = SYNONYMS.get(entity, [re.escape(entity)])
    if entity == "seronegative":
        variants = [r"(?:antibody|autoantibody|sero)[- ]?negative"]
    pattern = re.compile(
        r"(?:\banti[- ]?)?\b(?:" + "|".join(variants) + r")\b(?:[- ]positive)?", re.IGNORECASE
    )
    return pattern.sub(replacement, text, count=1)
