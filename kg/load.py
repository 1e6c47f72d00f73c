"""Validate the seeds, then write them to a store all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import graph
from kg.model import Corpus
from kg.stores import Store
from kg.validate import load_corpus


@dataclass
class Summary:
    """Counts read back from the store after a write."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())


def write_corpus(store: Store, corpus: Corpus, *, reset: bool) -> Summary:
    store.replace(graph.statements(corpus), unique_ids=graph.unique_labels(), reset=reset)
    return summarize(store)


def load(store: Store, seeds_dir: Path, *, reset: bool = False) -> Summary:
    """Validate every seed file first; nothing is written unless all of them pass."""
    return write_corpus(store, load_corpus(seeds_dir), reset=reset)


def summarize(store: Store) -> Summary:
    counts = {
        what: {row[0]: row[1] for row in store.query(cypher).rows}
        for what, cypher in graph.summary_queries()
    }
    return Summary(nodes=counts["nodes"], relationships=counts["relationships"])
