"""Which questions lean on the turn before (answering/conversation.py)."""

from __future__ import annotations

from assistant.answering.conversation import Conversation
from assistant.domain.vocabulary import general_vocabulary


def test_which_one_points_back_to_the_choices_just_named() -> None:
    # "drug A or drug B?" then "which one kicks in quicker?": the choices are the last turn's.
    conversation = Conversation(general_vocabulary())
    assert conversation.is_followup("which one kicks in quicker?")
    assert conversation.is_followup("which one works faster")
