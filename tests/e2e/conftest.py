"""Servers of our own for the e2e tier: PostgreSQL on a temp folder, nginx, chat replicas.

`make test` installs Debian's postgresql and nginx when missing (`make servers`). In CI a missing
server fails the tests that need it (a skip there would hide it); elsewhere they are skipped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # deploy/ runs from the repository, like bench/

from deploy.cluster import Missing, Postgres, nginx_bin  # noqa: E402


def need(what: str, exc: Exception) -> None:
    message = f"{what} is not available ({exc}); `make servers` installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def start_postgres() -> Postgres:
    try:
        return Postgres().start()
    except Missing as exc:
        need("PostgreSQL", exc)
        raise


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One server for the session; each test makes its own database on it."""
    pg = start_postgres()
    try:
        yield pg
    finally:
        pg.remove()


@pytest.fixture
def own_postgres() -> Iterator[Postgres]:
    """A server of the test's own, to stop and restart."""
    pg = start_postgres()
    try:
        yield pg
    finally:
        pg.remove()


@pytest.fixture(scope="session")
def need_server() -> Callable[[str, Exception], None]:
    return need


@pytest.fixture(scope="session")
def nginx() -> str:
    try:
        return nginx_bin()
    except Missing as exc:
        need("nginx", exc)
        raise
