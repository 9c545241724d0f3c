"""Shorthand followed by a possessive is still shorthand: "a stable pt's IVIG" is "a stable
patient's intravenous immunoglobulin" (the word search otherwise looks for an unknown "pt")."""

from __future__ import annotations

from assistant.domain.vocabulary import general_vocabulary


def test_shorthand_with_a_possessive_is_written_out() -> None:
    text, changes = general_vocabulary().rewrite("weaning a stable pt's ivig; pt’s been on pred")
    assert "patient's intravenous immunoglobulin" in text
    assert "patient’s been on prednisone" in text
    assert ("pt", "patient") in changes


def test_other_endings_after_an_apostrophe_are_left_alone() -> None:
    text, _ = general_vocabulary().rewrite("pt'd said so")
    assert text == "pt'd said so"
    # A plural possessive is the pack's own entry ("pts'" is "patients'").
    assert general_vocabulary().rewrite("the pts' notes")[0] == "the patients' notes"
