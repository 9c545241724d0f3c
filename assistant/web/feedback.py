"""Thumbs-up/down feedback on chat answers, kept in SQLite under the data folder."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from assistant.core.errors import StorageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    session TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL
)
"""


class FeedbackStore:
    """One row per rating; every write is its own committed transaction."""

    def __init__(self, path: Path, timeout: float = 2.0) -> None:
        self.path = path
        self.timeout = timeout
        self._ready = False
        self._setup_lock = threading.Lock()

    def _setup(self, con: sqlite3.Connection) -> None:
        """WAL mode, once per store. Switching to WAL needs an exclusive lock that
        SQLite does not wait for (no busy handler): first writers at once got "database is
        locked", so one thread sets up and a busy file is retried until the timeout."""
        with self._setup_lock:
            if self._ready:
                return
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    con.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            self._ready = True

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=self.timeout)
            if not self._ready:
                self._setup(con)
            con.execute(SCHEMA)
            return con
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the feedback database {self.path}: {exc}") from exc

    def add(
        self,
        rating: int,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        session: str = "",
    ) -> int:
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO feedback (created, session, rating, question, answer, citations)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        time.time(),
                        session,
                        1 if rating > 0 else -1,
                        question,
                        answer,
                        json.dumps(citations, ensure_ascii=False),
                    ),
                )
            return int(cur.lastrowid or 0)
        except sqlite3.Error as exc:
            raise StorageError(f"feedback not saved ({exc}); earlier feedback is kept") from exc
        finally:
            con.close()

    def rows(self) -> list[dict[str, Any]]:
        con = self._connect()
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute("SELECT * FROM feedback ORDER BY id")]
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read the feedback database {self.path}: {exc}") from exc
        finally:
            con.close()
