"""Validate the seeds, then write them to a store all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg import cypher, graph, vocab
from kg.heap import cycles_unchecked
from kg.model import Corpus
from kg.stores import Statement, Store
from kg.validate import load_corpus


@dataclass
class Summary:
    """Counts read back from the store after a write."""

    nodes: dict[str, int]  # by label
    relationships: dict[str, int]  # by type, MENTIONS included
    values: dict[str, int] = field(default_factory=dict)  # literal facts, by predicate
    # constraints the store created before the write, outside it: they stay if it fails
    constraints_created: list[str] = field(default_factory=list, compare=False)

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())

    @property
    def articles(self) -> int:
        return self.nodes.get(vocab.ARTICLE_LABEL, 0)

    @property
    def entities(self) -> int:
        return self.total_nodes - self.articles

    @property
    def mentions(self) -> int:
        return self.relationships.get(vocab.MENTIONS, 0)

    @property
    def facts(self) -> int:
        """Facts between entities (relationships) and literal facts (values)."""
        return self.total_relationships - self.mentions + sum(self.values.values())

    def sentence(self) -> str:
        """The counts as the README gives them: entities, articles, facts and mentions."""
        values = sum(self.values.values())
        return (
            f"{self.entities} entities, {self.articles} articles, {self.facts} facts "
            f"({self.facts - values} relationships, {values} values) and "
            f"{self.mentions} mentions"
        )


def write(store: Store, statements: Iterable[Statement], *, reset: bool) -> Summary:
    """Write `statements` all or nothing, then count kg's graph as the store holds it."""
    created = store.replace(statements, unique_ids=graph.unique_labels(), reset=reset)
    summary = summarize(store)
    summary.constraints_created = created
    return summary


def write_corpus(store: Store, corpus: Corpus, *, reset: bool) -> Summary:
    """Write a validated corpus, its statements built as the store writes the ones before."""
    return write(store, graph.stream(corpus), reset=reset)


@cycles_unchecked()
def load(store: Store, seeds_dir: Path, *, reset: bool = False) -> Summary:
    """Validate every seed file first; nothing is written unless all of them pass."""
    return write_corpus(store, load_corpus(seeds_dir), reset=reset)


def summarize(store: Store) -> Summary:
    """Counts of kg's graph per label and relationship type (those present).

    When every node of the database is kg's, every relationship joins two of them and the
    per-type counts come from the store's statistics; otherwise (another application's data
    beside kg's) the relationships are read and counted.
    """
    nodes = {
        label: count
        for label in vocab.node_labels()
        if (count := store.query(cypher.count_nodes(label)).rows[0][0])
    }
    if store.query(cypher.ALL_NODES).rows[0][0] == sum(nodes.values()):
        counts = (
            (t, store.query(cypher.count_relationships(t)).rows[0][0])
            for t in vocab.relationship_types()
        )
        relationships = {rel_type: count for rel_type, count in counts if count}
    else:
        relationships = dict(store.query(cypher.OUR_RELATIONSHIPS, cypher.ours_params()).rows)
    literal = [p.name for p in vocab.PREDICATES.values() if p.is_literal]
    values = {
        predicate: count
        for predicate in literal
        if (count := store.query(cypher.count_values(predicate), cypher.ours_params()).rows[0][0])
    }
    return Summary(
        nodes=dict(sorted(nodes.items())),
        relationships=dict(sorted(relationships.items())),
        values=values,
    )
