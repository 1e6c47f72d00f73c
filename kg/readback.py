"""Read the graph back from a store in bounded pages, so exports use memory bounded by a page.

Nodes come label by label in `id` order (keyset pagination on the indexed `id`), READ_PAGE
at a time, handed out in groups of PAGE_SIZE; the relationships of a group are fetched from
its nodes, outgoing, so every relationship is read exactly once, in (subject, type, object,
id) order. A group's relationships are read a few subjects at a time, as many as fit in about
REL_ROWS rows by the degree seen so far, so a group of articles with hundreds of mentions
each is never one reply. Rows are scalar columns and property maps (never node or
relationship objects), which the stores hand over with the least decoding.

Only kg's graph is read: nodes of other labels, and relationships of other types or to such
nodes, are left out (the database may hold other data, see `kg.cypher.ours`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from typing import Any, NamedTuple

from kg import cypher, vocab
from kg.stores import Store

MENTIONS = vocab.check_rel_type(vocab.MENTIONS)
FACTS = frozenset(cypher.FACT_TYPES)

PAGE_SIZE = 1000  # nodes per group: the group's nodes, then the relationships out of them
ARTICLE_PAGE = 50  # articles per group (`groups`): each holds its text and every quote in it
READ_PAGE = 5_000  # nodes per query (each query sorts what is left of its label)
ID_PAGE = 50_000  # ids per query (`groups`): the sorts of what is left, fewer as pages grow
REL_ROWS = 10_000  # relationships per query, aimed at from the degrees seen so far


class Node(NamedTuple):
    label: str
    id: str
    props: dict[str, Any]


class Relationship(NamedTuple):
    type: str
    subject: str
    object: str
    object_label: str
    props: dict[str, Any]


def count_nodes(store: Store) -> int:
    return store.query(cypher.COUNT_OUR_NODES, cypher.ours_params()).rows[0][0]


def article_languages(store: Store) -> dict[str, str]:
    """Each article's first language (ISO 639-1), the one its quotes are in."""
    rows = store.query(cypher.ARTICLE_LANGUAGES).rows
    return {id: language for id, language in rows if language}


def node_pages(
    store: Store, page_size: int = PAGE_SIZE, read_page: int = READ_PAGE
) -> Iterator[list[Node]]:
    """Groups of `page_size` nodes of one label each, every label of the vocabulary in turn."""
    for label in vocab.node_labels():
        page = cypher.node_page(label)
        after = ""
        while True:
            rows = store.query(page, {"after": after, "limit": read_page}).rows
            for start in range(0, len(rows), page_size):
                yield [Node(label, id, props) for id, props in rows[start : start + page_size]]
            if len(rows) < read_page:
                break
            after = rows[-1][0]


class Group(NamedTuple):
    """Nodes of one label, by their ids (in order), known before they are read: a part of
    the graph that can be read and written on its own."""

    label: str
    ids: list[str]


def groups(store: Store, read_page: int = ID_PAGE) -> Iterator[Group]:
    """The nodes `node_pages` hands out, in the same order, as groups of ids (only the ids
    are read): PAGE_SIZE nodes each, ARTICLE_PAGE for articles, whose text and quotes make
    each one large. The ids come `read_page` a query: the server sorts what is left of the
    label for each one, so pages of 5,000 made reading the ids of a million-fact graph cost
    it 14 CPU seconds, pages of 50,000 (a few MB of ids) 2.9."""
    for label in vocab.node_labels():
        size = ARTICLE_PAGE if label == vocab.ARTICLE_LABEL else PAGE_SIZE
        page, after = cypher.node_ids(label), ""
        while True:
            ids = [id for (id,) in store.query(page, {"after": after, "limit": read_page}).rows]
            for start in range(0, len(ids), size):
                yield Group(label, ids[start : start + size])
            if len(ids) < read_page:
                break
            after = ids[-1]


def nodes_in(store: Store, group: Group) -> list[Node]:
    """A group's nodes, in id order."""
    rows = store.query(cypher.group_nodes(group.label), {"ids": group.ids}).rows
    return [Node(group.label, id, props) for id, props in rows]


def relationships_from(
    store: Store, page: list[Node], rows: int = REL_ROWS, labels: bool = True
) -> Iterator[Relationship]:
    """The relationships going out of a group's nodes (all of one label), in order; without
    `labels`, their `object_label` is None (the RDF export has no use for it).

    Facts and mentions are read apart (a mention has no properties, and fetching a
    relationship's is most of what reading one costs the server) and merged in order; a
    group normally has only one kind (articles mention, entities hold facts)."""
    if not page:
        return
    # The facts' types are checked here (see kg.cypher.fact_rows).
    fact_rows = cypher.fact_rows(page[0].label, labels)
    mention_rows = cypher.mention_rows(page[0].label, labels)
    ids = sorted(node.id for node in page)  # the order of the rows' subjects
    streams = []
    for stream in (
        (Relationship(*row) for row in _pieces(store, fact_rows, ids, rows) if row[0] in FACTS),
        (Relationship(MENTIONS, *row, {}) for row in _pieces(store, mention_rows, ids, rows)),
    ):
        first = next(stream, None)
        if first is not None:
            streams.append(itertools.chain([first], stream))
    if len(streams) == 1:
        yield from streams[0]
    elif streams:
        yield from heapq.merge(*streams, key=_order)


def _order(rel: Relationship) -> tuple[str, str, str, str]:
    return rel.subject, rel.type, rel.object, rel.props.get("id") or ""


def _pieces(store: Store, statement: str, ids: list[str], rows: int) -> Iterator[list[Any]]:
    """The rows of `statement` for the subjects `ids`, in order, a few subjects a query: as many
    as fit in about `rows` rows by the degree seen so far (100 subjects first)."""
    params = cypher.ours_params()
    start, step = 0, min(len(ids), max(1, rows // 100))
    while start < len(ids):
        chunk = ids[start : start + step]
        found = store.query(statement, {"ids": chunk, **params}).rows
        yield from found
        start += len(chunk)
        step = max(1, rows * len(chunk) // max(len(found), 1))
