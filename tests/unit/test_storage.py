"""The storage layer on SQLite (no server): URLs and their passwords, fault kinds, the migration of
files written before it, answers and ratings sent twice, the users file and the login cookie."""

from __future__ import annotations

import sqlite3
import types
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from assistant.core.errors import InputError, StorageError
from assistant.core.settings import Settings
from assistant.quiz.bank import Fact, Grade, Item
from assistant.quiz.progress import Progress
from assistant.storage.database import Database, parse_url
from assistant.storage.faults import kind_of, reason
from assistant.storage.feedback import FeedbackStore
from assistant.storage.secrets import shared_secret
from assistant.storage.users import Cost, Users, account_key, check_password, hash_password
from assistant.web.login import Login

SECRET = "pw-NEVER-SHOWN-7c1"
CHEAP = Cost(log_n=10)  # scrypt at a test's pace; the real cost is the settings' (2**14)

# The tables as the first release made them (before assistant/storage).
OLD_FEEDBACK = """CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL, session TEXT NOT NULL, rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL)"""
OLD_QUIZ = """
CREATE TABLE learners (key TEXT PRIMARY KEY, name TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, learner TEXT NOT NULL,
    session TEXT NOT NULL, item_id TEXT NOT NULL, topic TEXT NOT NULL, question TEXT NOT NULL,
    answer TEXT NOT NULL, verdict TEXT NOT NULL, score REAL NOT NULL, box_before INTEGER,
    box_after INTEGER NOT NULL, answered_at REAL NOT NULL);
CREATE INDEX answers_by_learner ON answers (learner, id);
CREATE TABLE boxes (learner TEXT NOT NULL, item_id TEXT NOT NULL, box INTEGER NOT NULL,
    due_at REAL NOT NULL, last_at REAL NOT NULL, PRIMARY KEY (learner, item_id));
"""


def item(n: int) -> Item:
    return Item(id=f"item-{n}", kind="cloze", topic="t", question=f"Q{n}?", answer="IVIG",
                facts=[Fact(fact="IVIG")], chunk_id="imnm.md#1", source="imnm.md", section="S",
                quote="q", passage="p")  # fmt: skip


RIGHT = Grade(correct=True, score=1.0, verdict="correct", reference="IVIG", citations=[])


