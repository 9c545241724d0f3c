"""Accounts for the chat's login: a users file of ``NAME:HASH`` lines, passwords hashed with scrypt.

    # imnm users (imnm users add NAME)
    ann:scrypt$14$8$1$<salt, base64>$<hash, base64>

Only hashes are stored (``hashlib.scrypt``, a random 16-byte salt per password; n = 2**14, r = 8,
p = 1 by default: about 50 ms and 16 MiB per check, which makes guessing slow). The file is written
whole to a temporary file and renamed (never half-written), readable by its owner only. Account
names follow the learner-name rules (they key quiz progress): letters, digits, ``. _ -``, starting
with a letter or digit, 40 characters at most, compared case-insensitively.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import InputError, StorageError

MAX_NAME = 40
MIN_PASSWORD = 8
_NAME_OK = re.compile(r"^[^\W_][\w.\-]*$")
HEADER = "# imnm users: NAME:scrypt$log2(n)$r$p$salt$hash (imnm users add NAME)\n"


def account_key(name: str) -> str:
    """The account's key (its name, normalised and case-folded); a bad name is refused."""
    if not isinstance(name, str):
        raise InputError("account name must be text")
    shown = unicodedata.normalize("NFC", name.strip())
    if not shown:
        raise InputError("account name is empty")
    if len(shown) > MAX_NAME:
        raise InputError(f"account name too long ({len(shown)} characters; at most {MAX_NAME})")
    if not _NAME_OK.match(shown) or ".." in shown or not shown.isprintable():
        raise InputError(
            "account name may hold only letters, digits and . _ - and must start with a letter "
            f"or digit: {shown[:MAX_NAME]!r}"
        )
    return shown.casefold()


@dataclass(frozen=True)
class Cost:
    log_n: int = 14
    r: int = 8
    p: int = 1


def hash_password(password: str, cost: Cost = Cost()) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password too short (at least {MIN_PASSWORD} characters)")
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, cost.log_n, cost.r, cost.p)
    return "$".join(["scrypt", str(cost.log_n), str(cost.r), str(cost.p),
                     _b64(salt), _b64(digest)])  # fmt: skip


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant time; False for a bad hash)."""
    try:
        scheme, log_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = _unb64(digest)
        got = _scrypt(password, _unb64(salt), int(log_n), int(r), int(p), len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def _scrypt(password: str, salt: bytes, log_n: int, r: int, p: int, size: int = 32) -> bytes:
    n = 1 << log_n
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=size,
        maxmem=2 * 128 * r * n + (1 << 20),
    )  # fmt: skip


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


class Users:
    """The users file, re-read when it changes (accounts added while the chat runs count)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: tuple[float, int] | None = None
        self._accounts: dict[str, tuple[str, str]] = {}  # key -> (name as given, hash)

    def accounts(self) -> dict[str, tuple[str, str]]:
        try:
            st = self.path.stat()
        except FileNotFoundError as exc:
            raise StorageError(
                f"users file {self.path} not found (create it with `imnm users add NAME`)"
            ) from exc
        except OSError as exc:
            raise StorageError(f"cannot read the users file {self.path}: {exc.strerror}") from exc
        with self._lock:
            if self._seen != (st.st_mtime, st.st_size):
                self._accounts = self._read()
                self._seen = (st.st_mtime, st.st_size)
            return self._accounts

    def _read(self) -> dict[str, tuple[str, str]]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise StorageError(f"cannot read the users file {self.path}: {exc}") from exc
        found: dict[str, tuple[str, str]] = {}
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, stored = line.partition(":")
            try:
                key = account_key(name)
            except InputError as exc:
                raise StorageError(f"users file {self.path}, line {number}: {exc}") from exc
            if not sep or not stored.startswith("scrypt$"):
                raise StorageError(
                    f"users file {self.path}, line {number}: expected NAME:scrypt$... "
                    "(add accounts with `imnm users add NAME`)"
                )
            found[key] = (name.strip(), stored)
        return found

    def verify(self, name: str, password: str) -> str | None:
        """The account's name when ``password`` is its password, else None."""
        try:
            key = account_key(name)
        except InputError:
            return None
        entry = self.accounts().get(key)
        if entry is None:
            check_password(password, _decoy())  # about the same time for unknown names
            return None
        return entry[0] if check_password(password, entry[1]) else None

    def stamp(self, name: str) -> str | None:
        """A short tag of the account's current hash (a changed password ends its sessions)."""
        entry = self.accounts().get(account_key(name))
        if entry is None:
            return None
        return hashlib.sha256(entry[1].encode()).hexdigest()[:16]

    def set(self, name: str, password: str, cost: Cost = Cost()) -> bool:
        """Add the account or change its password; True when it is new."""
        key = account_key(name)
        hashed = hash_password(password, cost)
        current = self.accounts() if self.path.exists() else {}
        new = key not in current
        entries = dict(current)
        entries[key] = (current[key][0] if key in current else name.strip(), hashed)
        self._write(entries)
        return new

    def remove(self, name: str) -> bool:
        key = account_key(name)
        entries = dict(self.accounts())
        if entries.pop(key, None) is None:
            return False
        self._write(entries)
        return True

    def _write(self, entries: dict[str, tuple[str, str]]) -> None:
        body = HEADER + "".join(f"{shown}:{hashed}\n" for shown, hashed in entries.values())
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"cannot write the users file {self.path}: {exc.strerror}") from exc
        with self._lock:
            self._seen = None


@functools.cache
def _decoy() -> str:
    return hash_password(secrets.token_urlsafe(16))
