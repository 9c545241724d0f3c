"""The first stage: a request read as a standalone question in its conversation.

The question is cleaned (controls out, bounded), then read in the words the corpus uses:
shorthand and brand names written out (the domain packs' rewrites), misspelt words matched to
the corpus's own words, numbers in words as digits. A follow-up is then read against the earlier
turns (answering/conversation.py). What was changed is kept, so a user sees how the question was
read ("Read as: ...").
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from assistant.answering.conversation import Conversation, FollowUp
from assistant.core.errors import InputError
from assistant.core.settings import AnswerSettings, RetrievalSettings
from assistant.core.types import Reading, Request, Turn
from assistant.domain.learned import CorpusWords
from assistant.domain.vocabulary import Vocabulary
from assistant.text.drugs import looks_like_drug
from assistant.text.frequency import REAL_WORD, english_spelling, everyday, zipf

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
# A word the corpus lacks may be one it has, done wrongly ("mislabelled", "misdiagnosed"); not
# done again ("reassess" asks when to look again, which "assess" loses).
_WRONGLY = re.compile(r"(mis)-?([a-z]+)$", re.IGNORECASE)
MIN_UNPREFIXED = 4


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
            topic=clip(t.topic, 2 * max_chars) or None,
        )
        for t in list(history)[-max_turns:]
    ]


class Reader:
    """The first stage: a request read as a standalone question in its conversation."""

    def __init__(
        self,
        answer: AnswerSettings,
        retrieval: RetrievalSettings,
        vocab: Vocabulary,
        words: CorpusWords | None = None,
    ) -> None:
        self.answer = answer
        self.retrieval = retrieval
        self.vocab = vocab
        self.words = words or CorpusWords()
        self.conversation = Conversation(vocab, self.words)

    def wording(self, question: str) -> tuple[str, list[tuple[str, str]]]:
        """``question`` in the corpus's words, and the (typed, read as) changes."""
        text, changes = self.vocab.rewrite(question.translate(_QUOTES))

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if word in self.words:
                return word
            if looks_like_drug(word) or self.vocab.drug_class(word.lower()):
                return self.with_class(word, changes)
            # A misspelling of a corpus word, else of a common English word ("sucess"), which
            # the answer may then name as missing in the clinician's intended words.
            real = zipf(word.lower()) >= REAL_WORD
            right = (None if real else self.words.correct(word)) or self.unprefixed(word) or (
                english_spelling(word))
            if right is None:
                return word
            changes.append((word, right))
            return right

        return _WORD.sub(fix, text), changes

    def unprefixed(self, word: str) -> str | None:
        """The corpus word ``word`` is with "mis" before it ("mislabelled": the text's
        "labelled"), when the corpus lacks ``word`` itself."""
        m = _WRONGLY.match(word)
        if not m or zipf(word.lower()) >= self.answer.unprefixed_max_zipf:
            return None  # "mister", "mission": common words of their own
        rest = m.group(2)
        return rest if len(rest) >= MIN_UNPREFIXED and rest.lower() in self.words else None

    def with_class(self, drug: str, changes: list[tuple[str, str]]) -> str:
        """``drug`` with its class, when the corpus names the class and never the drug
        ("budesonide" → "budesonide (corticosteroids)"): what the text says of the class is
        what it says of the drug, and the reading shows that it was read so."""
        cls = self.vocab.drug_class(drug.lower())
        names = self.vocab.class_names(cls) if cls else []
        # The class in the corpus's own word for it ("glucocorticoids" or "corticosteroids").
        name = next((n for n in names if all(
            w in self.words or f"{w}s" in self.words for w in re.findall(r"[A-Za-z]+", n)
        )), None)
        if name is None:
            return drug
        read = f"{drug} ({name})"
        changes.append((drug, read))
        return read

    def read(self, request: Request) -> Reading:
        started = time.perf_counter()
        question, notes = clean_question(request.question, self.answer.max_question_chars)
        history = bounded_history(
            request.history, self.answer.max_question_chars, self.answer.history_turns
        )
        worded, changes = self.wording(question)
        followed = self.conversation.follow(worded, history)
        k = request.k or self.retrieval.k
        reading = Reading(
            question=question,
            **self._as_read(followed),
            history=history,
            notes=notes,
            rewrites=[(a, b) for a, b in changes if "'" not in a],
            k=k,
            candidates=max(k, self.retrieval.answer_candidates),
            mode=request.mode,
            backend=request.backend,
            started=started,
        )
        if history and followed.standalone == worded and self.may_lean(worded):
            leant = self.conversation.follow(worded, history, lean=True)
            reading.in_context = reading.model_copy(update=self._as_read(leant))
        return reading

    def _as_read(self, followed: FollowUp) -> dict[str, Any]:
        """The Reading's fields that say how the question was read in its conversation."""
        return {
            "standalone": followed.standalone, "focus": followed.focus, "topic": followed.topic,
            "search_text": self.vocab.expand_abbreviations(followed.standalone),
            "exclude": followed.exclude, "referent": followed.referent,
        }

    def may_lean(self, question: str) -> bool:
        """Whether a question that stands alone may still lean on its conversation: it names
        neither the corpus's subject nor a drug, test or antibody, in a few topic words ("what
        change counts as meaningful?" after a question about a disability score)."""
        v = self.vocab
        topic = [t for t in v.terms(question) if t not in v.question_words and not everyday(t)]
        return (
            len(topic) <= self.answer.lean_max_words
            and not v.entities(question)
            and not any(self.conversation.names_subject(t) for t in topic)
        )
