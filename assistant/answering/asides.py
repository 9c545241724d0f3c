"""What a question sets aside: "apart from drug X, what else?", "an alternative to X?" (English
wording; any text). The answerer leaves such drugs out of what it answers (answering/besides.py)
and out of whose dose a follow-up asks (answering/gaps.py)."""

from __future__ import annotations

import re

from assistant.domain.vocabulary import Vocabulary

# "apart from X", "besides X", "other than X", "except (for) X", "not counting X": up to three
# words after, which name what is set aside.
SET_ASIDE = re.compile(
    r"\b(?:apart\s+from|aside\s+from|besides|other\s+than|except(?:\s+for)?|not\s+counting|"
    r"excluding|alternatives?\s+to|instead\s+of)\s+((?:[\w/-]+\s*){1,3})",
    re.I,
)


def set_aside(question: str, vocab: Vocabulary) -> set[str]:
    """The drugs ``question`` sets aside ("apart from tocilizumab, what else spares steroids?")."""
    out: set[str] = set()
    for m in SET_ASIDE.finditer(question):
        out |= {e for t, e in vocab.entities(m.group(1)) if t == "drug"}
    return out
