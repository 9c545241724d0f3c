"""A list item is quoted with the line that introduces it, and the lead is cited
(answering/leads.py)."""

from __future__ import annotations

from assistant.answering.citing import CitationBuilder
from assistant.answering.extractive import Scored
from assistant.answering.leads import lead_of, needs_lead, quote
from assistant.core.types import SourceFile
from assistant.ingest.chunk import chunk_source
from assistant.verify.check import check_answer

TEXT = """# Some disease

## Drugs

Several drugs can make the weakness worse. The most important are:

- fluoroquinolones such as ciprofloxacin
- macrolides such as erythromycin

Three tests are used in practice:

- Antibody tests are positive in most patients.
- nerve conduction studies
"""


def _chunks() -> list:
    return chunk_source(SourceFile(name="notes.md", text=TEXT, sha256="0" * 64))


def _item(chunks: list, start: str) -> Scored:
    chunk = next(c for c in chunks if c.text.startswith(start))
    return Scored(chunk, 0, chunk.sentences[0], 0, 0.0, 0.0, 0.9)


def test_an_item_that_is_no_sentence_needs_its_lead() -> None:
    chunks = _chunks()
    fq = _item(chunks, "fluoroquinolones")
    whole = _item(chunks, "Antibody tests")
    assert needs_lead(fq.chunk, fq.sentence)
    assert not needs_lead(whole.chunk, whole.sentence)  # a sentence of its own
    lead = lead_of(chunks, fq.chunk)
    assert lead is not None
    # A short lead pointing back brings the sentence before it; a full one comes alone.
    assert lead.sentences == (
        "Several drugs can make the weakness worse.", "The most important are:"
    )
    tests = lead_of(chunks, _item(chunks, "nerve").chunk)
    assert tests is not None and tests.sentences == ("Three tests are used in practice:",)


def test_the_lead_is_quoted_once_per_list_and_cited_where_it_stands() -> None:
    chunks = _chunks()
    chosen = [_item(chunks, "fluoroquinolones"), _item(chunks, "macrolides")]
    builder = CitationBuilder()
    parts, sentences = quote(chosen, chunks, builder)
    text = " ".join(parts)
    assert text.startswith(
        "Several drugs can make the weakness worse [1]. "
        "The most important are: fluoroquinolones such as ciprofloxacin [1][2]."
    )
    assert text.count("The most important are") == 1
    assert "Macrolides such as erythromycin [3]." in text
    assert sentences[:3] == [
        "Several drugs can make the weakness worse.", "The most important are:",
        "fluoroquinolones such as ciprofloxacin",
    ]
    # Every sentence of the answer is supported by the passages its markers cite.
    check = check_answer(text, {c.marker: c.text for c in builder.citations})
    assert check.citation_recall == 1.0 and check.citation_precision == 1.0


SCHEDULE = """# Some disease

## Tapering

Once symptoms are controlled, the dose is reduced slowly. A typical schedule is:

1. drug A 15 mg daily for 3 weeks
2. then 12.5 mg daily for 3 weeks
3. then 10 mg daily for 4 to 6 weeks
4. then reduce by 1 mg every 4 to 8 weeks

Most patients need treatment for one to two years.
"""


def test_a_list_read_in_part_is_quoted_whole_in_its_order() -> None:
    from assistant.answering.leads import whole_lists

    chunks = chunk_source(SourceFile(name="notes.md", text=SCHEDULE, sha256="0" * 64))
    items = {p: Scored(c, 0, c.sentences[0], 0, 0.0, 0.0, p) for c, p in zip(
        [c for c in chunks if c.kind == "bullet"], (0.7, 0.75, 0.8, 0.6), strict=True)}
    other = next(c for c in chunks if c.text.startswith("Most"))
    rest = Scored(other, 0, other.sentences[0], 0, 0.0, 0.0, 0.9)
    by_score = sorted([*items.values(), rest], key=lambda s: -s.score)
    chosen = [rest, items[0.8]]  # "then 10 mg ..." alone says nothing of what comes after
    got = whole_lists(by_score, chosen, floor=0.3, max_words=90)
    assert [s.sentence for s in got] == [
        rest.sentence, "drug A 15 mg daily for 3 weeks", "then 12.5 mg daily for 3 weeks",
        "then 10 mg daily for 4 to 6 weeks", "then reduce by 1 mg every 4 to 8 weeks",
    ]
    # Not past the word budget, and not from items under the floor.
    assert whole_lists(by_score, chosen, floor=0.3, max_words=30) == chosen
    assert whole_lists(by_score, chosen, floor=0.85, max_words=90) == chosen
