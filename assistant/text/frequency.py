"""How common a word is in written English, and the bands the stages read that by.

The Zipf scale of wordfreq: 0 for a word it does not know (most misspellings), about 1-2 for a
rare real word ("immunosuppressants"), 3 for "breastfeed", 5 for "children", 7 for "the". One
table, so that each band is named, and set, once (the everyday band of a follow-up's words is a
setting: ``AnswerSettings.everyday_zipf``).
"""

from __future__ import annotations

from functools import lru_cache

# A real word, not a misspelling: never "corrected" to a corpus word.
REAL_WORD = 1.5
# Rarer than this, the first word of a long form names the thing itself (a drug's own name),
# not a general word of it ("intravenous").
NAME_WORD = 2.0
# Rarer than this, a word is a domain term a claim commits to (the citation checker).
RARE_TERM = 2.5
# A word in -ed is a verb's past form when its stem is at least this common.
PAST_STEM = 3.0
# Rarer than this, a corpus word is a domain term a pronoun may point back to.
DOMAIN_TERM = 3.5
# A quiz blank on a sentence naming nothing known hides only a word rarer than this.
BLANK_WORD = 4.3
# An abbreviation spelled like a word at least this common ("AM", "ALL", "US") is matched in
# capitals only.
COMMON_WORD = 4.5
# At least this common, a word names no topic of a follow-up ("back", "down", "go").
FRAME_WORD = 5.8


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """``word``'s frequency in English on the Zipf scale (wordfreq, imported on first use)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


# A typed word this rare in English, with a spelling of a word at least this much more common
# (Zipf) this close to it (rapidfuzz ratio), is that word misspelt: web text knows common typos
# ("sucess" 2.0, "comon" 2.1), so the rarity of the typed word alone does not tell them.
TYPO_MAX = 2.5
TYPO_GAP = 2.5
TYPO_MIN_SCORE = 90.0
TYPO_MIN_LENGTH = 5
# The English words a typo is matched to: the most common, of a length worth correcting.
TYPO_VOCABULARY = 40_000


@lru_cache(maxsize=1)
def _english_words() -> list[str]:
    from wordfreq import top_n_list

    return [
        w for w in top_n_list("en", TYPO_VOCABULARY)
        if w.isalpha() and len(w) >= TYPO_MIN_LENGTH - 1
    ]


@lru_cache(maxsize=1)
def _anagrams() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in _english_words():
        out.setdefault("".join(sorted(w)), []).append(w)
    return out


@lru_cache(maxsize=4096)
def english_spelling(word: str) -> str | None:
    """The common English word ``word`` misspells ("sucess": "success"), or None."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import DamerauLevenshtein

    low = word.lower()
    if len(low) < TYPO_MIN_LENGTH - 1 or not low.isalpha() or zipf(low) >= TYPO_MAX:
        return None
    found = process.extractOne(
        low, _english_words(), scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SCORE
    )
    if found is not None:
        best = str(found[0])
    else:
        # A short word with two letters swapped ("tset", "dyas") is one edit from its word,
        # which the ratio, counting a swap as two, leaves too far.
        swapped = [
            w for w in _anagrams().get("".join(sorted(low)), [])
            if DamerauLevenshtein.distance(low, w) == 1
        ]
        if not swapped:
            return None
        best = max(swapped, key=zipf)
    if best == low or best[0] != low[0] or zipf(best) - zipf(low) < TYPO_GAP:
        return None
    return best


def everyday(word: str) -> bool:
    """Whether ``word`` is among the commonest of English ("back", "down"): no topic word."""
    return zipf(word.strip("?.,!;:").lower()) >= FRAME_WORD
