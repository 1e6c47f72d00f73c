"""The rules of the domain, checked over the whole corpus before anything is written.

Every problem names the file and line of the record at fault. Checks: the
articles are unchanged (SHA256SUMS), schema against the vocabulary, references,
domain and range, alias clashes, duplicate facts, quotes found verbatim.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg import vocab
from kg.errors import ValidationFailed
from kg.heap import cycles_unchecked
from kg.model import Article, Corpus, Entity, Fact, Where
from kg.seeds import ARTICLES_DIR, display_path, read_corpus
from kg.stores import INT64
from kg.text import Names, Text, fold_space, occurring, overlaps, search_key

CHECKSUMS = "SHA256SUMS"
# Types whose entities the articles always name. Events, agreements and plans may only be
# described, and so may people and bodies the articles never name (an anonymous official):
# an alias is a name a reader would search for, never a description.
NAMED_TYPES = (vocab.COUNTRY, vocab.PLACE)
NOT_A_DATE = "is not YYYY, YYYY-MM or YYYY-MM-DD (a day of the calendar)"


@cycles_unchecked()
def load_corpus(seeds_dir: Path) -> Corpus:
    """Read and validate the seeds; raise ValidationFailed with every problem found."""
    corpus = read_corpus(seeds_dir)
    problems = check_seeds(corpus, seeds_dir)
    if problems:
        raise ValidationFailed(problems)
    return corpus


def check_seeds(corpus: Corpus, seeds_dir: Path) -> list[str]:
    """Every problem of a corpus read from `seeds_dir`: its rules, its articles' checksums."""
    return check_corpus(corpus) + check_checksums(seeds_dir / ARTICLES_DIR, corpus)


@cycles_unchecked()
def check_corpus(corpus: Corpus) -> list[str]:
    problems: list[str] = []
    problems += _check_articles(corpus)
    problems += _check_entities(corpus)
    problems += _check_facts(corpus)
    return problems


def check_checksums(articles_dir: Path, corpus: Corpus) -> list[str]:
    """Articles stay byte for byte as published: compare with SHA256SUMS when present."""
    sums = articles_dir / CHECKSUMS
    if not sums.exists():
        return []
    problems = []
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        stem = Path(name.strip()).stem
        where = Where(display_path(sums), number)
        article = corpus.articles.get(stem)
        if article is None:
            problems.append(f"{where}: article {name.strip()} is listed but missing")
        elif article.sha256 != digest.strip():
            problems.append(f"{where}: {name.strip()} differs from the published article")
    return problems


def sha256_line(path: Path) -> str:
    return f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"


def _check_articles(corpus: Corpus) -> list[str]:
    problems = []
    for article in corpus.articles.values():
        where = article.where or article.id
        text = corpus.text.text(article)
        lines = article.text.splitlines()
        if not vocab.ARTICLE_ID.match(article.id):
            problems.append(f"{where}: article id {article.id!r} is not NNN_ and 16 hex digits")
        for code in article.languages:
            if code not in vocab.LANGUAGES:
                problems.append(f"{where}: unknown language {code!r}")
        if article.headline and article.headline_line:
            if not 1 <= article.headline_line <= len(lines):
                problems.append(f"{where}: headline_line {article.headline_line} is out of range")
            elif article.headline not in lines[article.headline_line - 1]:
                problems.append(
                    f"{where}: headline not found on line {article.headline_line} of the article"
                )
        for date in article.dates:
            if not vocab.is_date(date.value):
                problems.append(f"{where}: date {date.value!r} {NOT_A_DATE}")
            if text.find_quote(date.text) is None:
                problems.append(f"{where}: date text {date.text!r} not found in the article")
        for item in article.boilerplate:
            if not 1 <= item.line <= len(lines):
                problems.append(f"{where}: boilerplate line {item.line} is out of range")
        for skip in article.skipped:
            if text.find_quote(skip.quote) is None:
                problems.append(
                    f"{skip.where}: skipped quote not found in the article: {skip.quote!r}"
                )
        problems += _check_mention_skips(article, text)
    return problems


