"""The curated corpus as plain data: no I/O, no database, no vocabulary rules."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """The file and line a record was read from, for messages a curator can act on."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Source:
    article: str
    quote: str


@dataclass
class Entity:
    id: str
    type: str
    name: str
    label_fr: str
    label_en: str
    aliases: list[str]
    titles: list[str] = field(default_factory=list)
    kind: str | None = None
    note: str | None = None
    where: Where | None = None


@dataclass
class Fact:
    id: str
    subject: str
    predicate: str
    sources: list[Source]
    object: str | None = None
    value: str | int | None = None
    modality: str | None = None  # required: validation refuses a fact without one
    during: str | None = None
    role: str | None = None
    stated_by: str | None = None
    when: str | None = None
    inferred: str | None = None
    note: str | None = None
    where: Where | None = None

    @property
    def qualifiers(self) -> dict[str, str]:
        names = ("modality", "during", "role", "stated_by", "when", "inferred", "note")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


@dataclass
class ArticleDate:
    value: str
    text: str
    about: str | None = None
    inferred: str | None = None


@dataclass
class Boilerplate:
    line: int
    reason: str


@dataclass
class Skip:
    quote: str
    reason: str
    where: Where | None = None


@dataclass
class Article:
    id: str
    text: str
    headline: str | None = None
    headline_line: int | None = None
    outlet: str | None = None
    languages: list[str] = field(default_factory=list)
    dates: list[ArticleDate] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    sha256: str = ""
    where: Where | None = None

    @property
    def boilerplate_lines(self) -> set[int]:
        return {b.line for b in self.boilerplate}

    def content_spans(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the non-empty lines that are not boilerplate."""
        spans, offset = [], 0
        for number, line in enumerate(self.text.splitlines(keepends=True), start=1):
            body = line.rstrip("\r\n")
            if body.strip() and number not in self.boilerplate_lines:
                spans.append((offset, offset + len(body)))
            offset += len(line)
        return spans


@dataclass
class Corpus:
    articles: dict[str, Article]
    entities: dict[str, Entity]
    facts: list[Fact]


_SPACE = re.compile(r"\s+")


def fold_space(text: str) -> str:
    """Collapse runs of white space, so quotes match across line breaks and doubled spaces."""
    return _SPACE.sub(" ", text).strip()


def search_key(text: str) -> str:
    """A key that ignores case, accents, apostrophe and quote styles: 'L’État' ~ "l'etat"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.translate(str.maketrans("’‘`´", "''''", '“”«»"‹›'))
    return fold_space(plain)


def find_quote(
    text: str, quote: str, within: list[tuple[int, int]] | None = None
) -> tuple[int, int] | None:
    """Offsets of `quote` in `text`, white space aside, or None.

    With `within`, an occurrence overlapping one of those spans is preferred (a
    headline may also stand in a boilerplate navigation line).
    """
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    spans = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    for span in spans:
        if within is None or any(s < span[1] and span[0] < e for s, e in within):
            return span
    return spans[0] if spans else None


def find_alias(text: str, alias: str) -> bool:
    """Whether `alias` occurs in `text` as a whole word or phrase, as written."""
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in alias.split()) + r"(?!\w)"
    return re.search(pattern, text) is not None
