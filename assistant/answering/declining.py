"""A decline: the sources do not answer, said plainly, with the closest passages labelled so."""

from __future__ import annotations

from assistant.answering.citing import NOT_COVERED_PREFIX, CitationBuilder
from assistant.answering.gaps import missing_detail, named_first
from assistant.core.types import Answer, Hit, Reading
from assistant.domain.vocabulary import Vocabulary


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
        for h in hits[:2]:
            builder.cite(h.chunk, h.chunk.sentences[0] if h.chunk.sentences else h.chunk.text)
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
