"""Export formats, registered by name and imported only when used.

An exporter reads the graph back from the active store (never from the seed
files) and writes it to a binary stream: `export(store, stream, options)`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from kg.errors import InvalidInput
from kg.stores import Store

DEFAULT_BASE = "https://w3id.org/kg-us-morocco/"


@dataclass(frozen=True)
class ExportOptions:
    base: str = DEFAULT_BASE  # IRIs of entities and articles are minted under it
    progress: Callable[[int], None] | None = None  # called with the rows written so far


# format name -> (module, function, what it is)
FORMATS: dict[str, tuple[str, str, str]] = {
    "cypher": ("kg.exporters.cypher", "export", "a Cypher script that recreates the graph"),
}


def exporter(name: str) -> Callable[[Store, BinaryIO, ExportOptions], None]:
    if name not in FORMATS:
        raise InvalidInput(f"unknown export format {name!r} (one of {', '.join(FORMATS)})")
    module, function, _ = FORMATS[name]
    return getattr(importlib.import_module(module), function)
