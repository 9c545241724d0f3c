"""Storage faults where feedback and quiz progress are written: a disk that fills up (a real
write failure: RLIMIT_FSIZE in a child process), a writer killed with SIGKILL mid-stream, a
database locked by another process, a read-only data folder, and many writers at once.
Each ends in one line, and every row saved before it is still there."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.errors import StorageError
from assistant.core.settings import LLMSettings, Settings
from assistant.core.types import Answer
from assistant.quiz.progress import Progress
from assistant.web.feedback import FeedbackStore

REPO = Path(__file__).resolve().parents[2]
IMNM = [sys.executable, "-m", "assistant.cli.app"]

# A child process that writes rows until told to stop (or until the disk is "full").
WRITER = r"""
import json, resource, signal, sys
from pathlib import Path
from assistant.core.errors import StorageError
from assistant.web.feedback import FeedbackStore
from assistant.quiz.progress import Progress
from assistant.quiz.items import Fact, Grade, Item

kind, path, limit = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])

def item(n):
    return Item(id=f"item-{n}", kind="cloze", topic="t", question=f"Q{n}?", answer="IVIG",
                facts=[Fact(fact="IVIG")], chunk_id="imnm.md#1", source="imnm.md", section="S",
                quote="q", passage="p")

def write(n):
    payload = "x" * 1500
    if kind == "feedback":
        FeedbackStore(path).add(1, f"question {n}", payload, [{"chunk_id": "imnm.md#1"}], "s")
    else:
        grade = Grade(correct=True, score=1.0, verdict="correct", reference="IVIG", citations=[])
        Progress(path).record("ann", item(n), grade, payload, "s", now=1000.0 + n)

write(0)  # the database exists, with one row, before the disk "fills"
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
saved = 1
try:
    while saved < 100000:
        write(saved)
        saved += 1
        print(saved, flush=True)
except StorageError as exc:
    print(json.dumps({"saved": saved, "error": str(exc)}), flush=True)
"""


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")}
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"} | extra


def rows_of(path: Path, kind: str) -> int:
    table = "feedback" if kind == "feedback" else "answers"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def write_one_more(path: Path, kind: str) -> None:
    subprocess.run(
        [sys.executable, "-c", WRITER.replace("while saved < 100000", "while saved < 1"), kind,
         str(path), "0"],
        check=True, capture_output=True, env=clean_env(), cwd=REPO, timeout=60,
    )


@pytest.mark.parametrize("kind", ["feedback", "progress"])
def test_full_disk_is_one_line_and_earlier_rows_are_kept(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", WRITER, kind, str(path), str(256 * 1024)],
        capture_output=True, env=clean_env(), cwd=REPO, timeout=120,
    )
    err = result.stderr.decode()
    assert result.returncode == 0 and "Traceback" not in err, err
    last = json.loads(result.stdout.decode().splitlines()[-1])
    message = last["error"]
    assert "\n" not in message and ("disk" in message or "full" in message), message
    assert "kept" in message  # it says nothing earlier was lost...
    assert rows_of(path, kind) == last["saved"] > 10  # ...and nothing was
    write_one_more(path, kind)  # room again: writing resumes
    assert rows_of(path, kind) == last["saved"] + 1


@pytest.mark.parametrize("kind", ["feedback", "progress"])
def test_writer_killed_mid_stream_loses_no_committed_row(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, kind, str(path), "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), cwd=REPO,
    )
    committed = 0
    deadline = time.monotonic() + 120
    try:
        assert proc.stdout is not None
        while committed < 40 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            committed = int(line)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert committed >= 40, proc.stderr.read().decode() if proc.stderr else ""
    # Every row reported as committed is there (one more may have landed before the kill).
    assert rows_of(path, kind) in (committed, committed + 1)
    write_one_more(path, kind)


def test_first_feedback_writers_at_once_all_succeed(tmp_path: Path) -> None:
    """Eight ratings arriving together on a fresh database (switching it to WAL once raced:
    "database is locked" with no wait)."""
    for trial in range(20):
        feedback = FeedbackStore(tmp_path / f"feedback{trial}.sqlite3", timeout=30)
        start = threading.Barrier(8)

        def rate(n: int, store: FeedbackStore = feedback, go: threading.Barrier = start) -> int:
            if n < 8:
                go.wait()
            return store.add(1 if n % 2 else -1, f"q{n}", "a", [{"chunk_id": "imnm.md#1"}], "s")

        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(rate, range(40)))
        assert len(set(ids)) == 40 and len(feedback.rows()) == 40


def test_many_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3", timeout=30)

    def rate(n: int) -> int:
        return feedback.add(1 if n % 2 else -1, f"q{n}", "a", [{"chunk_id": "imnm.md#1"}], "s")

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(rate, range(200)))
    assert len(set(ids)) == 200 and len(feedback.rows()) == 200

    from assistant.quiz.items import Fact, Grade, Item

    progress = Progress(tmp_path / "quiz.sqlite3", timeout=30)
    grade = Grade(correct=True, score=1.0, verdict="correct", reference="IVIG", citations=[])

    def answer(n: int) -> None:
        item = Item(
            id=f"item-{n % 5}", kind="cloze", topic="t", question="Q?", answer="IVIG",
            facts=[Fact(fact="IVIG")], chunk_id="imnm.md#1", source="imnm.md", section="S",
            quote="q", passage="p",
        )
        progress.record(f"learner {n % 8}", item, grade, "IVIG", "s", now=1000.0 + n)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(answer, range(80)))
    assert sum(len(progress.history(f"learner {i}")) for i in range(8)) == 80
    assert all(len(progress.boxes(f"learner {i}")) == 5 for i in range(8))


# --- through the CLI: a locked database and a read-only data folder ----------------------------


def quiz(
    data: Path, answers: bytes, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*(prefix or []), *IMNM, "quiz", "--learner", "ann", "--n", str(answers.count(b"\n"))],
        input=answers, capture_output=True, env=clean_env(IMNM_DATA_DIR=str(data)), cwd=REPO,
        timeout=120,
    )


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    lines = [line for line in err.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, err
    assert lines[0].startswith("imnm: error:") and "Traceback" not in err
    return lines[0]


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder and its files read-only, as on a read-only mount; restored afterwards."""
    with contextlib.closing(sqlite3.connect(next(folder.glob("*.sqlite3")))) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [p for p in folder.iterdir() if p.is_file()]
    for p in files:
        p.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)
        for p in files:
            p.chmod(0o644)


