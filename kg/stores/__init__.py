"""The graph store interface and the name -> backend map.

Everything outside this package talks to a `Store`; only the backend modules
import a database client, and only when that backend is opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from kg import vocab
from kg.errors import EXIT_INVALID, InvalidInput, KgError

Params = Mapping[str, Any]
INT64 = range(-(2**63), 2**63)  # the integers both stores hold; neither says so beyond it

DEFAULT_TIMEOUT = 30.0  # seconds a query may run on the embedded store (kg --timeout)
MAX_TIMEOUT = 86400.0


@dataclass(frozen=True)
class Statement:
    """One Cypher statement and its parameters (values never go in the text)."""

    cypher: str
    params: Params = field(default_factory=dict)
    # kg's own load: every id in it was matched whole against the vocabulary's patterns, so
    # the guard against ids FalkorDB cannot index (kg.stores.guards) has nothing to find, and
    # other texts (an article's, which ends with a line break) may start or end with spaces.
    ids_checked: bool = False


@dataclass
class QueryResult:
    """Rows as plain Python values: str, int, float, bool, None, list, dict.

    Nodes come back as dicts of their properties plus `_labels`; relationships
    as dicts of their properties plus `_type`; dates as ISO strings.
    """

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class StoreError(KgError):
    """A store failed or refused a request; the message is fit for a user."""


class QueryError(StoreError):
    """The database refused the statement itself (syntax, unknown function...): a usage error."""

    exit_code = EXIT_INVALID


class ReadOnlyViolation(StoreError):
    """A write was attempted through a read-only query: a usage error."""

    exit_code = EXIT_INVALID


class EmptyGraph(StoreError):
    """A command that reads the graph found none: nothing was loaded (or it was emptied)."""


class Store(Protocol):
    name: str

    def query(
        self, cypher: str, params: Params | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one statement; read-only unless `write`, enforced by the database."""

    def replace(
        self, statements: Iterable[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> list[str]:
        """Apply `statements` all or nothing; return the schema changes made before them.

        `statements` may be a generator, which a store may consume while it writes.

        With `reset` what kg wrote is removed first (`reset_statements()`: nodes of the
        vocabulary's labels that carry an `id`, with their relationships); nodes of other
        labels stay. Without it the statements are merged into the current graph.
        `unique_ids` are the labels whose `id` must be unique (constraint or index created
        first). Readers never see a half-written graph, and a failure or kill leaves the
        previous graph whole. Where the database cannot change its schema inside the load's
        transaction (Neo4j), the constraints are created just before it and stay if the load
        fails: their names are returned, so that the caller can say so.
        """

    def reading(self) -> AbstractContextManager[None]:
        """One snapshot: every query inside the block reads the same graph.

        Commands that read several times (stats, export, show, viz) hold it, so a
        concurrent load is seen entirely or not at all. Not for writes. On Neo4j it is one
        READ transaction, whose isolation is read committed, not a snapshot: a load that
        commits during the block makes it fail (kg.stores.neo4j.GraphChanged) rather than
        read from two graphs.
        """

    def close(self) -> None: ...


def reset_statements() -> list[Statement]:
    """What a reset removes: every node kg wrote (a label of the vocabulary and an `id`),
    with the relationships attached to it. Nodes of other labels, and their relationships
    among themselves, are never touched."""
    from kg.cypher import delete_nodes

    return [Statement(delete_nodes(label)) for label in vocab.node_labels()]


def check_params(params: Params, source: str = "parameter") -> dict[str, Any]:
    """`params`, refused if an integer in them is beyond 64 bits: Neo4j's driver fails on it
    and FalkorDB silently clamps it, so no store may see it."""
    for name, value in params.items():
        if (beyond := _beyond_int64(value)) is not None:
            raise InvalidInput(
                f"{source} ${name}: {beyond} is outside the signed 64-bit integer range "
                f"({INT64.start} to {INT64.stop - 1}) that graph stores hold"
            )
    return dict(params)


def _beyond_int64(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None if value in INT64 else value
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(value, Mapping | list | tuple):
        return next((b for item in items if (b := _beyond_int64(item)) is not None), None)
    return None


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives: Neo4j when a URI is given, else the embedded FalkorDB."""

    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None
    data_dir: Path | None = None
    timeout: float | None = None  # seconds per query on the embedded store


NEO4J_VARIABLES = {
    "uri": "NEO4J_URI",
    "user": "NEO4J_USERNAME",
    "password": "NEO4J_PASSWORD",
    "database": "NEO4J_DATABASE",
}


def with_dotenv(
    config: StoreConfig, path: Path, environ: Mapping[str, str] | None = None
) -> StoreConfig:
    """`config` with the Neo4j settings it lacks taken from the `.env` at `path`.

    Only a variable absent from the environment is read from the file (set it, even empty,
    to ignore the file's value); an option given on the command line always wins.
    """
    environ = os.environ if environ is None else environ
    missing = {
        field: name
        for field, name in NEO4J_VARIABLES.items()
        if getattr(config, field) is None and name not in environ
    }
    if not missing:
        return config
    from kg import dotenv

    found = dotenv.read(path)
    return replace(
        config, **{field: found[name] for field, name in missing.items() if found.get(name)}
    )


def open_store(config: StoreConfig) -> Store:
    """Open the backend the configuration names; the client is imported here, lazily."""
    if config.uri:
        from kg.stores.neo4j import Neo4jStore

        return Neo4jStore(config.uri, config.user, config.password, config.database)
    from kg.stores.falkordb import FalkorDBStore

    return FalkorDBStore(config.data_dir or default_data_dir(), config.timeout)


def parse_timeout(text: str) -> float:
    """A query timeout in seconds, as `--timeout` or KG_TIMEOUT gives it."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= MAX_TIMEOUT:
        raise InvalidInput(
            f"timeout {text!r}: expected seconds, more than 0 and at most {MAX_TIMEOUT:.0f}"
        )
    return seconds


@contextmanager
def connect(config: StoreConfig) -> Iterator[Store]:
    store = open_store(config)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def connect_loaded(config: StoreConfig) -> Iterator[Store]:
    """`connect`, for a reader: an empty graph (nothing loaded yet) is an EmptyGraph error, so
    that no reader blames a name, or prints an empty table, for what is missing."""
    with connect(config) as store:
        require_graph(store)
        yield store


def require_graph(store: Store) -> None:
    """An EmptyGraph error unless the store holds a node of kg's (a database may hold others)."""
    from kg.cypher import ANY_NODE, ours_params

    if not store.query(ANY_NODE, ours_params()).rows:
        raise EmptyGraph(f"the graph is empty — run `kg load` (store: {store.name})")


def default_data_dir() -> Path:
    """The per-user data directory (XDG_DATA_HOME/kg, else ~/.local/share/kg)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg"
