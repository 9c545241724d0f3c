"""``imnm quiz`` as a user runs it: a session killed mid-way resumes with its history, answers on
stdin, ``grade --json``, and one-line errors (three subprocess runs; the rest in-process)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from assistant.core.settings import DEFAULT_CORPUS
from assistant.domain.vocabulary import vocabulary_for
from assistant.ingest.chunk import chunk_corpus
from assistant.ingest.corpus import load_corpus
from assistant.quiz.bank import Bank, build_bank
from assistant.quiz.items import Item
from assistant.quiz.progress import Progress

REPO = Path(__file__).resolve().parents[2]
IMNM = [sys.executable, "-m", "assistant.cli.app"]
PACK = vocabulary_for(DEFAULT_CORPUS)


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")}
    return env | {"IMNM_DATA_DIR": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "c")}


def right(item: Item) -> str:
    return chr(65 + (item.correct_option or 0)) if item.options else item.facts[0].fact


def read_until(out: IO[str], marker: str, seen: list[str]) -> str:
    """Lines of the child's stdout up to (and including) the first one starting with ``marker``."""
    while True:
        line = out.readline()
        assert line, f"quiz ended before {marker!r}; output so far:\n" + "".join(seen)
        seen.append(line)
        if line.startswith(marker):
            return line


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    # A copy of the corpus: no gold set joins the bank, so every item's answer is known here.
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(DEFAULT_CORPUS / "imnm.md", folder / "imnm.md")
    shutil.copy(DEFAULT_CORPUS / "domain.toml", folder / "domain.toml")
    return folder


