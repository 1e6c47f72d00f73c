"""SHACL shapes for the dump, derived from the vocabulary, and validation with pyshacl.

The shapes say: every entity has one identifier, one schema:name and a skos:prefLabel in French
and English; each predicate's subjects and objects have the types its domain and range allow;
every statement has its subject, predicate, object and at least one quote; every quote has its
text and its article; and every plain fact triple is backed by a statement with a quote.

`kg/rdf/shapes.ttl` is this module's output, shipped for other SHACL engines
(`python -m kg.rdf.shacl > kg/rdf/shapes.ttl`; a test keeps it in step).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg import vocab
from kg.rdf import (
    CLASS_OF,
    DATATYPES,
    DATE_TYPES,
    DERIVED_FROM,
    IDENTIFIER,
    LANG_STRING,
    MODALITY_IRI,
    NAME,
    NEWS_ARTICLE,
    OBJECT,
    ONTOLOGY,
    PREDICATE,
    PREDICATE_IRI,
    PREF_LABEL,
    PREFIXES,
    QUALIFIER_IRI,
    QUOTE,
    QUOTED_FROM,
    SH,
    SHA256,
    STATEMENT,
    SUBJECT,
    VALUE,
    XSD,
)

if TYPE_CHECKING:
    from rdflib import Graph

SHAPES = ONTOLOGY + "/shapes#"  # dump-wide constraints focus on the ontology's IRI


def shapes() -> Graph:
    """The shapes graph, built from the vocabulary."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.collection import Collection

    sh = Namespace(SH)
    g = Graph()
    for prefix, namespace in {**PREFIXES, "sh": SH, "shape": SHAPES}.items():
        g.bind(prefix, namespace)

    def node_shape(name: str) -> URIRef:
        shape = URIRef(SHAPES + name)
        g.add((shape, URIRef(PREFIXES["rdf"] + "type"), sh.NodeShape))
        return shape

    def listed(items: list) -> BNode:
        head = BNode()
        Collection(g, head, items)
        return head

    def prop(shape: URIRef, path: str, **constraints: object) -> BNode:
        node = BNode()
        g.add((shape, sh.property, node))
        g.add((node, sh.path, URIRef(path)))
        for name, value in constraints.items():
            g.add((node, sh[name], value))
        return node

    def one_of_classes(node: BNode | URIRef, labels: tuple[str, ...]) -> None:
        classes = [URIRef(CLASS_OF[label]) for label in labels]
        if len(classes) == 1:
            g.add((node, sh["class"], classes[0]))
            return
        alternatives = []
        for cls in classes:
            alternative = BNode()
            g.add((alternative, sh["class"], cls))
            alternatives.append(alternative)
        g.add((node, sh["or"], listed(alternatives)))

    one = {"minCount": Literal(1), "maxCount": Literal(1)}
    for label, cls in CLASS_OF.items():
        shape = node_shape(label)
        g.add((shape, sh.targetClass, URIRef(cls)))
        prop(shape, IDENTIFIER, datatype=URIRef(XSD + "string"), **one)
        prop(shape, NAME, datatype=URIRef(LANG_STRING), **one)
        prefs = prop(shape, PREF_LABEL, minCount=Literal(2), uniqueLang=Literal(True))
        g.add((prefs, sh.languageIn, listed([Literal("fr"), Literal("en")])))

    article = node_shape("Article")
    g.add((article, sh.targetClass, URIRef(NEWS_ARTICLE)))
    prop(article, IDENTIFIER, **one)
    prop(article, SHA256, **one)

    statement = node_shape("Statement")
    g.add((statement, sh.targetClass, URIRef(STATEMENT)))
    prop(statement, IDENTIFIER, **one)
    prop(statement, SUBJECT, nodeKind=sh.IRI, **one)
    prop(statement, OBJECT, **one)
    predicates = listed([URIRef(iri) for iri in PREDICATE_IRI.values()])
    prop(statement, PREDICATE, **one, **{"in": predicates})
    prop(statement, DERIVED_FROM, minCount=Literal(1), **{"class": URIRef(QUOTE)})
    for name, qualifier in vocab.QUALIFIERS.items():
        if qualifier.value == "modality":
            modalities = listed([URIRef(iri) for iri in MODALITY_IRI.values()])
            prop(statement, QUALIFIER_IRI[name], **one, **{"in": modalities})
        elif qualifier.value == "entity":
            prop(statement, QUALIFIER_IRI[name], nodeKind=sh.IRI, maxCount=Literal(1))
        else:
            prop(statement, QUALIFIER_IRI[name], nodeKind=sh.Literal, maxCount=Literal(1))

    quote = node_shape("Quote")
    g.add((quote, sh.targetClass, URIRef(QUOTE)))
    prop(quote, VALUE, datatype=URIRef(LANG_STRING), minLength=Literal(1), **one)
    prop(quote, QUOTED_FROM, **{"class": URIRef(NEWS_ARTICLE)}, **one)

    for name, predicate in vocab.PREDICATES.items():
        iri = PREDICATE_IRI[name]
        shape = node_shape(f"{name}")
        g.add((shape, sh.targetSubjectsOf, URIRef(iri)))
        one_of_classes(shape, predicate.domain)
        values = prop(shape, iri)
        if predicate.datatype == "date":
            dates = []
            for datatype in DATE_TYPES.values():
                alternative = BNode()
                g.add((alternative, sh.datatype, URIRef(datatype)))
                dates.append(alternative)
            g.add((values, sh["or"], listed(dates)))
        elif predicate.datatype is not None:
            g.add((values, sh.datatype, URIRef(DATATYPES[predicate.datatype])))
        else:
            one_of_classes(values, predicate.range)
        # One query per predicate over the whole dump (a focus node each would be quadratic).
        backed, constraint = node_shape(f"{name}-quoted"), BNode()
        g.add((backed, sh.targetNode, URIRef(ONTOLOGY)))
        g.add((backed, sh.sparql, constraint))
        message = f"a {name} triple of {{?subject}} has no statement with a quote"
        g.add((constraint, sh.message, Literal(message)))
        g.add((constraint, sh.select, Literal(_unbacked_query(iri))))
    return g


