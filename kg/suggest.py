"""A curator's first draft for a new article: the entities it names and the facts to write.

Known entities are found by their curated aliases (case and accents aside, whole words
only, the longest name winning where two overlap: `kg.text`). Names no alias covers come
from spaCy's French named-entity recognizer (`pip install -e '.[nlp]'`); without it the draft
holds the known entities only. Every sentence naming two entities or more becomes a fact
stub quoting that sentence verbatim. The draft is read by no other command: the curator
completes its records and moves them into seeds/entities and seeds/facts.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from kg import nlp, vocab
from kg.coverage import Sentence, clean_name, looks_like_name, sentences
from kg.errors import InvalidInput
from kg.model import Article, Corpus
from kg.text import Names, Text, search_key, words
from kg.validate import load_corpus

NLP_HINT = f"unknown-name detection {nlp.HINT}"
# The recognizer's labels and the type a candidate of that label most often has.
NER_TYPES = {"PER": vocab.PERSON, "ORG": vocab.ORG, "LOC": vocab.PLACE, "MISC": vocab.EVENT}


@dataclass
class Mention:
    """An entity the article names: a curated one, or a candidate the curator may add."""

    id: str
    name: str
    type: str
    aliases: list[str]
    known: bool
    ner_label: str | None = None
    lines: list[int] = field(default_factory=list)


@dataclass
class FactStub:
    sentence: Sentence
    entities: list[str]  # ids of the entities it names


@dataclass
class Suggestions:
    article: Article
    registered: bool  # the article is in the seeds: its id is what the quotes will cite
    mentions: list[Mention]
    stubs: list[FactStub]
    ner_missing: str | None  # why unknown names were not looked for, or None

    @property
    def known(self) -> list[Mention]:
        return [m for m in self.mentions if m.known]

    @property
    def candidates(self) -> list[Mention]:
        return [m for m in self.mentions if not m.known]


def suggest(article_path: Path, seeds_dir: Path) -> Suggestions:
    """Find the entities `article_path` names and the sentences that relate them."""
    corpus = load_corpus(seeds_dir)
    article, registered = _read_article(article_path, corpus)
    parts = sentences(article)
    mentions = [
        Mention(e.id, e.name, e.type, list(e.aliases), known=True) for e in corpus.entities.values()
    ]
    analyses = nlp.analyse([p.text for p in parts])
    if analyses is not None:
        mentions += _candidates(analyses, corpus)
    # One pass over the article for every name, curated or candidate; the longest wins.
    names = Names((alias, n) for n, m in enumerate(mentions) for alias in m.aliases)
    text = Text(article.text)
    starts = [p.start for p in parts]
    named: dict[int, dict[int, None]] = {}  # sentence -> the mentions it names, in order
    for hit in names.find(text.words):
        at = bisect_right(starts, hit.start) - 1
        if at < 0 or hit.start >= parts[at].end:
            continue  # boilerplate
        for n in hit.owners:
            if parts[at].line not in mentions[n].lines:
                mentions[n].lines.append(parts[at].line)
            named.setdefault(at, {})[n] = None
    stubs = [
        FactStub(parts[at], [mentions[n].id for n in found])
        for at, found in sorted(named.items())
        if len(found) >= 2
    ]
    found = sorted((m for m in mentions if m.lines), key=lambda m: (m.lines[0], m.name))
    return Suggestions(article, registered, found, stubs, NLP_HINT if analyses is None else None)


def _read_article(path: Path, corpus: Corpus) -> tuple[Article, bool]:
    """The registered article (with its boilerplate lines) or, if not yet registered, the text."""
    if path.suffix != ".txt":
        raise InvalidInput(f"{path}: expected an article .txt file")
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {error.start})") from error
    digest = hashlib.sha256(raw).hexdigest()
    for article in corpus.articles.values():
        if article.sha256 == digest:
            return article, True
    return Article(id=path.stem, text=text, sha256=digest), False


def _candidates(analyses: list[nlp.Analysis], corpus: Corpus) -> list[Mention]:
    """Names the recognizer finds that are no curated entity, one candidate per name."""
    found: dict[str, tuple[str, str]] = {}  # search key -> (name as first written, label)
    for analysis in analyses:
        for span in analysis.names:
            name = clean_name(span.text)
            if looks_like_name(name):
                found.setdefault(search_key(name), (name, span.label))
    # A name holding an alias ("Dialogue Stratégique entre le Maroc") is that entity; one
    # inside an alias or title ("Lightning", "Affaires étrangères") is no entity.
    curated = corpus.text.names
    inside = Names((key, key) for key in found)
    taken_names = set()
    for entity in corpus.entities.values():
        for name in (*entity.aliases, *entity.titles):
            taken_names |= inside.present(name)
    taken = set(corpus.entities)
    candidates = [
        Mention(_slug(name, taken), name, NER_TYPES[label], [name], known=False, ner_label=label)
        for key, (name, label) in found.items()
        if key not in taken_names and not curated.present(name)
    ]
    return _merge_surnames(candidates)


def _slug(name: str, taken: set[str]) -> str:
    """A fresh id: 'Karim Benali' -> karim-benali (karim-benali-2 when taken)."""
    base = re.sub(r"[^a-z0-9]+", "-", search_key(name)).strip("-") or "entity"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _merge_surnames(candidates: list[Mention]) -> list[Mention]:
    """A person named in full, then by one word of that name ("Benali"), is one candidate."""
    people = [(c, words(c.name)) for c in candidates if c.type == vocab.PERSON]
    kept = []
    for candidate in candidates:
        single = words(candidate.name)
        fuller = None
        if len(single) == 1:
            others = (p for p, names in people if p is not candidate and single[0] in names)
            fuller = next(others, None)
        if fuller is None:
            kept.append(candidate)
        else:
            fuller.aliases.append(candidate.name)
    return kept


# --- the draft ----------------------------------------------------------------------------


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def draft_yaml(found: Suggestions) -> str:
    """The draft as YAML: comments say what to do; records have the seeds' shape."""
    article = found.article
    head = [
        f"# DRAFT for article {article.id} written by `kg suggest`. No command reads this file.",
        "# Check every record and complete the nulls; move the `entities` you keep to",
        "# seeds/entities/*.yaml and the `facts` to seeds/facts/*.yaml (seeds/README.md);",
        "# list the sentences no fact cites under `skipped:` in the article's metadata.",
    ]
    if not found.registered:
        head.append(f"# The article is not registered (kg add-article): quotes cite {article.id}.")
    if found.ner_missing:
        head.append(f"# No candidates: {found.ner_missing}.")
    head.append(f"article: {_q(article.id)}")
    known = ["# Curated entities the article names (by alias)."]
    known.append("known:" if found.known else "known: []")
    known += [
        f"  - {{id: {m.id}, name: {_q(m.name)}, type: {m.type}, lines: {m.lines}}}"
        for m in found.known
    ]
    entities = [
        "\n".join(
            [
                f"  # {m.ner_label} on line(s) {', '.join(map(str, m.lines))}",
                f"  - id: {m.id}",
                f"    type: {m.type}",
                f"    name: {_q(m.name)}",
                f"    label_fr: {_q(m.name)}",
                f"    label_en: {_q(m.name)}",
                f"    aliases: {_flow(m.aliases)}",
            ]
        )
        for m in found.candidates
    ]
    facts = [
        "\n".join(
            [
                f"  # line {stub.sentence.line}; names: {', '.join(stub.entities)}",
                "  - id: null",
                "    subject: null",
                "    predicate: null",
                "    object: null",
                "    sources:",
                f"      - article: {article.id}",
                f"        quote: {_q(stub.sentence.text)}",
            ]
        )
        for stub in found.stubs
    ]
    sections = [
        "\n".join(head),
        "\n".join(known),
        "# Names no curated alias covers: keep the real ones, fix type and labels.\n"
        + ("entities:\n" + "\n\n".join(entities) if entities else "entities: []"),
        "# One stub per sentence naming two entities or more: complete it or drop it.\n"
        + ("facts:\n" + "\n\n".join(facts) if facts else "facts: []"),
    ]
    return "\n\n".join(sections) + "\n"
