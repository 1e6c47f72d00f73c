"""Export the active graph as RDF, streamed: read a page of nodes, write its triples, go on.

Turtle, N-Triples and JSON-LD hold one graph; TriG and N-Quads put each article's facts in a
named graph (see `kg.rdf` for the shape). Serialization is pyoxigraph's streaming writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg import readback, vocab
from kg.exporters import ExportOptions
from kg.rdf import (
    ALT_LABEL,
    CLASS_OF,
    DATE_MENTIONED,
    DERIVED_FROM,
    HEADLINE,
    IDENTIFIER,
    IN_LANGUAGE,
    KIND,
    LABEL,
    MENTIONS,
    NEWS_ARTICLE,
    NOTE,
    OBJECT,
    OUTLET,
    PREDICATE,
    PREDICATE_IRI,
    PREF_LABEL,
    PROV_ENTITY,
    QUALIFIER_IRI,
    QUOTE,
    QUOTED_FROM,
    SHA256,
    STATEMENT,
    SUBJECT,
    TITLE,
    TYPE,
    VALUE,
    XSD,
    Iris,
    date_datatype,
    ontology,
)
from kg.stores import Store

Term = NamedNode | Literal
Quad4 = tuple[NamedNode, NamedNode, Any, NamedNode | None]  # graph None: the default graph

FORMATS = {
    "ttl": (RdfFormat.TURTLE, False),
    "nt": (RdfFormat.N_TRIPLES, False),
    "jsonld": (RdfFormat.JSON_LD, False),
    "trig": (RdfFormat.TRIG, True),
    "nq": (RdfFormat.N_QUADS, True),
}


def value_literal(predicate: str, value: Any) -> Literal:
    """A literal fact's value, typed by its predicate's datatype."""
    datatype = vocab.PREDICATES[predicate].datatype
    if datatype == "date":
        return Literal(value, datatype=NamedNode(date_datatype(value)))
    if datatype == "integer":
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))
    return Literal(value)


def qualifier_term(iris: Iris, name: str, value: str) -> Term:
    kind = vocab.QUALIFIERS[name].value
    if kind == "entity":
        return NamedNode(iris.entity(value))
    if kind == "date":
        return Literal(value, datatype=NamedNode(date_datatype(value)))
    return Literal(value)


class Writer:
    """Turns store nodes and relationships into quads under one set of IRIs."""

    def __init__(self, iris: Iris, named_graphs: bool) -> None:
        self.iris = iris
        self.named_graphs = named_graphs

    def entity(self, node: readback.Node) -> Iterator[Quad4]:
        props = node.props
        me = NamedNode(self.iris.entity(node.id))
        yield me, NamedNode(TYPE), NamedNode(CLASS_OF[node.label]), None
        yield me, NamedNode(IDENTIFIER), Literal(node.id), None
        yield me, NamedNode(LABEL), Literal(props["name"]), None
        yield me, NamedNode(PREF_LABEL), Literal(props["label_fr"], language="fr"), None
        yield me, NamedNode(PREF_LABEL), Literal(props["label_en"], language="en"), None
        for alias in props.get("aliases", []):
            yield me, NamedNode(ALT_LABEL), Literal(alias), None
        for title in props.get("titles", []):
            yield me, NamedNode(TITLE), Literal(title), None
        if "kind" in props:
            yield me, NamedNode(KIND), Literal(props["kind"]), None
        if "note" in props:
            yield me, NamedNode(NOTE), Literal(props["note"]), None
        for name, predicate in vocab.PREDICATES.items():
            if predicate.is_literal and name in props:
                yield from self.fact(
                    props[f"{name}_fact"],
                    me,
                    name,
                    value_literal(name, props[name]),
                    {q: props[f"{name}_{q}"] for q in vocab.QUALIFIERS if f"{name}_{q}" in props},
                    props[f"{name}_articles"],
                    props[f"{name}_quotes"],
                )

    def article(self, node: readback.Node) -> Iterator[Quad4]:
        props = node.props
        me = NamedNode(self.iris.article(node.id))
        yield me, NamedNode(TYPE), NamedNode(NEWS_ARTICLE), None
        yield me, NamedNode(TYPE), NamedNode(PROV_ENTITY), None
        yield me, NamedNode(IDENTIFIER), Literal(node.id), None
        if "headline" in props:
            yield me, NamedNode(HEADLINE), Literal(props["headline"]), None
        if "outlet" in props:
            yield me, NamedNode(OUTLET), Literal(props["outlet"]), None
        for language in props.get("languages", []):
            yield me, NamedNode(IN_LANGUAGE), Literal(language), None
        for date in props.get("dates", []):
            yield (
                me,
                NamedNode(DATE_MENTIONED),
                Literal(date, datatype=NamedNode(date_datatype(date))),
                None,
            )
        yield me, NamedNode(SHA256), Literal(props["sha256"]), None

    def relationship(self, rel: readback.Relationship) -> Iterator[Quad4]:
        if rel.type == vocab.MENTIONS:
            yield (
                NamedNode(self.iris.article(rel.subject)),
                NamedNode(MENTIONS),
                NamedNode(self.iris.entity(rel.object)),
                None,
            )
            return
        props = rel.props
        yield from self.fact(
            props["id"],
            NamedNode(self.iris.entity(rel.subject)),
            rel.type.lower(),
            NamedNode(self.iris.entity(rel.object)),
            {q: props[q] for q in vocab.QUALIFIERS if q in props},
            props["articles"],
            props["quotes"],
        )

    def fact(
        self,
        fact_id: str,
        subject: NamedNode,
        predicate: str,
        obj: Term,
        qualifiers: dict[str, str],
        articles: list[str],
        quotes: list[str],
    ) -> Iterator[Quad4]:
        """The plain triple, its statement resource and one quote per source.

        With named graphs, each article's graph gets the triple, the statement and that
        article's quotes; otherwise they are written once.
        """
        me = NamedNode(self.iris.fact(fact_id))
        predicate_iri = NamedNode(PREDICATE_IRI[predicate])
        statement = [
            (subject, predicate_iri, obj),
            (me, NamedNode(TYPE), NamedNode(STATEMENT)),
            (me, NamedNode(TYPE), NamedNode(PROV_ENTITY)),
            (me, NamedNode(IDENTIFIER), Literal(fact_id)),
            (me, NamedNode(SUBJECT), subject),
            (me, NamedNode(PREDICATE), predicate_iri),
            (me, NamedNode(OBJECT), obj),
            *(
                (me, NamedNode(QUALIFIER_IRI[name]), qualifier_term(self.iris, name, value))
                for name, value in qualifiers.items()
            ),
        ]
        sources = list(zip(articles, quotes, strict=True))
        graphs = dict.fromkeys(articles) if self.named_graphs else {None: None}
        for article in graphs:
            graph = NamedNode(self.iris.article(article)) if article else None
            for s, p, o in statement:
                yield s, p, o, graph
            for source_article, quote in sources:
                if article and source_article != article:
                    continue
                source = NamedNode(self.iris.source(fact_id, source_article, quote))
                yield me, NamedNode(DERIVED_FROM), source, graph
                yield source, NamedNode(TYPE), NamedNode(QUOTE), graph
                yield source, NamedNode(TYPE), NamedNode(PROV_ENTITY), graph
                yield source, NamedNode(VALUE), Literal(quote), graph
                yield (
                    source,
                    NamedNode(QUOTED_FROM),
                    NamedNode(self.iris.article(source_article)),
                    graph,
                )


def quads(store: Store, options: ExportOptions, named_graphs: bool) -> Iterator[Quad4]:
    """The ontology, then every node with the relationships going out of it, page by page."""
    writer = Writer(Iris(options.base), named_graphs)
    for s, p, o in ontology.triples():
        yield s, p, o, None
    total = readback.count_nodes(store) if options.progress else 0
    done = 0
    for page in readback.node_pages(store):
        describe = writer.article if page[0].label == vocab.ARTICLE_LABEL else writer.entity
        for node in page:
            yield from describe(node)
        for rel in readback.relationships_from(store, page):
            yield from writer.relationship(rel)
        done += len(page)
        if options.progress:
            options.progress(done, total)


def export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
    rdf_format, named_graphs = FORMATS[options.format]
    rows = quads(store, options, named_graphs)
    if named_graphs:
        items = (Quad(s, p, o, g if g is not None else DefaultGraph()) for s, p, o, g in rows)
    else:
        items = (Triple(s, p, o) for s, p, o, _ in rows)
    prefixes = None if rdf_format == RdfFormat.N_TRIPLES else Iris(options.base).prefixes()
    serialize(items, stream, rdf_format, prefixes=prefixes)