def _unbacked_query(predicate_iri: str) -> str:
    """SHACL-SPARQL: triples of `predicate_iri` in the dump that no quoted statement backs.

    Triples and quoted statements are grouped together (a hash join): FILTER NOT EXISTS
    would run once per triple in rdflib (quadratic), and SHACL forbids MINUS.
    """
    return (
        f"PREFIX rdf: <{PREFIXES['rdf']}>\nPREFIX prov: <{PREFIXES['prov']}>\n"
        f"SELECT $this ?subject ?value WHERE {{\n"
        f"  {{ ?subject <{predicate_iri}> ?value . BIND(0 AS ?quoted) }}\n"
        f"  UNION {{\n"
        f"    ?statement rdf:subject ?subject ; rdf:predicate <{predicate_iri}> ; "
        f"rdf:object ?value ; prov:wasDerivedFrom ?quote .\n"
        f"    BIND(1 AS ?quoted)\n"
        f"  }}\n"
        f"}} GROUP BY $this ?subject ?value HAVING (MAX(?quoted) = 0)"
    )


@dataclass
class Report:
    conforms: bool
    violations: list[str]  # one line each: focus node, path, message


def read_union(path: Path, rdf_format: str | None = None) -> Graph:
    """A dump as one rdflib graph, its named graphs merged (parsed by pyoxigraph)."""
    from pyoxigraph import BlankNode, Literal, NamedNode
    from rdflib import BNode, Graph, URIRef
    from rdflib import Literal as RdflibLiteral

    from kg.rdf.importer import format_name, read_quads

    def term(value: NamedNode | BlankNode | Literal) -> URIRef | BNode | RdflibLiteral:
        if isinstance(value, NamedNode):
            return URIRef(value.value)
        if isinstance(value, BlankNode):
            return BNode(value.value)
        if value.language:
            return RdflibLiteral(value.value, lang=value.language)
        return RdflibLiteral(value.value, datatype=URIRef(value.datatype.value))

    union = Graph()
    for quad in read_quads(path, format_name(path, rdf_format)):
        union.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return union


def validate_file(path: Path, rdf_format: str | None = None) -> Report:
    """Run the shapes on a dump (named graphs merged, as entities and facts refer across them)."""
    import pyshacl
    from rdflib import Namespace
    from rdflib.namespace import RDF

    conforms, results, _ = pyshacl.validate(
        read_union(path, rdf_format), shacl_graph=shapes(), advanced=True
    )
    sh = Namespace(SH)
    violations = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        where = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        violations.append(f"<{focus}>" + (f" <{where}>" if where else "") + f": {message}")
    return Report(bool(conforms), sorted(violations))


if __name__ == "__main__":
    sys.stdout.write(shapes().serialize(format="turtle"))
