"""Which sentences of each article the facts cite, and which were skipped and why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.model import Article, Corpus, find_quote

# A sentence ends at . ! ? or … (and any closing quotes) before white space, unless the
# word before the full stop is an abbreviation or an initial ("M. Bourita", "J. Martin").
_END = re.compile(r"[.!?…]+[»”\"’')\]]*(?=\s)")
_ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "dr", "st", "ste", "etc", "av", "no", "cf"}


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    line: int


@dataclass
class ArticleCoverage:
    article: str
    cited: list[Sentence] = field(default_factory=list)
    skipped: list[tuple[Sentence, str]] = field(default_factory=list)
    uncovered: list[Sentence] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.cited) + len(self.skipped) + len(self.uncovered)

    @property
    def share_cited(self) -> float:
        return len(self.cited) / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return not self.uncovered


def sentences(article: Article) -> list[Sentence]:
    """Split each non-boilerplate line into sentences, with their offsets in the text."""
    found = []
    line_starts = [0]
    for line in article.text.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    for start, end in article.content_spans():
        line = next(i for i, s in enumerate(line_starts) if s > start)
        body = article.text[start:end]
        cursor = 0
        for match in _END.finditer(body):
            before = re.search(r"(\w+)\W*$", body[cursor : match.start() + 1])
            word = before.group(1) if before else ""
            if match.group().startswith(".") and (
                word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())
            ):
                continue
            found.append(_sentence(body, cursor, match.end(), start, line))
            cursor = match.end()
        if body[cursor:].strip():
            found.append(_sentence(body, cursor, len(body), start, line))
    return found


def _sentence(body: str, begin: int, end: int, offset: int, line: int) -> Sentence:
    text = body[begin:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return Sentence(offset + begin + lead, offset + begin + lead + len(text), text, line)


def article_coverage(corpus: Corpus, article: Article) -> ArticleCoverage:
    content = article.content_spans()
    quotes = [
        span
        for fact in corpus.facts
        for source in fact.sources
        if source.article == article.id
        and (span := find_quote(article.text, source.quote, content)) is not None
    ]
    skips = [
        (span, skip.reason)
        for skip in article.skipped
        if (span := find_quote(article.text, skip.quote, content)) is not None
    ]
    report = ArticleCoverage(article.id)
    for sentence in sentences(article):

        def overlaps(span: tuple[int, int], s: Sentence = sentence) -> bool:
            return span[0] < s.end and s.start < span[1]

        if any(overlaps(span) for span in quotes):
            report.cited.append(sentence)
        elif reason := next((r for span, r in skips if overlaps(span)), None):
            report.skipped.append((sentence, reason))
        else:
            report.uncovered.append(sentence)
    return report


def coverage(corpus: Corpus) -> list[ArticleCoverage]:
    return [
        article_coverage(corpus, a) for a in sorted(corpus.articles.values(), key=lambda a: a.id)
    ]
