"""The graph, or a part of it, as one self-contained interactive HTML page.

The page is drawn by neo4j-viz (Neo4j's NVL renderer, its scripts and styles inlined: the page
opens offline). Nodes are coloured by type (the colours of kg.vocab) and captioned with their
name, with a legend; clicking a node or a relationship shows its card in the side panel: an
entity's type, aliases, titles and note, a fact's predicate, qualifiers and quotes.

What is drawn: the whole graph, the neighbourhood of one entity, or what a saved query returns.
Saved queries return columns of values, not nodes: every entity whose id is in the result or in
the query's parameters is drawn, with the two ends of every fact whose id is in the result, and
the relationships among all of them.
Articles and their MENTIONS relationships are drawn only when asked for.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import graph, queries, vocab
from kg.errors import InvalidInput, KgError
from kg.show import CARD_FIELDS, QUALIFIER_FIELDS, find_entity
from kg.stores import Store

TEMPLATE_TITLE = "<title>neo4j-viz</title>"  # the title neo4j-viz's page template carries


@dataclass(frozen=True)
class Picture:
    html: str
    nodes: int
    relationships: int


def colour(label: str) -> str:
    return (
        vocab.ARTICLE_COLOUR if label == vocab.ARTICLE_LABEL else vocab.ENTITY_TYPES[label].colour
    )


def picture(
    store: Store,
    *,
    entity: str | None = None,
    hops: int = 1,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    mentions: bool = False,
    queries_dir: Path | None = None,
) -> Picture:
    """The page for the whole graph, the `hops` neighbourhood of `entity`, or saved `query`."""
    if entity is not None and query is not None:
        raise InvalidInput("draw either an entity's neighbourhood (--entity) or a query (--query)")
    if params and query is None:
        raise InvalidInput("--param goes with --query")
    if hops < 0:
        raise InvalidInput(f"--hops must be 0 or more, not {hops}")
    with store.reading():
        nodes, relationships, title = _drawn(
            store, entity, hops, query, params, mentions, queries_dir
        )
    page = _render(nodes, relationships, title)
    return Picture(page, len(nodes), len(relationships))


def _drawn(
    store: Store,
    entity: str | None,
    hops: int,
    query: str | None,
    params: Mapping[str, Any] | None,
    mentions: bool,
    queries_dir: Path | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The nodes, relationships and title to draw, read from the store."""
    ids: list[str] | None = None
    title = "kg: the graph"
    if entity is not None:
        ids, name = _neighbourhood(store, entity, hops, mentions)
        title = f"kg: {name}, {hops} hop(s) around"
    elif query is not None:
        saved = queries.get(query, queries_dir)
        ids = _query_ids(store, saved, params or {})
        title = f"kg: {saved.title}"
    nodes = _nodes(store, ids, mentions)
    if not nodes:
        raise KgError(f"nothing to draw: the graph in {store.name} is empty (run kg load)")
    return nodes, _relationships(store, ids, mentions), title


def _neighbourhood(store: Store, text: str, hops: int, mentions: bool) -> tuple[list[str], str]:
    """Ids of the nodes at most `hops` drawn relationships away from the entity; its name."""
    entity_id, label = find_entity(store, text)
    only_facts = "" if mentions else "AND none(r IN relationships(p) WHERE type(r) = $mentions) "
    rows = store.query(
        f"MATCH p = (c:{vocab.check_label(label)} {{id: $id}})-[*0..{int(hops)}]-(m) "
        f"WHERE all(r IN relationships(p) WHERE type(r) IN $kg_types) {only_facts}"
        "RETURN DISTINCT m.id AS id, c.name AS name",
        {"id": entity_id, "mentions": vocab.MENTIONS, **graph.ours_params()},
    ).rows
    return [row[0] for row in rows], rows[0][1]


