"""How completely the facts account for each article, sentence by sentence and name by name.

Sentences: each content sentence is cited by a fact's quote, skipped with a reason
(`skipped:` in the article's metadata), or uncovered.

Named mentions: each name in a content sentence (every alias occurrence, found by
kg.text, and every name spaCy's recognizer finds that no alias covers) is *used* when a
fact citing that sentence has the entity as subject, object, `during` or `stated_by`;
*skipped* when its sentence is skipped or `skipped_mentions:` lists it with a reason; and
*unaccounted* otherwise. Without spaCy only alias mentions are counted (`nlp_missing`).

Review: facts whose modality is `actual` while their quote holds a verb in the future or
the conditional (spaCy's morphology): tense is no proof, so they are listed, not refused.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from kg import nlp, vocab
from kg.model import Article, Corpus, Fact
from kg.text import search_key

# A sentence ends at . ! ? or … (and any closing quotes) before white space, unless the
# word before the full stop is an abbreviation or an initial ("M. Bourita", "J. Martin").
_END = re.compile(r"[.!?…]+[»”\"’')\]]*(?=\s)")
_ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "dr", "st", "ste", "etc", "av", "no", "cf"}
# Articles and elisions the recognizer keeps in front of a name ("l’OTAN", "la Défense").
_LEADING = re.compile(r"^(?:(?:le|la|les|du|des|de)\s+|[ldLD]['’])", re.IGNORECASE)
_TRAILING = re.compile(r"[\s’'\"»”.,;:!?)]+$")
USED, SKIPPED, UNACCOUNTED = "used", "skipped", "unaccounted"


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    line: int


@dataclass
class Mention:
    """A name in a content sentence, and how the seeds account for it."""

    line: int
    start: int
    end: int
    text: str
    entities: tuple[str, ...]  # who the alias names; () for a name no alias covers
    ner_label: str | None  # the recognizer's label, for a name no alias covers
    status: str = UNACCOUNTED  # USED, SKIPPED or UNACCOUNTED
    reason: str | None = None  # why it is skipped


@dataclass
class Review:
    """A fact stated as actual whose quote holds a future or conditional verb."""

    fact: str
    line: int
    verb: str
    form: str  # "Fut" or "Cnd"
    quote: tuple[int, int]  # where the fact's quote stands in the article


@dataclass
class ArticleCoverage:
    article: str
    cited: list[Sentence] = field(default_factory=list)
    skipped: list[tuple[Sentence, str]] = field(default_factory=list)
    uncovered: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # entity id -> the reasons its mentions were skipped: the article names it, no fact
    # citing the article uses it
    no_fact: dict[str, list[str]] = field(default_factory=dict)
    review: list[Review] = field(default_factory=list)
    unused_skips: list[str] = field(default_factory=list)  # skipped_mentions matching nothing

    @property
    def total(self) -> int:
        return len(self.cited) + len(self.skipped) + len(self.uncovered)

    @property
    def share_cited(self) -> float:
        return len(self.cited) / self.total if self.total else 1.0

    def count(self, status: str) -> int:
        return sum(1 for m in self.mentions if m.status == status)

    @property
    def complete(self) -> bool:
        """Every sentence cited or skipped (the mentions are reported, see `accounted`)."""
        return not self.uncovered

    @property
    def accounted(self) -> bool:
        """Every mention used or skipped, and every entity named without a fact has a reason."""
        return not self.count(UNACCOUNTED) and all(self.no_fact.values())


@dataclass
class Coverage:
    articles: list[ArticleCoverage]
    nlp_missing: str | None  # why names no alias covers and verb forms were not looked for


def sentences(article: Article) -> list[Sentence]:
    """Split each non-boilerplate line into sentences, with their offsets in the text."""
    found = []
    line_starts = [0]
    for line in article.text.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    for start, end in article.content_spans():
        line = bisect_right(line_starts, start)
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


def clean_name(text: str) -> str:
    """A recognized name without the article or elision in front and punctuation behind."""
    return _TRAILING.sub("", _LEADING.sub("", text.strip()))


def looks_like_name(name: str) -> bool:
    return len(name) >= 2 and (name[0].isupper() or name[0].isdigit())


def _refs(fact: Fact) -> set[str]:
    return {r for r in (fact.subject, fact.object, fact.during, fact.stated_by) if r}


def article_coverage(
    corpus: Corpus, article: Article, analyses: list[nlp.Analysis] | None = None
) -> ArticleCoverage:
    """The coverage of one article; `analyses` (one per sentence) adds spaCy's names and
    the review list."""
    parts = sentences(article)
    quotes = [
        (span, fact)
        for fact in corpus.facts
        for source in fact.sources
        if source.article == article.id
        and (span := corpus.text.find_quote(article.id, source.quote)) is not None
    ]
    skips = [
        (span, skip.reason)
        for skip in article.skipped
        if (span := corpus.text.find_quote(article.id, skip.quote)) is not None
    ]
    report = ArticleCoverage(article.id)
    hits = corpus.text.mentions(article.id)
    hit_starts = [h.start for h in hits]
    used_anywhere: set[str] = set()
    named: dict[str, list[Mention]] = {}
    skip_keys = {(search_key(s.text), s.line): s.reason for s in article.skipped_mentions if s.text}
    matched_skips: set[tuple[str, int | None]] = set()
    for index, sentence in enumerate(parts):

        def overlaps(span: tuple[int, int], s: Sentence = sentence) -> bool:
            return span[0] < s.end and s.start < span[1]

        citing = [fact for span, fact in quotes if overlaps(span)]
        sentence_skip = next((r for span, r in skips if overlaps(span)), None)
        if citing:
            report.cited.append(sentence)
        elif sentence_skip is not None:
            report.skipped.append((sentence, sentence_skip))
        else:
            report.uncovered.append(sentence)
        used = set().union(*(_refs(f) for f in citing))
        used_anywhere |= used
        found = [
            Mention(sentence.line, h.start, h.end, article.text[h.start : h.end], h.owners, None)
            for h in hits[
                bisect_right(hit_starts, sentence.start - 1) : bisect_right(
                    hit_starts, sentence.end - 1
                )
            ]
        ]
        if analyses is not None:
            found += _unknown_names(sentence, analyses[index], found)
            report.review += _review(sentence, analyses[index], quotes)
        for mention in sorted(found, key=lambda m: m.start):
            key = search_key(mention.text)
            if used & set(mention.entities):
                mention.status = USED
            elif sentence_skip is not None:
                mention.status, mention.reason = SKIPPED, sentence_skip
            else:
                for where in ((key, mention.line), (key, None)):
                    if where in skip_keys:
                        mention.status, mention.reason = SKIPPED, skip_keys[where]
                        matched_skips.add(where)
                        break
            report.mentions.append(mention)
            for entity in mention.entities:
                named.setdefault(entity, []).append(mention)
    for entity, mentions in named.items():
        if entity not in used_anywhere:
            reasons = [m.reason for m in mentions if m.status == SKIPPED and m.reason]
            report.no_fact[entity] = list(dict.fromkeys(reasons))
    report.unused_skips = [
        s.text
        for s in article.skipped_mentions
        if (search_key(s.text), s.line) not in matched_skips
    ]
    return report


def _unknown_names(
    sentence: Sentence, analysis: nlp.Analysis, aliases: list[Mention]
) -> list[Mention]:
    """The names spaCy finds in the sentence that overlap no alias mention."""
    found = []
    for span in analysis.names:
        name = clean_name(span.text)
        if not looks_like_name(name):
            continue
        start = sentence.start + span.start + span.text.index(name)
        end = start + len(name)
        if any(m.start < end and start < m.end for m in aliases):
            continue
        found.append(Mention(sentence.line, start, end, name, (), span.label))
    return found


def _review(
    sentence: Sentence,
    analysis: nlp.Analysis,
    quotes: list[tuple[tuple[int, int], Fact]],
) -> list[Review]:
    """Facts stated as actual whose quote holds one of the sentence's irrealis verbs."""
    found = []
    for verb in analysis.irrealis:
        start, end = sentence.start + verb.start, sentence.start + verb.end
        for span, fact in quotes:
            if fact.modality == vocab.ACTUAL and span[0] <= start and end <= span[1]:
                found.append(Review(fact.id, sentence.line, verb.text, verb.label, span))
    return found


def coverage(corpus: Corpus, cache_dir: Path | None = None) -> Coverage:
    """Every article's coverage; spaCy's names and the review list when spaCy is installed
    (or its answers are cached in `cache_dir`)."""
    articles = sorted(corpus.articles.values(), key=lambda a: a.id)
    parts = {a.id: sentences(a) for a in articles}
    analyses = nlp.analyse([s.text for a in articles for s in parts[a.id]], cache_dir)
    reports, at = [], 0
    for article in articles:
        count = len(parts[article.id])
        mine = analyses[at : at + count] if analyses is not None else None
        reports.append(article_coverage(corpus, article, mine))
        at += count
    return Coverage(reports, None if analyses is not None else f"names no alias covers {nlp.HINT}")
