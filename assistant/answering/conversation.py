"""Follow-ups: read a short question ("What dose?", "And in anti-SRP disease?") in its conversation.

The result is a standalone question used for retrieval and answering; it is returned with the
answer so a user can see how the follow-up was understood.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from assistant.core.errors import InputError
from assistant.core.settings import AnswerSettings, RetrievalSettings
from assistant.core.types import Reading, Request, Turn
from assistant.domain.lexicon import ENTITY_TYPES, display, entities, expand_abbreviations, terms

# "the disease" is not on the list: in this corpus it can only mean IMNM, so it needs no context.
PRONOUN = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|which of (?:them|these|those)|the drug|"
    r"the same)\b",
    re.IGNORECASE,
)
ELLIPSIS_START = re.compile(
    r"^\s*(and|also|what about|how about|and what about|what if|in|for|with|but|or|then|same)\b",
    re.IGNORECASE,
)


# Words that name the disease or its patients: never a new topic in this corpus.
SUBJECT_WORDS = frozenset(terms("anti disease imnm patients myopathy positive")) | {"anti"}


def is_followup(question: str) -> bool:
    """A question that leans on the earlier turns rather than standing alone.

    "And how is the response monitored?" starts like a follow-up but names its own topic
    (two or more topic words, no pronoun): it is read on its own.
    """
    from assistant.answering.extractive import QUESTION_WORDS

    if PRONOUN.search(question):
        return True
    # Naming another antibody or drug ("And in anti-SRP disease?") is a follow-up, not a topic.
    topic = [
        t
        for t in terms(_strip_ellipsis(question))
        if t not in QUESTION_WORDS and t not in ENTITY_TYPES and t not in SUBJECT_WORDS
    ]
    return len(topic) <= 1 if ELLIPSIS_START.match(question) else len(terms(question)) <= 1


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
    previous = topic_of(history)
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
    # Only a pronoun ("Which of them ...") points back at what the last answer named.
    tail = f"; about {', '.join(about)}" if about and PRONOUN.search(question) else ""
    return f"{question.rstrip()} (context: {context}{tail})", question


def topic_of(history: Sequence[Turn]) -> str:
    """The question the conversation is about: the latest one that stood on its own (or was
    rewritten whole, "And in anti-SRP disease?"), so contexts do not nest turn after turn."""
    for turn in reversed(history):
        standalone = turn.standalone_question
        if standalone and " (context: " not in standalone:
            return standalone
        if not standalone and not is_followup(turn.question):
            return turn.question
    return history[-1].question


def _strip_ellipsis(question: str) -> str:
    return ELLIPSIS_START.sub("", question).strip(" ?.,")


def _replace_entity(text: str, entity: str, replacement: str) -> str:
    from assistant.domain.lexicon import SYNONYMS

    variants = SYNONYMS.get(entity, [re.escape(entity)])
    if entity == "seronegative":
        variants = [r"(?:antibody|autoantibody|sero)[- ]?negative"]
    pattern = re.compile(
        r"(?:\banti[- ]?)?\b(?:" + "|".join(variants) + r")\b(?:[- ]positive)?", re.IGNORECASE
    )
    return pattern.sub(replacement, text, count=1)


def clean_question(text: str, max_chars: int) -> tuple[str, list[str]]:
    """A usable question and notes about what was changed; refuses an empty one."""
    notes: list[str] = []
    text = "".join(c if c.isprintable() or c in "\t\n" else " " for c in text)
    text = " ".join(text.split())
    if not text:
        raise InputError("empty question: type a question about the sources")
    if len(text) > max_chars:
        notes.append(f"question cut to its first {max_chars} characters (it had {len(text)})")
        text = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
    return text, notes


def bounded_history(history: Sequence[Turn], max_chars: int, max_turns: int = 8) -> list[Turn]:
    """The last ``max_turns`` turns, cleaned and clipped: a chat client sends its history
    back, so the turns are input like the question (a 1 MB turn took ~25 s to read)."""

    def clip(text: str | None, limit: int) -> str:
        text = "".join(c if c.isprintable() or c in "\t\n" else " " for c in (text or "")[:limit])
        return " ".join(text.split())

    return [
        Turn(
            question=clip(t.question, max_chars),
            answer=clip(t.answer, 10 * max_chars),
            # A chain of follow-ups nests its context: keep the newest part of it.
            standalone_question=clip(t.standalone_question, 2 * max_chars) or None,
            quotes=[clip(q, 10 * max_chars) for q in t.quotes[:20]],
            chunk_ids=[clip(c, 200) for c in t.chunk_ids[:20]],
            abstained=t.abstained,
        )
        for t in list(history)[-max_turns:]
    ]


class Reader:
    """The first stage: a request read as a standalone question in its conversation."""

    def __init__(self, answer: AnswerSettings, retrieval: RetrievalSettings) -> None:
        self.answer = answer
        self.retrieval = retrieval

    def read(self, request: Request) -> Reading:
        started = time.perf_counter()
        question, notes = clean_question(request.question, self.answer.max_question_chars)
        history = bounded_history(
            request.history, self.answer.max_question_chars, self.answer.history_turns
        )
        standalone, focus = read_in_context(question, history)
        k = request.k or self.retrieval.k
        return Reading(
            question=question,
            standalone=standalone,
            focus=focus,
            search_text=expand_abbreviations(standalone),
            history=history,
            notes=notes,
            k=k,
            candidates=max(k, self.retrieval.answer_candidates),
            mode=request.mode,
            backend=request.backend,
            started=started,
        )
