"""Property-based tests (hypothesis): the chunker, the citation parser and the quiz grader hold
their invariants on arbitrary input, not only on the examples written elsewhere."""

from __future__ import annotations

import re
from functools import cache

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.answering.citing import MARKER, attach_marker, markers_in, renumber
from assistant.core.errors import InputError
from assistant.core.types import Citation, SourceFile
from assistant.ingest.chunk import chunk_source, strip_refs
from assistant.text.sentences import split_sentences

FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,  # nothing written into the repository
)

# Text shaped like a corpus: headings, bullets, reference marks, abbreviations, odd characters.
PIECES = st.sampled_from(
    [
        "# Heading\n", "## Sub heading\n", "- ", "* ", "1. ", "\n", "\n\n", "  ", "\t",
        "Prednisone is given.", " It helps.", " e.g. steroids", " ref. [^1]", " [2]", "[^3]",
        " (see ref. 2.)", ' He said "Stop."', " Dose: 0.5-1 mg/kg/day.", "Key points:",
        "[^1]: Reference one.", "IVIG", " anti-SRP", "?", "!", ".", ":", "\u00e9", "\u3000",
        "\ufffd", "[", "]", "#", "Title Line", "x" * 120,
    ]
)
CORPUS_TEXT = st.one_of(
    st.lists(PIECES, max_size=40).map("".join),
    st.text(max_size=400),
)
NAMES = st.sampled_from(["a.md", "notes/b.txt", "c.markdown", "d.TXT"])


def source(name: str, text: str) -> SourceFile:
    return SourceFile(name=name, text=text, sha256="0" * 64)


def squashed(text: str) -> str:
    return " ".join(text.split())


# --- the chunker --------------------------------------------------------------------------------


@FAST
@given(name=NAMES, text=CORPUS_TEXT, max_chars=st.integers(min_value=100, max_value=900))
def test_chunker_never_crashes_and_keeps_its_invariants(
    name: str, text: str, max_chars: int
) -> None:
    chunks = chunk_source(source(name, text), max_chars)
    lines = text.split("\n")
    for i, c in enumerate(chunks):
        assert c.chunk_id == f"{name}#{i}" and c.position == i and c.source == name
        assert c.sentences and all(s.strip() == s and s for s in c.sentences)
        assert c.text == " ".join(c.sentences)
        assert len(c.text) <= max_chars or len(c.sentences) == 1
        assert 1 <= c.line <= len(lines)
        assert all(isinstance(r, int) and 0 <= r <= 999 for r in c.refs)
        assert not MARKER.search(c.text) or "[" in text  # markers only ever come from the text
    assert len({c.chunk_id for c in chunks}) == len(chunks)


@FAST
@given(name=NAMES, text=CORPUS_TEXT)
def test_chunk_sentences_come_from_the_source(name: str, text: str) -> None:
    """Every sentence is source text: whitespace squashed and reference marks taken out."""
    whole = strip_refs(text)[0]
    for c in chunk_source(source(name, text), 800):
        for s in c.sentences:
            assert s in whole, (s, whole)


@FAST
@given(name=NAMES, text=CORPUS_TEXT, more=st.text(alphabet="abc .", min_size=1, max_size=60))
def test_chunk_ids_are_stable(name: str, text: str, more: str) -> None:
    first = chunk_source(source(name, text))
    assert chunk_source(source(name, text)) == first  # deterministic
    # Text added in a new paragraph at the end leaves every earlier passage and id as it was.
    assume(more.strip(" ."))
    grown = chunk_source(source(name, text.rstrip("\n") + "\n\nAdded " + more + "\n"))
    # In a .txt file a short last line, once text follows it after a blank line, is a heading.
    keep = len(first) - (1 if name.lower().endswith(".txt") else 0)
    assert grown[:keep] == first[:keep]


@FAST
@given(text=st.text(max_size=300))
def test_sentence_splitter_loses_no_words(text: str) -> None:
    pieces = split_sentences(text)
    joined = " ".join(pieces).split()
    original = text.split()
    # Closing quotes or brackets right after a full stop may be dropped; nothing else.
    dropped = [w for w in original if w not in joined]
    assert all(re.fullmatch(r"[\"')\]]+", w) for w in dropped), (pieces, dropped)


# --- the citation parser ------------------------------------------------------------------------


SENTENCE = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="[]"),
    max_size=80,
)


@FAST
@given(sentence=SENTENCE, marker=st.integers(1, 999))
def test_attach_marker_puts_the_marker_last(sentence: str, marker: int) -> None:
    out = attach_marker(sentence, marker)
    assert markers_in(out) == [marker]
    assert re.search(rf"\[{marker}\][.!?]$", out)
    kept = sentence.rstrip().rstrip(".!?").rstrip(" :;,")
    assert out.startswith(kept)


