"""A sentence taking up a topic word the chosen ones leave out joins the answer
(answering/coverage.py)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering.coverage import Unit, cover, uncovered, units_of


@dataclass
class Cand:
    sentence: str
    score: float
    terms: frozenset[str]


def _terms(c: Cand) -> set[str]:
    return set(c.terms)


def _cands() -> list[Cand]:
    return [
        Cand("Rituximab is used for anti-MAG neuropathy.", 0.9, frozenset({"mag", "neuropathi"})),
        Cand("Anti-MAG neuropathy occurs with IgM.", 0.85, frozenset({"mag", "neuropathi"})),
        Cand("Distal nerves are slow.", 0.5, frozenset({"distal"})),
        Cand("The response to IVIG is usually poor.", 0.4, frozenset({"ivig", "poor"})),
    ]


UNITS = [Unit("mag", frozenset({"mag"})), Unit("ivig", frozenset({"ivig"}))]


def test_a_sentence_naming_the_left_out_word_joins() -> None:
    c = _cands()
    out = cover(c, c[:2], UNITS, _terms, floor=0.3, max_words=90)
    assert c[3] in out and c[2] not in out  # the one naming IVIG, not the next by rank


def test_nothing_joins_below_the_floor_or_past_the_word_limit() -> None:
    c = _cands()
    assert cover(c, c[:2], UNITS, _terms, floor=0.45, max_words=90) == c[:2]
    assert cover(c, c[:2], UNITS, _terms, floor=0.3, max_words=15) == c[:2]


def test_a_chosen_sentence_is_never_replaced() -> None:
    c = _cands()
    out = cover(c, c[:2], UNITS, _terms, floor=0.3, max_words=90)
    assert out[:2] == c[:2]


def test_a_stem_starting_another_is_the_same_word() -> None:
    ovaries = Unit("ovari", frozenset({"ovari"}))
    assert not uncovered([ovaries], [{"ovarian", "cancer"}])
    assert uncovered([ovaries], [{"ova", "cancer"}]) == [ovaries]


def test_units_read_a_word_the_corpus_lacks_through_its_neighbours() -> None:
    def terms_of(w: str) -> list[str]:
        return [w.lower().rstrip("s")]

    def known(t: str) -> str | None:
        return t if t in {"children", "dose"} else None

    def near(w: str) -> list[tuple[str, float]]:
        return [("children", 0.8)] if w == "kids" else []

    units = units_of(["kid", "dose", "zzz"], ["kids", "dose", "zzz"], terms_of, known, near)
    assert [u.term for u in units] == ["kid", "dose"]  # "zzz": nothing can cover it
    assert "children" in units[0].forms
