"""Export formats, registered by name and imported only when used.

An exporter reads the graph back from the active store (never from the seed
files) and writes it to a binary stream: `export(store, stream, options)`. A format of
`VOCABULARY_ONLY` (the Browser style sheet) is made from the vocabulary and gets no store.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from kg.errors import InvalidInput

if TYPE_CHECKING:
    from kg.stores import Store

DEFAULT_BASE = "https://w3id.org/kg-us-morocco/"


@dataclass(frozen=True)
class ExportOptions:
    format: str
    base: str = DEFAULT_BASE  # IRIs of entities and articles are minted under it
    progress: Callable[[int, int], None] | None = None  # called with (nodes done, nodes in all)
    with_text: bool = False  # RDF: each article's whole text (schema:text) beside its quotes

    def __post_init__(self) -> None:
        check_base(self.base)
        if self.with_text and FORMATS.get(self.format, ("",))[0] != RDF_MODULE:
            rdf = ", ".join(name for name, (module, _) in FORMATS.items() if module == RDF_MODULE)
            raise InvalidInput(f"--with-text is for the RDF formats ({rdf}), not {self.format}")


def check_base(base: str) -> None:
    """Refuse a base under which no valid IRI can be minted (a space, no scheme...)."""
    from pyoxigraph import NamedNode

    try:
        NamedNode(base + "entity/x")
    except ValueError as error:
        raise InvalidInput(f"--base {base!r} is not an absolute IRI: {error}") from None


RDF_MODULE = "kg.rdf.export"
# format name -> (module with an `export` function, what the format gives)
FORMATS: dict[str, tuple[str, str]] = {
    "cypher": ("kg.exporters.cypher", "a Cypher script that recreates the graph in Neo4j"),
    "ttl": ("kg.rdf.export", "Turtle: one graph, facts linked to their quotes"),
    "nt": ("kg.rdf.export", "N-Triples: as Turtle, one triple per line"),
    "jsonld": ("kg.rdf.export", "JSON-LD: as Turtle, compacted with an @context"),
    "jsonld-expanded": ("kg.rdf.export", "JSON-LD: as Turtle, in expanded form"),
    "trig": ("kg.rdf.export", "TriG: the ontology, facts and per-article provenance graphs"),
    "nq": ("kg.rdf.export", "N-Quads: as TriG, one quad per line"),
    "grass": ("kg.exporters.grass", "a Neo4j Browser style sheet: kg viz's colours and captions"),
}
# Formats made from the vocabulary alone: the command opens no store for them.
VOCABULARY_ONLY = frozenset({"grass"})


def exporter(name: str) -> Callable[[Store, BinaryIO, ExportOptions], None]:
    """The format's `export`, reading the whole graph from one snapshot of the store."""
    if name not in FORMATS:
        raise InvalidInput(f"unknown export format {name!r} (one of {', '.join(FORMATS)})")
    write = importlib.import_module(FORMATS[name][0]).export
    if name in VOCABULARY_ONLY:  # made from the vocabulary: no store, nothing to snapshot
        return write

    def export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
        with store.reading():
            write(store, stream, options)

    return export