def _check_mention_skips(article: Article, text: Text) -> list[str]:
    """Each skipped mention names words the article holds (on its line, when given)."""
    problems = []
    names = Names((skip.text, n) for n, skip in enumerate(article.skipped_mentions))
    lines: dict[int, set[int]] = {}
    for hit in names.find(text.words):
        for n in hit.owners:
            lines.setdefault(n, set()).add(text.line(hit.start))
    for n, skip in enumerate(article.skipped_mentions):
        if n not in lines:
            problems.append(f"{skip.where}: skipped mention {skip.text!r} is not in the article")
        elif skip.line is not None and skip.line not in lines[n]:
            problems.append(
                f"{skip.where}: skipped mention {skip.text!r} is not on line {skip.line} "
                f"(it is on line {', '.join(map(str, sorted(lines[n])))})"
            )
    return problems


def _check_entities(corpus: Corpus) -> list[str]:
    problems = []
    owners: dict[str, Entity] = {}
    # One pass per article: the names found there (case and accents aside, whole words), and
    # which aliases and titles stand there verbatim (white space aside).
    texts = list(corpus.text.texts.values())
    named = set().union(*(corpus.text.names.present(t.words) for t in texts))
    verbatim = occurring(
        (p for e in corpus.entities.values() for p in (*e.aliases, *e.titles)), texts
    )
    for entity in corpus.entities.values():
        where, what = entity.where, f"entity {entity.id!r}"
        if not vocab.SLUG.match(entity.id):
            problems.append(f"{where}: {what}: id must be a lowercase slug (a-z, 0-9, -)")
        entity_type = vocab.ENTITY_TYPES.get(entity.type)
        if entity_type is None:
            problems.append(
                f"{where}: {what}: unknown type {entity.type!r} "
                f"(one of {', '.join(vocab.ENTITY_TYPES)})"
            )
        elif entity.kind is not None and entity.kind not in entity_type.kind_names:
            allowed = ", ".join(entity_type.kind_names) or "none"
            problems.append(
                f"{where}: {what}: kind {entity.kind!r} is not a kind of "
                f"{entity.type} (allowed: {allowed})"
            )
        if not entity.aliases and entity.type in NAMED_TYPES:
            problems.append(f"{where}: {what}: a {entity.type} needs at least one alias")
        for alias in entity.aliases:
            if search_key(alias) not in named or fold_space(alias) not in verbatim:
                problems.append(f"{where}: {what}: alias {alias!r} occurs in no article")
            key = search_key(alias)
            other = owners.setdefault(key, entity)
            if other is not entity:
                problems.append(
                    f"{where}: {what}: alias {alias!r} is also an alias of "
                    f"{other.id!r} ({other.where})"
                )
        for title in entity.titles:
            if fold_space(title) not in verbatim:
                problems.append(f"{where}: {what}: title {title!r} occurs in no article")
    return problems


def _fact_key(fact: Fact) -> tuple:
    predicate = vocab.PREDICATES.get(fact.predicate)
    ends = (fact.subject, fact.object)
    if predicate is not None and predicate.symmetric:
        ends = tuple(sorted(ends, key=str))
    # role and modality tell facts apart: praise of two things, a plan and what happened
    return (
        fact.predicate,
        *ends,
        fact.value,
        fact.modality,
        fact.during,
        fact.role,
        fact.stated_by,
        fact.when,
    )


def _check_facts(corpus: Corpus) -> list[str]:
    problems = []
    ids: dict[str, Fact] = {}
    keys: dict[tuple, Fact] = {}
    slug = vocab.SLUG.match
    for fact in corpus.facts:
        found = []  # this fact's problems, each then named with its file, line and id
        if not slug(fact.id):
            found.append("id must be a lowercase slug (a-z, 0-9, -)")
        first = ids.setdefault(fact.id, fact)
        if first is not fact:
            found.append(f"id already used at {first.where}")
        first = keys.setdefault(_fact_key(fact), fact)
        if first is not fact:
            found.append(
                f"duplicate of fact {first.id!r} ({first.where}); merge their sources into one fact"
            )
        found += check_fact_terms(corpus, fact)
        found += _check_sources(corpus, fact)
        if found:
            problems += [f"{fact.where}: fact {fact.id!r}: {p}" for p in found]
    return problems


