"""A decline: the sources do not answer, said plainly, with the closest passages labelled so."""

from __future__ import annotations

from assistant.answering.citing import NOT_COVERED_PREFIX, CitationBuilder
from assistant.answering.gaps import missing_detail, named_first
from assistant.core.types import Answer, Hit, Reading
from assistant.domain.vocabulary import Vocabulary
from assistant.text.sentences import ABOUT_THE_TEXT

# Passages shown as closest when the sources do not answer.
CLOSEST = 2


def decline(
    reading: Reading, unmentioned: list[str], hits: list[Hit], vocab: Vocabulary, closest: bool
) -> Answer:
    """The sources do not answer: say so, naming what they never mention, and (when some
    passage is near) show the closest passages, labelled as closest, not as an answer."""
    named = missing_detail(reading, [], vocab, named_first(unmentioned, vocab)[:2])
    said = named or f"{NOT_COVERED_PREFIX} answer this question."
    near = []
    if closest:
        builder = CitationBuilder()
        for h in hits:
            # The passage's first sentence, passing over those about the text itself (and a
            # passage that has only such sentences).
            plain = [t for t in h.chunk.sentences or [h.chunk.text] if not ABOUT_THE_TEXT.match(t)]
            if plain:
                builder.cite(h.chunk, plain[0])
            if len(builder.citations) == CLOSEST:
                break
        near = builder.citations
    question, standalone = reading.question, reading.standalone
    return Answer(
        question=question,
        answer=said,
        abstained=True,
        citations=[],
        closest=near,
        standalone_question=standalone if standalone != question else None,
        retrieved=hits,
    )
