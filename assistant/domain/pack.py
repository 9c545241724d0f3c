"""Domain packs: the vocabulary of a subject, as data beside its corpus.

A pack is a TOML file. The package ships a general one (``general.toml``: clinical words and
shorthand that hold for any clinical text); a corpus folder may add its own ``domain.toml``
(its drugs, antibodies, tests, its subject's name, the app's title and example questions).
A corpus without a pack works: the general pack alone applies. Packs are validated here, with
errors naming the file, the key and what is wrong; their hash is part of the index manifest.

The general packs are every ``*.toml`` of ``assistant/domain/packs/`` (``general.toml`` first:
words and topics; ``shorthand.toml``: clinical shorthand; ``drugs.toml``: brand names). A pack's
``rewrites`` turn what clinicians type into what texts write ("tx" → "treatment", a brand →
its generic name) before a question is read.

A term's ``variants`` are plain phrases, matched case-insensitively on word boundaries, with
hyphen or space between words, British or American spelling and a plural ending; a variant
starting ``re:`` is a regular expression. An all-capitals variant of at most four letters that
is also a unit or a common English word ("MG", "AM") matches in capitals only.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.core.errors import CorpusError

PACKS = Path(__file__).with_name("packs")
GENERAL_PACK = PACKS / "general.toml"
PACK_NAME = "domain.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Term(_Strict):
    """One thing the texts name in several ways: a drug, an antibody, a test, or a plain word."""

    id: str
    variants: list[str] = Field(min_length=1)
    # drug, antibody, test, disease, ... ; None for a plain word group ("outlook" = prognosis)
    type: str | None = None
    display: str | None = None  # how it is written back into a question or an option
    drug_class: str | None = Field(default=None, alias="class")  # a term id: a drug → its class
    short: list[str] = Field(default_factory=list)  # short names a quiz blank accepts

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not value or value != value.lower() or " " in value:
            raise ValueError("must be a lower-case word without spaces")
        return value

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: list[str]) -> list[str]:
        import re

        for v in value:
            if not v.strip():
                raise ValueError("an empty variant")
            if v.startswith("re:"):
                try:
                    re.compile(v[3:])
                except re.error as exc:
                    raise ValueError(f"bad regular expression {v[3:]!r}: {exc}") from exc
        return value


class Subject(_Strict):
    """What the corpus is about: names for the app, the LLM prompt and follow-up reading."""

    name: str = "the indexed sources"
    title: str | None = None
    examples: list[str] = Field(default_factory=list)
    # Words naming the subject or its patients: never a new topic in a follow-up.
    words: list[str] = Field(default_factory=list)
    # Nouns a question may use for the subject ("this disease"): they tell no sentence apart.
    nouns: list[str] = Field(default_factory=list)


class Topic(_Strict):
    name: str
    words: list[str]


class Descriptor(_Strict):
    """A key word a quiz blank may hide, with the answers that mean the same."""

    word: str
    accept: list[str] = Field(default_factory=list)


class CueSpec(_Strict):
    """A kind of question: the phrases that ask it, and those in which texts answer it."""

    kind: str
    asks: list[str]
    says: list[str]


class ContextRewrite(_Strict):
    """A shorthand read one way only in some company: "pts" is points beside "score" or
    "worth", patients elsewhere."""

    to: str
    # Any of these whole words elsewhere in the text (any case) selects this reading.
    near: list[str] = Field(min_length=1)


class DomainPack(_Strict):
    subject: Subject | None = None
    terms: list[Term] = Field(default_factory=list)
    # SHORT = "long form": spelled out for the embedding model and read by the checker.
    abbreviations: dict[str, str] = Field(default_factory=dict)
    # Words a question may use without their being part of its topic ("treatment", "best").
    question_words: list[str] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    descriptors: list[Descriptor] = Field(default_factory=list)
    cues: list[CueSpec] = Field(default_factory=list)  # domain/cues.py
    # What clinicians type → what texts write, whole words: any case, or this case only. A
    # clipped word that stands for more than one thing (two drugs of one stem) lists them: the
    # first a corpus writes is chosen (Vocabulary.choosing_rewrites).
    rewrites: dict[str, str | Annotated[list[str], Field(min_length=1)]] = Field(
        default_factory=dict
    )
    rewrites_exact: dict[str, str] = Field(default_factory=dict)
    # Readings that depend on the words around (lower-case key): tried before the two above.
    rewrites_in_context: dict[str, ContextRewrite] = Field(default_factory=dict)
    # When set ("drug"), every rewrite value of this pack names a thing of this kind: a text
    # naming it names a drug, with no term for it in any pack.
    kind: str | None = None


def _where(loc: tuple[int | str, ...], data: object) -> str:
    """A validation error location as a TOML key path ("terms[3].variants")."""
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts[-1] = f"{parts[-1]}[{p}]" if parts else f"[{p}]"
            if parts and isinstance(data, dict):
                items = data.get(parts[-1].split("[")[0])
                if isinstance(items, list) and p < len(items) and isinstance(items[p], dict):
                    ident = items[p].get("id") or items[p].get("name")
                    if ident:
                        parts[-1] += f" ({ident})"
        else:
            parts.append(str(p))
    return ".".join(parts) or "(top level)"


def read_pack(path: Path) -> DomainPack:
    """The pack at ``path``; a malformed one is one CorpusError naming file, key and problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(f"cannot read the domain pack {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"domain pack {path} is not valid TOML: {exc}") from exc
    try:
        pack = DomainPack.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CorpusError(
            f"domain pack {path}: {_where(tuple(first['loc']), data)}: {first['msg']}"
        ) from exc
    ids = [t.id for t in pack.terms]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise CorpusError(f"domain pack {path}: terms: id {repeated[0]!r} is defined twice")
    return pack


def general_paths() -> list[Path]:
    """The packs shipped with the package, ``general.toml`` first."""
    return sorted(PACKS.glob("*.toml"), key=lambda p: (p != GENERAL_PACK, p.name))


def pack_paths(corpus: Path) -> list[Path]:
    """The packs that apply to ``corpus``: the general ones, then the corpus's own if any."""
    own = corpus / PACK_NAME
    return [*general_paths(), own] if own.is_file() else general_paths()


def packs_hash(corpus: Path) -> str:
    """A hash of the packs' bytes: a changed pack makes the index stale."""
    return hash_of(pack_paths(corpus))


def hash_of(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        try:
            h.update(path.read_bytes())
        except OSError as exc:
            raise CorpusError(f"cannot read the domain pack {path}: {exc.strerror}") from exc
        h.update(b"\0")
    return h.hexdigest()
