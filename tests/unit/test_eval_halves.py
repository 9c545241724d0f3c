"""The halves a question set may have, and a half that is not one, read at the edge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.errors import InputError
from assistant.evaluation.gold import HALVES, load_gold


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
