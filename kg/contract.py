"""The graph contract, both ways: how a fact becomes node and relationship properties, and how
every reader gets it back. No other module spells these property keys.

- A fact between two entities is a relationship whose type is its predicate in upper case,
  carrying `id`, `articles` and `quotes` (parallel lists: the i-th quote is from the i-th
  article) and each of its qualifiers (`modality` always, `stated_by`, `during`...) under the
  qualifier's name.
- A literal fact (a date, a duration, a scope...) is a property of its subject's node named
  like its predicate, with `<predicate>_fact` (its id), `<predicate>_articles`,
  `<predicate>_quotes` and `<predicate>_<qualifier>` for each of its qualifiers beside it.

Neo4j stores no nulls, so a property that would be null is left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kg import vocab
from kg.model import Fact

ID, ARTICLES, QUOTES = "id", "articles", "quotes"
QUALIFIER_NAMES = tuple(vocab.QUALIFIERS)
LITERAL_PREDICATES = tuple(p.name for p in vocab.PREDICATES.values() if p.is_literal)
# A literal predicate's keys beside its value: (fact id, articles, quotes, {qualifier: key}).
_LITERAL_KEYS = {
    p: (f"{p}_fact", f"{p}_articles", f"{p}_quotes", {q: f"{p}_{q}" for q in QUALIFIER_NAMES})
    for p in LITERAL_PREDICATES
}


class StoredFact(NamedTuple):
    """A fact as read back from the store: its value is the literal's (None for a
    relationship, whose ends the reader has)."""

    id: str | None
    predicate: str
    value: Any
    qualifiers: dict[str, Any]
    articles: list[str]
    quotes: list[str]

    def sources(self) -> Iterator[tuple[str, str]]:
        """(article, quote) pairs, in order."""
        return zip(self.articles, self.quotes, strict=True)


def _compact(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


# --- writing ----------------------------------------------------------------------------


def relationship_props(fact: Fact) -> dict[str, Any]:
    """The properties of the relationship a fact between entities becomes."""
    return _compact(
        {
            ID: fact.id,
            ARTICLES: [s.article for s in fact.sources],
            QUOTES: [s.quote for s in fact.sources],
            **fact.qualifiers,
        }
    )


def literal_props(fact: Fact) -> dict[str, Any]:
    """The properties a literal fact adds to its subject's node."""
    fact_key, articles, quotes, qualifiers = _LITERAL_KEYS[fact.predicate]
    props = {
        fact.predicate: fact.value,
        fact_key: fact.id,
        articles: [s.article for s in fact.sources],
        quotes: [s.quote for s in fact.sources],
    }
    for name, value in fact.qualifiers.items():
        props[qualifiers[name]] = value
    return _compact(props)


# --- reading ----------------------------------------------------------------------------


def relationship_fact(rel_type: str, props: Mapping[str, Any]) -> StoredFact:
    """The fact a relationship's properties hold (its type gives the predicate)."""
    return StoredFact(
        props.get(ID),
        rel_type.lower(),
        None,
        {q: props[q] for q in QUALIFIER_NAMES if props.get(q) is not None},
        props.get(ARTICLES) or [],
        props.get(QUOTES) or [],
    )


def literal_facts(props: Mapping[str, Any]) -> Iterator[StoredFact]:
    """The literal facts a node's properties hold, in the vocabulary's order."""
    for predicate in LITERAL_PREDICATES:
        if props.get(predicate) is None:
            continue
        fact_key, articles, quotes, qualifiers = _LITERAL_KEYS[predicate]
        yield StoredFact(
            props.get(fact_key),
            predicate,
            props[predicate],
            {q: props[k] for q, k in qualifiers.items() if props.get(k) is not None},
            props.get(articles) or [],
            props.get(quotes) or [],
        )


# --- in Cypher: the keys a statement reads ------------------------------------------------


def literal_key(predicate: str, part: str) -> str:
    """The node property holding `part` ("fact", "articles", "quotes" or a qualifier) of
    the literal fact of `predicate`, checked against the vocabulary (safe in a statement)."""
    fact_key, articles, quotes, qualifiers = _LITERAL_KEYS[predicate]
    return {"fact": fact_key, "articles": articles, "quotes": quotes, **qualifiers}[part]


def literal_key_expression(node: str, predicate: str, part: str) -> str:
    """A Cypher expression for that key when the predicate is a variable (`n[p + '_fact']`)."""
    if part not in ("fact", "articles", "quotes", *QUALIFIER_NAMES):
        raise ValueError(f"not a part of a literal fact: {part}")
    return f"{node}[{predicate} + '_{part}']"
