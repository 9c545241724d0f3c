"""Thumbs-up/down on chat answers: one row per rating, each write its own committed transaction.

A rating may carry the client's request key (session, message, rating): sent again (a client
retrying after a lost reply, another replica taking the retry) it is stored once. Rows record the
signed-in account ("" without login).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.errors import StorageError
from assistant.storage import schema
from assistant.storage.database import Database

KEPT = "earlier feedback is kept"
FILE_NAME = "feedback.sqlite3"


class FeedbackStore:
    """Feedback rows in ``target``: a SQLite file (a path), a database URL or a ``Database``."""

    def __init__(self, target: Path | str | Database, timeout: float = 2.0) -> None:
        self.db = target if isinstance(target, Database) else Database(target, timeout=timeout)

    @classmethod
    def for_settings(cls, settings: Any) -> FeedbackStore:
        return cls(Database.for_settings(settings, FILE_NAME))

    @property
    def path(self) -> Path | None:
        return self.db.path

    @property
    def timeout(self) -> float:
        return self.db.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self.db.timeout = seconds

    def _error(self, exc: BaseException, doing: str) -> StorageError:
        if isinstance(exc, OSError) and not isinstance(exc, SQLAlchemyError):
            return StorageError(
                f"cannot open the feedback database {self.db.where}: {self.db.mask(str(exc))}"
            )
        kind, why = self.db.fault(exc)
        problem = self.db.server_problem(kind, why)
        if doing == "write":
            if problem:
                return StorageError(f"feedback not saved: {problem}; {KEPT}")
            return StorageError(f"feedback not saved ({why}); {KEPT}")
        if problem:
            return StorageError(f"cannot {doing} the feedback database: {problem}")
        return StorageError(f"cannot {doing} the feedback database {self.db.where}: {why}")

    def ensure(self) -> None:
        """Create or migrate the table now (the chat does at start)."""
        try:
            self.db.ensure("feedback")
        except (OSError, SQLAlchemyError) as exc:
            raise self._error(exc, "open") from exc

    def add(
        self,
        rating: int,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        session: str = "",
        account: str = "",
        key: str | None = None,
    ) -> int:
        """Store one rating; returns its id (the first row's, when ``key`` was stored before)."""
        try:
            self.db.ensure("feedback")
        except OSError as exc:
            raise self._error(exc, "open") from exc
        except SQLAlchemyError as exc:
            raise self._error(exc, "write") from exc
        t = schema.feedback
        row = {
            "created": time.time(), "session": session, "rating": 1 if rating > 0 else -1,
            "question": question, "answer": answer, "account": account, "request_key": key,
            "citations": json.dumps(citations, ensure_ascii=False),
        }  # fmt: skip
        try:
            with self.db.writing() as conn:
                if key is None:
                    made = conn.execute(t.insert().values(**row)).inserted_primary_key
                    assert made is not None
                    return int(made[0])
                conn.execute(
                    self.db.upsert(t).values(**row).on_conflict_do_nothing(
                        index_elements=["request_key"]
                    )
                )
                found = conn.execute(select(t.c.id).where(t.c.request_key == key)).scalar_one()
                return int(found)
        except SQLAlchemyError as exc:
            raise self._error(exc, "write") from exc

    def rows(self) -> list[dict[str, Any]]:
        self.ensure()
        try:
            with self.db.reading() as conn:
                result = conn.execute(select(schema.feedback).order_by(schema.feedback.c.id))
                return [dict(r._mapping) for r in result]
        except SQLAlchemyError as exc:
            raise self._error(exc, "read") from exc
