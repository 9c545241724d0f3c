"""Follow-ups: read a short question ("What dose?", "And in anti-Y disease?") in its conversation.

The result is a standalone question used for retrieval and answering; it is returned with the
answer so a user can see how the follow-up was understood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.types import Turn
from assistant.domain.vocabulary import Vocabulary

# "the disease" is not on the list: it names the corpus's own subject, which needs no context.
PRONOUN = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|which of (?:them|these|those)|the drug|"
    r"the same)\b",
    re.IGNORECASE,
)
ELLIPSIS_START = re.compile(
    r"^\s*(and|also|what about|how about|and what about|what if|in|for|with|but|or|then|same)\b",
    re.IGNORECASE,
)


class Conversation:
    """Reads a follow-up against the earlier turns, with one corpus's vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def is_followup(self, question: str) -> bool:
        """A question that leans on the earlier turns rather than standing alone.

        "And how is the response monitored?" starts like a follow-up but names its own topic
        (two or more topic words, no pronoun): it is read on its own.
        """
        if PRONOUN.search(question):
            return True
        v = self.vocab
        # Naming another antibody or drug ("And in anti-Y disease?") is a follow-up.
        topic = [
            t
            for t in v.terms(_strip_ellipsis(question))
            if t not in v.question_words and t not in v.types and t not in v.subject_words
        ]
        return len(topic) <= 1 if ELLIPSIS_START.match(question) else len(v.terms(question)) <= 1

    def read(self, question: str, history: Sequence[Turn]) -> tuple[str, str | None, str]:
        """The standalone question, the words that must weigh most (None: all of it), and the
        topic the conversation carries on with.

        "What dose?" keeps its own words in focus, the earlier question only adding context;
        "And in anti-Y disease?" becomes a whole new question, with no narrower focus.
        """
        if not history or not self.is_followup(question):
            return question, None, question
        v = self.vocab
        last = history[-1]
        previous = topic_of(history)
        new_entities = v.entities(question)
        old_entities = v.entities(previous)
        new_types = {t for t, _ in new_entities}
        # "And in anti-Y disease?" after anti-X: swap the entity, keep the rest.
        swapped = previous
        replaced = False
        for etype, old in old_entities:
            if etype in new_types:
                new = next(e for t, e in new_entities if t == etype)
                if new != old:
                    swapped = self._replace_entity(swapped, old, v.display(new))
                    replaced = True
        if replaced:
            rest = _strip_ellipsis(question)
            extra = [t for t in v.terms(rest) if t not in v.terms(swapped)]
            standalone = swapped if not extra else f"{swapped} ({rest})"
            return standalone, None, standalone
        # "What dose?" / "Which of them ...": the new question, with what the last turn was about.
        about = [v.display(e) for t, e in v.entities(last.answer) if (t, e) not in new_entities][:4]
        context = previous.rstrip("?. ")
        # Only a pronoun ("Which of them ...") points back at what the last answer named.
        tail = f"; about {', '.join(about)}" if about and PRONOUN.search(question) else ""
        return f"{question.rstrip()} (context: {context}{tail})", question, previous

    def _replace_entity(self, text: str, entity: str, replacement: str) -> str:
        variants = self.vocab.variant_patterns(entity)
        pattern = re.compile(
            r"(?:\banti[- ]?)?\b(?:" + "|".join(variants) + r")\b(?:[- ]positive)?",
            re.IGNORECASE,
        )
        return pattern.sub(replacement, text, count=1)


def topic_of(history: Sequence[Turn]) -> str:
    """The question the conversation is about: the topic the last turn carried on with (the
    latest question that stood on its own or was rewritten whole), so contexts never nest."""
    last = history[-1]
    return last.topic or last.standalone_question or last.question


def _strip_ellipsis(question: str) -> str:
    return ELLIPSIS_START.sub("", question).strip(" ?.,")
