"""Validate the seeds, then write them to a store all or nothing."""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from kg import cypher, graph, vocab
from kg.errors import ValidationFailed
from kg.forking import fork_helper, stop
from kg.heap import cycles_unchecked
from kg.model import Corpus
from kg.seeds import read_corpus
from kg.stores import Statement, Store
from kg.validate import check_seeds


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


@cycles_unchecked()
def load(store: Store, seeds_dir: Path, *, reset: bool = False) -> Summary:
    """Validate every seed file; nothing is written unless all of them pass.

    The domain's checks (kg.validate) run in a child process while this one builds the
    statements and the store writes them where no reader sees them (FalkorDB's staging
    graph; Neo4j lists them first). The child also finds what the article nodes and the
    mentions need of the texts (it folds and searches them for the checks) and hands it
    over, so that this process never folds a text. The graph replaces the current one only
    once the checks passed; their problems, if any, are raised instead, as `kg validate`
    gives them.
    """
    corpus = read_corpus(seeds_dir)
    with Checks(corpus, seeds_dir) as checks:
        if not _ids_well_formed(corpus):
            checks.verdict()  # ids are sent unchecked (Statement.ids_checked): validated first
        statements = graph.stream(corpus, checks.matched, fresh=reset)  # a reset: CREATE
        return write(store, checks.guarding(statements), reset=reset)


def _ids_well_formed(corpus: Corpus) -> bool:
    """Every node id the statements write matches its pattern, as validation requires."""
    slug, article_id = vocab.SLUG.match, vocab.ARTICLE_ID.match
    return all(map(slug, corpus.entities)) and all(map(article_id, corpus.articles))


class Checks:
    """`kg.validate`'s checks of a corpus, run in a forked child process while the caller
    goes on (where fork is missing, or the child fails, they run in the caller when it
    asks). The child first finds what the statements need of the article texts
    (`kg.graph.matched`) and leaves it in a file the caller reads when it needs it, then
    sends the checks' problems. It ignores Ctrl-C, dies with its parent (Linux), and is
    killed when the block ends early: no process outlives the load."""

    def __init__(self, corpus: Corpus, seeds_dir: Path) -> None:
        self.corpus, self.seeds_dir = corpus, seeds_dir
        self._pid = 0
        self._pipe: BinaryIO | None = None  # the child's messages: True (matched), problems
        self._found: BinaryIO | None = None  # what it matched, written before it says True
        self._matched: graph.Matched | None = None
        self._problems: list[str] | None = None

    def __enter__(self) -> Checks:
        if hasattr(os, "fork"):
            found = self._found = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _stop)
            self._pid, self._pipe = fork_helper(lambda pipe: self._child(pipe, found))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def matched(self) -> graph.Matched:
        """What the statements need of the texts: the child's, or found here if it failed."""
        if self._matched is None:
            if self._receive() is True and self._found is not None:
                self._found.seek(0)
                with suppress(EOFError, ValueError, TypeError):
                    self._matched = marshal.load(self._found)
            if self._matched is None:
                self._stop()
                self._matched = graph.matched(self.corpus)
        return self._matched

    def verdict(self) -> None:
        """Wait for the checks; raise ValidationFailed with their problems, if any."""
        if self._problems is None:
            self._problems = self._collect()
        if self._problems:
            raise ValidationFailed(self._problems)

    def guarding(self, statements: Iterator[Statement]) -> Iterator[Statement]:
        """`statements`, then the verdict: the store cannot swap in the new graph (which it
        does once they are all written) unless the checks passed. A statement that cannot
        be built from seeds that fail the checks raises their problems instead."""
        try:
            yield from statements
        except Exception:
            self.verdict()
            raise
        self.verdict()

    def _receive(self) -> Any:
        """The child's next message; None once it failed or is gone (it is then reaped)."""
        if self._pipe is not None:
            try:
                return marshal.load(self._pipe)
            except (EOFError, ValueError, TypeError):
                self._stop()
        return None

    def _collect(self) -> list[str]:
        if self._matched is None and self._receive() is not True:  # its first message
            self._stop()
        problems = self._receive()
        self._stop()
        if not isinstance(problems, list):  # no child, or it failed: here, as it would
            return check_seeds(self.corpus, self.seeds_dir)
        return problems

    def _child(self, pipe: BinaryIO, found: BinaryIO) -> None:
        """In the child: what the statements need of the texts into `found`, then True and
        the checks' problems on `pipe`."""
        self.corpus.text.fold()  # for both the checks and the statements' needs
        marshal.dump(graph.matched(self.corpus), found)
        found.flush()
        marshal.dump(True, pipe)
        pipe.flush()
        marshal.dump(check_seeds(self.corpus, self.seeds_dir), pipe)

    def _stop(self) -> None:
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._found is not None:
            self._found.close()
            self._found = None
        if self._pid:
            stop(self._pid)
            self._pid = 0


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
