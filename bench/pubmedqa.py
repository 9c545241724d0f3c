"""PubMedQA PQA-L as a corpus: one file per abstract, passages of three sentences each."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.text.sentences import split_sentences

# The data set lies beside the project (../shared/datasets/pubmedqa); IMNM_PUBMEDQA overrides.
DATASET = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "pubmedqa"


class DatasetMissing(Exception):
    """The PubMedQA folder is not where it was looked for."""


def dataset_dir() -> Path:
    return Path(os.environ.get("IMNM_PUBMEDQA") or DATASET)
SENTENCES_PER_PASSAGE = 3


@dataclass(frozen=True)
class Item:
    pmid: str
    question: str
    passages: list[str]

    @property
    def source(self) -> str:
        """The corpus file of this abstract: what a retrieved passage names as its source."""
        return f"{self.pmid}.md"


def load(dataset: Path | None = None, limit: int | None = None) -> list[Item]:
    path = (dataset or dataset_dir()) / "ori_pqal.json"
    if not path.is_file():
        raise DatasetMissing(f"PubMedQA PQA-L not found: {path} (set IMNM_PUBMEDQA to its folder)")
    data = json.loads(path.read_text(encoding="utf-8"))
    items: list[Item] = []
    for pmid, entry in list(data.items())[:limit]:
        sentences = split_sentences(" ".join(entry["CONTEXTS"]))
        passages = [
            " ".join(sentences[i : i + SENTENCES_PER_PASSAGE])
            for i in range(0, len(sentences), SENTENCES_PER_PASSAGE)
        ]
        items.append(Item(pmid, entry["QUESTION"], passages))
    return items


def write_corpus(items: list[Item], folder: Path) -> Path:
    """One Markdown file per abstract, a paragraph per passage; no title (it is the question)."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        (folder / item.source).write_text("\n\n".join(item.passages) + "\n", encoding="utf-8")
    return folder
