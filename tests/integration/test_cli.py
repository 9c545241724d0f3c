"""The imnm command, run for real as a user would (a subprocess per case)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
IMNM = [sys.executable, "-m", "assistant.cli.app"]


def run(
    args: list[str], stdin: bytes | None = None, env: dict[str, str] | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")} | (env or {})
    return subprocess.run(
        IMNM + args,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=300,
    )


def make_unreadable(tmp_path: Path) -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "ok.md").write_text("# A\n\nText.\n")
    bad = folder / "secret.md"
    bad.write_text("x")
    bad.chmod(0)
    return folder


# (case, argv builder, expected exit code, expected line on stderr)
ERRORS = [
    ("empty question", lambda t: ["ask", ""], 2, "empty question"),
    ("blank question", lambda t: ["ask", "   \t "], 2, "empty question"),
    (
        "missing corpus",
        lambda t: ["ask", "x?", "--corpus", str(t / "nope")],
        1,
        "corpus folder not found",
    ),
    ("empty corpus", lambda t: ["ask", "x?", "--corpus", str(t)], 1, "has no source files (.md"),
    (
        "corpus is a file",
        lambda t: ["search", "x", "--corpus", str(REPO / "README.md")],
        1,
        "corpus is not a folder",
    ),
    ("bad k", lambda t: ["ask", "x?", "--k", "0"], 2, "Invalid value for '--k'"),
    ("bad mode", lambda t: ["search", "x", "--mode", "magic"], 2, "unknown --mode"),
    ("unknown command", lambda t: ["frobnicate"], 2, "No such command"),
    ("bad half", lambda t: ["eval", "--suites", "--split", "train"], 2,
     "unknown --split 'train': use dev, dev-2, dev-3, dev-4, test, holdout, holdout-2, holdout-3, "
     "holdout-4, holdout-5, holdout-6, holdout-7, holdout-8, holdout-9, holdout-10, holdout-11, "
     "holdout-12 or holdout-13"),
    ("unknown suite", lambda t: ["eval", "--suite", "nope"], 2, "no suite named 'nope'"),
]


@pytest.mark.parametrize(("case", "argv", "code", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_gets_one_clear_line(
    tmp_path: Path, case: str, argv, code: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    result = run(argv(tmp_path))
    err = result.stderr.decode()
    assert result.returncode == code, err
    assert message in err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if line.strip()]) <= 4, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_named_and_the_rest_indexed(tmp_path: Path) -> None:
    folder = make_unreadable(tmp_path)
    result = run(["ask", "x?", "--corpus", str(folder), "--index", str(tmp_path / "i")])
    assert result.returncode == 0, result.stderr.decode()
    assert "skipped secret.md: unreadable (permission denied)" in result.stderr.decode()


def test_eval_sets_print_one_line_per_half_and_skip_a_set_without_that_half() -> None:
    # The gold set has no halves: asked for the dev half, it has nothing to show.
    result = run(["eval", "--suite", "imnm-gold", "--suite", "imnm", "--split", "dev"])
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0, result.stderr.decode()
    assert [line.split()[:2] for line in lines] == [["imnm", "dev"]], lines
    assert "grounded_accuracy" in lines[0] and "n=34" in lines[0] and " flat " in lines[0]


def test_ask_answers_with_cited_sentences() -> None:
    result = run(["ask", "What is the first-line treatment for IMNM?"])
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "prednisone (0.5-1 mg/kg/day)" in out and "steroid-sparing agent" in out
    assert "[1]" in out and "Sources:" in out and "imnm.md — " in out


def test_batch_json_one_object_a_line_with_bad_lines_handled() -> None:
    questions = (
        b"What is the first-line treatment for IMNM?\n\n   \n"
        b"Which antibody subtype responds to IVIG?\n"
    ) + b"What about \xff\xfe?\n"
    result = run(["ask", "--json"], stdin=questions)
    assert result.returncode == 0, result.stderr.decode()
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(lines) == 3  # blank lines skipped, invalid UTF-8 replaced not fatal
    first = lines[0]
    assert set(first) >= {"question", "answer", "abstained", "citations", "timings_ms"}
    markers = {int(m) for m in __import__("re").findall(r"\[(\d+)\]", first["answer"])}
    assert markers == {c["marker"] for c in first["citations"]}
    assert all(c["source"] == "imnm.md" for c in first["citations"])
    assert "\ufffd" in lines[2]["question"]


def test_conversation_mode_and_search_json(tmp_path: Path) -> None:
    turns = b"What is the first-line treatment for IMNM?\nWhat dose?\n"
    result = run(["ask", "--json", "--conversation"], stdin=turns)
    second = json.loads(result.stdout.decode().splitlines()[1])
    assert "mg/kg" in second["answer"] and second["standalone_question"]
    # In the terminal the follow-up's reading is shown under its answer; a first question has none.
    # A declined turn needs no reading shown: the context it was read in did not matter.
    asked = turns + b"how is migraine treated?\n"
    shown = run(["ask", "--conversation"], stdin=asked).stdout.decode().split("Q: ")
    assert "(read as:" not in shown[1] and "(read as: What dose?" in shown[2]
    assert "migraine" in shown[3] and "(read as:" not in shown[3]

    result = run(["search", "--json", "--k", "3"], stdin=b"anti-SRP treatment\n")
    data = json.loads(result.stdout.decode())
    assert data["query"] == "anti-SRP treatment" and len(data["results"]) == 3
    assert set(data["results"][0]) == {"rank", "score", "chunk_id", "source", "section", "text"}
    assert any("rituximab" in r["text"] for r in data["results"])


def test_long_question_is_cut_with_a_note() -> None:
    result = run(["ask", "--json", "What is the first-line treatment? " + "x" * 5000])
    data = json.loads(result.stdout.decode())
    assert any("cut to its first 1000 characters" in n for n in data["notes"])
