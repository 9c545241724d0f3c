"""Quiz progress in SQLite: Leitner scheduling, learner names, locked and full databases, the
summary and chart, and the Quiz tab's handlers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.core.errors import InputError, StorageError
from assistant.core.settings import DEFAULT_CORPUS
from assistant.core.types import SourceFile
from assistant.domain.vocabulary import vocabulary_for
from assistant.ingest.chunk import chunk_corpus
from assistant.ingest.corpus import load_corpus
from assistant.quiz.bank import Bank, build_bank
from assistant.quiz.grading import Grader
from assistant.quiz.items import Item
from assistant.quiz.progress import (
    DAY,
    Progress,
    next_box,
    progress_figure,
    save_chart,
    summary_text,
    validate_learner,
)
from assistant.web.quiz_tab import QuizTab, md_escape, render_item

T0 = 1_800_000_000.0


PACK = vocabulary_for(DEFAULT_CORPUS)
grade_item = Grader(PACK).grade_item


@pytest.fixture(scope="module")
def bank() -> Bank:
    return build_bank(chunk_corpus(load_corpus(DEFAULT_CORPUS)), vocab=PACK)


@pytest.fixture
def store(tmp_path: Path) -> Progress:
    return Progress(tmp_path / "data" / "quiz.sqlite3")


def right(item: Item) -> str:
    if item.options:
        return chr(65 + (item.correct_option or 0))
    return item.facts[0].fact


def answer(store: Progress, who: str, item: Item, text: str, now: float) -> str:
    grade = grade_item(item, text)
    store.record(who, item, grade, text, "s1", now=now)
    return grade.verdict


@pytest.mark.parametrize(
    "name",
    ["", "   ", "../etc/passwd", "a/b", "a\\b", "..", ".hidden", "-rf", "x" * 41, "bob\x00",
     "bob\nalice", "<script>", "name;drop table", "_x", "a\u202eb"],
)  # fmt: skip
def test_bad_learner_names_are_refused(name: str) -> None:
    with pytest.raises(InputError) as err:
        validate_learner(name)
    assert "\n" not in str(err.value) and "learner name" in str(err.value)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Ann Lee", "ann lee"), ("  ann   lee ", "ann lee"), ("José", "josé"), ("o'Neil", "o'neil"),
     ("ann-marie_2", "ann-marie_2"), ("李雷", "李雷"), ("Dr. Who", "dr. who")],
)  # fmt: skip
def test_good_learner_names(name: str, key: str) -> None:
    assert validate_learner(name)[1] == key


def test_leitner_boxes() -> None:
    assert [next_box(None, v) for v in ("correct", "partly correct", "incorrect")] == [2, 1, 1]
    assert next_box(3, "correct") == 4 and next_box(5, "correct") == 5
    assert next_box(4, "partly correct") == 4 and next_box(4, "incorrect") == 1


def test_missed_items_come_back_sooner(store: Progress, bank: Bank) -> None:
    items = bank.items[:6]
    a, b, c = items[0], items[1], items[2]
    assert answer(store, "ann", a, "zzz wrong", T0) == "incorrect"
    assert answer(store, "ann", b, right(b), T0) == "correct"
    assert answer(store, "ann", c, right(c), T0) == "correct"
    # A minute later: the missed item first, then new ones; the known ones are not due.
    nxt = store.next_items("ann", items, 6, now=T0 + 60)
    assert [i.id for i in nxt] == [a.id] + [i.id for i in items[3:]]
    # Within a session, items already asked are skipped.
    assert store.next_items("ann", items, 1, exclude=[a.id], now=T0 + 60)[0].id == items[3].id
    # After a day the known ones are due again (box 2), after the missed one (box 1).
    due = store.next_items("ann", items, 3, now=T0 + DAY + 1)
    assert [i.id for i in due] == [a.id, b.id, c.id]
    # b climbs a box per correct answer; its next review moves further out.
    assert answer(store, "ann", b, right(b), T0 + DAY + 2) == "correct"
    assert store.boxes("ann")[b.id] == (3, T0 + DAY + 2 + 3 * DAY)
    assert answer(store, "ann", b, "zzz", T0 + DAY + 3) == "incorrect"
    assert store.boxes("ann")[b.id][0] == 1
    # Learners do not share progress; names are case-insensitive keys.
    assert store.next_items("bob", items, 1, now=T0)[0].id == a.id
    assert len(store.history("ANN")) == 5 and store.history("bob") == []


def test_summary_by_topic_and_chart(store: Progress, bank: Bank, tmp_path: Path) -> None:
    treat = [i for i in bank.items if i.topic == "treatment"][:2]
    diag = [i for i in bank.items if i.topic == "diagnosis"][:1]
    answer(store, "Ann Lee", treat[0], right(treat[0]), T0)
    answer(store, "ann lee", treat[1], "zzz", T0 + 1)
    answer(store, "ann lee", diag[0], right(diag[0]), T0 + 2)
    s = store.summary("ann lee", bank.items, now=T0 + 10)
    assert s["learner"] == "Ann Lee"  # the name as first given
    assert (s["answered"], s["correct"], s["mean_score"]) == (3, 2, round(2 / 3, 3))
    assert s["by_topic"]["treatment"]["answered"] == 2
    assert s["by_topic"]["treatment"]["mean_score"] == 0.5
    assert s["by_topic"]["diagnosis"]["mean_score"] == 1.0
    assert s["by_topic"]["prognosis"]["answered"] == 0
    assert s["boxes"][1] == 1 and s["boxes"][2] == 2 and s["due"] == 1
    assert s["new"] == len(bank.items) - 3
    assert "treatment" in summary_text(s)
    fig = progress_figure(s, store.history("ann lee"))
    assert len(fig.axes) == 2 and len(fig.axes[0].patches) == len(s["by_topic"])
    png = save_chart(s, store.history("ann lee"), tmp_path / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("answers", [0, 1, 2, 9])
def test_the_progress_axis_counts_whole_answers_from_one(
    store: Progress, bank: Bank, answers: int
) -> None:
    """After one answer the line was drawn on an axis running 0.94-1.06 with a tick at 1.0."""
    for i, item in enumerate(bank.items[:answers]):
        answer(store, "ann", item, right(item), T0 + i)
    fig = progress_figure(store.summary("ann", bank.items), store.history("ann"))
    line_axes = fig.axes[1]
    fig.canvas.draw()  # ticks are placed when drawn
    low, high = line_axes.get_xlim()
    assert low == 0.5 and high == max(answers, 5) + 0.5
    ticks = [t for t in line_axes.get_xticks() if low <= t <= high]
    assert ticks and all(float(t).is_integer() and t >= 1 for t in ticks), ticks
    if answers == 0:
        assert "no answers yet" in [t.get_text() for t in line_axes.texts]


def test_locked_database_gives_one_line_and_loses_nothing(
    store: Progress, bank: Bank
) -> None:
    item = bank.items[0]
    answer(store, "ann", item, right(item), T0)
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        impatient = Progress(store.path, timeout=0.2)
        with pytest.raises(StorageError, match="locked by another process") as err:
            answer(impatient, "ann", bank.items[1], right(bank.items[1]), T0 + 1)
        assert "\n" not in str(err.value) and "earlier answers are kept" in str(err.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert [h["item_id"] for h in store.history("ann")] == [item.id]
    answer(store, "ann", bank.items[1], right(bank.items[1]), T0 + 2)
    assert len(store.history("ann")) == 2


def test_full_disk_gives_one_line_and_loses_nothing(tmp_path: Path, bank: Bank) -> None:
    path = tmp_path / "quiz.sqlite3"
    store = Progress(path)
    answer(store, "ann", bank.items[0], right(bank.items[0]), T0)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    full = Progress(path, max_pages=pages)  # SQLite's own "database or disk is full"
    long = "x " * 1000
    with pytest.raises(StorageError, match="disk full") as err:
        for i, item in enumerate(bank.items[1:40]):
            full.record("ann", item, grade_item(item, long), long, "s", now=T0 + i)
    assert "\n" not in str(err.value)
    kept = Progress(path).history("ann")
    assert kept[0]["item_id"] == bank.items[0].id
    # Each saved answer is whole: its box row exists too.
    boxes = Progress(path).boxes("ann")
    assert {h["item_id"] for h in kept} == set(boxes)


def test_damaged_database_and_unwritable_folder(tmp_path: Path) -> None:
    bad = tmp_path / "quiz.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="damaged"):
        Progress(bad)
    assert bad.read_bytes().startswith(b"this is not")  # not overwritten
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the quiz data folder"):
        Progress(blocker / "sub" / "quiz.sqlite3")


# --- the Quiz tab ---------------------------------------------------------------------------


def test_quiz_tab_handlers(store: Progress, bank: Bank) -> None:
    tab = QuizTab(bank, store)
    md, state, fb = tab.next_item("../x", None, None)
    assert md == "" and "learner name" in fb
    fb, state, summary, fig, box = tab.submit("ann", "IVIG", None)
    assert "Next item" in fb
    md, state, fb = tab.next_item("ann", "prognosis", None)
    item = bank.by_id[state["item"]]
    assert item.topic == "prognosis" and md_escape(item.question) in md
    fb, state, summary, fig, box = tab.submit("ann", "zzz wrong", state)
    assert "Incorrect" in fb and md_escape(item.quote) in fb and "Reference answer" in fb
    assert box == "" and state["item"] is None
    assert "1 answer," in summary and fig is not None and len(fig.axes) == 2
    # The missed item is not asked again in the same session; the next one is new.
    _md2, state, _ = tab.next_item("ann", "prognosis", state)
    assert state["item"] != item.id
    assert store.history("ann")[0]["item_id"] == item.id


def test_corpus_text_is_escaped() -> None:
    source = SourceFile(
        name="x.md",
        text="# T\n\nThe drug <script>alert(1)</script> **bold** [link](http://e.x) and rituximab "
        "helps the *patients* a lot.\n",
        sha256="0",
    )
    items = build_bank(chunk_corpus([source]), vocab=PACK).items
    assert items
    for item in items:
        shown = render_item(item, 1)
        assert "<script>" not in shown and "&lt;script&gt;" in shown
        assert "**bold**" not in shown and "[link](" not in shown
