"""What went wrong with a database, in a word, and its driver's reason in one clean line.

Every store turns a fault into ONE line that says what was not saved and that earlier rows are
kept (``StorageError``); this module only classifies. The URL's password never reaches a message:
it is masked wherever it could appear.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal[
    "locked", "full", "io", "damaged", "read-only", "unreachable", "login", "lost",
    "no-database", "other",
]  # fmt: skip

# The faults only a server has; the stores phrase them the same way.
SERVER_KINDS: frozenset[str] = frozenset({"unreachable", "login", "lost", "no-database"})

_SQLSTATE: dict[str, Kind] = {
    "28P01": "login",  # invalid_password
    "28000": "login",  # invalid_authorization_specification
    "3D000": "no-database",
    "53100": "full",  # disk_full
    "25006": "read-only",  # read_only_sql_transaction
    "55P03": "locked",  # lock_not_available
    "40P01": "locked",  # deadlock_detected
    "57P01": "lost",  # admin_shutdown (server stopping, backend terminated)
    "57P02": "lost",  # crash_shutdown
    "57P03": "unreachable",  # cannot_connect_now (starting up, shutting down)
    "08000": "lost",
    "08003": "lost",
    "08006": "lost",
    "08001": "unreachable",
}

_WORDS: list[tuple[Kind, tuple[str, ...]]] = [
    ("login", ("password authentication failed", "no password supplied",
               "authentication failed")),
    ("unreachable", ("connection refused", "could not connect", "no such file or directory",
                     "timeout expired", "could not translate host name", "is starting up",
                     "is shutting down", "name or service not known", "network is unreachable",
                     "connection to server at")),
    ("lost", ("server closed the connection", "terminating connection", "connection is closed",
              "consuming input failed", "connection already closed", "ssl syscall",
              "connection reset", "broken pipe", "the connection is lost")),
    ("locked", ("locked", "busy")),
    ("full", ("full", "no space left", "could not extend file")),
    ("io", ("disk i/o error",)),
    ("damaged", ("not a database", "malformed")),
    ("read-only", ("readonly", "read-only", "unable to open")),
]  # fmt: skip


def driver_error(exc: BaseException) -> BaseException:
    """The DBAPI exception under SQLAlchemy's wrapper (or the exception itself)."""
    return getattr(exc, "orig", None) or exc


def kind_of(exc: BaseException) -> Kind:
    """The kind of a database fault, from its SQLSTATE when the server sent one, else its words."""
    orig = driver_error(exc)
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str) and state in _SQLSTATE:
        return _SQLSTATE[state]
    text = str(orig).lower()
    if re.search(r'database "[^"]*" does not exist', text):
        return "no-database"
    connection_level = bool(getattr(exc, "connection_invalidated", False))
    for kind, words in _WORDS:
        if any(w in text for w in words):
            if kind == "unreachable" and connection_level and "refused" not in text:
                return "lost"
            return kind
    return "lost" if connection_level else "other"


def reason(exc: BaseException, secret: str | None = None) -> str:
    """The driver's message: its first meaningful line, without SQL, parameters or password."""
    orig = driver_error(exc)
    text = str(orig)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # libpq repeats "connection to server at ... failed:" per address; the last line says why.
    first = lines[0] if lines else type(orig).__name__
    if first.endswith("failed:") and len(lines) > 1:
        first = f"{first} {lines[1]}"
    first = re.sub(r"\[SQL:.*", "", first).strip()
    # "connection failed: connection to server at "h", port p failed: Connection refused": the
    # stores name the server already; the reason is what follows the last "failed:".
    if "failed:" in first and first.split("failed:")[-1].strip():
        first = first.split("failed:")[-1].strip()
    return mask(" ".join(first.split())[:300], secret)


def mask(text: str, secret: str | None) -> str:
    """``text`` with the password replaced by ***, however it got there."""
    if secret:
        text = text.replace(secret, "***")
    return text
