"""The Redis protocol (RESP2) on a unix socket, as much of it as the embedded store needs.

`import redis` loads redis-py's asyncio client, its cluster support and more, which took as
long as the rest of a `kg query` start (`python -X importtime`); the `falkordb` client
imports it too. The embedded store sends a few commands on one private connection, so it
speaks the protocol itself: a command or a pipeline of them, text replies decoded as UTF-8,
an error reply raised as `ReplyError` (inside an array it stays in place, where FalkorDB
puts a query's run-time error), a command never resent. After a timeout or a lost
connection the next command connects anew, as redis-py does. Replies are parsed by hiredis
(C) when it is installed, else here in Python.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from typing import Any

Command = Sequence[str | int | float | bytes]
_CHUNK = 1 << 16


class RespError(Exception):
    """The server could not be reached, or broke the protocol."""


class Disconnected(RespError):
    """The server closed the connection (as it does on SHUTDOWN) or it was lost."""


class ReplyTimeout(RespError):
    """The server did not answer within the timeout."""


class ReplyError(RespError):
    """The server answered with an error reply (`-ERR ...`): the message is the server's."""


class Connection:
    """One connection to a server listening on a unix socket."""

    def __init__(self, path: str, timeout: float | None, connect_timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._sock: socket.socket | None = None
        self._buffer = bytearray()
        self._pos = 0
        self._reader = _hiredis_reader()

    def execute(self, *args: str | int | float | bytes) -> Any:
        """Send one command and return its reply; an error reply is raised."""
        (reply,) = self.pipeline([args])
        if isinstance(reply, ReplyError):
            raise reply
        return reply

    def pipeline(self, commands: Sequence[Command]) -> list[Any]:
        """Send `commands` at once and read their replies; error replies are returned."""
        self.send(commands)
        try:
            return [self._read() for _ in commands]
        except BaseException:
            self.close()  # a reply half read leaves the connection out of step
            raise

    def send(self, commands: Sequence[Command]) -> None:
        """Send `commands` without waiting for their replies, which `receive` reads in order:
        the server runs one while the caller prepares the next. A caller that gives up before
        reading every reply must `close` (the next command connects anew)."""
        sock = self._connected()
        try:
            try:
                sock.sendall(b"".join(_encode(command) for command in commands))
            except TimeoutError:
                raise ReplyTimeout(f"could not send within {self.timeout:g} s") from None
            except OSError as error:
                raise Disconnected(f"lost the connection: {error.strerror}") from None
        except BaseException:
            self.close()  # a command half sent leaves the connection out of step
            raise

    def receive(self) -> Any:
        """The reply to the oldest command sent and not yet answered; an error reply is
        returned."""
        try:
            return self._read()
        except BaseException:
            self.close()
            raise

    def transaction(self, commands: Sequence[Command]) -> list[Any]:
        """`commands` in one MULTI/EXEC; the first error reply among them is raised."""
        replies = self.pipeline([("MULTI",), *commands, ("EXEC",)])
        for reply in [*replies[:-1], *(replies[-1] or [])]:
            if isinstance(reply, ReplyError):
                raise reply
        if replies[-1] is None:
            raise ReplyError("the transaction was aborted")
        return replies[-1]

    def scan(self, match: str) -> Iterator[str]:
        """Every key matching the glob `match` (SCAN: the server is never blocked)."""
        cursor = "0"
        while True:
            cursor, keys = self.execute("SCAN", cursor, "MATCH", match, "COUNT", 1000)
            yield from keys
            if cursor == "0":
                return

    def info(self, section: str) -> dict[str, str]:
        """One INFO section as a dict of its `key:value` lines."""
        text = self.execute("INFO", section)
        return dict(
            line.split(":", 1) for line in text.splitlines() if ":" in line and line[0] != "#"
        )

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._buffer.clear()
        self._pos = 0
        self._reader = _hiredis_reader()

    def _connected(self) -> socket.socket:
        if self._sock is not None:
            return self._sock
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.connect_timeout)
            sock.connect(self.path)
            sock.settimeout(self.timeout)
        except TimeoutError:
            sock.close()
            raise ReplyTimeout(f"no answer within {self.connect_timeout:g} s") from None
        except OSError as error:
            sock.close()
            raise Disconnected(f"cannot connect to {self.path}: {error.strerror}") from None
        self._sock = sock
        return sock

    # --- replies --------------------------------------------------------------------------

    def _read(self) -> Any:
        if self._reader is not None:
            while (reply := self._reader.gets()) is False:
                self._reader.feed(self._recv())
            return reply
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else self._exact(size).decode()
        if kind == b"*":
            size = int(rest)
            return None if size < 0 else [self._read() for _ in range(size)]
        if kind == b":":
            return int(rest)
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return ReplyError(rest.decode(errors="replace"))
        raise RespError(f"not a reply the protocol allows: {bytes(line[:40])!r}")

    def _line(self) -> bytes:
        while (end := self._buffer.find(b"\r\n", self._pos)) < 0:
            self._fill()
        line = bytes(self._buffer[self._pos : end])
        self._pos = end + 2
        return line

    def _exact(self, size: int) -> bytes:
        while len(self._buffer) - self._pos < size + 2:
            self._fill()
        data = bytes(self._buffer[self._pos : self._pos + size])
        self._pos += size + 2
        return data

    def _fill(self) -> None:
        if self._pos:
            del self._buffer[: self._pos]
            self._pos = 0
        self._buffer += self._recv()

    def _recv(self) -> bytes:
        assert self._sock is not None
        try:
            chunk = self._sock.recv(_CHUNK)
        except TimeoutError:
            raise ReplyTimeout(f"no answer within {self.timeout:g} s") from None
        except OSError as error:
            raise Disconnected(f"lost the connection: {error.strerror}") from None
        if not chunk:
            raise Disconnected("the server closed the connection")
        return chunk


def _hiredis_reader() -> Any:
    try:
        import hiredis
    except ImportError:
        return None
    return hiredis.Reader(encoding="utf-8", replyError=ReplyError, protocolError=RespError)


def _encode(command: Command) -> bytes:
    parts = [b"*%d\r\n" % len(command)]
    for arg in command:
        if isinstance(arg, str):
            data = arg.encode()
        elif isinstance(arg, bytes):
            data = arg
        elif isinstance(arg, int | float) and not isinstance(arg, bool):
            data = repr(arg).encode()
        else:
            raise TypeError(f"not a command argument: {arg!r}")
        parts += (b"$%d\r\n" % len(data), data, b"\r\n")
    return b"".join(parts)
