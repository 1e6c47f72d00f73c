"""Where FalkorDB's Cypher and Neo4j 5's differ, and how kg lives with it: the one place.

Every statement kg sends (saved queries, loader, exporters) is written in the subset both
stores run unchanged; Neo4j's own analyzer checks all of them (tests/test_cypher_lint.py).
The differences a statement cannot avoid, measured on FalkorDB 4 and Neo4j 5:

- Shortest paths. FalkorDB has no undirected `shortestPath()` and allows it only in
  WITH/RETURN; `allShortestPaths()` it runs undirected in MATCH once both ends are bound by
  an earlier clause (`WITH a, b MATCH p = allShortestPaths((a)-[...*..4]-(b))`), as Neo4j
  does. It applies a WHERE on the path only after its search, though (a shorter path
  through an article hides the longer ones the WHERE keeps, and the answer is empty), so
  the saved query `shortest-connection` lists the relationship types to follow in the
  pattern instead. Variable-length bounds cannot be parameters in Neo4j, hence the fixed 4.
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
- Isolation. FalkorDB runs one query at a time, and kg's store serialises a load against the
  readers of a command (kg/stores/falkordb.py). Neo4j isolates a transaction at read committed:
  a read transaction sees every commit made while it runs, so a command that reads several
  times could see half the old graph and half the new. Each load therefore first increments
  `loads` on the one `LOAD_COUNTER_LABEL` node (`COUNT_LOAD`), in the load's transaction, and
  a reading command reads `LOADS` before and after its reads: a change means that a load
  committed in between, and the command fails rather than answer from two graphs.
- String literals. FalkorDB reads `\\\\ \\' \\" \\n \\r \\t \\b \\f` like Neo4j but keeps `\\uXXXX`
  as written; the Cypher export therefore writes every other character as itself (UTF-8) and
  uses `\\uXXXX` only for the remaining control characters, which the curated text never holds.
"""

from __future__ import annotations

import re

from kg import vocab

_SCHEMA = re.compile(r"^\s*(CREATE|DROP)\s+(CONSTRAINT|INDEX)\b", re.IGNORECASE)


COUNT_LOAD = (
    f"MERGE (counter:{vocab.LOAD_COUNTER_LABEL}) SET counter.loads = coalesce(counter.loads, 0) + 1"
)
LOADS = f"MATCH (counter:{vocab.LOAD_COUNTER_LABEL}) RETURN sum(counter.loads) AS loads"


def unique_id_constraint_name(label: str) -> str:
    """The name kg gives the uniqueness constraint on `id` of `label` (Neo4j 5)."""
    return f"kg_{vocab.check_label(label)}_id"


def unique_id_constraint(label: str) -> str:
    """Neo4j 5: make `id` unique (and indexed) for `label`; a no-op when it already exists."""
    name = unique_id_constraint_name(label)
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"


def is_schema_statement(cypher: str) -> bool:
    """Whether `cypher` changes the schema (constraints, indexes), which FalkorDB does its way."""
    return bool(_SCHEMA.match(cypher))