def _query_ids(store: Store, saved: queries.SavedQuery, params: Mapping[str, Any]) -> list[str]:
    """Node ids a saved query's parameters and result name, or the ends of facts they name."""
    given = queries.bind(saved, params)
    for param in saved.params:
        if param.entity and isinstance(given[param.name], str):
            given[param.name] = find_entity(store, given[param.name])[0]
    rows = queries.run(store, saved, given, resolve_entities=False).rows
    found = sorted({*_strings(rows), *_strings(list(given.values()))})
    nodes = store.query("MATCH (n) WHERE n.id IN $found RETURN n.id", {"found": found}).rows
    ends = store.query(
        "MATCH (a)-[r]->(b) WHERE r.id IN $found RETURN a.id, b.id", {"found": found}
    ).rows
    ids = sorted({row[0] for row in nodes} | {end for row in ends for end in row})
    if not ids:
        raise InvalidInput(
            f"saved query {saved.name!r} returned no entity or fact id to draw "
            "(draw a query whose result has id columns)"
        )
    return ids


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _nodes(store: Store, ids: list[str] | None, mentions: bool) -> list[dict[str, Any]]:
    """kg's nodes (never another label: kg.graph.ours), those of `ids` if given."""
    where = [graph.ours("n")] + ([] if ids is None else ["n.id IN $ids"])
    if not mentions:
        where.append(f"NOT n:{vocab.check_label(vocab.ARTICLE_LABEL)}")
    return store.query(
        f"MATCH (n) WHERE {' AND '.join(where)} "
        f"RETURN {graph.label_of('n')} AS label, properties(n) AS props ORDER BY props.id",
        {"ids": ids, **graph.ours_params()},
    ).records()


def _relationships(store: Store, ids: list[str] | None, mentions: bool) -> list[dict[str, Any]]:
    """kg's relationships (its types, between its nodes), among `ids` if given."""
    where = ["type(r) IN $kg_types", graph.ours("a"), graph.ours("b")]
    where += [] if ids is None else ["a.id IN $ids AND b.id IN $ids"]
    if not mentions:
        where.append("type(r) <> $mentions")
    return store.query(
        f"MATCH (a)-[r]->(b) WHERE {' AND '.join(where)} "
        "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props "
        "ORDER BY source, type, target",
        {"ids": ids, "mentions": vocab.MENTIONS, **graph.ours_params()},
    ).records()


def _node_card(label: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """What the side panel shows for a node: its card, literal facts with their quotes."""
    if label == vocab.ARTICLE_LABEL:
        fields = ("id", "headline", "outlet", "languages", "dates")
        return {"type": label, **{k: props[k] for k in fields if props.get(k)}}
    card = {"type": label, **{k: props[k] for k in CARD_FIELDS if props.get(k)}}
    for predicate in vocab.PREDICATES.values():
        if predicate.is_literal and predicate.name in props:
            name = predicate.name
            card[name] = props[name]
            card[f"{name} sources"] = _sources(props, f"{name}_articles", f"{name}_quotes")
            for qualifier in QUALIFIER_FIELDS:
                if props.get(f"{name}_{qualifier}"):
                    card[f"{name} {qualifier}"] = props[f"{name}_{qualifier}"]
    return card


def _relationship_card(rel_type: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """What the side panel shows for a relationship: the fact, its qualifiers and quotes."""
    if rel_type == vocab.MENTIONS:
        return {"predicate": "mentions"}
    return {
        "predicate": rel_type.lower(),
        "fact": props.get("id"),
        **{q: props[q] for q in QUALIFIER_FIELDS if props.get(q) is not None},
        "sources": _sources(props, "articles", "quotes"),
    }


def _sources(props: Mapping[str, Any], articles: str, quotes: str) -> list[str]:
    pairs = zip(props.get(articles, []), props.get(quotes, []), strict=True)
    return [f"[{article}] «{quote}»" for article, quote in pairs]


def _render(nodes: list[dict[str, Any]], relationships: list[dict[str, Any]], title: str) -> str:
    from neo4j_viz import Node, Relationship, VisualizationGraph

    graph = VisualizationGraph(
        nodes=[
            Node(
                id=n["props"]["id"],
                caption=n["props"].get("name", n["props"]["id"]),
                color=colour(n["label"]),
                properties=_node_card(n["label"], n["props"]),
            )
            for n in nodes
        ],
        relationships=[
            Relationship(
                id=r["props"].get("id", f"{r['source']}-{r['type']}-{r['target']}"),
                source=r["source"],
                target=r["target"],
                caption=r["type"],
                properties=_relationship_card(r["type"], r["props"]),
            )
            for r in relationships
        ],
    )
    present = {n["label"] for n in nodes}
    graph.set_legend(
        nodes={label: colour(label) for label in vocab.node_labels() if label in present}
    )
    page = graph.render(height="100vh", theme="light", on_dangling="error").data
    return page.replace(TEMPLATE_TITLE, f"<title>{html.escape(title)}</title>", 1)