def unprivileged() -> list[str]:
    """Root writes anywhere: drop the capabilities that let it, so read-only means read-only."""
    if os.geteuid() != 0:
        return []
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    if shutil.which("setpriv") is None or subprocess.run([*drop, "true"]).returncode != 0:
        pytest.skip("running as root and cannot drop capabilities: no read-only folder possible")
    return drop


def test_quiz_progress_locked_or_read_only_through_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = quiz(data, b"prednisone\nIVIG\n")
    assert first.returncode == 0, first.stderr.decode()
    db = data / "quiz.sqlite3"
    assert len(Progress(db).history("ann")) == 2

    # Another process holds the database: one line, after the wait, and the two rows stay.
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        line = one_error_line(quiz(data, b"rituximab\n"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "locked by another process" in line and "earlier answers are kept" in line
    assert len(Progress(db).history("ann")) == 2

    # A read-only data folder: one line, nothing lost.
    prefix = unprivileged()
    with read_only(data):
        before = db.read_bytes()
        line = one_error_line(quiz(data, b"rituximab\n", prefix))
        assert db.read_bytes() == before
    assert "quiz progress" in line and str(db) in line
    assert len(Progress(db).history("ann")) == 2


def test_feedback_in_a_read_only_or_blocked_folder_is_one_line(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(StorageError) as caught:
        FeedbackStore(blocked / "data" / "feedback.sqlite3").add(1, "q", "a", [])
    assert "\n" not in str(caught.value) and "feedback" in str(caught.value)

    prefix = unprivileged()
    data = tmp_path / "data"
    FeedbackStore(data / "feedback.sqlite3").add(1, "kept question", "a", [])
    script = (
        "import sys\nfrom pathlib import Path\nfrom assistant.web.feedback import FeedbackStore\n"
        "from assistant.core.errors import StorageError\n"
        "try:\n    FeedbackStore(Path(sys.argv[1])).add(-1, 'q', 'a', [])\n"
        "except StorageError as exc:\n    print(exc)\n"
    )
    with read_only(data):
        result = subprocess.run(
            [*prefix, sys.executable, "-c", script, str(data / "feedback.sqlite3")],
            capture_output=True, env=clean_env(), cwd=REPO, timeout=60,
        )
    out = result.stdout.decode().strip()
    assert result.returncode == 0 and "Traceback" not in result.stderr.decode(), result.stderr
    assert out and "\n" not in out and "feedback" in out, out
    rows = FeedbackStore(data / "feedback.sqlite3").rows()
    assert [r["question"] for r in rows] == ["kept question"]


# --- an LLM endpoint that hangs -----------------------------------------------------------------


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on loopback that accepts connections and never says a word."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


def test_hanging_llm_endpoint_still_gets_the_extractive_answer(assistant: Assistant) -> None:

    secret = "sk-test-NEVER-SHOWN-42"
    with silent_server() as port:
        settings = Settings(llm=LLMSettings(
            base_url=f"http://127.0.0.1:{port}/v1", model="m", api_key=secret, timeout=1.0))
        llm_assistant = Assistant(settings, rebuild=False)
        result: dict[str, Answer] = {}

        def ask() -> None:
            result["answer"] = llm_assistant.ask("What is the first-line treatment for IMNM?")

        worker = threading.Thread(target=ask, daemon=True)
        worker.start()
        worker.join(timeout=120)  # a bound on a hang, not a timing test
        assert not worker.is_alive(), "the question hung with the LLM endpoint"
    answer = result["answer"]
    extractive = assistant.ask("What is the first-line treatment for IMNM?")
    assert answer.answer == extractive.answer and answer.citations
    assert answer.notes  # it says the LLM was not used
    assert secret not in json.dumps(answer.to_json_dict()) and secret not in repr(settings)
