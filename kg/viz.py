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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import contract, cypher, queries, vocab
from kg.errors import InvalidInput, KgError
from kg.show import CARD_FIELDS, find_entity
from kg.stores import Store

TEMPLATE_TITLE = "<title>neo4j-viz</title>"  # the title neo4j-viz's page template carries


NODE_CAP = 250  # --hops stops exploring once this many nodes are found
CAPTIONED = 15  # on the whole graph, the best-connected nodes captioned at the default zoom
# The renderer writes a caption inside its node, at a size in proportion to the node's: two
# lines of about nine characters (fewer off the centre line), whatever the node's size.
CAPTION_LINES, CAPTION_WIDTH = 2, 9
# Node radius in pixels, by importance. The renderer shows a caption only while its node is
# large enough on screen, and fits the whole picture in the window first: the more nodes, the
# smaller they show, so the nodes that matter grow with the picture.
SMALL_PICTURE = 30  # nodes


def sizes(nodes: int) -> dict[str, float]:
    near = 45.0 if nodes <= SMALL_PICTURE else 90.0
    return {"focus": near + 25, "near": near, "other": 25.0}


FADED = "#C9CCD1"  # a fact that did not simply happen (planned...) or that someone claims
PLAIN = "#6B7280"


@dataclass(frozen=True)
class Picture:
    html: str
    nodes: int
    relationships: int
    capped: bool = False  # --hops stopped at NODE_CAP nodes


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
        drawn = _drawn(store, entity, hops, query, params, mentions, queries_dir)
    page = _render(drawn.nodes, drawn.relationships, drawn.title, drawn.importance)
    return Picture(page, len(drawn.nodes), len(drawn.relationships), drawn.capped)


@dataclass(frozen=True)
class _Drawn:
    """What a picture shows, read from the store."""

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    title: str
    importance: dict[str, str]  # node id -> focus, near or other
    capped: bool  # --hops stopped at NODE_CAP nodes


def _drawn(
    store: Store,
    entity: str | None,
    hops: int,
    query: str | None,
    params: Mapping[str, Any] | None,
    mentions: bool,
    queries_dir: Path | None,
) -> _Drawn:
    """The nodes, relationships and title to draw, read from the store."""
    ids: list[str] | None = None
    title = "kg: the graph"
    focus: str | None = None
    capped = False
    if entity is not None:
        focus, name, ids, capped = _neighbourhood(store, entity, hops, mentions)
        title = f"kg: {name}, {hops} hop(s) around"
    elif query is not None:
        saved = queries.get(query, queries_dir)
        ids = _query_ids(store, saved, params or {})
        title = f"kg: {saved.title}"
    nodes = _nodes(store, ids, mentions)
    if not nodes:
        raise KgError(f"nothing to draw: the graph in {store.name} is empty (run kg load)")
    relationships = _relationships(store, ids, mentions)
    return _Drawn(nodes, relationships, title, _importance(nodes, relationships, focus), capped)


def _neighbourhood(
    store: Store, text: str, hops: int, mentions: bool
) -> tuple[str, str, list[str], bool]:
    """The entity's id and name, the ids of the nodes at most `hops` drawn relationships away
    (breadth first, each node visited once), and whether NODE_CAP stopped the search."""
    entity_id, label = find_entity(store, text)
    name = store.query(cypher.entity_name(label), {"id": entity_id}).rows[0][0]
    visited, frontier, capped = {entity_id}, [entity_id], False
    neighbours = cypher.neighbours(mentions)
    for _ in range(hops):
        if not frontier:
            break
        rows = store.query(
            neighbours,
            {"frontier": frontier, "mentions": vocab.MENTIONS, **cypher.ours_params()},
        ).rows
        found = sorted({row[0] for row in rows} - visited)
        room = NODE_CAP - len(visited)
        frontier = found[:room]
        visited.update(frontier)
        if len(found) > room:
            capped = True
            break
    return entity_id, name, sorted(visited), capped


def _importance(
    nodes: list[dict[str, Any]], relationships: list[dict[str, Any]], focus: str | None
) -> dict[str, str]:
    """Each node's importance, which sets its size (and so whether its caption shows at the
    default zoom): the focus entity and its neighbours, or else the best-connected nodes."""
    if focus is not None:
        near = {r["target"] for r in relationships if r["source"] == focus}
        near |= {r["source"] for r in relationships if r["target"] == focus}
        return {
            n["props"]["id"]: "focus"
            if n["props"]["id"] == focus
            else "near"
            if n["props"]["id"] in near
            else "other"
            for n in nodes
        }
    degree: dict[str, int] = {}
    for r in relationships:
        for end in (r["source"], r["target"]):
            degree[end] = degree.get(end, 0) + 1
    ranked = sorted(degree, key=lambda node: (-degree[node], node))
    top = set(ranked[:CAPTIONED]) if len(nodes) > CAPTIONED else {n["props"]["id"] for n in nodes}
    return {n["props"]["id"]: "near" if n["props"]["id"] in top else "other" for n in nodes}


def _pack(text: str, room: int = CAPTION_LINES * (CAPTION_WIDTH + 1)) -> tuple[list[str], bool]:
    """The words of `text` that fill CAPTION_LINES lines of CAPTION_WIDTH characters (the
    renderer breaks the lines at the same places), in `room` characters in all; whether all of
    `text` fits."""
    lines: list[str] = []
    for word in text.split():
        if len(word) > CAPTION_WIDTH:
            return lines, False
        if lines and len(lines[-1]) + 1 + len(word) <= CAPTION_WIDTH:
            candidate = [*lines[:-1], f"{lines[-1]} {word}"]
        else:
            candidate = [*lines, word]
        if len(candidate) > CAPTION_LINES or len(" ".join(candidate)) > room:
            return lines, False
        lines = candidate
    return lines, True


