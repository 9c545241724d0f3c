"""Feedback and quiz progress on a real PostgreSQL server (started on a temp folder, loopback):
two processes writing at once, the server down, a wrong password, a connection cut mid-write.
Each fault is one line, nothing already stored is lost, and the URL's password is never shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.core.errors import StorageError
from assistant.quiz.bank import Fact, Grade, Item
from assistant.quiz.progress import Progress
from assistant.storage.feedback import FeedbackStore
from deploy.cluster import Postgres, free_port

REPO = Path(__file__).resolve().parents[2]
IMNM = [sys.executable, "-m", "assistant.cli.app"]
RIGHT = Grade(correct=True, score=1.0, verdict="correct", reference="IVIG", citations=[])


def item(n: int) -> Item:
    return Item(id=f"item-{n}", kind="cloze", topic="t", question=f"Q{n}?", answer="IVIG",
                facts=[Fact(fact="IVIG")], chunk_id="imnm.md#1", source="imnm.md", section="S",
                quote="q", passage="p")  # fmt: skip


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")}
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"} | extra


def quiz(url: str, data: Path, learner: str, answers: bytes) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*IMNM, "quiz", "--learner", learner, "--n", str(answers.count(b"\n"))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=clean_env(IMNM_DATABASE_URL=url, IMNM_DATA_DIR=str(data)), cwd=REPO,
    )  # fmt: skip


def finish(proc: subprocess.Popen[bytes], answers: bytes) -> tuple[int, str, str]:
    out, err = proc.communicate(answers, timeout=180)
    return proc.returncode, out.decode(), err.decode()


def one_error_line(code: int, err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1, err
    assert lines[0].startswith("imnm: error:") and "Traceback" not in err
    return lines[0]


def test_two_processes_at_once_write_to_one_server(postgres: Postgres, tmp_path: Path) -> None:
    url = postgres.create("two_processes")
    data = tmp_path / "data"
    answers = b"prednisone\nIVIG\nrituximab\n"
    procs = {name: quiz(url, data, name, answers) for name in ("ann", "bob")}
    results = {name: finish(p, answers) for name, p in procs.items()}
    for name, (code, out, err) in results.items():
        assert code == 0, err
        assert f"quiz for {name}" in out and "3 answered" in out
        assert postgres.password not in out + err
    rows = postgres.sql("SELECT learner, count(*) FROM answers GROUP BY learner ORDER BY 1", url)
    assert rows == [("ann", 3), ("bob", 3)]
    assert postgres.sql("SELECT count(*) FROM boxes", url) == [(6,)]
    # A third process reads what both wrote; no SQLite file was made in the data folder.
    shown = subprocess.run(
        [*IMNM, "quiz", "progress", "--learner", "bob", "--json"], capture_output=True,
        env=clean_env(IMNM_DATABASE_URL=url, IMNM_DATA_DIR=str(data)), cwd=REPO, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0 and json.loads(shown.stdout)["answered"] == 3
    assert not data.exists() or not [p for p in data.rglob("*") if "sqlite" in p.name]


def test_faults_are_one_line_and_nothing_stored_is_lost(
    own_postgres: Postgres, tmp_path: Path
) -> None:
    pg = own_postgres
    progress = Progress(pg.url)
    feedback = FeedbackStore(pg.url)
    for n in range(2):
        progress.record("ann", item(n), RIGHT, "IVIG", "s", now=1000.0 + n)
    feedback.add(1, "kept question", "a", [])
    data = tmp_path / "data"

    # The server down: one line from the CLI and from the library; it comes back by itself.
    pg.stop()
    code, _, err = finish(quiz(pg.url, data, "ann", b"IVIG\n"), b"IVIG\n")
    line = one_error_line(code, err)
    assert "not reachable" in line and "earlier answers are kept" in line
    assert pg.password not in err
    with pytest.raises(StorageError) as caught:
        feedback.add(-1, "q", "a", [])
    message = str(caught.value)
    assert "\n" not in message and "not reachable" in message
    assert "earlier feedback is kept" in message
    assert pg.password not in message
    pg.start()
    progress.record("ann", item(2), RIGHT, "IVIG", "s", now=1002.0)  # the pool reconnects

    # A wrong password: one line; neither password is shown.
    wrong = pg.url.replace(pg.password, "WRONG-pw-9d2")
    code, out, err = finish(quiz(wrong, data, "ann", b"IVIG\n"), b"IVIG\n")
    line = one_error_line(code, err)
    assert "refused the login of user 'imnm'" in line and "IMNM_DATABASE_URL" in line
    assert "WRONG-pw-9d2" not in out + err and pg.password not in out + err

    # The connection cut while the write waits on a lock: one line; the rollback keeps all else.
    import psycopg

    hold = psycopg.connect(pg.url.replace("postgresql+psycopg", "postgresql"))
    hold.execute("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE")
    failure: list[BaseException] = []

    def write() -> None:
        try:
            progress.record("ann", item(3), RIGHT, "IVIG", "s", now=1003.0, ticket="t-cut")
        except BaseException as exc:
            failure.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    deadline = time.monotonic() + 30
    waiting: list[tuple[int]] = []
    while not waiting and time.monotonic() < deadline:
        waiting = [tuple(r) for r in pg.sql(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'imnm' "
            "AND wait_event_type = 'Lock'")]  # fmt: skip
        time.sleep(0.05)
    assert waiting, "the write never waited on the lock"
    pg.sql(f"SELECT pg_terminate_backend({waiting[0][0]})")
    writer.join(timeout=30)
    hold.rollback()
    hold.close()
    assert len(failure) == 1 and isinstance(failure[0], StorageError), failure
    message = str(failure[0])
    assert "\n" not in message and "was lost" in message and "earlier answers are kept" in message
    assert pg.password not in message
    history = progress.history("ann")
    assert [h["item_id"] for h in history] == ["item-0", "item-1", "item-2"]
    assert set(progress.boxes("ann")) == {"item-0", "item-1", "item-2"}  # no half answer
    # Sent again, it is stored, once.
    progress.record("ann", item(3), RIGHT, "IVIG", "s", now=1004.0, ticket="t-cut")
    progress.record("ann", item(3), RIGHT, "IVIG", "s", now=1005.0, ticket="t-cut")
    assert [h["item_id"] for h in progress.history("ann")][-1:] == ["item-3"]
    assert len(progress.history("ann")) == 4
    assert [r["question"] for r in feedback.rows()] == ["kept question"]


def test_chat_keeps_the_password_out_of_its_log_and_answers_without_its_database(
    own_postgres: Postgres, tmp_path: Path
) -> None:
    """`imnm chat` on a server that refuses its password: it still answers, a rating gets one
    line, and neither the log nor the page shows the password."""
    from gradio_client import Client

    wrong = own_postgres.url.replace(own_postgres.password, "WRONG-pw-5e1")
    port = free_port()
    log_path = tmp_path / "chat.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*IMNM, "chat", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
            env=clean_env(IMNM_DATABASE_URL=wrong, IMNM_DATA_DIR=str(tmp_path / "data"),
                          GRADIO_ANALYTICS_ENABLED="False"),
        )  # fmt: skip
    try:
        from deploy.cluster import Replica

        replica = Replica(port, {}, log_path)
        replica.proc = proc
        replica.wait(timeout=180)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        answer = client.predict("What is the first-line treatment for IMNM?", [], api_name="/chat")
        assert "prednisone" in answer
        history = [{"role": "user", "content": [{"type": "text", "text": "x"}]},
                   {"role": "assistant", "content": [{"type": "text", "text": answer}]}]
        notice = client.predict(1, True, history, api_name="/rate")
        assert notice.startswith("⚠️ feedback not saved") and "refused the login" in notice
        assert "WRONG-pw-5e1" not in notice
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log_path.read_text(errors="replace")
    assert "WRONG-pw-5e1" not in text and own_postgres.password not in text
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").rglob("*.sqlite3"))
