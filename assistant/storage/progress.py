"""Quiz progress rows: learners, every answer, each item's Leitner box, the item asked per session.

The scheduling itself (which box, when due) is the quiz's: ``record`` takes it as a function of
the box before, and runs it inside the write transaction, so that two answers of one learner never
read the same box (SQLite: the write lock; PostgreSQL: the learner's row locked FOR UPDATE).

An answer may carry the ticket of the time its item was asked: the same ticket sent again (a
client retrying after a lost reply, perhaps through another replica) returns the first answer's
row and stores nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assistant.core.errors import StorageError
from assistant.storage import schema
from assistant.storage.database import Database

KEPT = "earlier answers are kept"
FILE_NAME = "quiz.sqlite3"


@dataclass
class Saved:
    answer_id: int
    box_before: int | None
    box_after: int
    due_at: float
    again: bool = False  # the ticket was answered before: nothing new stored


@dataclass
class Answer:
    """One answer to store (the learner's key and shown name, the item, the grade)."""

    key: str
    name: str
    session: str
    item_id: str
    topic: str
    question: str
    answer: str
    verdict: str
    score: float
    at: float
    ticket: str | None = None


class ProgressStore:
    """Quiz progress in a ``Database``; every fault becomes a ``StorageError`` of one line."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def where(self) -> str:
        return self.db.where

    def error(self, exc: BaseException) -> StorageError:
        where = self.db.where
        if isinstance(exc, OSError) and not isinstance(exc, SQLAlchemyError):
            folder = self.db.path.parent if self.db.path else where
            return StorageError(
                f"cannot create the quiz data folder {folder}: {exc.strerror or exc}"
            )
        kind, why = self.db.fault(exc)
        problem = self.db.server_problem(kind, why)
        if kind == "lost":
            return StorageError(f"quiz progress not confirmed: {problem}; {KEPT}")
        if problem:
            return StorageError(f"quiz progress is unavailable: {problem}; {KEPT}")
        if kind == "locked":
            return StorageError(
                f"quiz progress is locked by another process ({where}); try again in a moment "
                f"({KEPT})"
            )
        if kind == "full":
            return StorageError(f"disk full: this answer could not be saved to {where} ({KEPT})")
        if kind == "io":
            # What a failed write (no space, a file-size limit, a failing disk) usually looks like.
            return StorageError(
                f"cannot write quiz progress at {where}: disk I/O error (is the disk full?); {KEPT}"
            )
        if kind == "damaged":
            return StorageError(
                f"quiz progress file {where} is damaged ({why}); move it aside to start afresh"
            )
        if kind == "read-only":
            return StorageError(f"cannot write quiz progress at {where}: {why}")
        return StorageError(f"quiz progress at {where} failed: {why}")

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        try:
            yield
        except (OSError, SQLAlchemyError) as exc:
            raise self.error(exc) from exc

    def ensure(self) -> None:
        with self._faults():
            self.db.ensure("quiz")

    # --- writing -------------------------------------------------------------------------------

    def record(self, a: Answer, schedule: Callable[[int | None], tuple[int, float]]) -> Saved:
        """Save one answer and the item's new box (``schedule(box_before)`` gives the box and
        its due time) in one committed transaction."""
        self.ensure()
        try:
            with self._faults(), self.db.writing() as conn:
                return self._record(conn, a, schedule)
        except StorageError as err:
            if a.ticket is None or not isinstance(err.__cause__, IntegrityError):
                raise
        # The same ticket committed by a concurrent request: that first answer stands.
        with self._faults(), self.db.reading() as conn:
            first = self._by_ticket(conn, a.ticket)
        if first is None:
            raise StorageError(f"quiz progress at {self.db.where} failed: duplicate answer")
        return first

    def _record(
        self, conn: Connection, a: Answer, schedule: Callable[[int | None], tuple[int, float]]
    ) -> Saved:
        if a.ticket is not None:
            first = self._by_ticket(conn, a.ticket)
            if first is not None:
                return first
        learners, boxes, answers = schema.learners, schema.boxes, schema.answers
        conn.execute(
            self.db.upsert(learners)
            .values(key=a.key, name=a.name, created_at=a.at)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        # One answer of a learner at a time: the box read below is the one this write replaces.
        conn.execute(select(learners.c.key).where(learners.c.key == a.key).with_for_update())
        before = conn.execute(
            select(boxes.c.box).where(boxes.c.learner == a.key, boxes.c.item_id == a.item_id)
        ).scalar()
        before = int(before) if before is not None else None
        after, due = schedule(before)
        made = conn.execute(
            answers.insert().values(
                learner=a.key, session=a.session, item_id=a.item_id, topic=a.topic,
                question=a.question, answer=a.answer[:2000], verdict=a.verdict, score=a.score,
                box_before=before, box_after=after, answered_at=a.at, ticket=a.ticket,
            )
        ).inserted_primary_key  # fmt: skip
        assert made is not None
        stmt = self.db.upsert(boxes).values(
            learner=a.key, item_id=a.item_id, box=after, due_at=due, last_at=a.at
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["learner", "item_id"],
                set_={"box": stmt.excluded.box, "due_at": stmt.excluded.due_at,
                      "last_at": stmt.excluded.last_at},
            )
        )  # fmt: skip
        return Saved(int(made[0]), before, after, due)

    def _by_ticket(self, conn: Connection, ticket: str) -> Saved | None:
        t, b = schema.answers, schema.boxes
        row = conn.execute(
            select(t.c.id, t.c.box_before, t.c.box_after, b.c.due_at)
            .select_from(
                t.outerjoin(b, (b.c.learner == t.c.learner) & (b.c.item_id == t.c.item_id))
            )
            .where(t.c.ticket == ticket)
        ).first()
        if row is None:
            return None
        before = int(row.box_before) if row.box_before is not None else None
        return Saved(int(row.id), before, int(row.box_after), float(row.due_at or 0.0), again=True)

    def set_pending(self, key: str, session: str, item_id: str, ticket: str, at: float) -> None:
        """The item just asked in ``session`` (replacing the one asked before)."""
        self.ensure()
        p = schema.pending
        stmt = self.db.upsert(p).values(
            learner=key, session=session, item_id=item_id, ticket=ticket, asked_at=at
        )
        with self._faults(), self.db.writing() as conn:
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["learner", "session"],
                    set_={"item_id": stmt.excluded.item_id, "ticket": stmt.excluded.ticket,
                          "asked_at": stmt.excluded.asked_at},
                )
            )  # fmt: skip

    def pending(self, key: str, session: str) -> tuple[str, str] | None:
        """(item id, ticket) last asked in ``session``, if any."""
        self.ensure()
        p = schema.pending
        with self._faults(), self.db.reading() as conn:
            row = conn.execute(
                select(p.c.item_id, p.c.ticket).where(p.c.learner == key, p.c.session == session)
            ).first()
        return (str(row.item_id), str(row.ticket)) if row else None

    def answer_text(self, ticket: str) -> str | None:
        """What was answered to ``ticket`` (None: not answered yet)."""
        self.ensure()
        t = schema.answers
        with self._faults(), self.db.reading() as conn:
            found = conn.execute(select(t.c.answer).where(t.c.ticket == ticket)).scalar()
        return None if found is None else str(found)

    # --- reading -------------------------------------------------------------------------------

    def boxes(self, key: str) -> dict[str, tuple[int, float]]:
        self.ensure()
        b = schema.boxes
        with self._faults(), self.db.reading() as conn:
            rows = conn.execute(select(b.c.item_id, b.c.box, b.c.due_at).where(b.c.learner == key))
            return {r.item_id: (int(r.box), float(r.due_at)) for r in rows}

    def history(self, key: str, session: str | None = None) -> list[dict[str, Any]]:
        self.ensure()
        t = schema.answers
        cols = [t.c.id, t.c.session, t.c.item_id, t.c.topic, t.c.question, t.c.answer,
                t.c.verdict, t.c.score, t.c.box_before, t.c.box_after, t.c.answered_at]  # fmt: skip
        query = select(*cols).where(t.c.learner == key)
        if session is not None:
            query = query.where(t.c.session == session)
        with self._faults(), self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(t.c.id))]

    def name_of(self, key: str) -> str | None:
        self.ensure()
        t = schema.learners
        with self._faults(), self.db.reading() as conn:
            found = conn.execute(select(t.c.name).where(t.c.key == key)).scalar()
        return str(found) if found is not None else None


def store_for(target: Path | str | Database, **kwargs: Any) -> ProgressStore:
    return ProgressStore(target if isinstance(target, Database) else Database(target, **kwargs))
