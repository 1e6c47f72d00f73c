"""How fast replace() merges nodes and relationships into the embedded FalkorDB store.

Batched UNWIND statements (what the loader sends) against one statement per row,
on a throw-away data directory. Each figure is a whole replace(): staging copy,
id indexes, the statements, the rename and the SAVE.

    python benchmarks/bench_store.py [--nodes 50000] [--rels 50000] [--sample 2000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.stores import Statement
from kg.stores.falkordb import FalkorDBStore

MERGE_NODES = "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n = row.props"
MERGE_RELS = (
    "UNWIND $rows AS row MATCH (s:Entity {id: row.subject}) MATCH (o:Entity {id: row.object}) "
    "MERGE (s)-[r:RELATED {id: row.id}]->(o) SET r = row.props"
)
MERGE_NODE = "MERGE (n:Entity {id: $id}) SET n = $props"
MERGE_REL = (
    "MATCH (s:Entity {id: $subject}) MATCH (o:Entity {id: $object}) "
    "MERGE (s)-[r:RELATED {id: $id}]->(o) SET r = $props"
)


def node_rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"e{i}",
            "props": {
                "id": f"e{i}",
                "name": f"Entity {i}",
                "aliases": [f"E{i}", f"entity-{i}"],
                "kind": "bench",
            },
        }
        for i in range(count)
    ]


def rel_rows(count: int, nodes: int) -> list[dict[str, Any]]:
    pick = random.Random(7).randrange
    return [
        {
            "id": f"r{i}",
            "subject": f"e{pick(nodes)}",
            "object": f"e{pick(nodes)}",
            "props": {"id": f"r{i}", "articles": ["a1", "a2"], "quotes": ["q1", "q2"]},
        }
        for i in range(count)
    ]


def batched(cypher: str, rows: list[dict[str, Any]], size: int) -> list[Statement]:
    return [Statement(cypher, {"rows": rows[i : i + size]}) for i in range(0, len(rows), size)]


def timed(store: FalkorDBStore, statements: Sequence[Statement], *, reset: bool) -> float:
    started = time.perf_counter()
    store.replace(statements, unique_ids=["Entity"], reset=reset)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=50_000)
    parser.add_argument("--rels", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for one-query-per-row")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    store = FalkorDBStore(data_dir)
    try:
        nodes, rels = node_rows(args.nodes), rel_rows(args.rels, args.nodes)
        print(f"{'statements':<22}{'nodes':>8}{'nodes/s':>10}{'rels':>8}{'rels/s':>10}")
        for size in (1_000, 5_000):
            node_time = timed(store, batched(MERGE_NODES, nodes, size), reset=True)
            rel_time = timed(store, batched(MERGE_RELS, rels, size), reset=False)
            print(
                f"{f'UNWIND, {size} rows':<22}{len(nodes):>8}{len(nodes) / node_time:>10,.0f}"
                f"{len(rels):>8}{len(rels) / rel_time:>10,.0f}"
            )

        sample_nodes = node_rows(args.sample)
        sample_rels = rel_rows(args.sample, args.sample)
        node_time = timed(
            store,
            [Statement(MERGE_NODE, {"id": r["id"], "props": r["props"]}) for r in sample_nodes],
            reset=True,
        )
        rel_time = timed(store, [Statement(MERGE_REL, row) for row in sample_rels], reset=False)
        print(
            f"{'one query per row':<22}{len(sample_nodes):>8}"
            f"{len(sample_nodes) / node_time:>10,.0f}"
            f"{len(sample_rels):>8}{len(sample_rels) / rel_time:>10,.0f}"
        )
    finally:
        store.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
