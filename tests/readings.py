"""A question read as a single turn, as the reader would pass it on (for tests of the notes)."""

from __future__ import annotations

from assistant.core.types import Reading


def plain_reading(question: str) -> Reading:
    return Reading(question=question, standalone=question, search_text=question, k=5,
                   candidates=5)
