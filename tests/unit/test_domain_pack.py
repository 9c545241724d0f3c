"""Domain packs: validated data, compiled into a corpus's vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.errors import CorpusError
from assistant.domain.pack import GENERAL_PACK, PACK_NAME, general_paths, packs_hash, read_pack
from assistant.domain.vocabulary import general_vocabulary, phrase_pattern, vocabulary_for

REPO = Path(__file__).resolve().parents[2]


def write_pack(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PACK_NAME).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[terms]]\nid = 'x'\nvariants = [", "is not valid TOML"),
        ("[[terms]]\nid = 'x'\nvariants = ['a']\ncolour = 'red'\n", "terms[0] (x).colour"),
        ("[[terms]]\nid = 'x'\nvariants = []\n", "terms[0] (x).variants"),
        ("[[terms]]\nid = 'Bad Id'\nvariants = ['a']\n", "lower-case word"),
        ("[[terms]]\nid = 'x'\nvariants = ['re:(']\n", "bad regular expression"),
        ("[[terms]]\nid = 'x'\nvariants = ['a']\n[[terms]]\nid = 'x'\nvariants = ['b']\n",
         "id 'x' is defined twice"),
        ("[[terms]]\nid = 'x'\nclass = 'nothing'\nvariants = ['a']\n", "'nothing' is not a term"),
        ("[subject]\nname = 3\n", "subject.name"),
        ("[rewrites]\ncyc = []\n", "rewrites.cyc"),
        ("[rewrites_in_context]\npts = { near = [\"score\"] }\n", "rewrites_in_context.pts.to"),
    ],
)
def test_a_bad_pack_is_one_line_naming_file_and_key(tmp_path: Path, text: str, says: str) -> None:
    folder = write_pack(tmp_path / "corpus", text)
    with pytest.raises(CorpusError) as caught:
        vocabulary_for(folder)
    message = str(caught.value)
    assert says in message and str(folder / PACK_NAME) in message and "\n" not in message


def test_a_clipped_word_of_several_readings_is_the_one_the_corpus_writes(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "c", "[rewrites]\ncyc = ['cyclosporine', 'cyclophosphamide']\n")
    vocab = vocabulary_for(folder)
    # The first reading unless the corpus writes another: "pred" is the text's prednisolone.
    assert vocab.rewrite("cyc dose?")[0] == "cyclosporine dose?"
    chosen = vocab.choosing_rewrites({"iv": 3, "cyclophosphamide": 2, "monthly": 1})
    assert chosen.rewrite("IV cyc monthly")[0] == "IV cyclophosphamide monthly"
    assert vocab.choosing_rewrites({"neither": 4}).rewrite("cyc")[0] == "cyclosporine"
    shipped = general_vocabulary().choosing_rewrites({"prednisolone": 5, "daily": 9})
    assert shipped.rewrite("pred 15mg")[0] == "prednisolone 15mg"
    # Both written: the one in more passages, not the first ("prednisone" once, in a trial's
    # name of its taper, in a text that says "prednisolone" throughout).
    both = general_vocabulary().choosing_rewrites({"prednisone": 1, "prednisolone": 7})
    assert both.rewrite("pred taper")[0] == "prednisolone taper"
    tied = general_vocabulary().choosing_rewrites({"prednisone": 2, "prednisolone": 2})
    assert tied.rewrite("pred")[0] == "prednisone"
    # A shorthand the text itself may use is read as the text writes it.
    echo = general_vocabulary().choosing_rewrites({"echo": 4, "echocardiogram": 1})
    assert echo.rewrite("echo freq?")[0] == "echo frequency?"
    written = general_vocabulary().choosing_rewrites({"echocardiogram": 2})
    assert written.rewrite("echo freq?")[0] == "echocardiogram frequency?"


def test_the_shipped_packs_are_valid() -> None:
    assert read_pack(GENERAL_PACK).terms
    assert all(read_pack(p) for p in general_paths())
    assert read_pack(REPO / "corpus" / PACK_NAME).subject is not None


def test_a_corpus_without_a_pack_gets_the_general_one(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n\nText.\n")
    vocab = vocabulary_for(tmp_path)
    assert vocab.terms_by_id == general_vocabulary().terms_by_id
    assert vocab.subject_name == "the indexed sources" and vocab.title is None


def test_a_corpus_pack_adds_to_and_replaces_general_terms(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "c", """
[subject]
name = "gout"
examples = ["What lowers urate?"]
[abbreviations]
ULT = "urate-lowering therapy"
[[terms]]
id = "allopurinol"
type = "drug"
variants = ["allopurinol", "Zyloprim"]
[[terms]]
id = "mri"
type = "test"
display = "joint MRI"
variants = ["MRI"]
""")
    vocab = vocabulary_for(folder)
    assert vocab.subject_name == "gout" and vocab.examples == ["What lowers urate?"]
    assert vocab.entities("Is zyloprim used?") == [("drug", "allopurinol")]
    assert vocab.display("mri") == "joint MRI"
    assert vocab.expand_abbreviations("ULT first") == "ULT (urate-lowering therapy) first"


def test_a_changed_pack_changes_the_hash(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "c", "[[terms]]\nid = 'a'\nvariants = ['b']\n")
    before = packs_hash(folder)
    write_pack(folder, "[[terms]]\nid = 'a'\nvariants = ['c']\n")
    assert packs_hash(folder) != before
    assert packs_hash(tmp_path / "none") != before  # the general pack alone


@pytest.mark.parametrize(
    ("variant", "matches", "misses"),
    [
        ("steroid-sparing agent", ["steroid sparing agents", "Steroid-sparing agent"], ["steroid"]),
        ("haemoglobin", ["hemoglobin", "haemoglobins"], ["globin"]),
        ("individualised", ["individualized"], ["individual"]),
        ("diagnosis", ["diagnoses"], ["diagnostic"]),
        ("therapy", ["therapies"], ["therap"]),
        ("MG", ["MG"], ["mg", "5 mg"]),  # a unit in lower case is not the disease
        ("AM", ["AM"], ["am"]),  # nor a common word
        ("SRP", ["SRP", "srp"], ["srps x"]),
    ],
)
def test_phrases_match_their_spellings(variant: str, matches: list[str], misses: list[str]) -> None:
    import re

    pattern = re.compile(rf"\b(?:{phrase_pattern(variant)})\b", re.I)
    assert all(pattern.fullmatch(m) for m in matches), matches
    assert not any(pattern.fullmatch(m) for m in misses), misses
