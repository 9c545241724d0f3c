"""Quiz progress per learner in SQLite: every answer committed as it is given, Leitner boxes.

The database (``quiz.sqlite3`` under ``Settings().data_dir``) runs in WAL mode and each answer is
one transaction (the answer row and the item's new box together), so a process killed between
answers loses nothing already recorded. Learner names are user input and only ever used as
database keys (bound parameters), never as file names; they are still checked, to keep them
printable and unambiguous.

Leitner scheduling: a new item answered correctly goes to box 2; each correct answer moves it up
a box (to 5 at most), a partly correct one keeps it where it is, a wrong one sends it back to
box 1. Box 1 is due again at once, higher boxes after 1, 3, 7 and 21 days, so missed items come
back sooner than known ones.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.errors import InputError, StorageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from assistant.quiz.items import Grade, Item

DB_NAME = "quiz.sqlite3"
MAX_NAME = 40
DAY = 86400.0
# Seconds until an item in each box is due again.
INTERVALS: dict[int, float] = {1: 0.0, 2: 1 * DAY, 3: 3 * DAY, 4: 7 * DAY, 5: 21 * DAY}
TOP_BOX = max(INTERVALS)
_NAME_OK = re.compile(r"^[^\W_][\w .'\-]*$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS learners (
    key TEXT PRIMARY KEY, name TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, learner TEXT NOT NULL, session TEXT NOT NULL,
    item_id TEXT NOT NULL, topic TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    verdict TEXT NOT NULL, score REAL NOT NULL, box_before INTEGER, box_after INTEGER NOT NULL,
    answered_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS answers_by_learner ON answers (learner, id);
CREATE TABLE IF NOT EXISTS boxes (
    learner TEXT NOT NULL, item_id TEXT NOT NULL, box INTEGER NOT NULL, due_at REAL NOT NULL,
    last_at REAL NOT NULL, PRIMARY KEY (learner, item_id));
"""


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


def _storage_error(exc: sqlite3.Error, path: Path) -> StorageError:
    text = str(exc).lower()
    kept = "earlier answers are kept"
    if "locked" in text or "busy" in text:
        return StorageError(
            f"quiz progress is locked by another process ({path}); try again in a moment "
            f"({kept})"
        )
    if "full" in text:
        return StorageError(f"disk full: this answer could not be saved to {path} ({kept})")
    if "disk i/o error" in text:
        # What a failed write (no space, a file-size limit, a failing disk) usually looks like.
        return StorageError(
            f"cannot write quiz progress at {path}: disk I/O error (is the disk full?); {kept}"
        )
    if "not a database" in text or "malformed" in text:
        return StorageError(
            f"quiz progress file {path} is damaged ({exc}); move it aside to start afresh"
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError(f"cannot write quiz progress at {path}: {exc}")
    return StorageError(f"quiz progress at {path} failed: {exc}")


class Progress:
    """One learner database. Each call opens its own short connection (threads and processes
    may share the file; SQLite's locking and WAL keep them apart)."""

    def __init__(self, path: Path, timeout: float = 5.0, max_pages: int | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self._max_pages = max_pages  # caps the file (SQLite's own "disk full"), for tests
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the quiz data folder {path.parent}: {exc.strerror}"
            ) from exc
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    @classmethod
    def for_settings(cls, settings: Any) -> Progress:
        return cls(Path(settings.data_dir) / DB_NAME)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if self._max_pages is not None:
                conn.execute(f"PRAGMA max_page_count={int(self._max_pages)}")
            yield conn
        except sqlite3.Error as exc:
            if conn is not None and conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise _storage_error(exc, self.path) from exc
        finally:
            if conn is not None:
                conn.close()

    # --- writing -------------------------------------------------------------------------------

    def record(
        self,
        learner: str,
        item: Item,
        grade: Grade,
        answer: str,
        session: str,
        now: float | None = None,
    ) -> Recorded:
        """Save one answer and the item's new box in one committed transaction."""
        shown, key = validate_learner(learner)
        now = time.time() if now is None else now
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT OR IGNORE INTO learners (key, name, created_at) VALUES (?, ?, ?)",
                (key, shown, now),
            )
            row = conn.execute(
                "SELECT box FROM boxes WHERE learner = ? AND item_id = ?", (key, item.id)
            ).fetchone()
            before = int(row[0]) if row else None
            after = next_box(before, grade.verdict)
            due = now + INTERVALS[after]
            cur = conn.execute(
                "INSERT INTO answers (learner, session, item_id, topic, question, answer, "
                "verdict, score, box_before, box_after, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, session, item.id, item.topic, item.question, answer[:2000],
                 grade.verdict, grade.score, before, after, now),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO boxes (learner, item_id, box, due_at, last_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (learner, item_id) DO UPDATE SET box = excluded.box,"
                " due_at = excluded.due_at, last_at = excluded.last_at",
                (key, item.id, after, due, now),
            )
            conn.execute("COMMIT")
            return Recorded(int(cur.lastrowid or 0), before, after, due)

    # --- reading -------------------------------------------------------------------------------

    def boxes(self, learner: str) -> dict[str, tuple[int, float]]:
        """item id -> (box, due time) of every item the learner has answered."""
        _, key = validate_learner(learner)
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT item_id, box, due_at FROM boxes WHERE learner = ?", (key,)
            ).fetchall()
        return {r[0]: (int(r[1]), float(r[2])) for r in rows}

    def history(self, learner: str) -> list[dict[str, Any]]:
        """The learner's answers, oldest first."""
        _, key = validate_learner(learner)
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                "SELECT id, session, item_id, topic, question, answer, verdict, score, "
                "box_before, box_after, answered_at FROM answers WHERE learner = ? ORDER BY id",
                (key,),
            ).fetchall()
        return [dict(r) for r in rows]

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
        with self._connect() as conn:
            row = conn.execute("SELECT name FROM learners WHERE key = ?", (key,)).fetchone()
        shown = str(row[0]) if row else shown
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


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as a few plain lines (terminal)."""
    lines = [
        f"{summary['learner']}: {summary['answered']} answers, {summary['correct']} correct"
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
    from matplotlib.ticker import MaxNLocator

    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.set_ylim(0, 1.05)
    ax2.set_xlabel("answers")
    ax2.set_ylabel("running mean score")
    ax2.set_title(f"Progress of {summary['learner']}")
    fig.tight_layout()
    return fig


def save_chart(summary: dict[str, Any], history: Sequence[dict[str, Any]], path: Path) -> Path:
    try:
        progress_figure(summary, history).savefig(path, format="png")
    except OSError as exc:
        raise StorageError(f"cannot write the chart to {path}: {exc.strerror}") from exc
    return path
