"""Export the active graph as RDF, streamed: read a page of nodes, write its triples, go on.

Every triple goes to exactly one named graph (see `kg.rdf` for the layout). Turtle, N-Triples
and JSON-LD write their union; N-Quads writes the quads as they come; TriG, which opens each
graph once, gathers them in a temporary on-disk store first. Serialization is pyoxigraph's.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from kg import readback, vocab
from kg.exporters import ExportOptions
from kg.rdf import (
    ALT_LABEL,
    CLASS_OF,
    CONTENT_LANGUAGE,
    CURATOR_LANGUAGE,
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    DATE_MENTIONED,
    DCAT,
    DCTERMS,
    DERIVED_FROM,
    HEADLINE,
    IDENTIFIER,
    IN_LANGUAGE,
    KIND,
    KIND_CLASS,
    KIND_IRI,
    LABEL,
    MENTIONS,
    MODALITY_IRI,
    NAME,
    NEWS_ARTICLE,
    NOTE,
    OBJECT,
    ONTOLOGY,
    ONTOLOGY_VERSION,
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
    VOCABULARIES,
    VOID,
    WEEKDAY_LANGUAGE,
    XSD,
    Iris,
    date_datatype,
    ontology,
)
from kg.stores import Store

Term = NamedNode | Literal
SPILL_EVERY = 20_000  # quads between two writes of the provenance graphs set aside (TriG)
Quad4 = tuple[NamedNode, NamedNode, Any, NamedNode]

FORMATS = {
    "ttl": (RdfFormat.TURTLE, False),
    "nt": (RdfFormat.N_TRIPLES, False),
    "jsonld": (RdfFormat.JSON_LD, False),  # compacted, by `write_compact_jsonld`
    "jsonld-expanded": (RdfFormat.JSON_LD, False),
    "trig": (RdfFormat.TRIG, True),
    "nq": (RdfFormat.N_QUADS, True),
}


def value_literal(predicate: str, value: Any, language: str) -> Literal:
    """A literal fact's value, typed by its predicate's datatype; a text in `language`."""
    datatype = vocab.PREDICATES[predicate].datatype
    if datatype == "date":
        return Literal(value, datatype=NamedNode(date_datatype(value)))
    if datatype == "integer":
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))
    return Literal(value, language=WEEKDAY_LANGUAGE if predicate == "weekday" else language)


def qualifier_term(iris: Iris, name: str, value: str, language: str) -> Term:
    """A qualifier's value: an entity, a date, a modality's concept, or a text (a role in its
    article's `language`, a curator's note or reason in English)."""
    kind = vocab.QUALIFIERS[name].value
    if kind == "entity":
        return NamedNode(iris.entity(value))
    if kind == "date":
        return Literal(value, datatype=NamedNode(date_datatype(value)))
    if kind == "modality":
        return NamedNode(MODALITY_IRI[value])
    return Literal(value, language=language if name == "role" else CURATOR_LANGUAGE)


def asserted(qualifiers: dict[str, str]) -> bool:
    """Whether a fact is the article's own statement of what happened or holds: modality
    `actual` and no `stated_by`. Only those are written as plain triples."""
    return qualifiers.get("modality") == vocab.ACTUAL and "stated_by" not in qualifiers


class Writer:
    """Turns store nodes and relationships into quads under one set of IRIs, each triple in
    one graph, none twice."""

    def __init__(self, iris: Iris, languages: dict[str, str]) -> None:
        self.iris = iris
        self.languages = languages  # article id -> the language of its text
        self.facts = NamedNode(iris.graph("facts"))
        self.quotes_written: set[str] = set()  # a quote is shared by the facts it supports
        self.last_plain: tuple[Any, ...] | None = None  # two facts may state one triple

    def entity(self, node: readback.Node) -> Iterator[Quad4]:
        props, g = node.props, self.facts
        me = NamedNode(self.iris.entity(node.id))
        yield me, NamedNode(TYPE), NamedNode(CLASS_OF[node.label]), g
        if props.get("kind") in KIND_CLASS:  # schema:City, schema:GovernmentOrganization...
            yield me, NamedNode(TYPE), NamedNode(KIND_CLASS[props["kind"]]), g
        yield me, NamedNode(IDENTIFIER), Literal(node.id), g
        yield me, NamedNode(NAME), Literal(props["name"], language=CONTENT_LANGUAGE), g
        for language in ("fr", "en"):
            label = Literal(props[f"label_{language}"], language=language)
            yield me, NamedNode(LABEL), label, g
            yield me, NamedNode(PREF_LABEL), label, g
        for alias in dict.fromkeys(props.get("aliases", [])):
            yield me, NamedNode(ALT_LABEL), Literal(alias, language=CONTENT_LANGUAGE), g
        for title in dict.fromkeys(props.get("titles", [])):
            yield me, NamedNode(TITLE), Literal(title, language=CONTENT_LANGUAGE), g
        if "kind" in props:
            yield me, NamedNode(KIND), NamedNode(KIND_IRI[props["kind"]]), g
        if "note" in props:
            yield me, NamedNode(NOTE), Literal(props["note"], language=CURATOR_LANGUAGE), g
        for name, predicate in vocab.PREDICATES.items():
            if predicate.is_literal and name in props:
                yield from self.fact(
                    props[f"{name}_fact"],
                    me,
                    name,
                    value_literal(name, props[name], self.language(props[f"{name}_articles"])),
                    {q: props[f"{name}_{q}"] for q in vocab.QUALIFIERS if f"{name}_{q}" in props},
                    props[f"{name}_articles"],
                    props[f"{name}_quotes"],
                )

    def language(self, articles: list[str]) -> str:
        """The language of the text quoted from the first of `articles`."""
        return self.languages.get(articles[0], CONTENT_LANGUAGE) if articles else CONTENT_LANGUAGE

    def article(self, node: readback.Node) -> Iterator[Quad4]:
        props = node.props
        me = NamedNode(self.iris.article(node.id))
        g = NamedNode(self.iris.provenance(node.id))
        yield me, NamedNode(TYPE), NamedNode(NEWS_ARTICLE), g
        yield me, NamedNode(TYPE), NamedNode(PROV_ENTITY), g
        yield me, NamedNode(IDENTIFIER), Literal(node.id), g
        if "headline" in props:
            headline = Literal(props["headline"], language=self.language([node.id]))
            yield me, NamedNode(HEADLINE), headline, g
        if "outlet" in props:
            yield me, NamedNode(OUTLET), Literal(props["outlet"]), g
        for language in props.get("languages", []):
            yield me, NamedNode(IN_LANGUAGE), Literal(language), g
        for date in props.get("dates", []):
            yield (
                me,
                NamedNode(DATE_MENTIONED),
                Literal(date, datatype=NamedNode(date_datatype(date))),
                g,
            )
        yield me, NamedNode(SHA256), Literal(props["sha256"]), g

    def relationship(self, rel: readback.Relationship) -> Iterator[Quad4]:
        if rel.type == vocab.MENTIONS:
            yield (
                NamedNode(self.iris.article(rel.subject)),
                NamedNode(MENTIONS),
                NamedNode(self.iris.entity(rel.object)),
                NamedNode(self.iris.provenance(rel.subject)),
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
        """The statement (and the plain triple if the fact is asserted) in the facts graph;
        each quote and the link to it in its article's provenance graph."""
        g = self.facts
        me = NamedNode(self.iris.fact(fact_id))
        predicate_iri = NamedNode(PREDICATE_IRI[predicate])
        if asserted(qualifiers) and (subject, predicate_iri, obj) != self.last_plain:
            self.last_plain = (subject, predicate_iri, obj)
            yield subject, predicate_iri, obj, g
        yield me, NamedNode(TYPE), NamedNode(STATEMENT), g
        yield me, NamedNode(TYPE), NamedNode(PROV_ENTITY), g
        yield me, NamedNode(IDENTIFIER), Literal(fact_id), g
        yield me, NamedNode(SUBJECT), subject, g
        yield me, NamedNode(PREDICATE), predicate_iri, g
        yield me, NamedNode(OBJECT), obj, g
        language = self.language(articles)
        for name, value in qualifiers.items():
            term = qualifier_term(self.iris, name, value, language)
            yield me, NamedNode(QUALIFIER_IRI[name]), term, g
        for article, text in dict.fromkeys(zip(articles, quotes, strict=True)):
            quote = self.iris.quote(article, text)
            provenance = NamedNode(self.iris.provenance(article))
            yield me, NamedNode(DERIVED_FROM), NamedNode(quote), provenance
            if quote not in self.quotes_written:
                self.quotes_written.add(quote)
                node = NamedNode(quote)
                yield node, NamedNode(TYPE), NamedNode(QUOTE), provenance
                yield node, NamedNode(TYPE), NamedNode(PROV_ENTITY), provenance
                value = Literal(text, language=self.language([article]))
                yield node, NamedNode(VALUE), value, provenance
                yield (
                    node,
                    NamedNode(QUOTED_FROM),
                    NamedNode(self.iris.article(article)),
                    provenance,
                )


