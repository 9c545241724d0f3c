"""The halves a question set may have, and a half that is not one, read at the edge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_type_hints

import pytest

from assistant.core.errors import InputError
from assistant.evaluation.gold import load_gold
from assistant.evaluation.halves import HALVES


def _write(path: Path, split: str) -> Path:
    row = {"id": "x-q301", "question": "dose?", "kind": "missing", "split": split,
           "missing": ["dose"]}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("split", HALVES)
def test_each_half_is_read(tmp_path: Path, split: str) -> None:
    assert [i.split for i in load_gold(_write(tmp_path / "q.jsonl", split))] == [split]


def test_a_half_that_is_not_one_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_gold(_write(tmp_path / "q.jsonl", "train"))
    assert "\n" not in str(caught.value) and "q.jsonl" in str(caught.value)
    assert "unknown split 'train'" in str(caught.value)


def test_the_halves_are_written_once() -> None:
    """The CLI's --split help and error name every half from the one tuple."""
    from assistant.cli.eval import eval_cmd
    from assistant.evaluation.halves import HALVES_HELP

    assert all(h in HALVES_HELP for h in HALVES)
    split = get_type_hints(eval_cmd, include_extras=True)["split"]
    assert any(HALVES_HELP in str(getattr(m, "help", "")) for m in split.__metadata__)
