"""Another corpus, given with --corpus: answers cited from its own files, index cached."""

from pathlib import Path

import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.settings import Settings
from assistant.store.embed import Embedder

FILES = {
    "gout.md": """# Gout

## Treatment

Acute gout flares are treated with colchicine, a nonsteroidal anti-inflammatory drug, or a
short course of glucocorticoids. Allopurinol is the first-line urate-lowering therapy and is
started at a low dose of 100 mg daily, titrated to a serum urate below 6 mg/dL.
""",
    "asthma.txt": """Asthma

Control
Inhaled corticosteroids are the cornerstone of long-term asthma control. A short-acting beta
agonist such as salbutamol relieves acute bronchospasm.
""",
    "thyroid/hypothyroidism.md": """# Hypothyroidism

Levothyroxine replacement is the standard treatment of hypothyroidism. The dose is adjusted
to keep thyroid-stimulating hormone (TSH) within the reference range, checked 6 to 8 weeks
after each change.
""",
}


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    root = tmp_path_factory.mktemp("other")
    corpus = root / "corpus"
    for name, text in FILES.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text)
    return Assistant(Settings(corpus=corpus, index=root / "idx"), embedder=embedder)


@pytest.mark.parametrize(
    ("question", "fact", "source"),
    [
        ("Which drug lowers urate first?", "Allopurinol", "gout.md"),
        ("What relieves acute bronchospasm?", "salbutamol", "asthma.txt"),
        (
            "How long after a dose change is TSH rechecked?",
            "6 to 8 weeks",
            "thyroid/hypothyroidism.md",
        ),
    ],
)
def test_answers_cite_the_corpus_own_files(
    other: Assistant, question: str, fact: str, source: str
) -> None:
    answer = other.ask(question)
    assert not answer.abstained, answer.answer
    assert fact in answer.answer
    assert answer.citations[0].source == source


def test_a_drug_the_text_names_only_by_its_class_is_read_with_the_class(
    other: Assistant,
) -> None:
    # The asthma text says "inhaled corticosteroids", never budesonide: no decline for a drug
    # it lacks, but what it says of the class, and the reading shows how it was read.
    answer = other.ask("is budesonide used for long-term asthma control?")
    assert not answer.abstained, answer.answer
    assert "Inhaled corticosteroids are the cornerstone" in answer.answer
    assert answer.standalone_question is not None
    assert "budesonide (corticosteroid" in answer.standalone_question


def test_an_abbreviation_the_text_spells_out_is_not_named_as_missing(other: Assistant) -> None:
    # The asthma text writes "short-acting beta agonist", never "SABA".
    answer = other.ask("which SABA relieves acute bronchospasm?")
    assert "salbutamol" in answer.answer
    assert "SABA" not in answer.answer, answer.answer


def test_off_topic_for_that_corpus_is_declined(other: Assistant) -> None:
    assert other.ask("What is the capital of France?").abstained


def test_index_of_another_corpus_is_cached_not_rebuilt(
    other: Assistant, embedder: Embedder
) -> None:
    messages: list[str] = []
    again = Assistant(other.settings, embedder=embedder, notify=messages.append)
    assert not messages
    assert again.index.manifest["built_at"] == other.index.manifest["built_at"]


def test_default_cache_folder_is_per_corpus(isolated_env: Path) -> None:
    a = Settings(corpus=isolated_env / "one").index_dir()
    b = Settings(corpus=isolated_env / "two").index_dir()
    assert a != b and str(a).startswith(str(isolated_env / "cache" / "imnm"))
    assert Settings().index_dir().name == "index"


def test_a_drug_of_a_class_whose_other_drugs_the_text_names_is_not_mentioned(
    tmp_path: Path, embedder: Embedder
) -> None:
    # The text tells statins apart (pravastatin, fluvastatin, simvastatin) and never names
    # pitavastatin: what it says of statins does not answer for that one, which is named as
    # not mentioned (budesonide above, in a text naming no corticosteroid, is read as its class).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lipids.md").write_text(
        "# Statin muscle symptoms\n\nMuscle symptoms are common on statins. Pravastatin and "
        "fluvastatin are less often linked with muscle symptoms than simvastatin at high dose. "
        "Switching to another statin at a low dose is usually tolerated.\n"
    )
    assistant = Assistant(Settings(corpus=corpus, index=tmp_path / "idx"), embedder=embedder)
    answer = assistant.ask("is pitavastatin any kinder on the muscles?")
    assert "do not mention pitavastatin" in answer.answer, answer.answer
