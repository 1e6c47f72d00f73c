"""A store's whole graph as comparable plain data, for tests that compare graphs."""

from __future__ import annotations

import json

from kg import vocab
from kg.stores import Store

# Every node but Neo4j's count of loads (kg/cypher.py), which a load increments even when it
# writes the graph as it was.
NODES = (
    f"MATCH (n) WHERE NOT n:{vocab.LOAD_COUNTER_LABEL} "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
RELATIONSHIPS = (
    "MATCH (s)-[r]->(o) RETURN type(r) AS type, s.id AS source, o.id AS target, "
    "properties(r) AS props"
)


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def dump(store: Store) -> dict:
    nodes = sorted(([sorted(row[0]), row[1]] for row in store.query(NODES).rows), key=_key)
    relationships = sorted((row for row in store.query(RELATIONSHIPS).rows), key=_key)
    return {"nodes": nodes, "relationships": relationships}
