"""Quiz progress per learner: every answer committed as it is given, Leitner boxes.

The rows live in the database of ``IMNM_DATABASE_URL`` (``assistant.storage``), by default
``quiz.sqlite3`` under ``Settings().data_dir`` (WAL mode). Each answer is one transaction (the
answer row and the item's new box together), so a process killed between answers loses nothing
already recorded. Learner names are user input and only ever used as database keys (bound
parameters), never as file names; they are still checked, to keep them printable and unambiguous.

Leitner scheduling: a new item answered correctly goes to box 2; each correct answer moves it up
a box (to 5 at most), a partly correct one keeps it where it is, a wrong one sends it back to
box 1. Box 1 is due again at once, higher boxes after 1, 3, 7 and 21 days, so missed items come
back sooner than known ones.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.errors import InputError, StorageError
from assistant.storage.database import Database
from assistant.storage.progress import Answer, ProgressStore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from assistant.quiz.items import Grade, Item

DB_NAME = "quiz.sqlite3"
MAX_NAME = 40
DAY = 86400.0
# Seconds until an item in each box is due again.
INTERVALS: dict[int, float] = {1: 0.0, 2: 1 * DAY, 3: 3 * DAY, 4: 7 * DAY, 5: 21 * DAY}
TOP_BOX = max(INTERVALS)
CHART_MIN_ANSWERS = 5  # the progress line's axis shows at least this many answers
_NAME_OK = re.compile(r"^[^\W_][\w .'\-]*$")


def validate_learner(name: str) -> tuple[str, str]:
    """(display name, key) of a learner name; a bad name is refused in one line."""
    if not isinstance(name, str):
        raise InputError("learner name must be text")
    shown = " ".join(unicodedata.normalize("NFC", name).split())
    if not shown:
        raise InputError("learner name is empty: give a name such as --learner ann")
    if len(shown) > MAX_NAME:
        raise InputError(f"learner name too long ({len(shown)} characters; at most {MAX_NAME})")
    if (
        any(not c.isprintable() for c in name.strip())
        or ".." in shown
        or not _NAME_OK.match(shown)
    ):
        raise InputError(
            "learner name may hold only letters, digits, spaces and . ' - _ and must start "
            f"with a letter or digit: {shown[:MAX_NAME]!r}"
        )
    return shown, shown.casefold()


def next_box(box: int | None, verdict: str) -> int:
    if verdict == "correct":
        return min((box or 1) + 1, TOP_BOX)
    if verdict == "partly correct":
        return box or 1
    return 1


@dataclass
class Recorded:
    answer_id: int
    box_before: int | None
    box_after: int
    due_at: float
    again: bool = False  # this ticket was answered before: the first answer stands


class Progress:
    """Learners' progress in one database: a SQLite file (``path``), a database URL or a
    ``Database``. Each call opens its own short connection on SQLite (threads and processes may
    share the file; SQLite's locking and WAL keep them apart), a pooled one on a server.

    The schema is created (or migrated) here, unless ``eager`` is False: then on first use (the
    chat starts even while its database server is down, and says so per answer)."""

    def __init__(
        self,
        path: Path | str | Database,
        timeout: float = 5.0,
        max_pages: int | None = None,
        eager: bool = True,
    ) -> None:
        db = path if isinstance(path, Database) else Database(
            path, timeout=timeout, max_pages=max_pages
        )  # fmt: skip
        self.store = ProgressStore(db)
        self.path = db.path
        if eager:
            self.store.ensure()

    @classmethod
    def for_settings(cls, settings: Any, eager: bool = True) -> Progress:
        return cls(Database.for_settings(settings, DB_NAME), eager=eager)

    def ensure(self) -> None:
        self.store.ensure()

    # --- writing -------------------------------------------------------------------------------

    def record(
        self,
        learner: str,
        item: Item,
        grade: Grade,
        answer: str,
        session: str,
        now: float | None = None,
        ticket: str | None = None,
    ) -> Recorded:
        """Save one answer and the item's new box in one committed transaction. With a
        ``ticket`` (one per time the item was asked) an answer sent twice is stored once."""
        shown, key = validate_learner(learner)
        now = time.time() if now is None else now

        def schedule(before: int | None) -> tuple[int, float]:
            after = next_box(before, grade.verdict)
            return after, now + INTERVALS[after]

        saved = self.store.record(
            Answer(key=key, name=shown, session=session, item_id=item.id, topic=item.topic,
                   question=item.question, answer=answer, verdict=grade.verdict,
                   score=grade.score, at=now, ticket=ticket),
            schedule,
        )  # fmt: skip
        return Recorded(saved.answer_id, saved.box_before, saved.box_after, saved.due_at,
                        saved.again)  # fmt: skip

    def ask(self, learner: str, session: str, item_id: str, ticket: str) -> None:
        """Note the item just asked in ``session``: any replica can then take its answer."""
        _, key = validate_learner(learner)
        self.store.set_pending(key, session, item_id, ticket, time.time())

    def asked(self, learner: str, session: str) -> tuple[str, str] | None:
        """(item id, ticket) of the item last asked in ``session``."""
        _, key = validate_learner(learner)
        return self.store.pending(key, session)

    def answered(self, ticket: str) -> str | None:
        """The answer given to ``ticket`` (None while it is unanswered)."""
        return self.store.answer_text(ticket)

    # --- reading -------------------------------------------------------------------------------

    def boxes(self, learner: str) -> dict[str, tuple[int, float]]:
        """item id -> (box, due time) of every item the learner has answered."""
        _, key = validate_learner(learner)
        return self.store.boxes(key)

    def history(self, learner: str, session: str | None = None) -> list[dict[str, Any]]:
        """The learner's answers (in one session, if given), oldest first."""
        _, key = validate_learner(learner)
        return self.store.history(key, session)

    def next_items(
        self,
        learner: str,
        items: Sequence[Item],
        n: int = 1,
        exclude: Sequence[str] = (),
        now: float | None = None,
    ) -> list[Item]:
        """The next ``n`` items: due reviews first (lowest box, longest overdue), then new items
        in bank order. Items not yet due are not asked."""
        now = time.time() if now is None else now
        boxes = self.boxes(learner)
        skip = set(exclude)
        order = {item.id: i for i, item in enumerate(items)}
        due = sorted(
            (it for it in items if it.id in boxes and boxes[it.id][1] <= now and it.id not in skip),
            key=lambda it: (boxes[it.id][0], boxes[it.id][1], order[it.id]),
        )
        new = [it for it in items if it.id not in boxes and it.id not in skip]
        return (due + new)[:n]

    def summary(self, learner: str, items: Sequence[Item], now: float | None = None) -> dict[
        str, Any
    ]:
        """Scores overall and by topic, the Leitner boxes and how many items are due."""
        shown, key = validate_learner(learner)
        now = time.time() if now is None else now
        shown = self.store.name_of(key) or shown
        history = self.history(learner)
        boxes = self.boxes(learner)
        topic_of = {it.id: it.topic for it in items}
        by_topic: dict[str, dict[str, Any]] = {}
        for it in items:
            t = by_topic.setdefault(it.topic, _empty_topic())
            t["items"] += 1
            if it.id in boxes:
                t["seen"] += 1
                t["mastered"] += boxes[it.id][0] >= 4
        for h in history:
            t = by_topic.setdefault(topic_of.get(h["item_id"], h["topic"]), _empty_topic())
            t["answered"] += 1
            kind = {"correct": "correct", "partly correct": "partly"}.get(h["verdict"])
            t[kind or "incorrect"] += 1
            t["score_sum"] += h["score"]
        for t in by_topic.values():
            total = t.pop("score_sum")
            t["mean_score"] = round(total / t["answered"], 3) if t["answered"] else None
        answered = len(history)
        return {
            "learner": shown,
            "answered": answered,
            "correct": sum(1 for h in history if h["verdict"] == "correct"),
            "mean_score": round(sum(h["score"] for h in history) / answered, 3) if answered
            else None,
            "by_topic": dict(sorted(by_topic.items())),
            "boxes": {b: sum(1 for v in boxes.values() if v[0] == b) for b in INTERVALS},
            "due": sum(1 for it in items if it.id in boxes and boxes[it.id][1] <= now),
            "new": sum(1 for it in items if it.id not in boxes),
        }  # fmt: skip


def _empty_topic() -> dict[str, Any]:
    return {"items": 0, "seen": 0, "mastered": 0, "answered": 0, "correct": 0, "partly": 0,
            "incorrect": 0, "score_sum": 0.0}  # fmt: skip


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as a few plain lines (terminal)."""
    lines = [
        f"{summary['learner']}: {plural(summary['answered'], 'answer')}, "
        f"{summary['correct']} correct"
        + (f", mean score {summary['mean_score']:.2f}" if summary["mean_score"] is not None
           else "")
        + f"; {summary['due']} due for review, {summary['new']} new",
    ]  # fmt: skip
    for topic, t in summary["by_topic"].items():
        score = f"{t['mean_score']:.2f}" if t["mean_score"] is not None else "–"
        lines.append(
            f"  {topic:<12} score {score:>4}  answered {t['answered']:>3}  "
            f"seen {t['seen']}/{t['items']}  mastered {t['mastered']}"
        )
    lines.append("  boxes: " + "  ".join(f"{b}:{n}" for b, n in summary["boxes"].items()))
    return "\n".join(lines)


def progress_figure(summary: dict[str, Any], history: Sequence[dict[str, Any]]) -> Figure:
    """Mean score by topic (bars) and the running score over answers (line)."""
    from matplotlib.figure import Figure  # no pyplot: safe in server threads

    fig = Figure(figsize=(9, 3.4), dpi=100)
    ax1, ax2 = fig.subplots(1, 2)
    topics = list(summary["by_topic"])
    scores = [summary["by_topic"][t]["mean_score"] or 0.0 for t in topics]
    bars = ax1.bar(topics, scores, color="#4c78a8")
    for bar, t in zip(bars, topics, strict=True):
        ax1.annotate(
            f"n={summary['by_topic'][t]['answered']}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center", va="bottom", fontsize=8,
        )  # fmt: skip
    ax1.set_ylim(0, 1.1)
    ax1.set_ylabel("mean score")
    ax1.set_title("Score by topic")
    ax1.tick_params(axis="x", labelrotation=20, labelsize=8)
    running: list[float] = []
    total = 0.0
    for i, h in enumerate(history, 1):
        total += float(h["score"])
        running.append(total / i)
    if running:
        ax2.plot(range(1, len(running) + 1), running, marker="o", markersize=3, color="#f58518")
    else:
        ax2.text(0.5, 0.5, "no answers yet", ha="center", va="center", transform=ax2.transAxes)
    from matplotlib.ticker import MaxNLocator

    # Whole answers from 1, with room for a few more: one answer alone was drawn on an axis
    # running 0.94-1.06 (matplotlib's autoscale around a single point).
    ax2.set_xlim(0.5, max(len(running), CHART_MIN_ANSWERS) + 0.5)
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax2.set_ylim(0, 1.05)
    ax2.set_xlabel("answers")
    ax2.set_ylabel("running mean score")
    ax2.set_title(f"Progress of {summary['learner']}")
    # Fixed margins: tight_layout() drew the figure once more just to measure it (about a third
    # of a quiz answer's time on the server).
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.2, top=0.9, wspace=0.25)
    return fig


def save_chart(summary: dict[str, Any], history: Sequence[dict[str, Any]], path: Path) -> Path:
    try:
        progress_figure(summary, history).savefig(path, format="png")
    except OSError as exc:
        raise StorageError(f"cannot write the chart to {path}: {exc.strerror}") from exc
    return path