def caption(name: str, aliases: Sequence[str] = ()) -> str:
    """A node's caption, short enough for the renderer to show whole inside the node: the
    name, else the shortest alias that fits (a capitalised one: a name), else the name cut
    between words with an ellipsis. The renderer would cut a longer one mid-word ("4e sessi-on
    du Di…")."""
    proper = [alias for alias in aliases if alias[:1].isupper()]  # names, not descriptions
    for text in (name, *sorted(proper, key=len)):
        lines, whole = _pack(text)
        if whole:
            return " ".join(lines)
    if len(name.split()[0]) > CAPTION_WIDTH and _pack(name.split()[-1])[1]:
        return name.split()[-1]  # "Abdelmadjid Tebboune": "Tebboune"
    # Keep room for the ellipsis on the last line.
    lines, _ = _pack(name, CAPTION_LINES * (CAPTION_WIDTH + 1) - 2)
    if lines and len(lines[-1]) + 1 > CAPTION_WIDTH:
        lines[-1] = " ".join(lines[-1].split()[:-1])
    return " ".join(filter(None, lines)) + "…" if any(lines) else name.split()[0]


def asserted(props: Mapping[str, Any]) -> bool:
    """Whether a fact simply happened or holds in the article's own voice: modality actual (or
    none recorded) and no one it is attributed to."""
    return props.get("modality", vocab.ACTUAL) == vocab.ACTUAL and not props.get("stated_by")


def _query_ids(store: Store, saved: queries.SavedQuery, params: Mapping[str, Any]) -> list[str]:
    """Node ids a saved query's parameters and result name, or the ends of facts they name."""
    given = queries.bind(saved, params)
    for param in saved.params:
        if param.entity and isinstance(given[param.name], str):
            given[param.name] = find_entity(store, given[param.name])[0]
    rows = queries.run(store, saved, given, resolve_entities=False).rows
    found = sorted({*_strings(rows), *_strings(list(given.values()))})
    nodes = store.query(cypher.FOUND_NODES, {"found": found}).rows
    ends = store.query(cypher.FOUND_ENDS, {"found": found}).rows
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
    """kg's nodes (never another label: kg.cypher.ours), those of `ids` if given."""
    return store.query(
        cypher.drawn_nodes(ids is not None, mentions), {"ids": ids, **cypher.ours_params()}
    ).records()


def _relationships(store: Store, ids: list[str] | None, mentions: bool) -> list[dict[str, Any]]:
    """kg's relationships (its types, between its nodes), among `ids` if given."""
    return store.query(
        cypher.drawn_relationships(ids is not None, mentions),
        {"ids": ids, "mentions": vocab.MENTIONS, **cypher.ours_params()},
    ).records()


def _node_card(label: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """What the side panel shows for a node: its card, literal facts with their quotes."""
    if label == vocab.ARTICLE_LABEL:
        fields = ("id", "headline", "outlet", "languages", "dates")
        return {"type": label, **{k: props[k] for k in fields if props.get(k)}}
    card = {"type": label, **{k: props[k] for k in CARD_FIELDS if props.get(k)}}
    for fact in contract.literal_facts(props):
        card[fact.predicate] = fact.value
        card[f"{fact.predicate} sources"] = _sources(fact)
        for qualifier, value in fact.qualifiers.items():
            if value:
                card[f"{fact.predicate} {qualifier}"] = value
    return card


def _relationship_card(rel_type: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """What the side panel shows for a relationship: the fact, its qualifiers and quotes."""
    if rel_type == vocab.MENTIONS:
        return {"predicate": "mentions"}
    fact = contract.relationship_fact(rel_type, props)
    return {
        "predicate": fact.predicate,
        "fact": fact.id,
        **fact.qualifiers,
        "sources": _sources(fact),
    }


def _sources(fact: contract.StoredFact) -> list[str]:
    return [f"[{article}] «{quote}»" for article, quote in fact.sources()]


def _render(
    nodes: list[dict[str, Any]],
    relationships: list[dict[str, Any]],
    title: str,
    importance: Mapping[str, str],
) -> str:
    """The page. Sizes follow importance, so the captions that matter show at the default
    zoom (the renderer hides a caption while its node is small on screen); the focus entity is
    the largest node; a fact that did not simply happen (planned,
    possible...) or that someone claims is drawn faded, its caption saying which."""
    from neo4j_viz import Node, Relationship, VisualizationGraph

    size = sizes(len(nodes))

    def rel_caption(r: Mapping[str, Any]) -> str:
        props = r["props"]
        tags = [] if props.get("modality", vocab.ACTUAL) == vocab.ACTUAL else [props["modality"]]
        tags += ["claimed"] if props.get("stated_by") else []
        return r["type"] + (f" ({', '.join(tags)})" if tags else "")

    graph = VisualizationGraph(
        nodes=[
            Node(
                id=n["props"]["id"],
                caption=caption(
                    n["props"].get("name", n["props"]["id"]), n["props"].get("aliases") or []
                ),
                caption_size=1,
                size=size[importance[n["props"]["id"]]],
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
                caption=rel_caption(r),
                color=PLAIN if asserted(r["props"]) else FADED,
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
