"""The layout holds: imports run downward only, no import loops, small modules, and no
knowledge of one text written into code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "assistant"

# Lower layers never import higher ones; two packages of one layer never import each other.
LAYERS = {
    "core": 0,
    "text": 1,
    "domain": 2,
    "storage": 2,
    "ingest": 3,
    "store": 4,
    "retrieval": 5,
    "verify": 6,
    "answering": 7,
    "evaluation": 8,
    "quiz": 9,
    "web": 10,
    "cli": 11,
}
MAX_LINES = 400


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports_of(path: Path) -> list[str]:
    """Every assistant module ``path`` imports, at any depth (lazy imports count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("assistant")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}: relative import (use assistant.<package>...)")
            if node.module.startswith("assistant"):
                names = [f"{node.module}.{a.name}" for a in node.names]
                known = modules()
                found += [n for n in names if n in known] or [node.module]
    return found


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_subpackage_has_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(LAYERS), f"no layer for {sorted(packages - set(LAYERS))}"
    assert {p.name for p in PACKAGE.glob("*.py")} == {"__init__.py"}, "modules belong in packages"


def test_imports_run_downward_only() -> None:
    wrong = []
    for name, path in modules().items():
        mine = package_of(name)
        if mine is None:
            continue
        for target in imports_of(path):
            theirs = package_of(target)
            if theirs is None or theirs == mine:
                continue
            if LAYERS[theirs] >= LAYERS[mine]:
                wrong.append(f"{name} ({mine}) imports {target} ({theirs})")
    assert not wrong, "\n".join(wrong)


def test_no_import_loops() -> None:
    known = modules()
    graph = {
        name: {t for t in imports_of(path) if t in known and t != name}
        for name, path in known.items()
    }
    state: dict[str, int] = {}
    loops: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                loops.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not loops, "\n".join(" -> ".join(loop) for loop in loops)


def test_modules_stay_small() -> None:
    big = {
        str(p.relative_to(REPO)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"modules over {MAX_LINES} lines: {big}"


# The IMNM text's subject, its drugs, antibodies and tests: data (corpus/domain.toml), never code.
# Abbreviations in capitals only ("imnm" in lower case is the product's name).
SUBJECT_WORDS = [
    "rituximab", "immunoglobulin", "prednisone", "prednisolone", "methotrexate", "azathioprine",
    "mycophenolate", "cellcept", "myopathy", "myopathies", "creatine kinase", "necrotizing",
    "necrotising", "myofiber", "hmg-coa", "signal recognition",
]  # fmt: skip
SUBJECT_ABBREVIATIONS = ["IMNM", "NAM", "IVIG", "HMGCR", "SRP", "CK", "CPK", "MMF", "MTX", "AZA",
                         "RTX"]  # fmt: skip


def test_no_code_names_the_imnm_texts_subject() -> None:
    words = re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, SUBJECT_WORDS)) + r")")
    abbrevs = re.compile(r"\b(?:" + "|".join(SUBJECT_ABBREVIATIONS) + r")\b")
    found = []
    for path in PACKAGE.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if m := words.search(line) or abbrevs.search(line):
                found.append(f"{path.relative_to(REPO)}:{n}: {m.group(0)!r}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("line", "caught"),
    [("# IVIG helps", True), ('x = "Rituximab"', True), ("imnm ask", False), ("checker", False)],
)
def test_the_subject_scan_itself_works(line: str, caught: bool) -> None:
    words = re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, SUBJECT_WORDS)) + r")")
    abbrevs = re.compile(r"\b(?:" + "|".join(SUBJECT_ABBREVIATIONS) + r")\b")
    assert bool(words.search(line) or abbrevs.search(line)) is caught
