"""Real sources through the real CLI: a guideline PDF, PubMed exports and a note in one folder.

Answers must cite the page (or pages) and the PMID where the quoted sentence is; every file
not indexed is named; the edition of the sources is on every answer; a stale index is caught.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from source_files import GUIDELINE, make_pdf, mixed_corpus

REPO = Path(__file__).resolve().parents[2]
IMNM = [sys.executable, "-m", "assistant.cli.app"]


def run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")}
    return subprocess.run(IMNM + args, input=stdin, capture_output=True, env=env, cwd=REPO,
                          timeout=600)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("sources")
    folder = mixed_corpus(root / "corpus")
    result = run(["index", "--corpus", str(folder), "--index", str(root / "idx")])
    assert result.returncode == 0, result.stderr.decode()
    return folder, root / "idx", result.stderr.decode() + result.stdout.decode()


def test_index_names_every_file_it_leaves_out_and_ends_with_a_summary(
    corpus: tuple[Path, Path, str],
) -> None:
    _, _, out = corpus
    for line in (
        "skipped blank.md: empty",
        "skipped broken.pdf: damaged (not a readable PDF)",
        "skipped letter.docx: unsupported type (.docx)",
        "skipped scan.pdf: no text (scanned pages are not read; 1 page)",
        "warning: cidp-guideline.pdf: no text on page 4: scanned pages are not read",
    ):
        assert f"imnm: {line}\n" in out
    assert out.rstrip().splitlines()[-1] == (  # stdout's last line
        "read 1 .md, 1 .pdf (5 pages), 1 .txt (2 records), 1 .xml (1 record); "
        "skipped 4 (1 damaged, 1 empty, 1 no text, 1 unsupported type)"
    )
    assert "Traceback" not in out


# (question, source, page, pages, pmid) of the citation the answer must carry
CASES = [
    ("What is the loading dose of IVIG in CIDP?", "cidp-guideline.pdf", 2, None, None),
    ("How many plasma exchanges are given?", "cidp-guideline.pdf", 2, [2, 3], None),
    ("Which drugs are started at the same time as plasma exchange?", "cidp-guideline.pdf", 3,
     [2, 3], None),
    ("Which patients should get rituximab in CIDP?", "cidp-guideline.pdf", 3, None, None),
    ("How is the response to treatment judged at each visit?", "cidp-guideline.pdf", 3, None,
     None),
    ("What is checked before the first immunoglobulin course?", "cidp-guideline.pdf", 5, None,
     None),
    ("What does ultrasound of the brachial plexus show?", "cidp-guideline.pdf", 1, None, None),
    ("How much did muscle strength improve with rituximab in anti-SRP myopathy?",
     "pubmed-export.txt", None, None, "31234567"),
    ("How many patients with statin-associated myopathy had anti-HMGCR antibodies?",
     "pubmed-export.txt", None, None, "30111222"),
    ("How often did relapse occur on subcutaneous immunoglobulin?", "path.xml", None, None,
     "35555555"),
    ("Should statins be avoided in anti-HMGCR myopathy?", "note.md", None, None, None),
]


@pytest.fixture(scope="module")
def answers(corpus: tuple[Path, Path, str]) -> list[dict[str, object]]:
    folder, idx, _ = corpus
    questions = "\n".join(q for q, *_ in CASES).encode()
    result = run(["ask", "--json", "--corpus", str(folder), "--index", str(idx)], stdin=questions)
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0][:40] for c in CASES])
def test_answers_cite_the_right_page_and_pmid(
    answers: list[dict[str, object]], case: int
) -> None:
    question, source, page, pages, pmid = CASES[case]
    answer = answers[case]
    assert answer["question"] == question and not answer["abstained"], answer
    first = answer["citations"][0]  # type: ignore[index]
    assert (first["source"], first["page"], first["pages"], first["pmid"]) == (
        source, page, pages, pmid
    ), answer
    if pmid:
        paper = next(p for p in __import__("source_files").PAPERS if p.pmid == pmid)
        assert (first["title"], first["journal"], first["year"], first["doi"]) == (
            paper.title, paper.journal, paper.year, paper.doi
        )
    edition = answer["edition"]
    assert isinstance(edition, dict) and len(edition["hash"]) == 12 and edition["files"] == 4


def test_the_terminal_shows_page_pmid_link_and_edition(corpus: tuple[Path, Path, str]) -> None:
    folder, idx, _ = corpus
    args = ["--corpus", str(folder), "--index", str(idx)]
    out = run(["ask", "How many plasma exchanges are given?", *args]).stdout.decode()
    assert "[1] cidp-guideline.pdf, pp. 2-3 — First-line treatment" in out
    assert "Answered from the sources' edition " in out
    out = run(["ask", "How often did relapse occur on subcutaneous immunoglobulin?", *args])
    text = out.stdout.decode()
    assert "path.xml — PMID 35555555: Subcutaneous immunoglobulin for maintenance" in text
    assert "https://pubmed.ncbi.nlm.nih.gov/35555555/" in text


def test_search_json_gives_page_and_record(corpus: tuple[Path, Path, str]) -> None:
    folder, idx, _ = corpus
    result = run(["search", "--json", "--k", "20", "--corpus", str(folder), "--index", str(idx),
                  "plasma exchange"])
    rows = json.loads(result.stdout.decode())["results"]
    spill = next(r for r in rows if "five exchanges" in r["text"])
    assert spill["page"] == 2 and spill["pages"] == [2, 3]
    assert all("pmid" in r for r in rows if r["source"].endswith((".txt", ".xml")))
    assert not any("page" in r for r in rows if r["source"] == "note.md")


def test_an_encrypted_pdf_is_one_line_and_the_rest_is_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    make_pdf(folder / "locked.pdf", GUIDELINE[:2], password="s3cret")
    make_pdf(folder / "open.pdf", GUIDELINE[:2])
    result = run(["ask", "--json", "What is the loading dose of IVIG?", "--corpus", str(folder),
                  "--index", str(tmp_path / "i")])
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert [ln for ln in err.splitlines() if "locked.pdf" in ln] == [
        "imnm: skipped locked.pdf: encrypted (needs a password)"
    ]
    answer = json.loads(result.stdout.decode())
    assert answer["citations"][0]["source"] == "open.pdf" and answer["citations"][0]["page"] == 2


def test_index_check_fails_on_a_stale_index_and_passes_on_the_committed_one(
    tmp_path: Path,
) -> None:
    ok = run(["index", "--check"])
    assert ok.returncode == 0, ok.stderr.decode()  # CI: the committed index/ matches corpus/
    assert "is current: edition" in ok.stdout.decode()

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nIVIG is given at 2 g/kg.\n")
    built = run(["index", "--corpus", str(folder), "--index", str(tmp_path / "i")])
    assert built.returncode == 0, built.stderr.decode()
    (folder / "b.md").write_text("# B\n\nSteroids are tapered.\n")
    stale = run(["index", "--check", "--corpus", str(folder), "--index", str(tmp_path / "i")])
    assert stale.returncode == 1
    assert "stale: corpus changed; run `imnm index` and commit the result" in stale.stderr.decode()
