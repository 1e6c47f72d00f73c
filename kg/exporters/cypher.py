"""The graph as a standalone Cypher script for Neo4j: paste it into Neo4j Browser or run
`cypher-shell -f graph.cypher`.

The script is idempotent: constraints are created IF NOT EXISTS, nodes are MERGEd by `id` and
relationships by their fact `id` (mentions by their two ends), then their properties are SET
whole, so running it twice gives the same graph. One statement per line, each ending in `;`;
values are written as literals (the script needs no parameters), escaped by `literal()`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from kg import cypher, graph, readback, vocab
from kg.exporters import ExportOptions
from kg.stores import Store

Progress = Callable[[int, int], None]

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


def statements(store: Store, progress: Progress | None = None) -> Iterator[str]:
    """The script's statements, without the trailing `;`: constraints, nodes, relationships.

    The graph is read twice, a page at a time: every node must exist before a relationship
    between two of them is merged.
    """
    for label in graph.unique_labels():
        yield cypher.unique_id_constraint(label)
    total = 2 * readback.count_nodes(store) if progress else 0
    done = 0
    for with_nodes in (True, False):
        for page in readback.node_pages(store):
            label = page[0].label
            if with_nodes:
                for node in page:
                    yield cypher.script_node(label, literal(node.id), literal(node.props))
            else:
                for rel in readback.relationships_from(store, page):
                    yield _merge_relationship(label, rel)
            done += len(page)
            if progress:
                progress(done, total)


def _merge_relationship(subject_label: str, rel: readback.Relationship) -> str:
    # a fact by its id; a mention, one per (article, entity), by its ends
    fact_id = literal(rel.props["id"]) if "id" in rel.props else None
    return cypher.script_relationship(
        subject_label,
        literal(rel.subject),
        rel.type,
        rel.object_label,
        literal(rel.object),
        literal(rel.props),
        fact_id,
    )


def export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
    """Write the script to `stream` (UTF-8), one statement per line."""
    stream.write(
        b"// The kg graph as Cypher for Neo4j 5. Idempotent: running it again gives the same "
        b"graph.\n// Run it with: cypher-shell -f FILE, or paste it into Neo4j Browser.\n"
    )
    for statement in statements(store, options.progress):
        stream.write(f"{statement};\n".encode())
