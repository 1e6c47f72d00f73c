"""kg shares its database with other data and never harms it, on every backend.

A Neo4j database (or FalkorDB graph) may hold more than kg's graph: `kg load --reset` removes
only what kg wrote (nodes of the vocabulary's labels that carry an `id`, with their
relationships), and the commands that read the whole graph (export, stats, viz, show) leave
other labels and relationship types out instead of failing on them. Neo4j runs where a Docker
engine answers.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import to_isomorphic
from typer.testing import CliRunner

from kg import queries, vocab
from kg.cli import app
from kg.exporters import ExportOptions, exporter
from kg.load import load
from kg.seeds import read_corpus
from kg.show import entity_card
from kg.stats import graph_stats
from kg.stores import Store, StoreConfig, connect
from kg.viz import picture

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Another application's data: its own labels and types, one of our types between its nodes,
# a node with one of our labels but no `id`, and a link from its data to an entity of ours.
PLANT = (
    "CREATE (c:Customer {id: 'c1', name: 'Acme'})-[:BOUGHT {qty: 3}]->(:Product {sku: 'p1'}) "
    "CREATE (c)-[:MET {id: 'not-a-fact'}]->(:Customer {id: 'c2', name: 'Globex'}) "
    "CREATE (:Person {name: 'Someone else'}) "
    "WITH c MATCH (esper:Person {id: 'mark-esper'}) CREATE (c)-[:LIKES]->(esper)"
)
FOREIGN = (
    "MATCH (n) WHERE n:Customer OR n:Product OR (n:Person AND n.id IS NULL) "
    "RETURN count(n) AS nodes"
)
FOREIGN_RELATIONSHIPS = (
    "MATCH (:Customer)-[r]->() RETURN type(r) AS type, count(r) AS n ORDER BY type"
)


def figures(store: Store) -> dict:
    """What every whole-graph read gives: stats, the exports, a picture and a card."""
    script, triples = io.BytesIO(), io.BytesIO()
    exporter("cypher")(store, script, ExportOptions(format="cypher"))
    exporter("nt")(store, triples, ExportOptions(format="nt"))
    rdf = rdflib.Graph().parse(data=triples.getvalue(), format="nt")
    drawn = picture(store, mentions=True)
    return {
        "stats": graph_stats(store, SEEDS),
        "cypher": sorted(script.getvalue().decode("utf-8").splitlines()),
        "rdf": to_isomorphic(rdf),  # compared up to the names of blank nodes
        "picture": (drawn.nodes, drawn.relationships),
        "card": entity_card(store, "Esper"),
    }


def test_reads_ignore_foreign_data_and_a_reset_keeps_it(store: Store) -> None:
    load(store, SEEDS, reset=True)
    before = figures(store)

    store.query(PLANT, write=True)
    assert store.query(FOREIGN).rows == [[4]]
    assert figures(store) == before, "a read counted or exported another application's data"

    summary = load(store, SEEDS, reset=True)

    assert store.query(FOREIGN).rows == [[4]], "the reset deleted nodes kg did not write"
    # Its relationships among its own nodes stay; the one to kg's (deleted, then rewritten)
    # entity went with it, as documented.
    assert store.query(FOREIGN_RELATIONSHIPS).rows == [["BOUGHT", 1], ["MET", 1]]
    assert "Customer" not in summary.nodes and "BOUGHT" not in summary.relationships
    assert figures(store) == before


def test_most_cited_ranks_entities_and_nothing_else(store: Store) -> None:
    """However large its limit, most-cited ranks every entity of the seeds and no other node:
    not another application's, not the load counter (on Neo4j, the node every load counts
    itself on, which a bare `MATCH (n)` finds; planted here on FalkorDB too)."""
    load(store, SEEDS, reset=True)
    store.query(PLANT, write=True)
    store.query(f"CREATE (:{vocab.LOAD_COUNTER_LABEL} {{loads: 1}})", write=True)
    rows = queries.run(store, queries.get("most-cited"), {"limit": 1_000_000}).rows
    ranked = [row[0] for row in rows]
    assert sorted(ranked) == sorted(read_corpus(SEEDS).entities)


def test_the_cypher_export_holds_no_foreign_label(store: Store) -> None:
    load(store, SEEDS, reset=True)
    store.query(PLANT, write=True)
    stream = io.BytesIO()
    exporter("cypher")(store, stream, ExportOptions(format="cypher"))
    script = stream.getvalue().decode("utf-8")
    for foreign in ("Customer", "Product", "BOUGHT", "LIKES", "Someone else", "not-a-fact"):
        assert foreign not in script


def test_load_reset_from_the_command_line_keeps_foreign_data(tmp_path: Path) -> None:
    """The whole flow a user runs, on an embedded store of its own."""
    data_dir = tmp_path / "store"

    def kg(*args: str):
        result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
        assert result.exit_code == 0, result.output
        return result

    kg("load", "--reset")
    stats_before = json.loads(kg("stats", "--format", "json").stdout)
    kg("cypher", "--write", PLANT)

    kg("load", "--reset")

    with connect(StoreConfig(data_dir=data_dir)) as store:
        assert store.query(FOREIGN).rows == [[4]]
    assert json.loads(kg("stats", "--format", "json").stdout) == stats_before
    turtle = kg("export", "--format", "ttl").stdout
    assert "Customer" not in turtle and "Acme" not in turtle
    kg("viz", "-o", str(tmp_path / "graph.html"))
    kg("show", "Esper")


@pytest.mark.parametrize("label", ["Customer", "Person"])
def test_a_fresh_reset_with_only_foreign_data_deletes_nothing(store: Store, label: str) -> None:
    store.query(f"CREATE (:{label} {{name: 'kept'}})", write=True)
    store.replace([], unique_ids=[], reset=True)
    assert store.query(f"MATCH (n:{label}) RETURN n.name").rows == [["kept"]]
