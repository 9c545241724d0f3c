"""Who is who in the chat, the same on every replica.

Modes (``Login.mode``):

- ``none``: no login (a single user on loopback); the quiz asks for a learner name, as before.
- ``shared``: ``IMNM_AUTH=user:password``, one password at the door for everyone; learner names
  are still typed (it tells nobody apart).
- ``accounts``: ``IMNM_LOGIN_USERS_FILE``, one account per person (``imnm users add NAME``);
  quiz progress is keyed by the signed-in account and nobody can read or change another's.
- ``header``: ``IMNM_LOGIN_TRUSTED_HEADER`` (off by default), the account named by a header that
  a proxy in front sets after its own login, accepted only from ``IMNM_LOGIN_TRUSTED_PROXIES``.
  Only for a proxy that authenticates every request and overwrites the header from clients.

A successful login gets a cookie signed with a key kept in the database (HMAC-SHA256 over the
account, an expiry and a tag of the password hash): any replica checks it without asking the one
that issued it, and a changed password ends the account's sessions. Gradio's own login keeps its
tokens in one process, which a second replica would not know.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from assistant.core.errors import ImnmError, InputError
from assistant.storage.users import Users, account_key

log = logging.getLogger("imnm.app")
COOKIE = "imnm-login"
Mode = Literal["none", "shared", "accounts", "header"]


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InputError("IMNM_AUTH must be user:password")
    return user, password


class Login:
    """The login of one app: checks passwords, issues and reads the signed cookie."""

    def __init__(self, settings: Any, key: Callable[[], str] | None = None) -> None:
        self.settings = settings.login
        self.shared = parse_auth(settings.auth)
        self.users = Users(self.settings.users_file) if self.settings.users_file else None
        if self.users is not None and self.shared is not None:
            raise InputError("set IMNM_AUTH or IMNM_LOGIN_USERS_FILE, not both")
        self.mode: Mode = (
            "accounts" if self.users is not None
            else "header" if self.settings.trusted_header
            else "shared" if self.shared is not None
            else "none"
        )  # fmt: skip
        if self.users is not None:
            self.users.accounts()  # a missing or malformed users file stops the start
        self._key_source = key
        self._key: bytes | None = None
        self._key_lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Any) -> Login:
        """The app's login, its cookie key kept in the database (shared by every replica)."""
        from assistant.storage.database import Database
        from assistant.storage.secrets import FILE_NAME, shared_secret

        keys = Database.for_settings(settings, FILE_NAME)
        login = cls(settings, key=lambda: shared_secret(keys, "login"))
        if login.needs_password:
            try:
                login.key()  # read now; a database down at start is retried at the first login
            except ImnmError as exc:
                log.warning("login key: %s", exc)
        return login

    @property
    def per_account(self) -> bool:
        """Whether quiz progress is keyed by the signed-in account."""
        return self.mode in ("accounts", "header")

    @property
    def needs_password(self) -> bool:
        return self.mode in ("accounts", "shared")

    # --- passwords -----------------------------------------------------------------------------

    def check(self, name: str, password: str) -> str | None:
        """The account's name if the password is right, else None."""
        if self.mode == "accounts" and self.users is not None:
            return self.users.verify(name, password)
        if self.mode == "shared" and self.shared is not None:
            user, secret = self.shared
            same_user = hmac.compare_digest(name.strip().encode(), user.encode())
            same_pw = hmac.compare_digest(password.encode(), secret.encode())
            return user if same_user and same_pw else None
        return None

    def _stamp(self, name: str) -> str | None:
        if self.mode == "accounts" and self.users is not None:
            return self.users.stamp(name)
        if self.mode == "shared" and self.shared is not None:
            return hashlib.sha256(":".join(self.shared).encode()).hexdigest()[:16]
        return None

    # --- cookies -------------------------------------------------------------------------------

    def key(self) -> bytes:
        with self._key_lock:
            if self._key is None:
                if self.settings.secret:
                    value = self.settings.secret
                elif self._key_source is not None:
                    value = self._key_source()
                else:
                    raise ImnmError("no key to sign logins with")
                self._key = hashlib.sha256(value.encode()).digest()
            return self._key

    def issue(self, name: str, now: float | None = None) -> str:
        now = time.time() if now is None else now
        claims = {"a": name, "e": int(now + self.settings.session_hours * 3600),
                  "s": self._stamp(name)}  # fmt: skip
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{_b64(self._sign(body))}"

    def _sign(self, body: str) -> bytes:
        return hmac.new(self.key(), body.encode(), hashlib.sha256).digest()

    def read(self, token: str | None, now: float | None = None) -> str | None:
        """The account a cookie names, if it is ours, unexpired and its password unchanged."""
        if not token or token.count(".") != 1:
            return None
        body, sig = token.split(".")
        try:
            if not hmac.compare_digest(_unb64(sig), self._sign(body)):
                return None
            claims = json.loads(_unb64(body))
            name = str(claims["a"])
            expires = float(claims["e"])
        except (ValueError, KeyError, TypeError):
            return None
        except ImnmError:
            return None  # the key cannot be read now (database down): nobody gets in
        if expires < (time.time() if now is None else now):
            return None
        try:
            if claims.get("s") != self._stamp(name):
                return None
        except ImnmError:
            return None
        return name

    def account(self, request: Any) -> str | None:
        """Who sent ``request`` (a Starlette request), or None: Gradio's ``auth_dependency``."""
        if self.mode == "header":
            return self.from_header(request)
        if self.mode == "none":
            return None
        return self.read(request.cookies.get(COOKIE))

    def from_header(self, request: Any) -> str | None:
        header = self.settings.trusted_header
        peer = getattr(getattr(request, "client", None), "host", None)
        if not header or peer not in self.settings.trusted_proxies:
            return None
        value = request.headers.get(header)
        if not value:
            return None
        try:
            account_key(value)
        except InputError:
            return None
        return str(value).strip()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
