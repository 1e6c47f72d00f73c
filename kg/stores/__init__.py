"""The graph store interface and the name -> backend map.

Everything outside this package talks to a `Store`; only the backend modules
import a database client, and only when that backend is opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kg.errors import EXIT_INVALID, KgError

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Statement:
    """One Cypher statement and its parameters (values never go in the text)."""

    cypher: str
    params: Params = field(default_factory=dict)


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


class Store(Protocol):
    name: str

    def query(
        self, cypher: str, params: Params | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one statement; read-only unless `write`, enforced by the database."""

    def replace(
        self, statements: Sequence[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> None:
        """Apply `statements` all or nothing.

        With `reset` the result replaces the whole graph; without it the statements
        are merged into the current graph. `unique_ids` are the labels whose `id`
        must be unique (constraint or index created first). Readers never see a
        half-written graph, and a failure or kill leaves the previous graph whole.
        """

    def close(self) -> None: ...


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives: Neo4j when a URI is given, else the embedded FalkorDB."""

    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None
    data_dir: Path | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> StoreConfig:
        env = os.environ
        values = {
            "uri": env.get("NEO4J_URI") or None,
            "user": env.get("NEO4J_USERNAME") or None,
            "password": env.get("NEO4J_PASSWORD") or None,
            "database": env.get("NEO4J_DATABASE") or None,
            "data_dir": Path(env["KG_DATA_DIR"]) if env.get("KG_DATA_DIR") else None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def open_store(config: StoreConfig) -> Store:
    """Open the backend the configuration names; the client is imported here, lazily."""
    if config.uri:
        from kg.stores.neo4j import Neo4jStore

        return Neo4jStore(config.uri, config.user, config.password, config.database)
    from kg.stores.falkordb import FalkorDBStore

    return FalkorDBStore(config.data_dir or default_data_dir())


@contextmanager
def connect(config: StoreConfig) -> Iterator[Store]:
    store = open_store(config)
    try:
        yield store
    finally:
        store.close()


def default_data_dir() -> Path:
    """The per-user data directory (XDG_DATA_HOME/kg, else ~/.local/share/kg)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg"