def test_killed_quiz_resumes_with_its_history(tmp_path: Path, corpus: Path) -> None:
    bank: Bank = build_bank(chunk_corpus(load_corpus(corpus)), vocab=vocabulary_for(corpus))
    args = ["quiz", "--learner", "Kim", "--n", "6", "--corpus", str(corpus)]
    child = subprocess.Popen(
        IMNM + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env_for(tmp_path), cwd=REPO,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    seen: list[str] = []
    asked: list[str] = []
    verdicts: list[str] = []
    try:
        for answer_right in (True, False):
            header = read_until(child.stdout, "[", seen)
            item = bank.by_id[header.split()[1]]  # "[1/6] cloze-... · topic"
            asked.append(item.id)
            child.stdin.write((right(item) if answer_right else "zzz no idea") + "\n")
            child.stdin.flush()
            verdicts.append(read_until(child.stdout, "verdict:", seen).split()[1])
            read_until(child.stdout, "saved:", seen)
        read_until(child.stdout, "[3/6]", seen)  # waiting for the third answer now
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert verdicts == ["correct", "incorrect"]
    store = Progress(tmp_path / "data" / "quiz.sqlite3")
    history = store.history("kim")
    assert [h["item_id"] for h in history] == asked
    assert [h["verdict"] for h in history] == verdicts

    # A second session (answers on stdin, EOF ends it) starts with the missed item; the one
    # answered right is not due yet.
    missed = bank.by_id[asked[1]]
    second = subprocess.run(
        IMNM + args, input=f"{right(missed)}\n\nno idea\n", capture_output=True, text=True,
        env=env_for(tmp_path), cwd=REPO, timeout=300,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    headers = [line.split()[1] for line in second.stdout.splitlines() if line.startswith("[")]
    assert headers[0] == missed.id and asked[0] not in headers
    assert "stopped: no more answers." in second.stdout
    assert "session: 2 answered, 1 correct, 0 partly correct, 1 incorrect, 1 skipped" in (
        second.stdout
    )
    assert "Kim: 4 answers" in second.stdout
    assert second.stderr == ""
    history = store.history("kim")
    assert [h["item_id"] for h in history][:3] == [*asked, missed.id]
    assert len(history) == 4 and store.boxes("kim")[missed.id][0] == 2


def test_grade_json_subprocess(tmp_path: Path) -> None:
    bank = build_bank(chunk_corpus(load_corpus(DEFAULT_CORPUS)), vocab=PACK)
    item = next(i for i in bank.items if "is a ____ prognostic" in i.question)
    result = subprocess.run(
        [*IMNM, "quiz", "grade", "--question", item.question, "--answer", "a better one", "--json"],
        capture_output=True, text=True, env=env_for(tmp_path), cwd=REPO, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"correct", "score", "verdict", "reference", "citations"} <= set(data)
    assert data["correct"] is False and data["verdict"] == "incorrect" and data["score"] == 0
    assert data["reference"] == "poor" and data["item_id"] == item.id
    cite = data["citations"][0]
    assert cite["chunk_id"] == item.chunk_id and "poor prognostic factor" in cite["quote"]
    assert any("better" in p for p in data["problems"])


def run_main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    stdin: str = "",
) -> tuple[int, str, str]:
    """``imnm ARGS`` in this process (the real entry point, no model needed)."""
    import io

    import assistant.cli.app as cli

    monkeypatch.setattr(sys, "argv", ["imnm", *args])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code: object = 0
    try:
        cli.main()  # returns on success, exits with a code otherwise
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return (code if isinstance(code, int) else 0), out, err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["quiz"], 2, "give --learner NAME"),
        (["quiz", "--learner", "../../etc/passwd"], 2, "learner name may hold only"),
        (["quiz", "--learner", "x" * 60], 2, "learner name too long"),
        (["quiz", "--learner", "ann", "--topic", "astrology"], 2, "no quiz items on topic"),
        (["quiz", "--learner", "ann", "--n", "0"], 2, "Invalid value for '--n'"),
        (["quiz", "grade", "--question", "x?"], 2, "empty answer"),
        (["quiz", "grade", "--item", "nope", "--answer", "a"], 2, "no quiz item with id"),
        (["quiz", "progress"], 2, "give --learner NAME"),
    ],
)
def test_cli_errors_are_one_line(
    args: list[str], code: int, message: str, isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    got, out, err = run_main(args, monkeypatch, capsys)
    assert got == code and message in err, (got, out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 4


def test_cli_session_progress_and_items_in_process(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = build_bank(chunk_corpus(load_corpus(DEFAULT_CORPUS)), vocab=PACK)
    code, out, _ = run_main(["quiz", "items", "--json", "--topic", "prognosis"], monkeypatch,
                            capsys)  # fmt: skip
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and {r["topic"] for r in rows} == {"prognosis"}
    generated = [r for r in rows if r["kind"] != "gold"]
    assert {r["id"] for r in generated} <= set(bank.by_id)
    # Answer the first prognosis items; progress then shows them and writes a chart.
    code, out, err = run_main(["quiz", "--learner", "Lee", "--n", "2", "--topic", "prognosis"],
                              monkeypatch, capsys, stdin="poor\nzzz\n")  # fmt: skip
    assert code == 0, err
    assert out.count("verdict:") == 2 and "source [1]: imnm.md" in out
    chart = isolated_env / "chart.png"
    code, out, err = run_main(["quiz", "progress", "--learner", "lee", "--json", "--history",
                               "--chart", str(chart)], monkeypatch, capsys)  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["answered"] == 2 and len(data["history"]) == 2
    assert data["by_topic"]["prognosis"]["answered"] == 2
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_the_readme_piped_example_fits_a_new_learner(tmp_path: Path) -> None:
    """The README's piped quiz, run as written: a new learner's first three items are the ones its
    answers fit (all graded correct), and the transcript shows each piped answer."""
    readme = (REPO / "README.md").read_text()
    line = next(x.strip() for x in readme.splitlines() if x.strip().startswith("printf '")
                and "imnm quiz --learner" in x)  # fmt: skip
    piped = line.split("'")[1].split("\\n")[:-1]
    out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=300,
                         cwd=REPO, env=env_for(tmp_path))  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    echoed = [x.removeprefix("answer> ") for x in lines if x.startswith("answer> ")]
    assert echoed == piped
    assert f"session: {len(piped)} answered, {len(piped)} correct" in out.stdout, out.stdout
