"""The model as graph rows, and the statements that write them.

The statements' Cypher is kg.cypher's (labels and relationship types checked against the
vocabulary there); every value travels as a parameter, in `UNWIND $rows` batches.

Graph contract: each entity node has `id`, `name`, `aliases` and one type label;
`(:Article)-[:MENTIONS]->(entity)`; how a fact becomes relationship or node properties
(and is read back) is `kg.contract`'s. An article node has `id`, `sha256`, its metadata,
its `text` and the spans quoted from it (`kg.contract.quote_props`).

The statements MERGE, so that writing a graph into one that holds it changes nothing; with
`fresh` (the graph written into holds none of kg's nodes: a reset deleted them, or it starts
empty) they CREATE, which spares the server a look-up per row. That needs one row per node,
relationship and mention: entity, article and fact ids are distinct, as the seeds' reading
(entities, and articles by file name) and validation (facts) and the import's reading
(`kg.rdf.importer`) require, and the mentions are a set. Seeds whose facts share an id reach
the statements before validation refuses them, but their graph is never swapped in
(`kg.load.Checks.guarding`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from kg import contract, cypher, vocab
from kg.heap import cycles_unchecked
from kg.model import Corpus, Entity, Fact
from kg.stores import Statement
from kg.text import search_key, words

BATCH_SIZE = 2000
T = TypeVar("T")


def _compact(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls: leave unset properties out."""
    return {k: v for k, v in props.items() if v is not None}


Span = tuple[int, int]
# What the matcher finds in the articles for the statements: where each fact's quote stands
# (None where validation finds it missing), by (article, quote); and the mentions.
Matched = tuple[dict[tuple[str, str], Span | None], set[tuple[str, str]]]


def article_props(
    corpus: Corpus, spans: dict[tuple[str, str], Span | None] | None = None
) -> list[dict[str, Any]]:
    """Article nodes' properties, with the spans the facts quote where validation found them
    (`spans`, when given, holds them: see `matched`)."""
    quoted: dict[str, dict[str, None]] = {a: {} for a in corpus.articles}
    for fact in corpus.facts:
        for source in fact.sources:
            quoted[source.article][source.quote] = None
    rows = []
    for a in corpus.articles.values():
        found = []
        for quote in quoted[a.id]:
            if spans is None:
                span = corpus.text.find_quote(a.id, quote)
            else:
                span = spans[a.id, quote]
            assert span is not None  # validated
            found.append(contract.QuotedSpan(quote, *span))
        row = {
            "id": a.id,
            "headline": a.headline,
            "outlet": a.outlet,
            "languages": a.languages,
            "dates": list(dict.fromkeys(d.value for d in a.dates)),  # distinct, in order
            "sha256": a.sha256,
        }
        rows.append(_compact({**row, **contract.quote_props(a.text, found)}))
    return rows


def quote_spans(corpus: Corpus) -> dict[tuple[str, str], Span | None]:
    """Where each fact's quote stands in its article, by (article, quote): as validation
    finds it (and keeps it, `CorpusText.find_quote`)."""
    find, articles = corpus.text.find_quote, corpus.articles
    return {
        (source.article, source.quote): find(source.article, source.quote)
        for fact in corpus.facts
        for source in fact.sources
        if source.article in articles  # validation names the others
    }


def matched(corpus: Corpus) -> Matched:
    """Everything the statements need of the article texts, as plain tuples, sets and
    mappings: the process that checks the seeds (kg.load) finds them and hands them over."""
    return quote_spans(corpus), mentions(corpus)


def entity_props(entity: Entity, literal_facts: list[Fact]) -> dict[str, Any]:
    names = {entity.name, entity.label_fr, entity.label_en, *entity.aliases}
    props: dict[str, Any] = {
        "id": entity.id,
        "name": entity.name,
        "label_fr": entity.label_fr,
        "label_en": entity.label_en,
        "aliases": entity.aliases,
        "titles": entity.titles,
        "kind": entity.kind,
        "note": entity.note,
        # how kg.show finds it: by id, name or alias, or by words of those
        "search_keys": sorted({search_key(k) for k in (entity.id, *names)}),
        "search_words": sorted({w for k in names for w in words(k)}),
    }
    for fact in literal_facts:
        props.update(contract.literal_props(fact))
    return _compact(props)


@cycles_unchecked()
def mentions(corpus: Corpus) -> set[tuple[str, str]]:
    """(article, entity) pairs: an alias occurs in the article's content, or a fact cites it."""
    pairs = {
        (article_id, owner)
        for article_id in corpus.articles
        for hit in corpus.text.mentions(article_id)
        for owner in hit.owners
    }
    for fact in corpus.facts:
        for source in fact.sources:
            for ref in (fact.subject, fact.object, fact.stated_by, fact.during):
                if ref is not None:
                    pairs.add((source.article, ref))
    return pairs


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _batches(cypher: str, rows: list[dict[str, Any]]) -> Iterator[Statement]:
    """The rows in batches; their ids are validated (seeds) or checked (import) before."""
    for chunk in _chunks(rows):
        yield Statement(cypher, {"rows": chunk}, ids_checked=True)