def quads(store: Store, options: ExportOptions) -> Iterator[Quad4]:
    """The ontology, every node with the relationships going out of it, page by page, and last
    the description of the dump, with the counts of what came before it."""
    iris = Iris(options.base)
    counts: Counter[NamedNode] = Counter()
    for quad in content(store, options, iris):
        counts[quad[3]] += 1
        yield quad
    yield from description(iris, counts)


def description(iris: Iris, counts: Counter[NamedNode]) -> Iterator[Quad4]:
    """A VoID and DCAT description of the dump in its own graph: the dataset, its version, what
    it uses, and each named graph as a subset, with triple counts that match the file (the
    description's own triples included)."""
    g = NamedNode(iris.graph("dataset"))
    me = NamedNode(iris.graph("dataset") + "#dataset")
    about: list[tuple[NamedNode, NamedNode, Any]] = [
        (me, NamedNode(TYPE), NamedNode(VOID + "Dataset")),
        (me, NamedNode(TYPE), NamedNode(DCAT + "Dataset")),
        (me, NamedNode(DCTERMS + "title"), Literal(DATASET_TITLE, language="en")),
        (me, NamedNode(DCTERMS + "description"), Literal(DATASET_DESCRIPTION, language="en")),
        (me, NamedNode(DCAT + "version"), Literal(ONTOLOGY_VERSION)),
        (me, NamedNode(VOID + "uriSpace"), Literal(iris.entity(""))),
        (me, NamedNode(VOID + "exampleResource"), NamedNode(iris.entity("mark-esper"))),
        (me, NamedNode(DCTERMS + "conformsTo"), NamedNode(ONTOLOGY)),
        *((me, NamedNode(VOID + "vocabulary"), NamedNode(ns)) for ns in VOCABULARIES),
    ]
    subsets = sorted(counts, key=lambda graph: graph.value)
    for graph in subsets:
        about += [
            (me, NamedNode(VOID + "subset"), graph),
            (graph, NamedNode(TYPE), NamedNode(VOID + "Dataset")),
            (graph, NamedNode(VOID + "triples"), _integer(counts[graph])),
        ]
    own = len(about) + 4  # with the four triples below, which give the counts
    about.append((me, NamedNode(VOID + "triples"), _integer(sum(counts.values()) + own)))
    about.append((me, NamedNode(VOID + "subset"), g))
    about.append((g, NamedNode(VOID + "triples"), _integer(own)))
    about.append((g, NamedNode(TYPE), NamedNode(VOID + "Dataset")))
    for s, p, o in about:
        yield s, p, o, g


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def content(store: Store, options: ExportOptions, iris: Iris) -> Iterator[Quad4]:
    """The ontology, then every node with the relationships going out of it, page by page."""
    writer = Writer(iris, readback.article_languages(store))
    ontology_graph = NamedNode(iris.graph("ontology"))
    for s, p, o in ontology.triples():
        yield s, p, o, ontology_graph
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


