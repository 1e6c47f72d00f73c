"""Validate the seeds, then write them to a store all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg import graph
from kg.model import Corpus
from kg.stores import Statement, Store
from kg.validate import load_corpus


@dataclass
class Summary:
    """Counts read back from the store after a write."""

    nodes: dict[str, int]
    relationships: dict[str, int]
    # constraints the store created before the write, outside it: they stay if it fails
    constraints_created: list[str] = field(default_factory=list, compare=False)

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())


def write(store: Store, statements: list[Statement], *, reset: bool) -> Summary:
    """Write `statements` all or nothing, then count kg's graph as the store holds it."""
    created = store.replace(statements, unique_ids=graph.unique_labels(), reset=reset)
    summary = summarize(store)
    summary.constraints_created = created
    return summary


def write_corpus(store: Store, corpus: Corpus, *, reset: bool) -> Summary:
    return write(store, graph.statements(corpus), reset=reset)


def load(store: Store, seeds_dir: Path, *, reset: bool = False) -> Summary:
    """Validate every seed file first; nothing is written unless all of them pass."""
    return write_corpus(store, load_corpus(seeds_dir), reset=reset)


def summarize(store: Store) -> Summary:
    counts = {
        what: {row[0]: row[1] for row in store.query(cypher, graph.ours_params()).rows}
        for what, cypher in graph.summary_queries()
    }
    return Summary(nodes=counts["nodes"], relationships=counts["relationships"])
