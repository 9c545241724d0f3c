"""One database behind a SQLAlchemy 2.x engine: a SQLite file or a PostgreSQL server.

``Database.for_settings(settings, "quiz.sqlite3")`` is the server of ``IMNM_DATABASE_URL`` when it
is set, else that SQLite file in ``IMNM_DATA_DIR`` (the files of earlier versions, unchanged).

- SQLite: WAL mode, ``synchronous=FULL``, one short connection per call (no pool: the file can be
  shared by threads and processes, and nothing is left open beside it); a write takes the lock at
  once (``BEGIN IMMEDIATE``) and waits ``timeout`` seconds for another writer.
- PostgreSQL (psycopg 3): a pool per process, each connection checked before use
  (``pool_pre_ping``), so a restarted server is picked up again without a restart of ours.

The schema of a part is created on first use (``ensure``) and migrated when an older version made
it (columns added since, see ``schema.ADDED``); on a server one process at a time does it (an
advisory lock), so replicas starting together do not collide. No error leaves this module with the
URL's password in it; the stores turn faults into one line each (``faults``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import CreateIndex

from assistant.core.errors import StorageError
from assistant.storage import schema
from assistant.storage.faults import SERVER_KINDS, Kind, kind_of, mask, reason

_ENGINES: dict[tuple[str, int, int, int], Engine] = {}
_ENGINES_LOCK = threading.Lock()
_MIGRATION_LOCK_ID = 0x696D6E6D  # "imnm": the advisory lock taken while creating the schema


def redacted(url: URL) -> str:
    """The URL as it may be shown: never its password."""
    return url.render_as_string(hide_password=True)


def parse_url(value: str) -> URL:
    """A database URL, refused in one line (without echoing it) when it is not one we serve."""
    try:
        url = make_url(value.strip())
    except (ArgumentError, ValueError) as exc:
        raise StorageError(
            "IMNM_DATABASE_URL is not a database URL (expected sqlite:///PATH or "
            "postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME)"
        ) from exc
    if url.drivername in ("postgresql", "postgres", "postgres+psycopg"):
        url = url.set(drivername="postgresql+psycopg")  # the driver this package installs
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(
            f"IMNM_DATABASE_URL: {url.get_backend_name()} is not supported; use sqlite:///PATH "
            "or postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME"
        )
    return url


class Database:
    """A database and its connections; ``path`` is the SQLite file (None on a server)."""

    def __init__(
        self,
        target: str | Path,
        *,
        timeout: float = 5.0,
        connect_timeout: int = 5,
        pool_size: int = 5,
        max_overflow: int = 10,
        max_pages: int | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_pages = max_pages  # caps a SQLite file (its own "disk full"), for tests
        self._ready: set[str] = set()
        self._lock = threading.Lock()
        self._wal = False
        if isinstance(target, Path):
            self.url = URL.create("sqlite", database=str(target))
        else:
            self.url = parse_url(target)
        self.secret = self.url.password if isinstance(self.url.password, str) else None
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
            if not self.url.database or self.url.database == ":memory:":
                raise StorageError("IMNM_DATABASE_URL: a SQLite URL needs a file: sqlite:///PATH")
            self.path: Path | None = Path(self.url.database)
            self.where = str(self.path)
            self.engine = create_engine(
                "sqlite://", creator=self._sqlite_connect, poolclass=NullPool,
                hide_parameters=True,
            )  # fmt: skip
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.path = None
            self.where = redacted(self.url)
            self.engine = _server_engine(self.url, connect_timeout, pool_size, max_overflow)

    @classmethod
    def for_settings(cls, settings: Any, file_name: str, **kwargs: Any) -> Database:
        """The database of ``IMNM_DATABASE_URL``, else ``file_name`` in the data folder."""
        storage = settings.storage
        kwargs.setdefault("timeout", storage.sqlite_timeout)
        kwargs.setdefault("connect_timeout", storage.connect_timeout)
        kwargs.setdefault("pool_size", storage.pool_size)
        kwargs.setdefault("max_overflow", storage.max_overflow)
        target: str | Path = settings.database_url or Path(settings.data_dir) / file_name
        return cls(target, **kwargs)

    def mask(self, message: str) -> str:
        return mask(message, self.secret)

    def fault(self, exc: BaseException) -> tuple[Kind, str]:
        """(kind, the driver's reason in one line, password masked) of a fault."""
        return kind_of(exc), reason(exc, self.secret)

    def server_problem(self, kind: Kind, why: str) -> str | None:
        """What a server-side fault means, in words (None for the kinds a file has too)."""
        if kind not in SERVER_KINDS:
            return None
        host = f"{self.url.host or 'localhost'}:{self.url.port or 5432}"
        if kind == "unreachable":
            return f"the database server {host} is not reachable ({why})"
        if kind == "login":
            return (
                f"the database server {host} refused the login of user {self.url.username!r} "
                "(check the user and password in IMNM_DATABASE_URL)"
            )
        if kind == "no-database":
            return f"the database {self.url.database!r} does not exist on {host}"
        return f"the connection to the database server {host} was lost ({why})"

    # --- connections -----------------------------------------------------------------------------

    def _sqlite_connect(self) -> sqlite3.Connection:
        assert self.path is not None
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            if not self._wal:
                self._set_wal(conn)
            conn.execute("PRAGMA synchronous=FULL")
            if self.max_pages is not None:
                conn.execute(f"PRAGMA max_page_count={int(self.max_pages)}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_wal(self, conn: sqlite3.Connection) -> None:
        """WAL mode, once. Switching needs an exclusive lock that SQLite does not wait for (no busy
        handler): first writers at once got "database is locked", so a busy file is retried."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self._wal = True

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (a plain transaction, rolled back at the end)."""
        with self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """One committed transaction; on SQLite it holds the write lock from its first statement,
        so a read-then-write in it cannot interleave with another writer's."""
        with self.engine.connect() as conn:
            conn.execution_options(imnm_write=True)
            with conn.begin():
                yield conn

    def upsert(self, table: Table) -> Any:
        """The dialect's INSERT, which has ``on_conflict_do_nothing`` / ``_do_update``."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    # --- schema --------------------------------------------------------------------------------

    def ensure(self, part: str) -> None:
        """Create (or migrate) the tables of ``part`` once per process; raises what the driver
        raised (the store says it in its words)."""
        if part in self._ready:
            return
        with self._lock:
            if part in self._ready:
                return
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.reading() as conn:
                todo = _missing(conn, part)
            if todo:
                with self.writing() as conn:
                    if self.dialect == "postgresql":
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID}
                        )
                    _migrate(conn, part)
            self._ready.add(part)


def _sqlite_begin(conn: Connection) -> None:
    mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("imnm_write") else "BEGIN"
    conn.exec_driver_sql(mode)


def _server_engine(url: URL, connect_timeout: int, pool_size: int, max_overflow: int) -> Engine:
    """One pooled engine per server URL in a process (every store of the process shares it)."""
    key = (url.render_as_string(hide_password=False), connect_timeout, pool_size, max_overflow)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            try:
                engine = create_engine(
                    url,
                    pool_pre_ping=True,
                    pool_size=pool_size,
                    max_overflow=max_overflow,
                    hide_parameters=True,
                    connect_args={"connect_timeout": connect_timeout,
                                  "application_name": "imnm"},
                )  # fmt: skip
            except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
                raise StorageError(
                    f"the driver for {url.get_backend_name()} is not installed: "
                    "pip install 'imnm[postgres]' (psycopg)"
                ) from exc
            _ENGINES[key] = engine
    return engine


def _missing(conn: Connection, part: str) -> bool:
    """Whether any table, added column or index of ``part`` is missing."""
    insp = inspect(conn)
    names = set(insp.get_table_names())
    tables = [*schema.PARTS[part], schema.versions]
    if any(t.name not in names for t in tables):
        return True
    for table, column in schema.ADDED:
        if table in tables and column not in {c["name"] for c in insp.get_columns(table.name)}:
            return True
    for table in tables:
        have = {ix["name"] for ix in insp.get_indexes(table.name)}
        if any(ix.name not in have for ix in table.indexes):
            return True
    return False


def _migrate(conn: Connection, part: str) -> None:
    """Create what is missing: new tables whole, then added columns and their indexes."""
    tables = [*schema.PARTS[part], schema.versions]
    schema.metadata.create_all(conn, tables=tables, checkfirst=True)
    insp = inspect(conn)
    preparer = conn.dialect.identifier_preparer
    for table, column in schema.ADDED:
        if table not in tables:
            continue
        if column in {c["name"] for c in insp.get_columns(table.name)}:
            continue
        col = table.c[column]
        kind = col.type.compile(dialect=conn.dialect)
        default = " NOT NULL DEFAULT ''" if not col.nullable else ""
        conn.exec_driver_sql(
            f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN "
            f"{preparer.quote(column)} {kind}{default}"
        )
    insp = inspect(conn)
    for table in tables:
        have = {ix["name"] for ix in insp.get_indexes(table.name)}
        for ix in table.indexes:
            if ix.name not in have:
                conn.execute(CreateIndex(ix))
    done = conn.execute(
        schema.versions.select().where(schema.versions.c.part == part)
    ).first()
    if done is None:
        conn.execute(schema.versions.insert().values(part=part, version=schema.SCHEMA_VERSION))
    elif int(done.version) < schema.SCHEMA_VERSION:
        conn.execute(
            schema.versions.update()
            .where(schema.versions.c.part == part)
            .values(version=schema.SCHEMA_VERSION)
        )
