"""Read the graph back from a store a page at a time, so exports use memory bounded by a page.

Nodes come label by label in `id` order (keyset pagination on the indexed `id`); the
relationships of a page are fetched from its nodes, outgoing, so every relationship is read
exactly once. Only kg's graph is read: nodes of other labels, and relationships of other types
or to such nodes, are left out (the database may hold other data, see `kg.graph.ours`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg import graph, vocab
from kg.stores import Store

PAGE_SIZE = 1000


@dataclass(frozen=True)
class Node:
    label: str
    props: dict[str, Any]

    @property
    def id(self) -> str:
        return self.props["id"]


@dataclass(frozen=True)
class Relationship:
    type: str
    subject: str
    object: str
    object_label: str
    props: dict[str, Any]


def count_nodes(store: Store) -> int:
    return store.query(
        f"MATCH (n) WHERE {graph.ours('n')} RETURN count(n) AS n", graph.ours_params()
    ).rows[0][0]


def article_languages(store: Store) -> dict[str, str]:
    """Each article's first language (ISO 639-1), the one its quotes are in."""
    cypher = f"MATCH (a:{vocab.ARTICLE_LABEL}) RETURN a.id, a.languages[0]"
    return {id: language for id, language in store.query(cypher).rows if language}


def node_pages(store: Store, page_size: int = PAGE_SIZE) -> Iterator[list[Node]]:
    """Pages of nodes of one label each, every label of the vocabulary in turn."""
    for label in vocab.node_labels():
        cypher = (
            f"MATCH (n:{vocab.check_label(label)}) WHERE n.id > $after "
            "RETURN properties(n) AS props ORDER BY n.id LIMIT $limit"
        )
        after = ""
        while True:
            rows = store.query(cypher, {"after": after, "limit": page_size}).rows
            if not rows:
                break
            page = [Node(label, props) for (props,) in rows]
            yield page
            after = page[-1].id


def relationships_from(store: Store, page: list[Node]) -> list[Relationship]:
    """The relationships going out of a page's nodes (all of one label)."""
    if not page:
        return []
    cypher = (
        f"MATCH (s:{vocab.check_label(page[0].label)})-[r]->(o) "
        f"WHERE s.id IN $ids AND type(r) IN $kg_types AND {graph.ours('o')} "
        f"RETURN type(r) AS type, s.id AS subject, o.id AS object, {graph.label_of('o')} "
        "AS object_label, properties(r) AS props ORDER BY subject, type, object, props.id"
    )
    rows = store.query(cypher, {"ids": [node.id for node in page], **graph.ours_params()}).rows
    return [
        Relationship(vocab.check_rel_type(t), s, o, vocab.check_label(label), props)
        for t, s, o, label, props in rows
    ]
