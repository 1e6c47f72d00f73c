"""The graph as a standalone Cypher script for Neo4j: paste it into Neo4j Browser or run
`cypher-shell -f graph.cypher`.

The script is idempotent: constraints are created IF NOT EXISTS, nodes are MERGEd by `id` and
relationships by their fact `id` (mentions by their two ends), then their properties are SET
whole, so running it twice gives the same graph. One statement per line, each ending in `;`;
values are written as literals (the script needs no parameters), escaped by `literal()`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, BinaryIO

from kg import dialect, graph, vocab
from kg.exporters import ExportOptions
from kg.stores import Store

NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY props.id"
RELATIONSHIPS = (
    "MATCH (s)-[r]->(o) "
    "RETURN labels(s)[0] AS s_label, s.id AS s_id, type(r) AS type, properties(r) AS props, "
    "labels(o)[0] AS o_label, o.id AS o_id "
    "ORDER BY type, props.id, s_id, o_id"
)
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def literal(value: Any) -> str:
    """`value` as a Cypher literal that Neo4j and FalkorDB both read back unchanged.

    Strings are single-quoted; backslash, quote and the usual control characters are escaped,
    other control characters written as \\uXXXX, everything else (’ « » “ ” é ...) as itself.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_escape(c) for c in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"no Cypher literal for a {type(value).__name__}: {value!r}")


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04x}"
    return char


def _key(name: str) -> str:
    """A property key, backquoted unless it is a plain identifier."""
    if vocab.IDENTIFIER.match(name):
        return name
    return "`" + name.replace("`", "``") + "`"


def statements(store: Store) -> Iterator[str]:
    """The script's statements, without the trailing `;`: constraints, nodes, relationships."""
    for label in graph.unique_labels():
        yield dialect.unique_id_constraint(label)
    for labels, props in store.query(NODES).rows:
        if len(labels) != 1:
            raise ValueError(f"node {props.get('id')!r} has labels {labels}, expected one")
        label = vocab.check_label(labels[0])
        yield f"MERGE (n:{label} {{id: {literal(props['id'])}}}) SET n = {literal(props)}"
    for s_label, s_id, rel_type, props, o_label, o_id in store.query(RELATIONSHIPS).rows:
        ends = (
            f"MATCH (s:{vocab.check_label(s_label)} {{id: {literal(s_id)}}}) "
            f"MATCH (o:{vocab.check_label(o_label)} {{id: {literal(o_id)}}}) "
        )
        rel_type = vocab.check_rel_type(rel_type)
        if "id" in props:
            yield (
                ends + f"MERGE (s)-[r:{rel_type} {{id: {literal(props['id'])}}}]->(o) "
                f"SET r = {literal(props)}"
            )
        else:  # mentions: one per (article, entity), identified by its ends
            yield ends + f"MERGE (s)-[r:{rel_type}]->(o) SET r = {literal(props)}"


def export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
    """Write the script to `stream` (UTF-8), one statement per line."""
    stream.write(
        b"// The kg graph as Cypher for Neo4j 5. Idempotent: running it again gives the same "
        b"graph.\n// Run it with: cypher-shell -f FILE, or paste it into Neo4j Browser.\n"
    )
    for count, statement in enumerate(statements(store), 1):
        stream.write(f"{statement};\n".encode())
        if options.progress:
            options.progress(count)
