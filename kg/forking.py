"""What a forked helper process does first, so that none outlives the process that forked it."""

from __future__ import annotations

import signal
import sys
from contextlib import suppress

PR_SET_PDEATHSIG = 1  # prctl(2)


def tie_to_parent() -> None:
    """Ignore Ctrl-C (the parent stops its helpers) and, on Linux, have the kernel kill this
    process when its parent dies, even by SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
