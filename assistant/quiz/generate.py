"""Items generated from the corpus passages: cloze and multiple choice.

A cloze item hides a key term or number of a source sentence; a multiple-choice item offers
other corpus terms of the same type as distractors (another drug, another antibody). The
same passages give the same items with the same ids: ids are hashes of the source file, the
sentence and the hidden text, so an edit changes only the items of the sentence edited.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.core.types import Chunk
from assistant.domain.vocabulary import Vocabulary
from assistant.quiz.grading import NUM_SPAN
from assistant.quiz.items import Fact, Item
from assistant.quiz.normalise import QuizText
from assistant.text.drugs import STEM_CLASSES, drug_class
from assistant.text.frequency import BLANK_WORD, zipf
from assistant.text.sentences import points_back

CLASSES = frozenset(STEM_CLASSES.values())

# A number written in words that a blank may hide ("three subtypes").
WORD_NUM_SPAN = re.compile(r"\b(two|three|four|five|six)\b(?=\s+[a-z])", re.I)
WORD_DIGITS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}


@dataclass
class Target:
    start: int
    end: int
    text: str
    kind: str  # "term", "number", "descriptor", "word"
    canon: str
    accept: list[str]


def item_id(kind: str, source: str, sentence: str, hidden: str) -> str:
    digest = hashlib.sha1(f"{kind}\0{source}\0{sentence}\0{hidden}".encode()).hexdigest()
    return f"{kind}-{digest[:10]}"


class ItemMaker:
    """Makes the items of one corpus, with its vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.text = QuizText(vocab)
        self.descriptors = [
            (re.compile(rf"\b{re.escape(word)}\b", re.I), accept)
            for word, accept in vocab.descriptors
        ]
        self.topics = list(vocab.topics.items())
        # How a term found by its form is written in the text ("anti-MDA5", not the key).
        self.shown: dict[str, str] = {}

    def topic_of(self, sentence: str, section: str) -> str:
        """The topic whose words the sentence uses most (ties go to the one listed first in the
        packs), else the one its heading names."""
        head = section.rsplit(" > ", 1)[-1]
        for text in (sentence, head):
            have = set(self.vocab.terms(text))
            counts = [(len(have & self.text.stems(words)), -i, topic)
                      for i, (topic, words) in enumerate(self.topics)]  # fmt: skip
            best = max(counts, default=(0, 0, "general"))
            if best[0]:
                return best[2]
        return "general"

    def targets(self, sentence: str) -> list[Target]:
        """What a cloze item could hide in ``sentence``, in order of preference."""
        out: list[Target] = []
        for m in NUM_SPAN.finditer(sentence):
            out.append(Target(m.start(1), m.end(1), m.group(1), "number", m.group(1), []))
        for m in WORD_NUM_SPAN.finditer(sentence):
            word = m.group(1).lower()
            out.append(Target(m.start(1), m.end(1), m.group(1), "number", word,
                              [WORD_DIGITS[word]]))  # fmt: skip
        for start, end, canon in self.text.term_spans(sentence):
            if any(t.kind == "term" and t.canon == canon for t in out):
                continue
            out.append(Target(start, end, sentence[start:end], "term", canon, []))
        for pattern, accept in self.descriptors:
            found = pattern.search(sentence)
            if found and not any(t.start <= found.start() < t.end for t in out):
                out.append(Target(found.start(), found.end(), found.group(0), "descriptor",
                                  accept[0], accept))  # fmt: skip
        return out

    def fallback_target(self, sentence: str, df: dict[str, int]) -> Target | None:
        """For a sentence naming nothing known: its rarest domain word, if it has one."""
        best: tuple[float, int, int, re.Match[str]] | None = None
        # Words inside a known name (a word of a disease's full name) make poor blanks.
        named = [(s, e) for s, e, _ in self.vocab.canonical_spans(sentence)]
        for m in re.finditer(r"[A-Za-z][A-Za-z-]{5,}", sentence):
            ts = self.vocab.terms(m.group(0))
            if not ts or m.start() == 0 or any(s <= m.start() < e for s, e in named):
                continue
            if INFLECTED.search(m.group(0)):  # "is ____" for "advised": a verb form is no fact
                continue
            # A domain word ("idiopathic", "phenotype"), never "needed" or "status", which
            # make guessing games.
            rarity = min(zipf(w) for w in m.group(0).lower().split("-") if w)
            if rarity >= BLANK_WORD:
                continue
            key = (rarity, df.get(ts[0], 0), m.start(), m)
            if best is None or key[:3] < best[:3]:
                best = key
        if best is None:
            return None
        m = best[3]
        return Target(m.start(), m.end(), m.group(0), "word", m.group(0).lower(), [])

    def blank(self, sentence: str, target: Target) -> str:
        """``sentence`` with every mention of the target hidden."""
        if target.kind == "term":
            spans = [(s, e) for s, e, c in self.text.term_spans(sentence) if c == target.canon]
        else:
            spans = [(target.start, target.end)]
        out = sentence
        for s, e in sorted(spans, reverse=True):
            out = out[:s] + "____" + out[e:]
        return re.sub(r"____\s*\(____\)", "____", out)

    def fact_for(self, target: Target) -> Fact:
        if target.kind == "term":
            term = self.vocab.terms_by_id.get(target.canon)
            accept = [self.vocab.display(target.canon), *(term.short if term else [])]
            return Fact(fact=target.text, accept=[a for a in accept if a != target.text])
        return Fact(fact=target.text, accept=[a for a in target.accept if a != target.text])

    def answer_of(self, target: Target) -> str:
        return self.vocab.display(target.canon) if target.kind == "term" else target.text

    def generate(self, chunks: Sequence[Chunk], max_per_sentence: int = 2) -> list[Item]:
        """Cloze and multiple-choice items from the passages, the same for the same passages."""
        corpus_terms: dict[str, list[str]] = {}
        df: dict[str, int] = {}
        for c in chunks:
            for s, e, canon in self.text.term_spans(c.text):
                self.shown.setdefault(canon, c.text[s:e])
            for canon, kind in self.text.typed_terms(c.text).items():
                if canon not in corpus_terms.setdefault(kind, []):
                    corpus_terms[kind].append(canon)
            for t in set(self.vocab.terms(c.text)):
                df[t] = df.get(t, 0) + 1
        items: list[tuple[int, int, Item]] = []
        seen: set[str] = set()
        for chunk in chunks:
            for sentence in chunk.sentences:
                if sentence.endswith(":") or len(sentence.split()) < 6 or points_back(sentence):
                    continue
                targets = self.targets(sentence)
                if not targets:
                    fallback = self.fallback_target(sentence, df)
                    targets = [fallback] if fallback else []
                base: dict[str, Any] = {
                    "topic": self.topic_of(sentence, chunk.section), "chunk_id": chunk.chunk_id,
                    "source": chunk.source, "section": chunk.section, "quote": sentence,
                    "passage": chunk.text, "refs": list(chunk.refs),
                }  # fmt: skip
                context = _context(chunk)
                for rank, target in enumerate(targets[:max_per_sentence]):
                    iid = item_id("cloze", chunk.source, sentence, target.text)
                    if iid in seen:
                        continue
                    seen.add(iid)
                    items.append((rank, len(items), Item(
                        id=iid, kind="cloze",
                        question=f"Fill in the blank ({context}): {self.blank(sentence, target)}",
                        answer=self.answer_of(target), facts=[self.fact_for(target)], **base,
                    )))  # fmt: skip
                choice = self.choice(sentence, targets, corpus_terms, context, chunk, base)
                if choice is not None and choice.id not in seen:
                    seen.add(choice.id)
                    items.append((max_per_sentence, len(items), choice))
        # One sentence's items are spread apart: one blank would give another's answer away.
        return [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]

    def choice(
        self,
        sentence: str,
        targets: list[Target],
        corpus_terms: dict[str, list[str]],
        context: str,
        chunk: Chunk,
        base: dict[str, Any],
    ) -> Item | None:
        terms_here = self.text.typed_terms(sentence)
        for target in targets:
            if target.kind != "term":
                continue
            kind = self.text.kind_of(target.canon) or "term"
            related = {target.canon} | set(terms_here)
            # A drug and its class (a steroid and the steroids) cannot be told apart in a blank.
            classes = {c for t in related if (c := self.vocab.drug_class(t))} | related
            related |= classes | {
                t for t in self.vocab.types if self.vocab.drug_class(t) in classes
            }
            # ... also when only the drug's name shows its class (an INN stem).
            named = {c for t in related if (c := drug_class(t))}
            named |= {t.rstrip("s") for t in related if t.rstrip("s") in CLASSES}
            if named:
                related |= {t for ts in corpus_terms.values() for t in ts
                            if drug_class(t) in named or t.rstrip("s") in named}  # fmt: skip
            distractors = [t for t in corpus_terms.get(kind, []) if t not in related]
            if len(distractors) < 2:
                continue
            iid = item_id("choice", chunk.source, sentence, target.text)
            # A stable shuffle: the options' order comes from hashes, not from chance.
            distractors.sort(key=lambda t: hashlib.sha1(f"{iid}{t}".encode()).hexdigest())
            options = [target.canon, *distractors[:3]]
            options.sort(key=lambda t: hashlib.sha1(f"{iid}/{t}".encode()).hexdigest())
            shown = [
                self.vocab.display(o) if o in self.vocab.terms_by_id else self.shown.get(o, o)
                for o in options
            ]
            correct = options.index(target.canon)
            return Item(
                id=iid, kind="choice",
                question=f"Which {kind} completes the sentence ({context}): "
                f"{self.blank(sentence, target)}",
                answer=f"{chr(65 + correct)}) {shown[correct]}",
                facts=[self.fact_for(target)], options=shown, correct_option=correct, **base,
            )  # fmt: skip
        return None


# Verb forms and adverbs: the rarest word of a sentence may be one, and it makes no fact to ask.
INFLECTED = re.compile(r"(?:ed|ing|ly)$", re.I)


def _context(chunk: Chunk) -> str:
    if chunk.kind == "bullet" and chunk.lead:
        return chunk.lead.rstrip(": ")
    return chunk.section.rsplit(" > ", 1)[-1]