@FAST
@given(sentence=SENTENCE, markers=st.lists(st.integers(1, 999), min_size=1, max_size=4))
def test_attach_several_markers(sentence: str, markers: list[int]) -> None:
    assert markers_in(attach_marker(sentence, markers)) == markers


@FAST
@given(text=st.text(max_size=300))
def test_markers_in_never_crashes(text: str) -> None:
    found = markers_in(text)
    assert all(0 <= m <= 999 for m in found)
    assert len(found) == len(re.findall(r"\[\d{1,3}\]", text))


def citation(marker: int) -> Citation:
    return Citation(
        marker=marker, chunk_id=f"f.md#{marker}", source="f.md", section="S",
        text=f"passage {marker}", quote=f"quote {marker}",
    )


@FAST
@given(
    used=st.lists(st.integers(1, 30), max_size=12),
    known=st.sets(st.integers(1, 30), max_size=12),
    words=st.lists(st.sampled_from(["Steroids help", "IVIG works", "x", ""]), min_size=1),
)
def test_renumber_gives_1_to_n_in_order_of_appearance(
    used: list[int], known: set[int], words: list[str]
) -> None:
    text = " ".join(
        attach_marker(words[i % len(words)] or "Text", m) for i, m in enumerate(used)
    )
    cites = [citation(m) for m in sorted(known)]
    new_text, kept = renumber(text, cites)
    order = list(dict.fromkeys(m for m in used if m in known))
    assert [c.marker for c in kept] == list(range(1, len(order) + 1))
    assert [c.chunk_id for c in kept] == [f"f.md#{m}" for m in order]
    assert list(dict.fromkeys(markers_in(new_text))) == list(range(1, len(order) + 1))
    # Markers with no citation are dropped from the text, never left dangling.
    assert set(markers_in(new_text)) <= {c.marker for c in kept}
    assert renumber(new_text, kept) == (new_text, kept)  # idempotent


# --- the quiz grader ----------------------------------------------------------------------------


@cache
def quiz_items() -> list[object]:
    from assistant.core.settings import DEFAULT_CORPUS, DEFAULT_INDEX
    from assistant.domain.vocabulary import vocabulary_for
    from assistant.quiz.generate import ItemMaker
    from assistant.store.index import load_index

    chunks = load_index(DEFAULT_INDEX).chunks
    return list(ItemMaker(vocabulary_for(DEFAULT_CORPUS)).generate(chunks))


ANSWERS = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["A", "b)", "(c)", "Z", "prednisone", "0.5-1 mg/kg/day", "IVIG", "rituximab early",
         "not rituximab", "2 to 4 days", "99999999999999999999 mg", "1e308", "nan", "-1",
         "<script>alert(1)</script>", "'; DROP TABLE answers; --", "\x00\x1b[2J", "[1]"]
    ),
    st.lists(st.sampled_from(["prednisone", "IVIG", "no", "weeks", "4", "mg", "late"]))
    .map(" ".join),
)


@FAST
@given(data=st.data(), answer=ANSWERS)
def test_quiz_grader_never_crashes_and_scores_in_0_1(data: st.DataObject, answer: str) -> None:
    from assistant.core.settings import DEFAULT_CORPUS
    from assistant.domain.vocabulary import vocabulary_for
    from assistant.quiz.grading import Grader

    grade_item = Grader(vocabulary_for(DEFAULT_CORPUS)).grade_item

    items = quiz_items()
    assert items
    item = data.draw(st.sampled_from(items))
    try:
        grade = grade_item(item, answer)  # type: ignore[arg-type]
    except InputError as exc:
        assert not answer.split() and "\n" not in str(exc)
        return
    assert 0.0 <= grade.score <= 1.0
    assert grade.correct == (grade.verdict == "correct")
    assert (grade.verdict == "incorrect") == (grade.score == 0.0)
    assert grade.citations and grade.item_id == item.id  # type: ignore[attr-defined]


@FAST
@given(data=st.data())
def test_each_items_own_reference_answer_is_graded_correct(data: st.DataObject) -> None:
    from assistant.core.settings import DEFAULT_CORPUS
    from assistant.domain.vocabulary import vocabulary_for
    from assistant.quiz.grading import Grader

    grade_item = Grader(vocabulary_for(DEFAULT_CORPUS)).grade_item

    item = data.draw(st.sampled_from(quiz_items()))
    grade = grade_item(item, item.answer)  # type: ignore[arg-type, attr-defined]
    assert grade.correct, (item, grade)


@FAST
@given(name=st.text(max_size=60))
def test_learner_names_are_refused_or_safe(name: str) -> None:
    from assistant.quiz.progress import validate_learner

    try:
        shown, key = validate_learner(name)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert 0 < len(shown) <= 40 and key == shown.casefold()
    assert all(c.isprintable() for c in shown)
    assert "/" not in shown and "\\" not in shown and ".." not in shown and "\x00" not in shown
