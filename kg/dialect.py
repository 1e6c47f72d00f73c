"""Where FalkorDB's Cypher and Neo4j 5's differ, and how kg lives with it: the one place.

Every statement kg sends (saved queries, loader, exporters) is written in the subset both
stores run unchanged; Neo4j's own analyzer checks all of them (tests/test_cypher_lint.py).
The differences a statement cannot avoid, measured on FalkorDB 4 and Neo4j 5:

- Shortest paths. FalkorDB has no undirected `shortestPath()` and allows it only in
  WITH/RETURN. The saved query `shortest-connection` instead takes the minimum length of a
  bounded variable-length path (`-[*1..4]-`) and returns the paths of that length, which both
  run unchanged (variable-length bounds cannot be parameters in Neo4j, hence the fixed 4).
- Constraints. FalkorDB has no `CREATE CONSTRAINT` statement (it takes the GRAPH.CONSTRAINT
  command, issued by kg/stores/falkordb.py). The Cypher export opens with Neo4j's
  `unique_id_constraint()` statements, which `is_schema_statement()` recognises so that a
  replay into FalkorDB can leave them out (its store builds the same constraints itself).
- Subqueries. FalkorDB has neither `EXISTS { }` nor `COUNT { }`, nor the `CALL () { }` scope
  clause Neo4j 5.23 prefers: use pattern comprehensions, OPTIONAL MATCH + count(), and plain
  `CALL { }` (on which Neo4j warns of a deprecation; warnings are allowed, errors are not).
- Functions. FalkorDB lacks `=~`, `round(x, digits)` and `datetime()`; its `sum()` returns a
  float where Neo4j returns an integer (wrap it in `toInteger()`), and `toString(1.5)` gives
  '1.500000'. Dates are therefore stored as ISO strings (YYYY, YYYY-MM or YYYY-MM-DD), which
  sort and compare as text on both stores.
- String literals. FalkorDB reads `\\\\ \\' \\" \\n \\r \\t \\b \\f` like Neo4j but keeps `\\uXXXX`
  as written; the Cypher export therefore writes every other character as itself (UTF-8) and
  uses `\\uXXXX` only for the remaining control characters, which the curated text never holds.
"""

from __future__ import annotations

import re

from kg import vocab

_SCHEMA = re.compile(r"^\s*(CREATE|DROP)\s+(CONSTRAINT|INDEX)\b", re.IGNORECASE)


def unique_id_constraint(label: str) -> str:
    """Neo4j 5: make `id` unique (and indexed) for `label`; a no-op when it already exists."""
    label = vocab.check_label(label)
    return f"CREATE CONSTRAINT kg_{label}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"


def is_schema_statement(cypher: str) -> bool:
    """Whether `cypher` changes the schema (constraints, indexes), which FalkorDB does its way."""
    return bool(_SCHEMA.match(cypher))
