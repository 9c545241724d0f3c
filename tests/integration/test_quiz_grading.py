"""Quiz grading against a table of answers, the item bank and its deterministic generation."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.answering.pipeline import Assistant
from assistant.core.errors import InputError
from assistant.core.settings import DEFAULT_CORPUS, Settings
from assistant.core.types import Chunk
from assistant.domain.vocabulary import vocabulary_for
from assistant.evaluation.gold import DEFAULT_GOLD, GoldItem
from assistant.ingest.chunk import chunk_corpus
from assistant.ingest.corpus import load_corpus
from assistant.quiz.bank import Bank, build_bank, load_bank
from assistant.quiz.grading import Grader, grade_free
from assistant.quiz.items import Item

PACK = vocabulary_for(DEFAULT_CORPUS)
grade_item = Grader(PACK).grade_item

# Gold items in the format of eval/gold.jsonl (written here so the table does not depend on it).
GOLD = [
    {"id": "dose", "question": "What is the first-line treatment and the prednisone dose?",
     "answer": "High-dose corticosteroids such as prednisone 0.5-1 mg/kg/day [1].",
     "facts": [{"fact": "corticosteroids", "accept": ["steroids", "glucocorticoids", "prednisone"]},
               {"fact": "0.5-1 mg/kg/day", "accept": ["0.5 to 1 mg/kg per day"]}],
     "support": ["prednisone (0.5-1 mg/kg/day)"], "category": "treatment", "kind": "answerable"},
    {"id": "ivig", "question": "Which antibody subtype tends to respond well to IVIG?",
     "answer": "Anti-HMGCR IMNM.", "facts": [{"fact": "anti-HMGCR",
                                               "accept": ["HMGCR", "HMG-CoA reductase"]}],
     "support": [{"chunk_id": "imnm.md#11"}], "category": "treatment", "kind": "answerable"},
    {"id": "age", "question": "What does young age of onset mean for prognosis?",
     "answer": "Young age of onset is a poor prognostic factor.",
     "facts": [{"fact": "poor prognostic factor", "accept": ["poor prognosis", "worse outcome"]}],
     "support": ["Young age of onset is a poor prognostic factor"], "category": "prognosis",
     "kind": "answerable"},
    {"id": "ck", "question": "Which blood test is followed with muscle strength to judge response?",
     "answer": "Creatine kinase (CK) levels.", "facts": [{"fact": "creatine kinase",
                                                          "accept": ["CK", "CPK"]}],
     "support": ["Monitoring of muscle strength and creatine kinase levels"],
     "category": "monitoring", "kind": "answerable"},
    {"id": "srp", "question": "What is favoured early in anti-SRP IMNM?", "answer": "Rituximab.",
     "facts": [{"fact": "rituximab", "accept": ["RTX"]}],
     "support": ["In anti-SRP IMNM, early rituximab is commonly favored."],
     "category": "treatment", "kind": "answerable"},
    {"id": "taper", "question": "What happens when immunosuppression is tapered in IMNM?",
     "answer": "There is a high rate of relapse.",
     "facts": [{"fact": "high rate of relapse", "accept": ["frequent relapse", "often relapse"]}],
     "support": ["high rate of relapse when tapering immunosuppression"], "category": "prognosis",
     "kind": "answerable"},
    {"id": "biopsy", "question": "What does the muscle biopsy show in IMNM?",
     "answer": "Myofiber necrosis with minimal inflammatory infiltrates.",
     "facts": [{"fact": "myofiber necrosis", "accept": ["necrosis of muscle fibres"]},
               {"fact": "minimal inflammatory infiltrates",
                "accept": ["little inflammation", "few inflammatory cells"]}],
     "support": ["myofiber necrosis with minimal inflammatory infiltrates on muscle biopsy"],
     "category": "diagnosis", "kind": "answerable"},
    {"id": "when", "question": "When is prednisone tapered?",
     "answer": "After 2 to 4 weeks depending on patient response.",
     "facts": [{"fact": "2 to 4 weeks", "accept": ["2-4 weeks"]}],
     "support": ["with a taper after 2 to 4 weeks depending on patient response"],
     "category": "treatment", "kind": "answerable"},
    # Not quiz items: unanswerable and multi-turn.
    {"id": "off", "question": "What is the capital of France?", "answer": "Not covered.",
     "facts": [], "support": [], "category": "off-topic", "kind": "unanswerable"},
    {"id": "turns", "question": "And the dose?", "turns": [{"question": "What is used first?"}],
     "answer": "0.5-1 mg/kg/day", "facts": [], "support": [], "category": "treatment",
     "kind": "answerable"},
]  # fmt: skip


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    return chunk_corpus(load_corpus(DEFAULT_CORPUS))


@pytest.fixture(scope="module")
def bank(chunks: list[Chunk]) -> Bank:
    # The quiz skips gold rows it cannot read (one here has turns written as objects).
    rows = []
    for r in GOLD:
        with contextlib.suppress(ValidationError):
            rows.append(GoldItem.model_validate(r))
    return build_bank(chunks, rows, PACK)


def generated(bank: Bank, text: str, kind: str = "cloze") -> Item:
    return next(i for i in bank.items if i.kind == kind and text in i.question)


def letter(item: Item, shift: int = 0) -> str:
    assert item.correct_option is not None
    return chr(65 + (item.correct_option + shift) % len(item.options))


# (item: a gold id or a phrase of a generated item's question, answer, expected verdict)
CASES: list[tuple[str, str, str]] = [
    # synonyms, abbreviations, numbers written differently, any word order
    ("gold-dose", "high dose steroids, prednisone 0.5 to 1 mg/kg a day", "correct"),
    ("gold-dose", "prednisone 0.5–1 mg/kg/day as high-dose corticosteroids", "correct"),
    ("gold-dose", "1 mg/kg/day to 0.5, corticosteroids", "correct"),
    ("gold-dose", "corticosteroids", "partly correct"),
    ("gold-dose", "rituximab 0.5-1 mg/kg/day", "partly correct"),
    ("gold-dose", "prednisone 5 mg/kg/day", "incorrect"),  # wrong number
    ("gold-dose", "corticosteroids at 5 mg/kg/day", "incorrect"),
    ("gold-dose", "rituximab", "incorrect"),  # wrong drug
    ("gold-dose", "low-dose steroids 0.5-1 mg/kg/day", "incorrect"),  # contradiction
    ("gold-ivig", "anti-HMGCR", "correct"),
    ("gold-ivig", "HMGCR", "correct"),
    ("gold-ivig", "HMG-CoA reductase antibodies", "correct"),
    ("gold-ivig", "the anti-3-hydroxy-3-methylglutaryl-CoA reductase subtype", "correct"),
    ("gold-ivig", "anti-SRP", "incorrect"),  # wrong antibody
    ("gold-ivig", "antibody-negative IMNM", "incorrect"),
    ("gold-age", "it is a poor prognostic factor", "correct"),
    ("gold-age", "poor prognosis", "correct"),
    ("gold-age", "prognostic factor that is poor", "correct"),
    ("gold-age", "better prognosis", "incorrect"),  # contradiction
    ("gold-age", "a good prognostic factor", "incorrect"),
    ("gold-age", "it is not a poor prognostic factor", "incorrect"),  # negation
    ("gold-ck", "CK", "correct"),
    ("gold-ck", "creatine kinase", "correct"),
    ("gold-ck", "CPK levels", "correct"),
    ("gold-ck", "creatinine", "incorrect"),  # close but wrong
    ("gold-ck", "muscle MRI", "incorrect"),
    ("gold-srp", "rituximab", "correct"),
    ("gold-srp", "RTX", "correct"),
    ("gold-srp", "rituxumab", "correct"),  # a misspelt drug name still counts
    ("gold-srp", "IVIG", "incorrect"),
    ("gold-srp", "late rituximab", "incorrect"),
    ("gold-taper", "relapse rate is high", "correct"),
    ("gold-taper", "they often relapse", "correct"),
    ("gold-taper", "low relapse rate", "incorrect"),
    ("gold-biopsy", "necrosis of muscle fibres with little inflammation", "correct"),
    ("gold-biopsy", "myofiber necrosis", "partly correct"),
    ("gold-biopsy", "myofiber necrosis with extensive inflammatory infiltrates", "incorrect"),
    ("gold-when", "2-4 weeks", "correct"),
    ("gold-when", "two to four weeks", "correct"),
    ("gold-when", "after 6 weeks", "incorrect"),
    ("gold-when", "4 weeks", "partly correct"),
    ("gold-when", "2-4 days", "incorrect"),  # right numbers, wrong unit
    ("gold-dose", "steroids, 0.5-1 g/kg/day", "incorrect"),
    ("gold-biopsy", "myofiber necrosis with inflammatory infiltrates", "partly correct"),
    ("gold-srp", "IVIG and rituximab", "partly correct"),  # right drug beside a wrong one
    # generated cloze items
    ("prednisone (____ mg/kg/day)", "0.5 to 1", "correct"),
    ("prednisone (____ mg/kg/day)", "0.5-1 mg/kg a day", "correct"),
    ("prednisone (____ mg/kg/day)", "half to one", "correct"),
    ("prednisone (____ mg/kg/day)", "5", "incorrect"),
    ("prednisone (____ mg/kg/day)", "1-2", "incorrect"),
    ("Consideration of ____ or rituximab", "IVIG", "correct"),
    ("Consideration of ____ or rituximab", "intravenous immune globulin", "correct"),
    ("Consideration of ____ or rituximab", "immunoglobulin", "correct"),
    ("Consideration of ____ or rituximab", "methotrexate", "incorrect"),
    ("is a ____ prognostic", "poor", "correct"),
    ("is a ____ prognostic", "unfavourable", "correct"),
    ("is a ____ prognostic", "good", "incorrect"),
    ("is a ____ prognostic", "better", "incorrect"),
    ("divided into ____ subtypes", "3", "correct"),
    ("divided into ____ subtypes", "three", "correct"),
    ("divided into ____ subtypes", "4", "incorrect"),
    ("Monitoring of muscle strength and ____ levels", "CK", "correct"),
    ("Monitoring of muscle strength and ____ levels", "creatine phosphokinase", "correct"),
    ("Monitoring of muscle strength and ____ levels", "creatinine", "incorrect"),
    ("strategy for IMNM is currently ____", "not yet established", "correct"),
    ("strategy for IMNM is currently ____", "well established", "incorrect"),
    ("inflammatory infiltrates on ____", "biopsy", "correct"),
    ("inflammatory infiltrates on ____", "MRI", "incorrect"),
    ("have a high rate of ____ when", "flares", "correct"),
    ("have a high rate of ____ when", "remission", "incorrect"),
]


@pytest.mark.parametrize(("key", "answer", "expected"), CASES)
def test_grading_table(bank: Bank, key: str, answer: str, expected: str) -> None:
    item = bank.by_id.get(key) or generated(bank, key)
    grade = grade_item(item, answer)
    assert grade.verdict == expected, (answer, grade.model_dump(exclude={"citations"}))
    assert grade.correct == (expected == "correct")
    assert 0.0 <= grade.score <= 1.0
    # Feedback names the reference answer and the passage it comes from.
    assert grade.reference and grade.citations[0].chunk_id == item.chunk_id
    assert grade.citations[0].quote in grade.citations[0].text


def test_table_size_and_agreement(bank: Bank) -> None:
    """The done-when of the issue: >= 40 cases, synonyms and close-but-wrong ones, all agree."""
    assert len(CASES) >= 40
    agree = sum(
        grade_item(bank.by_id.get(k) or generated(bank, k), a).verdict == v for k, a, v in CASES
    )
    assert agree == len(CASES)


def test_choice_items_take_a_letter_or_the_text(bank: Bank) -> None:
    item = generated(bank, "In anti-____ IMNM, early rituximab", kind="choice")
    assert len(item.options) >= 3 and "anti-SRP" in item.options
    assert grade_item(item, letter(item)).verdict == "correct"
    assert grade_item(item, f"({letter(item).lower()})").verdict == "correct"
    assert grade_item(item, letter(item, 1)).verdict == "incorrect"
    assert grade_item(item, "signal recognition particle").verdict == "correct"
    wrong = grade_item(item, "Z")
    assert wrong.verdict == "incorrect" and "no option Z" in wrong.problems[0]
    # Distractors are other antibodies of the corpus, never a drug.
    assert set(item.options) <= {"anti-HMGCR", "anti-SRP", "antibody negative"}


def test_drug_distractors_are_other_corpus_drugs(bank: Bank) -> None:
    choices = [i for i in bank.items if i.kind == "choice" and i.question.startswith("Which drug")]
    assert choices
    drugs = {"corticosteroids", "prednisone", "methotrexate", "azathioprine",
             "mycophenolate mofetil", "intravenous immunoglobulin (IVIG)", "rituximab"}
    for item in choices:
        assert set(item.options) <= drugs, item.options
        assert len(set(item.options)) == len(item.options) >= 3
        correct = item.options[item.correct_option or 0]
        # No distractor is named in the sentence itself (it would be a second right answer).
        for o in item.options:
            if o != correct:
                assert o.split(" (")[0].lower() not in item.quote.lower(), (o, item.quote)


def test_empty_answer_is_refused(bank: Bank) -> None:
    with pytest.raises(InputError, match="empty answer"):
        grade_item(bank.items[0], "  \n ")


def test_generation_is_deterministic_and_tied_to_passages(
    chunks: list[Chunk], assistant: Assistant
) -> None:
    first = build_bank(chunks, vocab=PACK)
    again = build_bank(chunk_corpus(load_corpus(DEFAULT_CORPUS)), vocab=PACK)
    from_index = build_bank(assistant.index.chunks, vocab=PACK)
    dump = [i.model_dump() for i in first.items]
    assert dump == [i.model_dump() for i in again.items]
    assert dump == [i.model_dump() for i in from_index.items]
    assert len({i.id for i in first.items}) == len(first.items) >= 30
    kinds = {i.kind for i in first.items}
    assert kinds == {"cloze", "choice"}
    by_id = {c.chunk_id: c for c in chunks}
    for item in first.items:
        chunk = by_id[item.chunk_id]
        assert item.quote in chunk.sentences and item.passage == chunk.text
        assert "____" in item.question
        # The blank hides the answer: the reference is not left in the question.
        assert item.facts[0].fact.lower() not in item.question.split(":", 1)[1].lower()
    cloze = [i for i in first.items if i.kind == "cloze"]
    assert any(i.answer == "0.5-1" for i in cloze)  # a number
    assert any(i.answer == "intravenous immunoglobulin (IVIG)" for i in cloze)  # a term
    assert {i.topic for i in first.items} >= {"treatment", "diagnosis", "prognosis"}


def test_an_edit_changes_only_the_items_of_the_edited_sentence(tmp_path: Path) -> None:
    text = DEFAULT_CORPUS.joinpath("imnm.md").read_text()
    edited = text.replace("early rituximab is commonly favored", "early rituximab is favored")
    assert edited != text
    (tmp_path / "imnm.md").write_text(edited)
    before = {i.id for i in build_bank(chunk_corpus(load_corpus(DEFAULT_CORPUS)), vocab=PACK).items}
    after = {i.id for i in build_bank(chunk_corpus(load_corpus(tmp_path)), vocab=PACK).items}
    assert 0 < len(before - after) <= 3 and len(after - before) == len(before - after)


def test_gold_file_items(tmp_path: Path, chunks: list[Chunk]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in GOLD) + "\nnot json\n")
    bank = load_bank(Settings(corpus=tmp_path / "elsewhere"), chunks=chunks, gold=gold)
    ids = [i.id for i in bank.items if i.kind == "gold"]
    # Unanswerable and multi-turn items are not quiz items; a bad line is skipped.
    assert ids == [f"gold-{r['id']}" for r in GOLD[:8]]
    item = bank.by_id["gold-ivig"]
    assert item.chunk_id == "imnm.md#11" and item.topic == "treatment"
    assert bank.by_id["gold-age"].quote.startswith("Young age of onset is a poor")
    assert bank.by_id["gold-dose"].answer.endswith("mg/kg/day.")  # markers dropped
    assert bank.find("  which antibody subtype tends to respond well to ivig ") is item
    # Without a gold file the bank still works.
    assert load_bank(Settings(), chunks=chunks, gold=tmp_path / "none.jsonl").items


def test_topics_filter(bank: Bank) -> None:
    assert {i.topic for i in bank.select("prognosis")} == {"prognosis"}
    with pytest.raises(InputError, match="no quiz items on topic"):
        bank.select("astrology")


def test_free_question_graded_against_the_grounded_answer(assistant: Assistant) -> None:
    q = "Which drug is favoured early in anti-SRP IMNM?"
    right = grade_free(assistant, q, "rituximab")
    assert right.verdict == "correct" and right.item_id is None
    assert right.citations and "rituximab" in right.citations[0].quote
    assert grade_free(assistant, q, "IVIG").verdict == "incorrect"
    dose = "What prednisone dose is used first?"
    assert grade_free(assistant, dose, "0.5 to 1 mg/kg daily").verdict == "correct"
    assert grade_free(assistant, dose, "2 mg/kg daily").verdict == "incorrect"
    off = grade_free(assistant, "What is the capital of France?", "Paris")
    assert off.verdict == "ungraded" and not off.correct and not off.citations


def test_the_real_gold_items_accept_their_own_reference_answers(chunks: list[Chunk]) -> None:
    """Each gold item of eval/gold.jsonl, answered with its own reference, is graded correct,
    and a wrong drug or an empty-handed answer is not."""
    if not DEFAULT_GOLD.is_file():
        pytest.skip("eval/gold.jsonl is not there yet")
    bank = load_bank(Settings(), chunks=chunks)
    gold = [i for i in bank.items if i.kind == "gold"]
    assert gold, "no answerable single-turn gold items could be read"
    wrong = [(i.id, g.verdict, g.missing, g.problems) for i in gold
             if (g := grade_item(i, i.answer)).verdict != "correct"]  # fmt: skip
    assert not wrong
    assert all(grade_item(i, "I do not know").verdict != "correct" for i in gold)


def test_items_are_answerable_alone() -> None:
    """A sentence opening on a word that points back ('It may be considered early…') names its
    subject elsewhere: it gives no item. A blank is never a verb form or adverb ('A chest X-ray
    is ____ if…' for 'advised'), which asks no fact."""
    from assistant.core.types import Chunk
    from assistant.domain.vocabulary import general_vocabulary
    from assistant.quiz.generate import ItemMaker

    sentences = [
        "It may be considered early in patients at high risk of relapse or prolonged therapy.",
        "A chest radiograph is advised if there are chest symptoms or unexplained weight loss.",
        "Tocilizumab suppresses CRP and ESR, so inflammatory markers cannot be relied on.",
    ]
    chunks = [Chunk(chunk_id=f"t.md#{i}", source="t.md", section="Care", text=s, sentences=[s],
                    position=i, line=i + 1) for i, s in enumerate(sentences)]  # fmt: skip
    items = ItemMaker(general_vocabulary()).generate(chunks)
    quotes = {i.quote for i in items}
    assert sentences[0] not in quotes and sentences[2] in quotes
    assert all(not i.answer.lower().endswith(("ed", "ing", "ly")) for i in items), [
        i.answer for i in items
    ]


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cidp() -> Assistant:
    return Assistant(Settings(corpus=REPO / "eval/corpora/cidp"))


def test_free_answer_graded_against_a_sentence_the_answer_did_not_cite(cidp: Assistant) -> None:
    # The grounded answer cites other sentences; the searcher's passages hold the one about
    # how long the disease progresses ("at least eight weeks"), in weeks where the learner
    # says months.
    q = "Over how long does CIDP progress?"
    assert grade_free(cidp, q, "more than two months").correct
    assert not grade_free(cidp, q, "more than two weeks").correct


def test_free_answer_graded_against_the_clause_that_answers(cidp: Assistant) -> None:
    q = "What should a CSF white cell count above 10 prompt?"
    assert grade_free(cidp, q, "a search for lymphoma, infection or sarcoid").correct
    # A clause saying the opposite of the question's premise ("better" for "worse") is
    # about another question, though it names the learner's words.
    assert not grade_free(cidp, "What predicts a worse outcome in CIDP?",
                          "younger age at onset").correct  # fmt: skip


@pytest.fixture(scope="module")
def pmr() -> Assistant:
    return Assistant(Settings(corpus=REPO / "eval/corpora/pmr"))


def test_a_clause_relating_the_asked_things_the_other_way_round_is_not_the_reference(
    pmr: Assistant,
) -> None:
    q = "What proportion of patients with PMR develop GCA?"
    # "40 to 50 percent of patients with GCA have symptoms of PMR" answers the converse.
    assert not grade_free(pmr, q, "40 to 50 percent").correct
    steroids = "How long do most patients need steroid treatment for PMR?"
    assert grade_free(pmr, steroids, "somewhere between 12 and 24 months").correct


def test_a_kind_of_answer_asked_finds_the_sentence_that_gives_it(cidp: Assistant) -> None:
    # "Sex ratio" shares no word with "men are affected about twice as often as women": the
    # kind of answer asked (text/answer_types.toml) finds and admits it.
    q = "What is the sex ratio in CIDP?"
    assert grade_free(cidp, q, "men are affected twice as often as women").correct
    assert not grade_free(cidp, q, "women are affected twice as often as men").correct
    assert not grade_free(cidp, q, "men and women are affected equally").correct


def test_fewer_things_than_asked_is_partly_correct(cidp: Assistant) -> None:
    q = "What are the first-line treatments for CIDP?"
    assert grade_free(cidp, q, "immunoglobulin and steroids").verdict == "partly correct"
    assert grade_free(cidp, q, "immunoglobulin, steroids or plasma exchange").correct


def test_a_decade_in_words_answers_an_age_range(pmr: Assistant) -> None:
    q = "At what age does the incidence of PMR peak?"
    assert grade_free(pmr, q, "in their 70s").correct
    assert not grade_free(pmr, q, "in their forties").correct


def test_a_negated_verb_of_making_states_the_sources_lack(pmr: Assistant) -> None:
    # "Can't make enough cortisol" is the source's "adrenal insufficiency", not its negation.
    why = "Why must steroids not be stopped suddenly in PMR?"
    assert grade_free(pmr, why, "the adrenal glands cannot produce enough cortisol").correct


def test_a_pronoun_subject_is_read_as_the_name_before_it() -> None:
    dm = Assistant(Settings(corpus=REPO / "eval/corpora/dermatomyositis"))
    q = "Which antibody is strongly associated with cancer in adults with DM?"
    assert grade_free(dm, q, "anti-TIF1-gamma").correct
    assert not grade_free(dm, q, "anti-Mi-2").correct


def test_the_clause_after_the_questions_condition_answers(pmr: Assistant) -> None:
    # "If there is little or no response after one week, the diagnosis should be
    # reconsidered": the "if" clause restates the question's condition.
    q = "What should be done if there is little response to steroids after one week?"
    assert grade_free(pmr, q, "the diagnosis should be reconsidered").correct
    assert not grade_free(pmr, q, "increase the dose").correct


def test_a_comparison_is_graded_from_the_side_asked_about() -> None:
    dm = Assistant(Settings(corpus=REPO / "eval/corpora/dermatomyositis"))
    q = "How common is calcinosis in adults with DM?"
    assert grade_free(dm, q, "uncommon").correct
    assert not grade_free(dm, q, "very common in adults").correct


def test_how_long_a_benefit_lasts_is_graded_on_the_duration_scale(cidp: Assistant) -> None:
    q = "How long does the benefit of plasma exchange last?"
    assert grade_free(cidp, q, "it fades after a few weeks").correct
    assert not grade_free(cidp, q, "the benefit is permanent").correct


def test_a_why_is_answered_by_the_purpose_of_the_questions_verb(pmr: Assistant) -> None:
    # "... are measured to look for myeloma": the purpose of "measured" is the reason.
    q = "Why are serum immunoglobulins measured in suspected PMR?"
    assert grade_free(pmr, q, "to exclude multiple myeloma").correct
    assert not grade_free(pmr, q, "to monitor the steroid dose").correct