def grouped(rows: Iterator[Quad4], streamed: set[NamedNode], spill: Path) -> Iterator[Quad]:
    """The quads with each graph's together: the `streamed` graphs as they come, every other
    (an article's provenance) set aside in a file of its own, in order, and read back last."""
    files: dict[NamedNode, Path] = {}
    waiting: dict[NamedNode, list[Quad]] = defaultdict(list)

    def flush() -> None:
        for graph, items in waiting.items():
            path = files.setdefault(graph, spill / f"{len(files)}.nq")
            with path.open("ab") as file:
                serialize(items, file, RdfFormat.N_QUADS)
        waiting.clear()

    for count, (s, p, o, g) in enumerate(rows):
        if g in streamed:
            yield Quad(s, p, o, g)
            continue
        waiting[g].append(Quad(s, p, o, g))
        if count % SPILL_EVERY == 0:
            flush()
    flush()
    for graph in sorted(files, key=lambda g: g.value):
        yield from parse(path=str(files[graph]), format=RdfFormat.N_QUADS)


def write_compact_jsonld(triples: Iterator[Triple], stream: BinaryIO, prefixes: dict) -> None:
    """Compacted JSON-LD, streamed: an `@context` of the dump's prefixes, then one node object
    per line for each run of triples about one subject (a subject met again gets another
    node object with the same `@id`, which JSON-LD merges)."""
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def compact(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def node_id(term: Any) -> str:
        return compact(term.value) if isinstance(term, NamedNode) else f"_:{term.value}"

    def value(term: Any) -> Any:
        if not isinstance(term, Literal):
            return {"@id": node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD + "string":
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    def write(subject: Any, properties: dict[str, list]) -> None:
        node: dict[str, Any] = {"@id": node_id(subject)}
        for key, values in properties.items():
            node[key] = values[0] if len(values) == 1 else values
        stream.write(separator + json.dumps(node, ensure_ascii=False).encode())

    context = json.dumps({"@context": dict(sorted(prefixes.items()))}, indent=2)
    stream.write(context[: context.rindex("}")].rstrip().encode() + b',\n  "@graph": [\n')
    separator, subject, properties = b"    ", None, {}
    for triple in triples:
        if triple.subject != subject:
            if subject is not None:
                write(subject, properties)
                separator = b",\n    "
            subject, properties = triple.subject, {}
        if triple.predicate.value == TYPE:
            properties.setdefault("@type", []).append(compact(triple.object.value))
        else:
            properties.setdefault(compact(triple.predicate.value), []).append(value(triple.object))
    if subject is not None:
        write(subject, properties)
    stream.write(b"\n  ]\n}\n")


def export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
    rdf_format, named_graphs = FORMATS[options.format]
    rows = quads(store, options)
    prefixes = None if rdf_format == RdfFormat.N_TRIPLES else Iris(options.base).prefixes()
    if options.format == "jsonld":
        write_compact_jsonld((Triple(s, p, o) for s, p, o, _ in rows), stream, prefixes or {})
    elif not named_graphs:
        serialize((Triple(s, p, o) for s, p, o, _ in rows), stream, rdf_format, prefixes=prefixes)
    elif rdf_format == RdfFormat.N_QUADS:
        serialize((Quad(s, p, o, g) for s, p, o, g in rows), stream, rdf_format)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-trig-") as spill:
            iris = Iris(options.base)
            streamed = {NamedNode(iris.graph(name)) for name in ("ontology", "facts", "dataset")}
            serialize(grouped(rows, streamed, Path(spill)), stream, rdf_format, prefixes=prefixes)