def check_fact_terms(corpus: Corpus, fact: Fact) -> list[str]:
    problems = []
    predicate = vocab.PREDICATES.get(fact.predicate)
    subject = corpus.entities.get(fact.subject)
    if subject is None:
        problems.append(f"unknown subject {fact.subject!r}")
    if predicate is None:
        return [*problems, f"unknown predicate {fact.predicate!r}"]
    if subject is not None and subject.type not in predicate.domain:
        problems.append(
            f"subject {fact.subject!r} is a {subject.type}; {predicate.name} "
            f"takes {' or '.join(predicate.domain)}"
        )
    if predicate.is_literal:
        if fact.object is not None:
            problems.append(f"{predicate.name} takes a value, not an object")
        problems += _check_value(predicate, fact.value)
    else:
        if fact.value is not None:
            problems.append(f"{predicate.name} takes an object, not a value")
        target = corpus.entities.get(fact.object or "")
        if target is None:
            problems.append(f"unknown object {fact.object!r}")
        elif target.type not in predicate.range:
            problems.append(
                f"object {fact.object!r} is a {target.type}; {predicate.name} "
                f"points to {' or '.join(predicate.range)}"
            )
    if fact.modality not in vocab.MODALITIES:
        problems.append(
            f"modality {fact.modality!r} is not one of {', '.join(vocab.MODALITIES)}"
            if fact.modality is not None
            else f"no modality: give one of {', '.join(vocab.MODALITIES)}"
        )
    for name, qualifier in vocab.QUALIFIERS.items():
        if qualifier.value != "entity":
            continue
        expected = qualifier.range
        ref = getattr(fact, name)
        if ref is None:
            continue
        target = corpus.entities.get(ref)
        if target is None:
            problems.append(f"{name} names unknown entity {ref!r}")
        elif target.type not in expected:
            problems.append(f"{name} must name a {' or '.join(expected)}, not a {target.type}")
    if fact.when is not None and not vocab.is_date(fact.when):
        problems.append(f"when {fact.when!r} {NOT_A_DATE}")
    return problems


def _check_value(predicate: vocab.Predicate, value: object) -> list[str]:
    if value is None:
        return [f"{predicate.name} needs a value"]
    if predicate.datatype == "date":
        if isinstance(value, bool) or not vocab.is_date(str(value)):
            return [f"value {value!r} {NOT_A_DATE}"]
    elif predicate.datatype == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"value {value!r} is not a whole number"]
        if value not in INT64:
            return [f"value {value} does not fit in 64 bits"]
    elif not isinstance(value, str):
        return [f"value {value!r} must be text"]
    return []


def _check_sources(corpus: Corpus, fact: Fact) -> list[str]:
    problems = []
    seen = set()
    for source in fact.sources:
        if (source.article, source.quote) in seen:
            problems.append(f"source {source.article} is listed twice with the same quote")
        seen.add((source.article, source.quote))
        article = corpus.articles.get(source.article)
        if article is None:
            problems.append(f"unknown article {source.article!r}")
            continue
        content = corpus.text.content(article.id)
        span = corpus.text.find_quote(article.id, source.quote)
        if span is None:
            problems.append(f"quote not found verbatim in {source.article}: {source.quote!r}")
        elif not overlaps(content, span):
            problems.append(f"quote in {source.article} lies only in boilerplate lines")
        elif line := _boilerplate_line_in(corpus, article, span):
            problems.append(
                f"quote in {source.article} runs into boilerplate line {line}: "
                "cut it to the content lines"
            )
    return problems


def _boilerplate_line_in(corpus: Corpus, article: Article, span: tuple[int, int]) -> int | None:
    """The first boilerplate line that the text at `span` overlaps, if any."""
    for number, start, end in corpus.text.boilerplate(article.id):
        if start < span[1] and span[0] < end:
            return number
    return None
