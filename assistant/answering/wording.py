"""Which words of a question the corpus says, in its words or in others: the part of the
extractive answerer that reads the question against the corpus's vocabulary (kept apart from
scoring and composing, answering/extractive.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cached_property

from assistant.answering.conversation import CONTEXT_LABEL, SUBJECT_SHARE
from assistant.answering.coverage import Unit, units_of
from assistant.core.settings import AnswerSettings
from assistant.core.types import Reading
from assistant.domain.vocabulary import Vocabulary
from assistant.retrieval.search import abbreviation_shaped
from assistant.store.embed import TextSimilarity
from assistant.store.index import Index
from assistant.store.neighbours import Neighbours
from assistant.text.drugs import looks_like_drug
from assistant.text.equivalents import shared_start
from assistant.text.frequency import PAST_STEM, everyday, zipf
from assistant.text.quantities import spell_numbers
from assistant.text.tokens import STOPWORDS, fold

WORD = re.compile(r"[^\W\d_][\w'-]*")
# Two stems are one word in two forms when they differ in at most this many final letters.
PREFIX_SLACK = 3
# Words setting two things side by side ("vs" is read as "versus").
COMPARING = frozenset({"versus", "vs"})
# "Which one?", "the other ones": a pronoun or a count (English grammar), never a topic word.
PRONOUN_ONE = frozenset(["one", "ones"])
# "Anything to treat it?": an indefinite pronoun names no thing a note could say is not given.
INDEFINITE = frozenset(
    ["anything", "something", "everything", "nothing", "anyone", "someone", "anybody", "somebody"])
NAMES_NO_THING = PRONOUN_ONE | INDEFINITE


# Irregular past participles (English grammar): "should we have gone in harder?".
IRREGULAR_PAST = frozenset([
    "been", "gone", "gotten", "begun", "kept", "taken", "given", "seen", "done", "known",
    "grown", "shown", "written", "chosen", "fallen", "risen", "driven", "worn", "broken",
    "spoken", "frozen", "forgotten", "hidden", "eaten", "thrown", "drawn", "come", "become",
    "run", "brought", "bought", "caught", "taught", "thought", "sought", "felt", "left",
    "lost", "meant", "met", "paid", "said", "sent", "spent", "stood", "told", "understood",
    "won", "built", "dealt", "fed", "heard", "led", "slept", "held", "found", "made", "got",
])


# Comparatives of everyday adjectives (English grammar): "gone in harder", "any sooner?" ask
# how much, not about a thing.
COMPARATIVES = frozenset([
    "harder", "easier", "bigger", "smaller", "higher", "lower", "longer", "shorter", "older",
    "younger", "earlier", "sooner", "faster", "slower", "quicker", "stronger", "weaker",
    "heavier", "lighter", "greater", "larger", "milder", "sicker", "tougher",
])


def frame_form(word: str) -> bool:
    """Whether ``word`` (lower case) is a verb's past form or a comparative: how the question
    is put ("gone in harder"), never a thing it asks about."""
    return past_form(word) or word in COMPARATIVES


def past_form(word: str) -> bool:
    """Whether ``word`` is a verb's past form: the question's frame, not a detail it asks."""
    if word in IRREGULAR_PAST:
        return True
    if not word.endswith("ed") or len(word) < 4:
        return False
    stems = (word[:-2], word[:-1], word[:-3], word[:-3] + "y")
    return max(zipf(s) for s in stems if s) >= PAST_STEM


class QuestionWords:
    """The question's words against the corpus's: set up by the answerer (its fields below)."""

    settings: AnswerSettings
    vocab: Vocabulary
    neighbours: Neighbours | None
    similar: TextSimilarity | None
    corpus_terms: set[str]
    corpus_words: set[str]
    spelled: Callable[[str], str] | None
    _by_prefix: dict[str, list[str]]
    topic_reference: re.Pattern[str]
    passage_texts: list[str]
    index: Index

    def measure(self, word: str) -> str | None:
        """The abbreviation the corpus defines that ``word`` types, as the corpus writes it
        ("tsh": "TSH"), when a value may be asked of it; None for any other word and for the
        abbreviation naming what the whole text is about: "IBM" in a text on inclusion body
        myositis, named (or its long form) in a document's title or in more than SUBJECT_SHARE
        of its passages (of five or more, as in conversation.py), or the subject's own. Judged
        once per abbreviation, when a question first types it."""
        low = word.lower()
        if low not in self._measured:
            self._measured[low] = self._judge_measure(low)
        return self._measured[low]

    @cached_property
    def _measured(self) -> dict[str, str | None]:
        return {}

    @cached_property
    def _defined(self) -> dict[str, tuple[str, str]]:
        """The corpus's abbreviations by their lower case: (as written, long form)."""
        return {s.lower(): (s, long) for s, long in self.vocab.abbreviations.items()}

    @cached_property
    def _titles(self) -> str:
        return " ".join({c.section.split(" > ")[0] for c in self.index.chunks})

    def _judge_measure(self, low: str) -> str | None:
        if low not in self._defined:
            return None
        short, long = self._defined[low]
        n = len(self.passage_texts)
        word = re.compile(rf"\b(?:{re.escape(short)}|{re.escape(long)})\b", re.I)
        subject = (
            word.search(self._titles)
            or (n >= 5 and sum(1 for t in self.passage_texts if word.search(t)) > SUBJECT_SHARE * n)
            or set(self.vocab.terms(short)) & self.vocab.subject_words
        )
        return None if subject else short

    def known(self, term: str) -> str | None:
        """The corpus term ``term`` stands for: itself, or one sharing a long prefix
        ("diagnosi" ~ "diagnost"), since stemming leaves such pairs apart."""
        if term in self.corpus_terms or term in self.corpus_words:
            return term
        if term in self._accented:  # "behcet" typed for the text's "behçet"
            return self._accented[term]
        if len(term) >= 6 and not term[0].isdigit():
            for v in self._by_prefix.get(term[:5], ()):
                # ... all but its last few letters: a shared first part alone names another
                # thing ("hydroxy" of hydroxychloroquine and hydroxyvitamin).
                least = max(6, min(len(term), len(v)) - PREFIX_SLACK)
                if len(v) >= 6 and shared_start(term, v) >= least:
                    return v
        return None

    @cached_property
    def _accented(self) -> dict[str, str]:
        """The corpus's terms with accents, by their form without (typed on an English
        keyboard). Matched here only, when naming what a question asks that the corpus lacks:
        read into the word search, folding moved a blind floor (fourteenth session)."""
        return {fold(t): t for t in self.corpus_terms | self.corpus_words if not t.isascii()}

    def known_class(self, word: str) -> bool:
        """Whether ``word`` is a drug the corpus speaks of only by its class ("budesonide" in a
        text saying "corticosteroids"): what the text says of the class answers for it. Not
        when the text names other drugs of that class ("pravastatin", "fluvastatin"): it then
        tells them apart, and says nothing of this one."""
        cls = self.vocab.drug_class(word.lower())
        if not cls or self._class_members.get(cls, set()) - {word.lower()}:
            return False
        return any(self.known(t) for n in self.vocab.class_names(cls) for t in self.vocab.terms(n))

    @cached_property
    def _class_members(self) -> dict[str, set[str]]:
        """The drugs the corpus names, by class."""
        out: dict[str, set[str]] = {}
        words = {
            w.lower() for text in self.passage_texts for w in re.findall(r"[A-Za-z]{5,}", text)
        }
        for w in words:
            if looks_like_drug(w) and (cls := self.vocab.drug_class(w)):
                out.setdefault(cls, set()).add(w)
        return out

    def unmentioned(self, question: str) -> tuple[list[str], int]:
        """Words of the question the corpus never uses, grouped as typed ("drink alcohol"),
        and how many topic words the question has (question words aside; the corpus's subject
        counts as one it knows).

        A known term counts as one word ("blood pressure"); everyday words ("want") and verb
        forms ("followed") are the question's frame, not a detail it asks for: never named.
        """
        v = self.vocab
        spans = v.canonical_spans(question)
        units: list[tuple[str, list[str]]] = []  # (as typed, its terms)
        pos = 0
        # A word starts a token: the "nd" of "2nd" or the "mg" of "5mg" is no word of its own.
        for m in re.finditer(r"(?<![\w'])[^\W\d_][\w'-]*", question):
            if m.start() < pos:
                continue
            span = next(((s, e, t) for s, e, t in spans if s < m.end() and m.start() < e), None)
            if span is not None:
                units.append((question[span[0] : span[1]], [span[2]]))
                pos = max(span[1], m.end())
            else:
                units.append((m.group(0), v.terms(m.group(0))))
        groups: list[list[str]] = []
        topic = 0
        last = -2
        modifier = (-2, "")  # the last known topic word, and where it stood
        for i, (typed, stems) in enumerate(units):
            stems = [t for t in stems if t not in v.question_words]
            if not stems:
                continue
            if any(t in v.subject_words for t in stems):
                topic += 1  # the corpus's own subject named: on its topic, never missing
                continue
            lower = typed.lower()
            forms = {lower, lower[:-1] if lower.endswith("s") else lower}
            # A number in words ("ten") is a value, written "10" in the text: not a topic.
            if spell_numbers(lower) != lower:
                continue
            # Everyday words and verb forms are the frame, whether the corpus uses them or not
            # ("who won the World Cup": "won", "world"): they neither count as the question's
            # topic nor are named as missing.
            # ... but a thing taken or done with, before or after ("with food", "after meals")
            # is a detail, however common the word.
            common = max(zipf(f) for f in forms)
            after = units[i - 1][0].lower() if i else ""
            thing = after in OBJECT_OF and common < self.settings.object_zipf
            if frame_form(lower) or (common >= self.settings.everyday_zipf and not thing):
                continue
            topic += 1
            if lower in COMPARING:
                continue  # "remission vs disability": the frame of a comparison, not a thing
            if all(self.known(t) for t in stems) or self.known_class(typed):
                modifier = (i, typed)
                continue
            # "rescan", "recheck", "re-test": doing again what the corpus names ("scan").
            again = re.sub(r"^re-?", "", lower) if len(lower) >= 6 else lower
            if again != lower and v.terms(again) and self._all_known(again):
                continue
            # The corpus says it in other words ("cancer" for "malignancy"): not unmentioned;
            # nor is an abbreviation it spells out ("TAB": "temporal artery biopsy").
            if self.neighbours is not None and self.neighbours.near(typed):
                continue
            if self.spelled is not None and abbreviation_shaped(typed) and self.spelled(typed):
                continue
            if groups and last == i - 1:
                # "xeljanz (tofacitinib)" reads as the same name twice: named once
                if typed.lower() != groups[-1][-1].lower():
                    groups[-1].append(typed)
            elif modifier[0] == i - 1 and _plain_word(modifier[1]) and not v.entities(modifier[1]):
                # "growth hormone": the known word before an unknown one names the thing with
                # it ("hormone" alone is not what was asked).
                groups.append([modifier[1], typed])
            else:
                groups.append([typed])
            last = i
        return [" ".join(g) for g in groups], topic

    def unknown_words(self, groups: Sequence[str]) -> int:
        """How many words of ``groups`` (from :meth:`unmentioned`) the corpus never uses: the
        known word naming an unknown thing with it ("growth" of "growth hormone") not counted."""
        return sum(1 for g in groups for w in g.split() if not self._all_known(w))

    def _all_known(self, word: str) -> bool:
        return all(self.known(t) for t in self.vocab.terms(word))

    def unanswered(self, reading: Reading, sentences: list[str]) -> list[str]:
        """A follow-up's own topic words that no answer sentence takes up, in its words or in
        others ("and in kids?" answered with adult doses)."""
        v = self.vocab
        have = {t for s in sentences for t in v.terms(s)}
        words = [
            w for w in re.findall(r"[^\W\d_][\w'-]*", reading.focus or "")
            if (ts := [t for t in v.terms(w) if t not in v.question_words
                       and t not in v.subject_words])
            and not any(t in have or self.known(t) in have for t in ts)
            and w.lower() not in (reading.referent or "").lower()
            and w.lower() not in NAMES_NO_THING and not frame_form(w.lower())
            and not everyday(w)
        ]
        return self.not_paraphrased(words, sentences)

    def not_paraphrased(self, words: list[str], sentences: list[str]) -> list[str]:
        """``words`` less those a word of ``sentences`` says in other words ("kids" for
        "children", "imaging" for "MRI"): by embedding similarity of the single words."""
        if not words or self.similar is None:
            return words
        own = {
            w for s in sentences for w in re.findall(r"[A-Za-z][\w-]{2,}", s)
            if w.lower() not in STOPWORDS
        }
        kept = []
        for word in words:
            # Judged on what the corpus lacks: "cutoff", not the "ferritin" naming it.
            probe = " ".join(w for w in word.split() if not self._all_known(w)) or word
            best = self.similar.best(probe, sorted(own))
            if best < self.settings.paraphrase_min:
                kept.append(word)
        return kept

    def matched_terms(self, question: str) -> list[str]:
        return list(dict.fromkeys(self.known(t) or t for t in self.vocab.terms(question)))

    def topic_units(self, question: str) -> list[Unit]:
        """The question's topic words and the stems that say them (answering/coverage.py)."""
        v = self.vocab
        question = self.topic_reference.sub(" ", question.replace(CONTEXT_LABEL, ""))
        terms = [t for t in self.matched_terms(question)
                 if t not in v.question_words and t not in v.subject_words]
        near = self.neighbours.near if self.neighbours else lambda _: []
        return units_of(terms, WORD.findall(question), v.terms, self.known, near)


# Words whose object is a thing a question asks about ("with food", "during pregnancy").
OBJECT_OF = frozenset({"with", "without", "before", "after", "during"})


def _plain_word(word: str) -> bool:
    """A word in lower case that is no abbreviation ("growth", not "TSH" or "tsh")."""
    return word.islower() and not abbreviation_shaped(word)