def test_default_is_the_sqlite_files_of_before_and_the_url_setting_wins(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert Database.for_settings(settings, "quiz.sqlite3").path == tmp_path / "data/quiz.sqlite3"
    url = f"postgresql+psycopg://imnm:{SECRET}@127.0.0.1:5999/imnm"
    db = Database.for_settings(settings.model_copy(update={"database_url": url}), "quiz.sqlite3")
    assert db.path is None and db.dialect == "postgresql"
    assert SECRET not in db.where and "***" in db.where
    assert SECRET not in repr(settings.model_copy(update={"database_url": url}))


@pytest.mark.parametrize(
    ("url", "driver"),
    [("postgresql://u:p@h/d", "postgresql+psycopg"), ("postgres://u:p@h/d", "postgresql+psycopg"),
     ("postgresql+psycopg://u:p@h/d", "postgresql+psycopg"), ("sqlite:////tmp/x.db", "sqlite")],
)  # fmt: skip
def test_database_urls(url: str, driver: str) -> None:
    assert parse_url(url).drivername == driver


@pytest.mark.parametrize("url", [f"mysql://u:{SECRET}@h/d", f"no url {SECRET}", "sqlite://"])
def test_bad_urls_are_one_line_without_the_password(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        Database(url)
    assert "IMNM_DATABASE_URL" in str(caught.value) and SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("message", "sqlstate", "kind"),
    [
        ('connection to server at "127.0.0.1", port 5 failed: Connection refused', None,
         "unreachable"),
        ('connection to server at "h", port 5 failed: FATAL:  password authentication failed '
         'for user "imnm"', None, "login"),
        ("FATAL: terminating connection due to administrator command", "57P01", "lost"),
        ("server closed the connection unexpectedly", None, "lost"),
        ('FATAL:  database "x" does not exist', None, "no-database"),
        ("FATAL:  the database system is starting up", None, "unreachable"),
        ("could not extend file: No space left on device", "53100", "full"),
        ("database is locked", None, "locked"),
        ("database or disk is full", None, "full"),
        ("disk I/O error", None, "io"),
        ("file is not a database", None, "damaged"),
        ("attempt to write a readonly database", None, "read-only"),
    ],
)  # fmt: skip
def test_fault_kinds(message: str, sqlstate: str | None, kind: str) -> None:
    driver = type("DriverError", (Exception,), {"sqlstate": sqlstate})(message)
    wrapped = OperationalError("INSERT INTO x VALUES (?)", {"p": SECRET}, driver)
    assert kind_of(wrapped) == kind
    said = reason(wrapped, SECRET)
    assert "\n" not in said and "INSERT" not in said and SECRET not in said


def test_files_of_the_first_release_are_migrated_and_keep_their_rows(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as conn:
        conn.execute(OLD_FEEDBACK)
        conn.execute("INSERT INTO feedback (created, session, rating, question, answer, citations)"
                     " VALUES (1.0, 's', 1, 'old question', 'a', '[]')")  # fmt: skip
    with sqlite3.connect(tmp_path / "quiz.sqlite3") as conn:
        conn.executescript(OLD_QUIZ)
        conn.execute("INSERT INTO learners VALUES ('ann', 'Ann', 1.0)")
        conn.execute("INSERT INTO answers (learner, session, item_id, topic, question, answer, "
                     "verdict, score, box_before, box_after, answered_at) VALUES ('ann', 's', "
                     "'item-0', 't', 'Q0?', 'IVIG', 'correct', 1.0, NULL, 2, 1.0)")  # fmt: skip
        conn.execute("INSERT INTO boxes VALUES ('ann', 'item-0', 2, 10.0, 1.0)")

    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    first = feedback.add(-1, "new", "a", [], session="s2", account="ann", key="k1")
    assert feedback.add(-1, "new", "a", [], session="s2", account="ann", key="k1") == first
    rows = feedback.rows()
    assert [r["question"] for r in rows] == ["old question", "new"]
    assert rows[0]["account"] == "" and rows[1]["account"] == "ann"

    progress = Progress(tmp_path / "quiz.sqlite3")
    assert progress.boxes("ann") == {"item-0": (2, 10.0)}
    saved = progress.record("ann", item(0), RIGHT, "IVIG", "s2", now=20.0, ticket="t1")
    assert (saved.box_before, saved.box_after, saved.again) == (2, 3, False)
    with sqlite3.connect(tmp_path / "quiz.sqlite3") as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(answers)")}
        assert "ticket" in columns
        assert conn.execute("SELECT version FROM imnm_schema WHERE part='quiz'").fetchone()[0] == 2
    # Opened again: nothing left to migrate, nothing written.
    before = (tmp_path / "quiz.sqlite3").read_bytes()
    Progress(tmp_path / "quiz.sqlite3")
    assert (tmp_path / "quiz.sqlite3").read_bytes() == before


def test_an_answer_sent_twice_is_stored_once(tmp_path: Path) -> None:
    progress = Progress(tmp_path / "quiz.sqlite3")
    progress.ask("ann", "sess", "item-1", "ticket-1")
    assert progress.asked("ann", "sess") == ("item-1", "ticket-1")
    assert progress.asked("bob", "sess") is None
    first = progress.record("ann", item(1), RIGHT, "IVIG", "sess", now=1.0, ticket="ticket-1")
    again = progress.record("ann", item(1), RIGHT, "IVIG", "sess", now=2.0, ticket="ticket-1")
    assert again.again and again.answer_id == first.answer_id
    assert again.box_after == first.box_after == 2
    assert len(progress.history("ann")) == 1 and progress.boxes("ann")["item-1"][0] == 2
    # Without a ticket (the terminal quiz) each answer is its own.
    progress.record("ann", item(1), RIGHT, "IVIG", "sess", now=3.0)
    assert len(progress.history("ann")) == 2 and progress.boxes("ann")["item-1"][0] == 3
    assert [h["session"] for h in progress.history("ann", "sess")] == ["sess", "sess"]


def test_shared_secret_is_made_once(tmp_path: Path) -> None:
    one = shared_secret(Database(tmp_path / "f.sqlite3"), "login")
    assert one == shared_secret(Database(tmp_path / "f.sqlite3"), "login") and len(one) >= 32


# --- accounts ------------------------------------------------------------------------------------


def test_passwords_are_stored_as_scrypt_hashes(tmp_path: Path) -> None:
    hashed = hash_password("correct horse", CHEAP)
    assert hashed.startswith("scrypt$10$8$1$") and "correct horse" not in hashed
    assert check_password("correct horse", hashed)
    assert not check_password("correct horsf", hashed) and not check_password("x", "garbage")
    assert hash_password("correct horse", CHEAP) != hashed  # salted
    with pytest.raises(InputError, match="too short"):
        hash_password("short")

    users = Users(tmp_path / "users.txt")
    assert users.set("Ann", "password-ann", CHEAP) and users.set("bob", "password-bob", CHEAP)
    assert not users.set("ANN", "password-ann-2", CHEAP)  # a new password, same account
    assert (tmp_path / "users.txt").stat().st_mode & 0o777 == 0o600
    text = (tmp_path / "users.txt").read_text()
    assert "password-ann" not in text and text.count(":scrypt$10$") == 2
    assert users.verify("ann", "password-ann-2") == "Ann"  # the name as first given
    assert users.verify("ann", "password-ann") is None and users.verify("carol", "x") is None
    assert users.remove("bob") and users.verify("bob", "password-bob") is None


@pytest.mark.parametrize("name", ["", "../x", "a b", "x" * 41, "-a", "a:b", "a\nb"])
def test_bad_account_names(name: str) -> None:
    with pytest.raises(InputError, match="account name"):
        account_key(name)


def test_a_damaged_users_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "users.txt").write_text("ann:plaintext-password\n")
    with pytest.raises(StorageError) as caught:
        Users(tmp_path / "users.txt").verify("ann", "plaintext-password")
    assert "line 1" in str(caught.value) and "plaintext-password" not in str(caught.value)
    with pytest.raises(StorageError, match="not found"):
        Users(tmp_path / "missing.txt").accounts()


def login_for(tmp_path: Path, **login: object) -> Login:
    settings = Settings(data_dir=tmp_path).model_copy(
        update={"login": Settings().login.model_copy(update=login)}
    )
    return Login(settings, key=lambda: shared_secret(Database(tmp_path / "k.sqlite3"), "login"))


def test_login_cookie_is_signed_expires_and_ends_with_a_new_password(tmp_path: Path) -> None:
    users = Users(tmp_path / "users.txt")
    users.set("ann", "password-ann", CHEAP)
    login = login_for(tmp_path, users_file=tmp_path / "users.txt")
    assert login.mode == "accounts" and login.per_account
    assert login.check("ann", "password-ann") == "ann" and login.check("ann", "nope") is None
    token = login.issue("ann", now=1000.0)
    assert login.read(token, now=1001.0) == "ann"
    # Another replica (another Login on the same database) reads it too.
    assert login_for(tmp_path, users_file=tmp_path / "users.txt").read(token, now=1001.0) == "ann"
    assert login.read(token, now=1000.0 + 13 * 3600) is None  # expired
    _, sig = token.split(".")
    forged = Login.issue(login, "bob", now=1000.0).split(".")[0] + "." + sig
    assert login.read(forged, now=1001.0) is None and login.read("x.y") is None
    users.set("ann", "password-ann-new", CHEAP)
    assert login.read(token, now=1001.0) is None  # the password changed: sessions end


def test_trusted_header_is_off_by_default_and_only_from_the_proxy(tmp_path: Path) -> None:
    def request(peer: str, **headers: str) -> object:
        return types.SimpleNamespace(client=types.SimpleNamespace(host=peer), headers=headers,
                                     cookies={})  # fmt: skip

    off = login_for(tmp_path)
    assert off.mode == "none" and off.account(request("127.0.0.1", **{"X-User": "ann"})) is None
    on = login_for(tmp_path, trusted_header="X-User")
    assert on.mode == "header" and on.per_account
    assert on.account(request("127.0.0.1", **{"X-User": "ann"})) == "ann"
    assert on.account(request("10.1.2.3", **{"X-User": "ann"})) is None  # not the proxy
    assert on.account(request("127.0.0.1", **{"X-User": "../etc"})) is None
    assert on.account(request("127.0.0.1")) is None


def test_shared_password_and_accounts_together_are_refused(tmp_path: Path) -> None:
    Users(tmp_path / "users.txt").set("ann", "password-ann", CHEAP)
    settings = Settings(data_dir=tmp_path, auth="door:password")
    settings.login.users_file = tmp_path / "users.txt"
    with pytest.raises(InputError, match="not both"):
        Login(settings)
