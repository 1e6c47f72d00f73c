"""The Neo4j store (Neo4j 5, local or Aura), through the official driver.

Reads run in READ access-mode transactions, so the server itself refuses a
write that was not asked for. `reading()` runs all the reads of a command in one
such transaction. Neo4j isolates it at read committed, not as a snapshot: a load
that commits between two of those reads would be seen by the later ones only. So
every load counts itself on one node (`kg.cypher.COUNT_LOAD`) in its transaction,
and `reading()` reads that count before and after the command's reads: when it
changed, the command fails (`GraphChanged`, exit 1) instead of answering from two
graphs. A write asked for (`kg cypher --write`) runs in an auto-commit
transaction, as Neo4j Browser and cypher-shell run it, so that
`CALL { ... } IN TRANSACTIONS` works; it is never retried. Every session of a
store shares the driver's bookmark manager, so a read sees the writes before it
even on a cluster or Aura, where it may be served by another member.

`replace` first creates a uniqueness constraint on `id` for every label (Neo4j
changes its schema only in transactions of their own), then runs the whole load
in ONE write transaction: it commits entirely or rolls back, and readers see the
previous graph until the commit. The transaction is a managed one: the driver
retries it whole on a transient failure (a deadlock with another load, a cluster
leader that changed), within `max_transaction_retry_time`. The constraints it
created stay when the load fails; it returns their names so that the caller can
say so. With `reset`, the transaction first deletes what kg wrote
(`kg.stores.reset_statements()`), never a node of another label, and kg's statements
then CREATE (`kg.graph`). The price of one transaction is that the whole load must fit
in the server's transaction memory (`db.memory.transaction.total.max`); a corpus of
this size is far below it.

A URI holding credentials (`bolt://user:password@host`) is refused, its password
replaced by `***` in the message: the driver takes neither user nor password from
it, and no message of kg ever shows a password.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    GraphDatabase,
    ManagedTransaction,
    Result,
    Transaction,
)
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

from kg import vocab
from kg.cypher import COUNT_LOAD, LOADS, unique_id_constraint, unique_id_constraint_name
from kg.errors import InvalidInput
from kg.stores import (
    Params,
    QueryError,
    QueryResult,
    ReadOnlyViolation,
    Statement,
    StoreError,
    reset_statements,
)

# The driver logs what it then raises; with no logging set up, Python would print it on stderr
# next to the one line our StoreError gives.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

ACCESS_MODE_ERROR = "Neo.ClientError.Statement.AccessMode"
SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


class GraphChanged(StoreError):
    """A load committed while a command read the graph: its reads span two graphs."""


class Neo4jStore:
    """A Neo4j database reached over Bolt (bolt://, neo4j://, neo4j+s://)."""

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> None:
        self.uri = _check_uri(uri)
        self.user = user or "neo4j"
        self.database = database
        self._snapshot: Transaction | None = None  # the read transaction of `reading()`
        auth = None if password is None else (self.user, password)
        try:
            # Short timeouts: an unreachable server fails in seconds, and a managed
            # transaction (a load, a read) is retried for 5 s at most.
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=5,
                connection_acquisition_timeout=10,
                max_transaction_retry_time=5,
            )
        except (ValueError, ConfigurationError) as error:
            raise InvalidInput(f"not a usable Neo4j URI {uri!r}: {error}") from None
        # The one bookmark manager of this store's sessions: each read waits for the writes
        # before it to reach the server that serves it (causal consistency on clusters).
        self._bookmarks = self._driver.execute_query_bookmark_manager
        try:
            self._driver.verify_connectivity()
        except AuthError:
            self._driver.close()
            hint = "" if password is not None else " (no password given: set NEO4J_PASSWORD)"
            raise StoreError(
                f"Neo4j refused the credentials for user {self.user!r}{hint}"
            ) from None
        except (DriverError, Neo4jError, OSError, ValueError) as error:
            self._driver.close()
            raise StoreError(f"cannot reach Neo4j at {uri}: {_one_line(error)}") from None

    def query(
        self, cypher: str, params: Params | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one statement: in a READ transaction (the server refuses writes), or with
        `write` in an auto-commit transaction, which `CALL { } IN TRANSACTIONS` needs."""

        def rows(result: Result) -> QueryResult:
            values = [[_plain(value) for value in record.values()] for record in result]
            return QueryResult(columns=list(result.keys()), rows=values)

        if self._snapshot is not None and not write:
            with self._errors():
                return rows(self._snapshot.run(cypher, dict(params or {})))
        with self._errors(), self._session(WRITE_ACCESS if write else READ_ACCESS) as session:
            if write:
                return rows(session.run(cypher, dict(params or {})))

            def read(tx: ManagedTransaction) -> QueryResult:
                return rows(tx.run(cypher, dict(params or {})))

            return session.execute_read(read)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read inside runs in one READ transaction; a load that commits meanwhile (its
        count of loads changed) makes the block fail with GraphChanged."""
        if self._snapshot is not None:
            yield
            return
        with (
            self._errors(),
            self._session(READ_ACCESS) as session,
            session.begin_transaction() as tx,
        ):
            self._snapshot = tx
            try:
                loads = tx.run(LOADS).single(strict=True).value()
                yield
                if tx.run(LOADS).single(strict=True).value() != loads:
                    raise GraphChanged(
                        "the graph was replaced while this command read it (a load committed "
                        "meanwhile): run the command again"
                    )
            finally:
                self._snapshot = None

    def replace(
        self, statements: Iterable[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> list[str]:
        """Create the id constraints, then apply everything in one transaction (all or nothing).

        Returns the constraints this call created (they stay even if the load fails).
        `statements` are listed first: the driver runs the transaction again on a transient
        error.
        """
        labels = [_check_label(label) for label in unique_ids]
        statements = list(statements)
        with self._errors(), self._session(WRITE_ACCESS) as session:
            created = [
                unique_id_constraint_name(label)
                for label in labels
                if session.run(unique_id_constraint(label)).consume().counters.constraints_added
            ]
            kept = (
                f"\n  (the constraints created before the load stay: {', '.join(created)})"
                if created
                else ""
            )
            work = [Statement(COUNT_LOAD), *(reset_statements() if reset else [])]

            def load(tx: ManagedTransaction) -> None:
                for statement in work:
                    tx.run(statement.cypher, dict(statement.params)).consume()
                for number, statement in enumerate(statements, 1):
                    try:
                        tx.run(statement.cypher, dict(statement.params)).consume()
                    except Neo4jError as error:
                        if error.is_retryable():
                            raise  # the driver runs the whole load again
                        raise StoreError(
                            f"statement {number} of {len(statements)} failed: {error.message}\n"
                            f"  {_excerpt(statement.cypher)}{kept}"
                        ) from None

            session.execute_write(load)
        return created

    def close(self) -> None:
        self._driver.close()

    def _session(self, mode: str) -> Any:
        return self._driver.session(
            database=self.database, default_access_mode=mode, bookmark_manager=self._bookmarks
        )

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Driver errors as StoreError with the server's message; AccessMode as read-only."""
        try:
            yield
        except Neo4jError as error:
            if error.code == ACCESS_MODE_ERROR:
                raise ReadOnlyViolation("read-only: this statement writes to the graph") from None
            if (error.code or "").startswith("Neo.ClientError."):
                raise QueryError(f"Neo4j: {error.message or error}") from None
            raise StoreError(f"Neo4j: {error.message or error}") from None
        except DriverError as error:
            raise StoreError(f"lost Neo4j at {self.uri}: {_one_line(error)}") from None


def _check_uri(uri: str) -> str:
    """`uri` if the driver can use it as meant; else one line that never shows a password."""
    parts = urlsplit(uri)
    if parts.scheme not in SCHEMES or not parts.netloc:
        raise InvalidInput(
            f"not a Neo4j URI: {redact(uri)!r} (expected bolt://, neo4j:// or neo4j+s://)"
        )
    if "@" in parts.netloc:
        raise InvalidInput(
            f"the Neo4j URI {redact(uri)!r} holds credentials: give them as NEO4J_USERNAME "
            "and NEO4J_PASSWORD (or --user and --password) and leave them out of the URI"
        )
    try:
        port = parts.port
    except ValueError:  # beyond 65535, or not a number
        port = 0
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        raise InvalidInput(f"not a usable Neo4j URI {uri!r}: the port must be 1 to 65535")
    return uri


def redact(uri: str) -> str:
    """`uri` with any password in it replaced by `***`: what a message may show."""
    scheme, sep, rest = uri.partition("://")
    userinfo, at, host = rest.partition("@")
    if not sep or not at or "/" in userinfo:
        return uri
    user, colon, _ = userinfo.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}"


def _check_label(label: str) -> str:
    """`label` if it is one of the vocabulary's (the only labels kg makes unique)."""
    try:
        return vocab.check_label(label)
    except ValueError:
        raise StoreError(f"not a valid label for a unique id: {label!r}") from None


def _one_line(error: BaseException) -> str:
    """Driver messages span lines and repeat themselves; a user needs each part once."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(dict.fromkeys(lines)) or type(error).__name__


def _excerpt(cypher: str, width: int = 100) -> str:
    text = " ".join(cypher.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plain(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships as dicts, times as ISO strings."""
    if isinstance(value, Node):
        return {**_plain(dict(value)), "_labels": sorted(value.labels)}
    if isinstance(value, Relationship):
        return {**_plain(dict(value)), "_type": value.type}
    if isinstance(value, Path):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "relationships": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Date | DateTime | Time | Duration):
        return value.iso_format()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # points, bytes: readable, never a driver object
