"""The tables, in SQLAlchemy Core, and the columns added since the first release.

Tables are grouped in parts (``feedback``, ``quiz``, ``secrets``): a store creates the tables of
its own part. With the default SQLite files each part has its own file (``feedback.sqlite3``,
``quiz.sqlite3``, as before); on a server they share one database. The names and columns of the
first release are kept, so files written before this layer open unchanged, and a migration adds
what is missing (``ADDED``) the first time a newer version opens them.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 2
metadata = MetaData()

# Which schema version each part was created or last migrated at.
versions = Table(
    "imnm_schema",
    metadata,
    Column("part", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", Double, nullable=False),
    Column("session", Text, nullable=False),
    Column("rating", Integer, CheckConstraint("rating IN (-1, 1)"), nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("citations", Text, nullable=False),
    # since version 2: the signed-in account ("" without login) and the client's request key
    # (a retried rating is stored once).
    Column("account", Text, nullable=False, server_default=""),
    Column("request_key", String(200), nullable=True),
    Index("feedback_request_key", "request_key", unique=True),
    sqlite_autoincrement=True,
)

learners = Table(
    "learners",
    metadata,
    Column("key", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", Double, nullable=False),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", Text, nullable=False),
    Column("session", Text, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("topic", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("score", Double, nullable=False),
    Column("box_before", Integer),
    Column("box_after", Integer, nullable=False),
    Column("answered_at", Double, nullable=False),
    # since version 2: the item's ticket (one per time it is asked): an answer sent twice (a
    # client retrying after a lost reply) is stored once.
    Column("ticket", String(64), nullable=True),
    Index("answers_by_learner", "learner", "id"),
    Index("answers_ticket", "ticket", unique=True),
    sqlite_autoincrement=True,
)

boxes = Table(
    "boxes",
    metadata,
    Column("learner", Text, primary_key=True),
    Column("item_id", Text, primary_key=True),
    Column("box", Integer, nullable=False),
    Column("due_at", Double, nullable=False),
    Column("last_at", Double, nullable=False),
)

# since version 2: the item each learner's session was last asked, so that any replica can take
# the answer (the page's own state lives in one process).
pending = Table(
    "quiz_pending",
    metadata,
    Column("learner", Text, primary_key=True),
    Column("session", String(64), primary_key=True),
    Column("item_id", Text, nullable=False),
    Column("ticket", String(64), nullable=False),
    Column("asked_at", Double, nullable=False),
)

secrets = Table(
    "imnm_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

PARTS: dict[str, list[Table]] = {
    "feedback": [feedback],
    "quiz": [learners, answers, boxes, pending],
    "secrets": [secrets],
}

# Columns added after version 1, as (table, column): added when missing, never dropped.
ADDED: list[tuple[Table, str]] = [
    (feedback, "account"),
    (feedback, "request_key"),
    (answers, "ticket"),
]
