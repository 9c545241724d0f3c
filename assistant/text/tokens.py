"""Word tokens for lexical matching: lowercased, stopwords dropped, stemmed (Snowball English)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Function words that tell no topic from another. "not"/"no" carry meaning for support checks
# (text/polarity.py), not for topic matching.
STOPWORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by",
        "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being",
        "do", "does", "did", "doing", "have", "has", "had", "having", "i", "me", "my", "we",
        "our", "you", "your", "he", "she", "it", "its", "they", "them", "their", "this",
        "that", "these", "those", "which", "who", "whom", "whose", "what", "when", "where",
        "why", "how", "whether", "than", "then", "so", "such", "can", "could", "should",
        "would", "may", "might", "must", "shall", "will", "there", "here", "about", "into",
        "over", "under", "again", "further", "once", "all", "any", "both", "each", "few",
        "more", "most", "other", "some", "no", "nor", "not", "only", "own", "same", "too",
        "very", "just", "also", "s", "t", "don", "now", "per", "vs", "via", "among", "up",
        "down", "out", "off", "tell", "explain", "describe", "give", "given", "list",
        "please", "kind", "sort", "type", "types", "usually", "typically", "often",
        "generally"
    ]
)

TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+", re.UNICODE)
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def fold(word: str) -> str:
    """``word`` without its accents ("behçet": "behcet"; "sjögren": "sjogren"): typed on an
    English keyboard, a name loses them."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lowercased word and number tokens of ``text``, in order."""
    return TOKEN.findall(text.lower())
