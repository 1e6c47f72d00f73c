"""The curated corpus as plain data: no I/O, no database, no vocabulary rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.text import CorpusText


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
class MentionSkip:
    """A name the facts leave out on purpose: `text` as written (case and accents aside), on
    `line` only or, without it, wherever the article names it."""

    text: str
    reason: str
    line: int | None = None
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
    skipped_mentions: list[MentionSkip] = field(default_factory=list)
    sha256: str = ""
    where: Where | None = None

    @property
    def boilerplate_lines(self) -> set[int]:
        return {b.line for b in self.boilerplate}

    def boilerplate_spans(self) -> list[tuple[int, int, int]]:
        """(line number, start, end) offsets of the boilerplate lines, in line order."""
        spans, offset, skip = [], 0, self.boilerplate_lines
        for number, line in enumerate(self.text.splitlines(keepends=True), start=1):
            if number in skip:
                spans.append((number, offset, offset + len(line.rstrip("\r\n"))))
            offset += len(line)
        return spans

    def content_spans(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the non-empty lines that are not boilerplate."""
        spans, offset, skip = [], 0, self.boilerplate_lines
        for number, line in enumerate(self.text.splitlines(keepends=True), start=1):
            body = line.rstrip("\r\n")
            if body.strip() and number not in skip:
                spans.append((offset, offset + len(body)))
            offset += len(line)
        return spans


@dataclass
class Corpus:
    articles: dict[str, Article]
    entities: dict[str, Entity]
    facts: list[Fact]

    @cached_property
    def text(self) -> CorpusText:
        """The articles and aliases folded and compiled for matching, once (read-only corpus)."""
        from kg.text import CorpusText

        return CorpusText(self)
