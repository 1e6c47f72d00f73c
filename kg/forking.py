"""Forked helper processes that never outlive the process that forked them."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from contextlib import suppress
from typing import BinaryIO

PR_SET_PDEATHSIG = 1  # prctl(2)


def fork_helper(work: Callable[[BinaryIO], None]) -> tuple[int, BinaryIO]:
    """Fork a process that runs `work` on the write end of a pipe, then exits; return its
    pid and the read end. The helper ignores Ctrl-C (the parent stops it with `stop`), dies
    with its parent on Linux, even by SIGKILL, and runs nothing of the parent's (its store,
    its exit handlers) on the way out."""
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _tie_to_parent()
            if os.getppid() == parent:  # else the parent died before prctl: exit
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    work(pipe)
                code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, os.fdopen(read, "rb")


def stop(pid: int) -> None:
    """Kill the helper `pid` if it still runs, and reap it."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _tie_to_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
