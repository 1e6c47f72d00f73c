"""Writing files so that a failure never leaves one half-written.

An output path that cannot name a file (an existing directory, or under a file) is the
user's mistake: exit 2. Anything the file system refuses or fails while the file is created,
written or renamed (no such directory it may create, permissions, a full disk, /proc) is a
runtime failure: exit 1. Either way, one line and no file changed.

The temporary file is private (mode 0600) while it is written; the output then gets the mode
a new file would get from the user's umask (0644 by default), or keeps the mode of the file
it replaces.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kg.errors import InvalidInput, KgError

PACKAGED = Path(__file__).resolve().parent / "data"  # what a wheel ships (pyproject.toml)
CHECKOUT = Path(__file__).resolve().parent.parent  # the repository, for an editable install


def default_dir(name: str) -> Path:
    """`./<name>` (seeds, cypher) when present; else the copy shipped in the package; else the
    repository's own, beside the package. The first that is a directory wins."""
    for candidate in (Path.cwd() / name, PACKAGED / name, CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    return Path.cwd() / name  # none: the error names the one a user would create


class OutputFailed(KgError):
    """The file system refused or failed to write an output file (exit 1)."""


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that replaces `path` only when the block succeeds."""
    import tempfile  # here, not at the top: kg --help stays fast

    check_output_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise OutputFailed(f"cannot write {path}: {_reason(error)}") from error
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fchmod(stream.fileno(), _mode_for(path))
        os.replace(temp, path)
    except BaseException as error:
        os.unlink(temp)
        if isinstance(error, OSError):
            raise OutputFailed(f"cannot write {path}: {_reason(error)}") from error
        raise


def check_output_path(path: Path) -> None:
    """Refuse, before any work, a path that cannot name an output file."""
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InvalidInput(f"{path}: {parent} is not a directory")
            break


def _mode_for(path: Path) -> int:
    """The mode of the file `path` replaces, else what the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
