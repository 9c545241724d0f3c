"""Secrets every replica must share (the key that signs login cookies), kept in the database.

The first process to ask creates the value (random, 32 bytes); the others read that one, so
replicas behind a load balancer accept each other's logins without any setting.
"""

from __future__ import annotations

import secrets as random

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.errors import StorageError
from assistant.storage import schema
from assistant.storage.database import Database

FILE_NAME = "feedback.sqlite3"  # beside the feedback, in the default SQLite setup


def shared_secret(db: Database, name: str) -> str:
    """The value of secret ``name``, created once for everyone who uses ``db``."""
    t = schema.secrets
    try:
        db.ensure("secrets")
        with db.writing() as conn:
            conn.execute(
                db.upsert(t)
                .values(name=name, value=random.token_urlsafe(32))
                .on_conflict_do_nothing(index_elements=["name"])
            )
            return str(conn.execute(select(t.c.value).where(t.c.name == name)).scalar_one())
    except (OSError, SQLAlchemyError) as exc:
        kind, why = db.fault(exc) if isinstance(exc, SQLAlchemyError) else ("other", str(exc))
        problem = db.server_problem(kind, why) if isinstance(exc, SQLAlchemyError) else None
        raise StorageError(
            f"cannot read the login key from the database: {problem or why}"
        ) from exc