def statements(corpus: Corpus) -> list[Statement]:
    """Every statement that writes `corpus`, nodes first, in batches."""
    return list(stream(corpus))


def stream(
    corpus: Corpus, found: Callable[[], Matched] | None = None, *, fresh: bool = False
) -> Iterator[Statement]:
    """`statements(corpus)` one at a time, each built when the store asks for it: a store
    that writes one while the next is built (kg.stores.falkordb) overlaps the two. What the
    article nodes and the mentions need of the texts (`matched`) is asked of `found` once,
    when the facts are built: another process may have found it meanwhile (kg.load).
    `fresh`: the graph written into holds none of kg's nodes (see the module's docstring)."""
    get = found or (lambda: matched(corpus))
    result: list[Matched] = []

    def texts() -> Matched:
        if not result:
            result.append(get())
        return result[0]

    return _statements(
        corpus.entities,
        corpus.facts,
        lambda: article_props(corpus, texts()[0]),
        lambda: texts()[1],
        fresh,
    )


@cycles_unchecked()
def graph_statements(
    entities: dict[str, Entity],
    facts: list[Fact],
    articles: list[dict[str, Any]],
    mention_pairs: Iterable[tuple[str, str]],
    *,
    fresh: bool = False,
) -> list[Statement]:
    """The statements that write entities, facts, article nodes (their properties) and
    (article, entity) mentions: from the seeds, or from an imported RDF dump; `fresh` as
    `stream`'s."""
    return list(
        statements_of(entities, facts, lambda: articles, lambda: mention_pairs, fresh=fresh)
    )


def statements_of(
    entities: dict[str, Entity],
    facts: list[Fact],
    articles: Callable[[], list[dict[str, Any]]],
    mention_pairs: Callable[[], Iterable[tuple[str, str]]],
    *,
    fresh: bool = False,
) -> Iterator[Statement]:
    """`graph_statements` one at a time, each built as the store asks for it (see `stream`);
    the article rows and the mentions are asked for last, once the other statements are
    written: the import reads them meanwhile, between statements (kg.rdf.importer)."""
    return _statements(entities, facts, articles, mention_pairs, fresh)


def _statements(
    entities: dict[str, Entity],
    facts: list[Fact],
    articles: Callable[[], list[dict[str, Any]]],
    mention_pairs: Callable[[], Iterable[tuple[str, str]]],
    fresh: bool,
) -> Iterator[Statement]:
    """Entity nodes by label, relationships by (type, ends' labels), article nodes, then
    mentions by label; the rows of a batch built as it is asked for (the articles' and the
    mentions' last: they may come from another process, or be read meanwhile). CREATE when
    `fresh`, else MERGE."""
    if fresh:
        write_nodes, write_relationships, write_mentions = (
            cypher.create_nodes,
            cypher.create_relationships,
            cypher.create_mentions,
        )
    else:
        write_nodes, write_relationships, write_mentions = (
            cypher.merge_nodes,
            cypher.merge_relationships,
            cypher.merge_mentions,
        )
    literal: dict[str, list[Fact]] = defaultdict(list)
    relations: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        predicate = vocab.PREDICATES[fact.predicate]
        if predicate.is_literal:
            literal[fact.subject].append(fact)
            continue
        assert fact.object is not None  # validated
        key = (predicate.rel_type, entities[fact.subject].type, entities[fact.object].type)
        relations[key].append(fact)
    typed: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities.values():
        typed[entity.type].append(entity)
    no_facts: list[Fact] = []

    for label, members in sorted(typed.items()):
        statement = write_nodes(label)
        for chunk in _chunks(members):
            rows = [
                {"id": e.id, "props": entity_props(e, literal.get(e.id, no_facts))} for e in chunk
            ]
            yield Statement(statement, {"rows": rows}, ids_checked=True)
    for (rel_type, s_label, o_label), group in sorted(relations.items()):
        statement = write_relationships(rel_type, s_label, o_label)
        for chunk in _chunks(group):
            rows = [
                {
                    "id": fact.id,
                    "subject": fact.subject,
                    "object": fact.object,
                    "props": contract.relationship_props(fact),
                }
                for fact in chunk
            ]
            yield Statement(statement, {"rows": rows}, ids_checked=True)
    yield from _batches(
        write_nodes(vocab.ARTICLE_LABEL), [{"id": p["id"], "props": p} for p in articles()]
    )
    mention_rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for article_id, entity_id in sorted(mention_pairs()):
        mention_rows[entities[entity_id].type].append({"article": article_id, "entity": entity_id})
    for label, rows in sorted(mention_rows.items()):
        yield from _batches(write_mentions(label), rows)


def unique_labels() -> list[str]:
    """Labels whose `id` is unique: every node label of the vocabulary."""
    return vocab.node_labels()
