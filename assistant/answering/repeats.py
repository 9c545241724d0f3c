"""What a follow-up would only be told again: the last answer's sentences that take up nothing
the follow-up newly asks.

"Starting drug X - when do we taper?" then "and what happens when we wean it?": the sentence that
answered the first question still matches the second's words best (the drug, taper), and
given again it answers nothing new. A follow-up asks something the last answer did not give:
a sentence of that answer stays a candidate only when it names a word the follow-up adds (one
not in the earlier question, nor the referent its "it" was read as; a question word counts:
"and tx for them?" asks for the treatment the last answer may already have named), or gives the
kind of value it asks for ("what dose?" after a sentence stating the dose), or the follow-up asks
yes or no. The answerer drops the others, unless nothing else then reaches its evidence threshold
(answering/extractive.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.conversation import MORE_OF
from assistant.answering.features import Asks
from assistant.core.types import Reading
from assistant.domain.vocabulary import Vocabulary
from assistant.text.sentences import YES_NO_Q

# A follow-up asking what comes next, and a sentence that says it (English wording).
NEXT_ASKED = re.compile(
    r"\b(?:after\s+(?:that|this|those|it)|then\s+what|what\s+(?:then|next)|afterwards?|"
    r"thereafter|after\s+(?:the\s+)?(?:first|initial))\b",
    re.I,
)
SEQUENCE = re.compile(r"\b(?:then|followed\s+by|thereafter|after\s+which|afterwards)\b", re.I)


def already_given(
    reading: Reading,
    vocab: Vocabulary,
    paraphrases: Callable[[list[str], str], bool] | None = None,
) -> list[str]:
    """Sentences of the last answer that a follow-up would only be told again
    (``paraphrases(words, sentence)``: whether the sentence says one of the follow-up's new
    words in other words, "children" for "kids")."""
    if not reading.history or not reading.focus:
        return []
    # "Could it be used on its own?" after "drug X monotherapy may be sufficient": a yes or no
    # asked of what the last answer said is answered by the sentence that said it.
    if YES_NO_Q.match(reading.question):
        return []
    # "What else does that one predict?": the sentence naming the referent holds the rest of
    # what it does, asked again in full.
    # ... as does "the other one", read as "the other eye" the last answer named.
    more_of = reading.referent if MORE_OF.search(reading.question) or re.match(
        r"(?:the\s+)?other\s", reading.referent or "") else None
    last = reading.history[-1]
    before = {
        *vocab.terms(last.standalone_question or last.question),
        *vocab.terms(reading.topic),
        *vocab.terms(reading.referent or ""),
    }
    new = [
        t for t in vocab.terms(reading.focus)
        if t not in before and t not in vocab.subject_words
    ]
    new_words = [
        w for w in re.findall(r"[A-Za-z][\w-]*", reading.focus)
        if any(t in new for t in vocab.terms(w))
    ]
    asks = Asks.of(reading.focus)
    next_asked = bool(NEXT_ASKED.search(reading.question))
    given = []
    for quote in last.quotes:
        own = set(vocab.terms(quote))
        if any(t in own for t in new) or asks.fit(quote)[0]:
            continue
        # "And after that?": a sentence going on to what comes next ("every 3 months for 5
        # years, then yearly") holds the answer, though it was quoted for its first step.
        if next_asked and SEQUENCE.search(quote):
            continue
        if more_of and more_of.lower() in quote.lower():
            continue
        if paraphrases is not None and new_words and paraphrases(new_words, quote):
            continue
        given.append(quote)
    return given
