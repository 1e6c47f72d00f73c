"""Writing files so that a failure never leaves one half-written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that replaces `path` only when the block succeeds."""
    import tempfile  # here, not at the top: kg --help stays fast

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
