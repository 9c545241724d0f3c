"""Follow-ups: a short question ("What dose?", "how is that one monitored?", "and if it fails?")
read against the structured state of the turns before it.

The state of a turn is data (core/types.py ``Turn``): its question, the topic it carried on
with, the sentences its answer cited. A follow-up's pronoun ("it", "that one", "the IV one",
"the second one") is resolved to a term of the previous question or answer; naming another
term of the same type ("and in anti-Y disease?") swaps it into the topic; asking for an
alternative ("what else?", "if that fails?") excludes what was already given. The result is a
standalone question for retrieval and answering, returned with the answer ("Read as: ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.asides import set_aside
from assistant.answering.gaps import VALUE_INTENTS
from assistant.core.types import Turn
from assistant.domain.learned import CorpusWords
from assistant.domain.vocabulary import Vocabulary
from assistant.text.drugs import looks_like_drug
from assistant.text.frequency import DOMAIN_TERM, everyday, zipf

# "the disease" is not on the list: it names the corpus's own subject, which needs no context.
PRONOUN = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|which of (?:them|these|those)|the drug|"
    r"the same)\b",
    re.IGNORECASE,
)
# A referring phrase to resolve: "that one", "the IV one", "the second one", "it", "this drug".
REFERENCE = re.compile(
    r"\b(?:(?:the|that|this)\s+(?:(first|second|third|last|other)\s+)?(?:([a-z][\w-]*)\s+)?"
    r"(?:one|drug|agent|test|option|treatment)|(?:it|its|they|them|this|that)(?=\s|$|[?.,!-]))\b",
    re.IGNORECASE,
)
# "the IV one", "that one", "the second one": a phrase that can only point back.
ONE_REFERENCE = re.compile(
    r"\b(?:(?:the|that|this)\s+(?:[a-z][\w-]*\s+)?one|which\s+one)\b", re.IGNORECASE
)
# Topic words a question naming nothing of its own may have and still lean on the last turn.
TERSE_WORDS = 2
WHICH = re.compile(r"^\s*which\b|\banything\b|\bwhat (?:can|could|should|would) (?:we|i|you) "
                   r"(?:give|use|try|add|start)\b", re.IGNORECASE)
ORDINALS = {"first": 0, "second": 1, "third": 2, "last": -1}
ELLIPSIS_START = re.compile(
    r"^\s*(and|also|what about|how about|and what about|what if|in|for|with|but|or|then|same)\b",
    re.IGNORECASE,
)
# A question opening on a conjunction goes on from the last turn, whatever it names.
CONTINUES = re.compile(r"^\s*(?:and|also|but|then|plus)\b", re.IGNORECASE)
# ... as does one ending on "too", "as well" or "also" ("folic acid too?"): the last one, of it.
TOO = re.compile(r"\b(?:too|as well|also)\W*$", re.IGNORECASE)
# Asking for something other than what was given: what was given is not given again.
ALTERNATIVE = re.compile(
    r"\b(alternatives?|else|other (?:options?|drugs?|treatments?|choices?)|instead|next|"
    r"second[- ]line|if (?:it|that|this|they) (?:fails?|does not work|do not work)|"
    r"(?:does not|do not|did not) (?:work|respond)|fails?|failed|refractory)\b",
    re.IGNORECASE,
)
# "What else does it ...?": more about the thing referred to, not something instead of it.
MORE_OF = re.compile(r"\bwhat else (?:does|do|did|is|are|can|could|will|would)\b", re.IGNORECASE)
# A pronoun in a question about giving or taking something ("could it be used on its own?",
# "anything to check before giving it?") stands for a treatment, not for the antibody or the
# disease the last question also named.
GIVEN = re.compile(
    r"\b(?:give|given|giving|gave|use|used|using|take|taken|taking|start|started|starting|stop|"
    r"stopped|stopping|dose|dosed|dosing|taper|tapered|tapering|wean|weaned|weaning|infuse|"
    r"infused|prescribe|prescribed|side[- ]effects?|respond|response|on (?:it|that|them))\b",
    re.IGNORECASE,
)
# A word that makes a phrase a question of its own.
ASKS = re.compile(
    r"\b(?:what|how|which|when|why|who|whom|where|whose|is|are|was|were|does|do|did|can|could|"
    r"should|would|will|may|might|must|has|have|had)\b|\?\s*\S",
    re.IGNORECASE,
)
# Marks the earlier turn's question inside a follow-up's reading: a label, not a word asked.
CONTEXT_LABEL = "context:"
# "Tell me more.", "go on", "explain": a request to continue, asking nothing of its own.
MORE = re.compile(
    r"^\W*(?:(?:please\s+)?(?:tell|say|give)\s+(?:me\s+)?more|more(?:\s+details?)?|go on|"
    r"continue|elaborate|explain(?:\s+(?:more|further))?|details?|expand(?:\s+on\s+(?:that|it))?)"
    r"(?:\s+please)?\W*$",
    re.IGNORECASE,
)
# Words that give what follows as an example of what came before.
EXAMPLE = re.compile(r"\b(?:such as|like|e\.g\.|for example|including|namely)\b", re.IGNORECASE)
# A word used in more than this share of passages names the corpus's subject, not a referent.
SUBJECT_SHARE = 0.3


@dataclass
class FollowUp:
    """How a question was read in its conversation."""

    standalone: str
    focus: str | None = None  # the follow-up's own words, which weigh most (None: all)
    topic: str = ""  # what the conversation is about from this turn on
    exclude: list[str] = field(default_factory=list)  # sentences not to give again
    referent: str | None = None  # what "it" / "that one" was read as


class Conversation:
    """Reads a follow-up against the earlier turns, with one corpus's vocabulary and words."""

    def __init__(self, vocab: Vocabulary, words: CorpusWords | None = None) -> None:
        self.vocab = vocab
        self.words = words or CorpusWords()

    def is_followup(self, question: str) -> bool:
        """A question that leans on the earlier turns rather than standing alone.

        "How is the response monitored?" names its own topic and stands alone; opening on "and"
        it goes on from the last turn (its own words stay its focus).
        """
        if PRONOUN.search(question) or ONE_REFERENCE.search(question):
            return True
        # "the second drug", "the other test": an ordinal reference can only point back.
        if any(m.group(1) for m in REFERENCE.finditer(question)):
            return True
        if CONTINUES.match(question) or TOO.search(question):
            # "and how big was the drop in admissions?" after a question about a trial: a
            # question opening on "and" carries on the conversation even when it names a topic
            # of its own.
            return True
        if ELLIPSIS_START.match(question):
            # "in kids with JDM?": a bare phrase, asking nothing of its own, carries on the
            # last question whatever it names; one that asks ("what about how X is monitored?")
            # needs a topic of its own to stand alone.
            return not self.asks_of_its_own(question)
        # "side effects?": a terse question naming nothing of its own (no drug, test or term
        # of the corpus) is about what the conversation was about.
        v = self.vocab
        return len(v.terms(question)) <= 1 or (
            len(v.terms(question)) <= TERSE_WORDS and not self.terms_in(question)
        )

    def asks_of_its_own(self, question: str) -> bool:
        """Whether a question asks something with a topic of its own (two or more topic words):
        "and how is the response monitored?" does; "and in kids - what dose?" does not."""
        v = self.vocab
        # The kind of value asked ("what dose?", "how long?") is the question's frame, not a
        # topic of its own: "and in kids - what dose?" still leans on the last turn.
        asked = _strip_ellipsis(question)
        for intent in VALUE_INTENTS:
            asked = intent.sub(" ", asked)
        # ... and so are the commonest words of English ("back", "down", "up", "off"): "and how
        # fast back down?" names no topic of its own.
        asked = " ".join(w for w in asked.split() if not everyday(w))
        # Naming another antibody or drug ("And in anti-Y disease?") is a follow-up.
        topic = [
            t
            for t in v.terms(asked)
            if t not in v.question_words and t not in v.types and t not in v.subject_words
        ]
        return len(topic) > 1 and bool(ASKS.search(_strip_ellipsis(question)))

    def read(self, question: str, history: Sequence[Turn]) -> tuple[str, str | None, str]:
        """(standalone question, focus, topic): see :meth:`follow`."""
        f = self.follow(question, history)
        return f.standalone, f.focus, f.topic

    def follow(self, question: str, history: Sequence[Turn], lean: bool = False) -> FollowUp:
        """The follow-up read against the earlier turns (unchanged when it stands alone).

        "What dose?" keeps its own words in focus, the earlier question only adding context;
        "And in anti-Y disease?" becomes a whole new question, with no narrower focus.
        """
        if not history or not (lean or MORE.match(question) or self.is_followup(question)):
            return FollowUp(question, None, question)
        v = self.vocab
        last = history[-1]
        previous = topic_of(history)
        if MORE.match(question):
            # Nothing of its own to focus on: the conversation's topic is the question.
            return FollowUp(previous, None, previous)
        exclude = list(last.quotes) if ALTERNATIVE.search(question) else []
        resolved, referent = self.resolve(question, last)
        if referent and MORE_OF.search(question):
            # "what else does that one predict?": more of what the referent does, which the
            # sentence naming it may already hold; only the other sentences are not given again.
            exclude = [q for q in exclude if referent.lower() not in q.lower()]
        new_entities = v.entities(resolved)
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
        if replaced and referent is None:
            rest = _strip_ellipsis(resolved)
            extra = [t for t in v.terms(rest) if t not in v.terms(swapped)]
            standalone = swapped if not extra else f"{swapped} ({rest})"
            return FollowUp(standalone, None, standalone, exclude)
        # "What dose?" / "Which of them ...": the new question, with what the last turn was about.
        about = [v.display(e) for t, e in v.entities(last.answer) if (t, e) not in new_entities][:4]
        context = previous.rstrip("?. ")
        # Only a pronoun left unresolved ("Which of them ...") points at the whole last answer.
        # A follow-up naming nothing ("and the side effects?") is about what answered the last
        # question: the first thing its answer named that the question did not.
        answered = [v.display(e) for t, e in v.entities(last.answer)
                    if (t, e) not in old_entities and (t, e) not in new_entities]
        own = [t for t in v.terms(resolved) if t not in v.question_words]
        # A question asking with a topic of its own ("and how is the response monitored?") is
        # about that topic, not about what the last answer named.
        tail = (
            f"; about {', '.join(about)}"
            if about and referent is None and PRONOUN.search(resolved)
            else f"; about {answered[0]}"
            if answered and own and referent is None and not new_entities
            and not self.asks_of_its_own(resolved)
            else ""
        )
        standalone = f"{resolved.rstrip()} ({CONTEXT_LABEL} {context}{tail})"
        if referent is None and not own:
            # "Why?": no words of its own to focus on; the whole reading is the question.
            return FollowUp(standalone, None, previous, exclude)
        return FollowUp(standalone, resolved, previous, exclude, referent)

    # --- what "it" and "that one" mean ----------------------------------------------------------

    def resolve(self, question: str, last: Turn) -> tuple[str, str | None]:
        """``question`` with its referring phrase replaced by what it refers to, and that."""
        # "how should they take it?", "how long do you keep them on it?": "they" and "them"
        # are usually the patients; the thing referred to is the other reference, if any.
        found = list(REFERENCE.finditer(question))
        m = next((x for x in found if x.group(0).lower() not in ("they", "their", "them")),
                 found[0] if found else None)  # fmt: skip
        if m is None or re.match(r"which of", question[max(0, m.start() - 9) : m.end()], re.I):
            return question, None
        ordinal, modifier = m.group(1), m.group(2)
        asked = self.terms_in(last.standalone_question or last.question)
        answered = [t for q in last.quotes for t in self.terms_in(q)]
        candidates = list(dict.fromkeys(asked + answered))
        if not candidates:
            return question, None
        referent: str | None = None
        if modifier and self.terms_in(modifier):  # "the ABC one": the term itself
            referent = self.terms_in(modifier)[0]
        elif modifier:  # "the IV one": a term of the last turn that the word comes with
            referent = self._with_modifier(modifier, last)
        elif ordinal and ordinal.lower() == "other":
            # "the other one": the other thing the last answer named ("the other eye").
            other = re.search(r"\bother\s+([a-z][\w-]+)", " ".join(last.quotes), re.I)
            the = "the " if m.group(0).lower().startswith("the ") else ""
            referent = f"{the}other {other.group(1)}" if other else None
        elif ordinal:
            pool = list(dict.fromkeys(answered)) or candidates
            if re.search(r"(?:drug|agent|treatment)$", m.group(0), re.IGNORECASE):
                # "the second drug": the second treatment named, not the second term, and not
                # an example of the first ("steroids, such as drug A, with an agent like drug B
                # or C": the second is drug B).
                listed = [t for q in last.quotes for t in self.items_in(q)]
                pool = [t for t in dict.fromkeys(listed) if self._is_treatment(t)] or [
                    t for t in pool if self._is_treatment(t)] or pool
            index = ORDINALS.get(ordinal.lower())
            if index is not None and (index < len(pool) or index == -1):
                referent = pool[index]
        else:
            # After "which X ...?" the thing meant is what answered it, not the X asked for.
            asked_words = self._asked_words(asked)
            new = [t for t in answered if t.lower() not in asked_words]
            given = [t for t in candidates if GIVEN.search(question) and self._is_treatment(t)]
            # "apart from X, what else?" asks which, as "which ...?" and "anything to ...?" do:
            # X is not meant; "that one" points at a choice, what answered ("2nd if X fails?").
            lq = last.standalone_question or last.question
            which = bool(WHICH.search(lq) or set_aside(lq, self.vocab)
                         or ONE_REFERENCE.fullmatch(m.group(0)))
            if new and which:
                referent = self._of_kind(new, last) or new[0]
            elif given:
                referent = given[0]
            else:
                referent = (asked or answered)[0] if (asked or answered) else None
        if not referent:
            return question, None
        return question[: m.start()] + referent + question[m.end() :], referent

    def _asked_words(self, asked: list[str]) -> set[str]:
        """The asked terms, lower-cased, with the words of an asked abbreviation's long form:
        "PAH" asked, "arterial" in the answer is the same thing said in full, not what answered."""
        out = {a.lower() for a in asked}
        for a in asked:
            long = self.words.long_form(a)
            if long:
                out |= {w.lower() for w in re.findall(r"[\w-]+", long)}
        return out

    def _of_kind(self, new: list[str], last: Turn) -> str | None:
        """Of the terms that answered "which X ...?", the first that the quotes name beside the
        kind asked ("anticentromere antibody" after "which antibody ..."), if any."""
        m = re.match(r"\s*which\s+([a-z][\w-]*)", last.standalone_question or last.question, re.I)
        if not m:
            return None
        kind = re.escape(m.group(1).lower().rstrip("s")[:6])
        for term in new:
            near = re.compile(
                rf"\b{re.escape(term)}\s+{kind}\w*|\b{kind}\w*\s+(?:\w+\s+)?{re.escape(term)}\b",
                re.IGNORECASE,
            )
            if any(near.search(q) for q in last.quotes):
                return term
        return None

    def _with_modifier(self, modifier: str, last: Turn) -> str | None:
        words = {modifier.lower(), *(w.lower() for w in self.vocab.rewrite(modifier)[0].split())}
        for text in [last.standalone_question or last.question, *last.quotes]:
            for m in re.finditer(r"\b([\w-]+)\s+([\w-]+(?:\s+[\w-]+)?)", text):
                if m.group(1).lower() in words and self.terms_in(m.group(2)):
                    return f"{m.group(1)} {self.terms_in(m.group(2))[0]}"
        return None

    def terms_in(self, text: str) -> list[str]:
        """Domain terms of ``text`` in order, as written: typed terms of the packs, the corpus's
        abbreviations, and its words rare in English; never its subject's words."""
        return [w for _, w in self.spans_in(text)]

    def spans_in(self, text: str) -> list[tuple[int, str]]:
        """:meth:`terms_in` with where each starts."""
        v = self.vocab
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for s, e, term in v.canonical_spans(text):
            if term in v.types and term not in v.subject_words and not self.names_subject(term):
                found.append((s, text[s:e]))
                taken.append((s, e))
        for m in re.finditer(r"[A-Za-z][\w-]*[A-Za-z0-9]", text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            word = m.group(0)
            low = word.lower()
            if low not in self.words.counts or self.names_subject(low):
                continue
            if word in self.words.abbreviations or (
                len(word) >= 5 and zipf(low) < DOMAIN_TERM
            ):
                found.append((m.start(), word))
        return sorted(found)

    def items_in(self, text: str) -> list[str]:
        """The terms of ``text`` as the items it names: a term given as an example ("such as
        X", "like X, Y or Z") is no item of its own when the thing it exemplifies is a term
        too, and only the first of a run of examples stands for a thing named in plain words
        ("an agent like X, Y or Z": X)."""
        out: list[str] = []
        end, in_examples, first, head = 0, False, False, False
        for start, term in self.spans_in(text):
            if text[start + len(term) : start + len(term) + 1] == "-":
                continue  # a word of a compound ("steroid-sparing agent"), not a thing named
            between = text[end:start]
            example = EXAMPLE.search(between)
            if example:
                # Examples of the term just before ("X, such as Y") or of plain words.
                in_examples, first = True, True
                lead = between[: example.start()]
                head = bool(out) and re.fullmatch(r"[\s,(]*", lead) is not None
            elif in_examples and re.fullmatch(r"[\s,]*(?:and|or)?\s*", between):
                first = False
            else:
                in_examples = False
            if not in_examples or (first and not head):
                out.append(term)
            end = start + len(term)
        return out

    def _is_treatment(self, term: str) -> bool:
        return looks_like_drug(term) or any(kind == "drug" for kind, _ in self.vocab.entities(term))

    def names_subject(self, word: str) -> bool:
        """Whether ``word`` names the corpus's subject (used in many of its passages)."""
        if word in self.vocab.subject_words:
            return True
        n = self.words.passages
        return n >= 5 and self.words.counts.get(word.lower(), 0) > SUBJECT_SHARE * n

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
