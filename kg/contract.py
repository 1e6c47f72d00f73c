"""The graph contract, both ways: how a fact becomes node and relationship properties, and how
every reader gets it back. No other module spells these property keys.

- A fact between two entities is a relationship whose type is its predicate in upper case,
  carrying `id`, `articles` and `quotes` (parallel lists: the i-th quote is from the i-th
  article) and each of its qualifiers (`modality` always, `stated_by`, `during`...) under the
  qualifier's name.
- A literal fact (a date, a duration, a scope...) is a property of its subject's node named
  like its predicate, with `<predicate>_fact` (its id), `<predicate>_articles`,
  `<predicate>_quotes` and `<predicate>_<qualifier>` for each of its qualifiers beside it.

- An article node has its `text` and the spans quoted from it: `quotes` (each distinct quote
  once, in the order they stand in the text) with `quote_starts` and `quote_ends`, code-point
  offsets into the text; without the text (a dump imported without it) `quote_exacts`,
  `quote_prefixes` and `quote_suffixes` beside them.

Neo4j stores no nulls, so a property that would be null is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
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


# --- an article's quoted spans ---------------------------------------------------------


@dataclass(frozen=True)
class QuotedSpan:
    """A span of an article that facts quote: the curated `quote`, and where it stands in the
    text, `[start, end)` in code points (None when unknown: a dump older than selectors).
    `exact`, `prefix` and `suffix` are the text of the span and around it, kept only for an
    article whose text the graph does not hold (an import of a dump without it)."""

    quote: str
    start: int | None = None
    end: int | None = None
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None


def quote_props(text: str | None, spans: Iterable[QuotedSpan]) -> dict[str, Any]:
    """An article node's properties for the spans quoted from it (see the module docstring);
    without `text`, each span's `quote_exacts`, `quote_prefixes` and `quote_suffixes` too.
    Places are kept only when every span has one."""
    ordered = sorted(spans, key=lambda s: (s.start or 0, s.end or 0, s.quote))
    props: dict[str, Any] = {"text": text, QUOTES: [s.quote for s in ordered]}
    if ordered and all(s.start is not None and s.end is not None for s in ordered):
        props["quote_starts"] = [s.start for s in ordered]
        props["quote_ends"] = [s.end for s in ordered]
        if text is None:
            props["quote_exacts"] = [s.exact or "" for s in ordered]
            props["quote_prefixes"] = [s.prefix or "" for s in ordered]
            props["quote_suffixes"] = [s.suffix or "" for s in ordered]
    return _compact(props)


def quoted_spans(props: dict[str, Any], context: int) -> Iterator[QuotedSpan]:
    """An article node's quoted spans, read back: `exact` and up to `context` characters of
    `prefix` and `suffix` from its text, or as kept without it."""
    quotes, text = props.get(QUOTES, []), props.get("text")
    if "quote_starts" not in props:
        yield from (QuotedSpan(quote) for quote in quotes)
        return
    places = zip(quotes, props["quote_starts"], props["quote_ends"], strict=True)
    if text is not None:
        for quote, start, end in places:
            before, after = text[max(0, start - context) : start], text[end : end + context]
            yield QuotedSpan(quote, start, end, text[start:end], before, after)
        return
    around = zip(
        props["quote_exacts"], props["quote_prefixes"], props["quote_suffixes"], strict=True
    )
    for (quote, start, end), (exact, prefix, suffix) in zip(places, around, strict=True):
        yield QuotedSpan(quote, start, end, exact, prefix, suffix)


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
