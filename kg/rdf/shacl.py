"""SHACL shapes for the dump, derived from the vocabulary, and validation.

The shapes say: every entity has one identifier, one schema:name and a skos:prefLabel in French
and English, and no type of another kind (a person is no country, no statement); each
predicate's subjects and objects have the types its domain and range allow; every statement
has its subject, predicate, object, one modality of `kg:modalities` and at least one quote, and
its qualifiers the right kind of value (`during` an event, `stated_by` an agent: a person,
country or body, `when` a date); an entity's kind is one of its type's (`kg:kinds`); every
plain fact triple is backed by an asserted statement with a quote, and every asserted statement
(actual, unattributed) by its triple; identifiers are unique; an article's sha256 is 64 hex
digits; every quote has its text and its article, and sits in that article's provenance graph.
A quote is a Web Annotation segment of its article (`oa:hasSource` the article it is quoted
from) with one `oa:TextQuoteSelector` (a non-empty `oa:exact`) and one `oa:TextPositionSelector`
(integers 0 <= `oa:start` < `oa:end`, as far apart as `oa:exact` is long); where the dump
carries the article's text, the text at those positions is `oa:exact` between its `oa:prefix`
and `oa:suffix`, and the text's SHA-256 is the article's `kg:sha256`.

`validate_file` (`kg validate --rdf`) compiles each constraint to one SPARQL query over the
whole dump and runs them with pyoxigraph, the named graphs kept: linear, and seconds where
pyshacl (kept as the reference: `validate_with_pyshacl`, compared in tests/test_rdf_shacl.py)
takes minutes.

`kg/rdf/shapes.ttl` is this module's output, shipped for other SHACL engines
(`python -m kg.rdf.shacl > kg/rdf/shapes.ttl`; a test keeps it in step).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg import vocab
from kg.rdf import (
    CLASS_OF,
    DATATYPES,
    DATE_TYPES,
    DERIVED_FROM,
    END,
    EXACT,
    HAS_SELECTOR,
    HAS_SOURCE,
    IDENTIFIER,
    KIND,
    KIND_IRI,
    LANG_STRING,
    MODALITY_IRI,
    NAME,
    NEWS_ARTICLE,
    OBJECT,
    ONTOLOGY,
    PREDICATE,
    PREDICATE_IRI,
    PREF_LABEL,
    PREFIX,
    PREFIXES,
    QUALIFIER_IRI,
    QUOTE,
    QUOTED_FROM,
    SH,
    SHA256,
    START,
    STATEMENT,
    SUBJECT,
    SUFFIX,
    TEXT,
    TEXT_POSITION_SELECTOR,
    TEXT_QUOTE_SELECTOR,
    VALUE,
    XSD,
    expand,
)
from kg.rdf.ontology import EXTRA_CLASSES

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

SHAPES = ONTOLOGY + "/shapes#"  # dump-wide constraints focus on the ontology's IRI
PREAMBLE = "".join(
    f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rdf", "prov", "kg", "dcterms", "schema", "oa")
)
# An asserted statement: actual, and nobody's word (the qualifiers' terms from the vocabulary:
# who claims is prov:wasAttributedTo).
ACTUAL = f"<{QUALIFIER_IRI['modality']}> <{MODALITY_IRI[vocab.ACTUAL]}>"
UNATTRIBUTED = f"FILTER NOT EXISTS {{ ?statement <{QUALIFIER_IRI['stated_by']}> ?who }}"
ASSERTED_WITHOUT_TRIPLE = f"""SELECT $this ?statement WHERE {{
  ?statement rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; {ACTUAL} .
  {UNATTRIBUTED}
  FILTER NOT EXISTS {{ ?s ?p ?o }}
}}"""
DUPLICATE_IDS = """SELECT $this ?id WHERE {
  { ?a a rdf:Statement } UNION { ?a a schema:NewsArticle } UNION { ?a dcterms:identifier ?x .
    ?a a ?class . FILTER(?class NOT IN (rdf:Statement, schema:NewsArticle, prov:Entity)) }
  ?a dcterms:identifier ?id .
} GROUP BY $this ?id HAVING (COUNT(DISTINCT ?a) > 1)"""
# The fact triples that no asserted statement with a quote backs, of every predicate at once.
# Triples and quoted statements are grouped together (a hash join): FILTER NOT EXISTS would
# run once per triple in rdflib (quadratic), and SHACL forbids MINUS and VALUES. A branch per
# predicate reads its triples from the index (a FILTER over every triple takes 7 times longer).
_TRIPLES = "\n    UNION ".join(
    f'{{ ?subject <{iri}> ?value BIND(<{iri}> AS ?p) BIND("{name}" AS ?name) }}'
    for name, iri in PREDICATE_IRI.items()
)
UNBACKED_TRIPLES = f"""SELECT $this ?subject (SAMPLE(?name) AS ?predicate) ?value WHERE {{
  {{
    {_TRIPLES}
    BIND(0 AS ?quoted)
  }}
  UNION {{
    ?statement rdf:subject ?subject ; rdf:predicate ?p ; rdf:object ?value ;
               prov:wasDerivedFrom ?quote ; {ACTUAL} .
    {UNATTRIBUTED}
    BIND(1 AS ?quoted)
  }}
}} GROUP BY $this ?subject ?p ?value HAVING (MAX(?quoted) = 0)"""
QUOTE_OUTSIDE_ITS_GRAPH = """SELECT $this ?quote WHERE {
  GRAPH ?g { ?quote a kg:Quote ; prov:wasQuotedFrom ?article }
  FILTER NOT EXISTS { GRAPH ?g { ?article a schema:NewsArticle } }
}"""

# A quote's two selectors, one of each kind. OPTIONAL, not FILTER NOT EXISTS: Oxigraph runs
# each NOT EXISTS over every selector of the dump, once per quote (64 s at 10,000 facts).
QUOTE_WITHOUT_ITS_SELECTORS = """SELECT DISTINCT $this ?quote WHERE {
  ?quote a kg:Quote .
  OPTIONAL { ?quote oa:hasSelector ?by_quote . ?by_quote a oa:TextQuoteSelector }
  OPTIONAL { ?quote oa:hasSelector ?by_position . ?by_position a oa:TextPositionSelector }
  FILTER (!BOUND(?by_quote) || !BOUND(?by_position))
}"""
QUOTE_SOURCE_NOT_ITS_ARTICLE = """SELECT $this ?quote WHERE {
  ?quote oa:hasSource ?source ; prov:wasQuotedFrom ?article . FILTER (?source != ?article)
}"""
# Positions count characters (code points), the end excluded: as far apart as oa:exact is long
# (a position that is no number is its selector shape's to report, in both queries).
POSITIONS_NOT_THE_SPAN = """SELECT $this ?quote WHERE {
  ?quote oa:hasSelector ?by_quote, ?by_position .
  ?by_quote oa:exact ?exact . ?by_position oa:start ?start ; oa:end ?end .
  FILTER (isNumeric(?start) && isNumeric(?end))
  FILTER (?start < 0 || ?start >= ?end || ?end - ?start != STRLEN(?exact))
}"""
# Where the article's text is in the dump (--with-text): SPARQL's SUBSTR counts from 1.
SPAN_NOT_IN_THE_TEXT = """SELECT $this ?quote WHERE {
  ?quote oa:hasSource ?article ; oa:hasSelector ?by_quote, ?by_position .
  ?article schema:text ?text .
  ?by_quote oa:exact ?exact . ?by_position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?by_quote oa:prefix ?prefix }
  OPTIONAL { ?by_quote oa:suffix ?suffix }
  FILTER (isNumeric(?start) && isNumeric(?end))
  FILTER (STR(SUBSTR(?text, ?start + 1, ?end - ?start)) != STR(?exact)
    || (BOUND(?prefix) && STR(SUBSTR(?text, ?start + 1 - STRLEN(?prefix), STRLEN(?prefix)))
        != STR(?prefix))
    || (BOUND(?suffix) && STR(SUBSTR(?text, ?end + 1, STRLEN(?suffix))) != STR(?suffix)))
}"""
TEXT_NOT_ITS_DIGEST = """SELECT $this ?article WHERE {
  ?article schema:text ?text ; kg:sha256 ?sha256 . FILTER (SHA256(STR(?text)) != STR(?sha256))
}"""


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

    def one_of(node: BNode | URIRef, key: str, values: Iterable[str]) -> None:
        """`sh:or` of one `sh:<key>` constraint per value."""
        alternatives = []
        for value in values:
            alternative = BNode()
            g.add((alternative, sh[key], URIRef(value)))
            alternatives.append(alternative)
        g.add((node, sh["or"], listed(alternatives)))

    def one_of_classes(node: BNode | URIRef, labels: tuple[str, ...]) -> None:
        if len(labels) == 1:
            g.add((node, sh["class"], URIRef(CLASS_OF[labels[0]])))
        else:
            one_of(node, "class", (CLASS_OF[label] for label in labels))

    def dataset_constraint(name: str, select: str, message: str) -> None:
        """A SHACL-SPARQL constraint over the whole dump, focused on the ontology's IRI."""
        shape, constraint = node_shape(name), BNode()
        g.add((shape, sh.targetNode, URIRef(ONTOLOGY)))
        g.add((shape, sh.sparql, constraint))
        g.add((constraint, sh.message, Literal(message, lang="en")))
        g.add((constraint, sh.select, Literal(PREAMBLE + select)))

    one = {"minCount": Literal(1), "maxCount": Literal(1)}
    for label, cls in CLASS_OF.items():
        shape = node_shape(label)
        g.add((shape, sh.targetClass, URIRef(cls)))
        prop(shape, IDENTIFIER, datatype=URIRef(XSD + "string"), **one)
        prop(shape, NAME, datatype=URIRef(LANG_STRING), **one)
        prefs = prop(shape, PREF_LABEL, minCount=Literal(2), uniqueLang=Literal(True))
        g.add((prefs, sh.languageIn, listed([Literal("fr"), Literal("en")])))
        kinds = vocab.ENTITY_TYPES[label].kind_names
        if kinds:
            prop(
                shape,
                KIND,
                maxCount=Literal(1),
                **{"in": listed([URIRef(KIND_IRI[k]) for k in kinds])},
            )
        else:
            prop(shape, KIND, maxCount=Literal(0))
        for other in disjoint_with(cls):
            excluded = BNode()
            g.add((excluded, sh["class"], URIRef(other)))
            g.add((shape, sh["not"], excluded))

    article = node_shape("Article")
    g.add((article, sh.targetClass, URIRef(NEWS_ARTICLE)))
    prop(article, IDENTIFIER, **one)
    prop(article, SHA256, pattern=Literal("^[0-9a-f]{64}$"), **one)

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
            values = prop(statement, QUALIFIER_IRI[name], maxCount=Literal(1))
            one_of_classes(values, qualifier.range)
        elif qualifier.value == "date":
            values = prop(statement, QUALIFIER_IRI[name], maxCount=Literal(1))
            one_of(values, "datatype", DATE_TYPES.values())
        else:
            prop(statement, QUALIFIER_IRI[name], nodeKind=sh.Literal, maxCount=Literal(1))
    dataset_constraint(
        "asserted-triple", ASSERTED_WITHOUT_TRIPLE, "asserted statement {?statement} has no triple"
    )
    dataset_constraint("unique-ids", DUPLICATE_IDS, "identifier {?id} is given to several nodes")
    dataset_constraint(
        "quote-graph", QUOTE_OUTSIDE_ITS_GRAPH, "quote {?quote} is outside its article's graph"
    )

    quote = node_shape("Quote")
    g.add((quote, sh.targetClass, URIRef(QUOTE)))
    prop(quote, VALUE, datatype=URIRef(LANG_STRING), minLength=Literal(1), **one)
    prop(quote, QUOTED_FROM, **{"class": URIRef(NEWS_ARTICLE)}, **one)
    # A quote as a Web Annotation segment of its article: its source, its two selectors, the
    # positions that span `oa:exact`, and, where the dump has the article's text, the text.
    text = {"datatype": URIRef(LANG_STRING), "maxCount": Literal(1)}
    offset = {"datatype": URIRef(XSD + "integer"), **one}
    prop(quote, HAS_SOURCE, **{"class": URIRef(NEWS_ARTICLE)}, **one)
    selectors = prop(quote, HAS_SELECTOR, minCount=Literal(2), maxCount=Literal(2))
    one_of(selectors, "class", (TEXT_QUOTE_SELECTOR, TEXT_POSITION_SELECTOR))
    by_quote = node_shape("TextQuoteSelector")
    g.add((by_quote, sh.targetClass, URIRef(TEXT_QUOTE_SELECTOR)))
    prop(by_quote, EXACT, minLength=Literal(1), **{**text, **one})
    prop(by_quote, PREFIX, **text)
    prop(by_quote, SUFFIX, **text)
    by_position = node_shape("TextPositionSelector")
    g.add((by_position, sh.targetClass, URIRef(TEXT_POSITION_SELECTOR)))
    prop(by_position, START, **offset)
    prop(by_position, END, **offset)
    prop(article, TEXT, **text)
    dataset_constraint(
        "quote-selectors",
        QUOTE_WITHOUT_ITS_SELECTORS,
        "quote {?quote} lacks a TextQuoteSelector or a TextPositionSelector",
    )
    dataset_constraint(
        "quote-source",
        QUOTE_SOURCE_NOT_ITS_ARTICLE,
        "quote {?quote} has a source other than the article it is quoted from",
    )
    dataset_constraint(
        "quote-positions",
        POSITIONS_NOT_THE_SPAN,
        "quote {?quote}: oa:start is negative or not before oa:end, or they do not span oa:exact",
    )
    dataset_constraint(
        "quote-in-text",
        SPAN_NOT_IN_THE_TEXT,
        "quote {?quote}: the article's text at its positions is not its exact, prefix and suffix",
    )
    dataset_constraint(
        "text-sha256", TEXT_NOT_ITS_DIGEST, "the text of {?article} does not have its kg:sha256"
    )

    for name, predicate in vocab.PREDICATES.items():
        iri = PREDICATE_IRI[name]
        shape = node_shape(f"{name}")
        g.add((shape, sh.targetSubjectsOf, URIRef(iri)))
        one_of_classes(shape, predicate.domain)
        values = prop(shape, iri)
        if predicate.datatype == "date":
            one_of(values, "datatype", DATE_TYPES.values())
        elif predicate.datatype is not None:
            g.add((values, sh.datatype, URIRef(DATATYPES[predicate.datatype])))
        else:
            one_of_classes(values, predicate.range)
    # One query over the whole dump for every predicate (a focus node each would be quadratic).
    dataset_constraint(
        "quoted",
        UNBACKED_TRIPLES,
        "a {?predicate} triple of {?subject} has no asserted statement with a quote",
    )
    return g


# schema.org's own subclass links between entity classes (a Country is an AdministrativeArea,
# hence a Place): a store that loads schema.org and infers types breaches no shape.
SCHEMA_ORG_SUBCLASSES = [("schema:Country", "schema:Place")]


def disjoint_with(cls: str) -> list[str]:
    """The classes no instance of the entity class `cls` may also have: the other entity classes
    (but its super- and subclasses: an exercise is an event), articles, statements, quotes."""
    links = [(c, p) for c, (p, *_) in EXTRA_CLASSES.items()] + SCHEMA_ORG_SUBCLASSES
    related = {cls, *(expand(p) for c, p in links if expand(c) == cls)}
    related |= {expand(c) for c, p in links if expand(p) == cls}
    others = [c for c in CLASS_OF.values() if c not in related]
    return [*others, NEWS_ARTICLE, STATEMENT, QUOTE]


@dataclass
class Report:
    conforms: bool
    violations: list[str]  # one line each: focus node, path, message


def validate_with_pyshacl(path: Path, rdf_format: str | None = None) -> Report:
    """The reference: pyshacl runs the shapes on the dump read into an rdflib Dataset (parsed
    by pyoxigraph), its named graphs kept and their union as the default graph."""
    import pyshacl
    from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode
    from rdflib import BNode, Dataset, Namespace, URIRef
    from rdflib import Literal as RdflibLiteral
    from rdflib.namespace import RDF

    from kg.rdf.importer import format_name, read_quads

    def term(value: NamedNode | BlankNode | Literal) -> URIRef | BNode | RdflibLiteral:
        if isinstance(value, NamedNode):
            return URIRef(value.value)
        if isinstance(value, BlankNode):
            return BNode(value.value)
        if value.language:
            return RdflibLiteral(value.value, lang=value.language)
        return RdflibLiteral(value.value, datatype=URIRef(value.datatype.value))

    data = Dataset(default_union=True)
    for quad in read_quads(path, format_name(path, rdf_format)):
        graph = quad.graph_name
        target = data if isinstance(graph, DefaultGraph) else data.graph(URIRef(graph.value))
        target.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes(), advanced=True)
    sh = Namespace(SH)
    violations = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        where = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        violations.append(f"<{focus}>" + (f" <{where}>" if where else "") + f": {message}")
    return Report(bool(conforms), sorted(violations))


def validate_file(path: Path, rdf_format: str | None = None) -> Report:
    """Run the shapes on a dump, fast: each constraint compiled to one SPARQL query over the
    whole dump, run by pyoxigraph with the dump's named graphs as they are and their union as
    the default graph."""
    from pyoxigraph import Store

    from kg.rdf.importer import OXIGRAPH_FORMATS, format_name, read_quads

    store = Store()
    fmt = format_name(path, rdf_format)
    try:
        store.bulk_load(path=str(path), format=OXIGRAPH_FORMATS[fmt])
    except (SyntaxError, OSError):
        for _ in read_quads(path, fmt):  # raises the error with its file and line
            pass
        raise
    violations = set()
    for check in compile_shapes(shapes()):
        for solution in store.query(check.query, use_default_graph_as_union=True):
            focus = solution["this"].value
            value = solution["value"] if "value" in check.variables else None
            failed = solution["failed"] if "failed" in check.variables else None
            for index in map(int, failed.value.split() if failed is not None else ["0"]):
                path = check.paths[index]
                line = f"<{focus}>" + (f" <{path}>" if path else "") + ": "
                shown = f" ({value})" if value is not None and path else ""
                violations.add(line + _message(check.messages[index], solution) + shown)
    return Report(not violations, sorted(violations))


def _message(template: str, solution: object) -> str:
    """`{?var}` in a constraint's message replaced by the solution's value."""
    import re

    def value(match: re.Match) -> str:
        term = solution[match.group(1)]  # type: ignore[index]
        return term.value if term is not None else ""

    return re.sub(r"\{\?(\w+)\}", value, template)


@dataclass(frozen=True)
class Check:
    """Constraints as one SPARQL query whose solutions are violations: `?this` the focus node,
    `?value` the offending value (or unbound), `?failed` the indexes in `messages` (and
    `paths`, the property each is about) of the constraints it breaks, separated by spaces
    (unbound: the first)."""

    query: str
    messages: tuple[str, ...]
    paths: tuple[str | None, ...]

    @property
    def variables(self) -> set[str]:
        import re

        return set(re.findall(r"\?(\w+)", self.query.split("WHERE", 1)[0]))


def compile_shapes(g: Graph) -> list[Check]:
    """The SPARQL queries that find what violates the shapes graph `g`. Only the constraint
    components the shapes use are compiled; an unknown one is an error."""
    from rdflib import RDF, Literal, URIRef
    from rdflib.collection import Collection

    sh = {name: URIRef(SH + name) for name in ("property", "path", "sparql", "select", "message")}
    checks = []

    def iri(term: object) -> str:
        return f"<{term}>"

    def literal(term: Literal) -> str:
        return term.n3()

    def is_a(var: str, cls: object) -> str:
        return f"EXISTS {{ {var} rdf:type/rdfs:subClassOf* {iri(cls)} }}"

    def alternative(var: str, node: object) -> str:
        cls = g.value(node, URIRef(SH + "class"))
        if cls is not None:
            return is_a(var, cls)
        datatype = g.value(node, URIRef(SH + "datatype"))
        return f"(isLiteral({var}) && DATATYPE({var}) = {iri(datatype)})"

    def failing(pattern: str, found: list[tuple[str, str]], path: str | list[str] | None) -> None:
        """One query for every condition on the same values: a single pass over them, each
        row naming the conditions it fails (a condition in error fails nothing, as FILTER).
        `path`: the property the conditions are about, or a list, one for each."""
        if not found:
            return
        paths = tuple(path) if isinstance(path, list) else (path,) * len(found)
        tests = ", ".join(
            f'COALESCE(IF({test}, "{index} ", ""), "")' for index, (test, _) in enumerate(found)
        )
        query = (
            f"SELECT ?this ?value ?failed WHERE {{ {pattern} "
            f'BIND(CONCAT({tests}, "") AS ?failed) FILTER(?failed != "") }}'
        )
        checks.append(Check(prefixes + query, tuple(m for _, m in found), paths))

    def conditions(node: object, var: str) -> list[tuple[str, str]]:
        """(SPARQL condition that holds for a violation, message) of a shape or property."""
        found = []
        for predicate, value in g.predicate_objects(node):
            name = str(predicate).removeprefix(SH)
            if name == "class":
                found.append((f"!{is_a(var, value)}", f"not a {value}"))
            elif name == "or":
                alternatives = " || ".join(alternative(var, a) for a in Collection(g, value))
                found.append((f"!({alternatives})", "matches none of the allowed kinds"))
            elif name == "not":
                cls = g.value(value, URIRef(SH + "class"))
                found.append((is_a(var, cls), f"must not be a {cls}"))
            elif name == "datatype":
                test = f"!isLiteral({var}) || DATATYPE({var}) != {iri(value)}"
                found.append((test, f"not of datatype {value}"))
            elif name == "nodeKind":
                test = "isIRI" if str(value).endswith("#IRI") else "isLiteral"
                found.append((f"!{test}({var})", f"not a {str(value).removeprefix(SH)}"))
            elif name == "in":
                items = ", ".join(t.n3() for t in Collection(g, value))
                found.append((f"{var} NOT IN ({items})", "not one of the allowed values"))
            elif name == "languageIn":
                items = ", ".join(literal(t) for t in Collection(g, value))
                found.append((f"!(LANG({var}) IN ({items}))", "language not allowed"))
            elif name == "minLength":
                found.append((f"STRLEN(STR({var})) < {value}", f"shorter than {value}"))
            elif name == "pattern":
                found.append((f"!REGEX(STR({var}), {literal(value)})", f"does not match {value}"))
        return found

    def targets(shape: object) -> str:
        patterns = []
        for cls in g.objects(shape, URIRef(SH + "targetClass")):
            patterns.append(f"{{ ?this rdf:type/rdfs:subClassOf* {iri(cls)} }}")
        for predicate in g.objects(shape, URIRef(SH + "targetSubjectsOf")):
            patterns.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {iri(predicate)} ?any }} }}")
        for node in g.objects(shape, URIRef(SH + "targetNode")):
            patterns.append(f"{{ VALUES ?this {{ {iri(node)} }} }}")
        return " UNION ".join(patterns)

    prefixes = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    prefixes += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    for shape in sorted(g.subjects(RDF.type, URIRef(SH + "NodeShape"))):
        target = targets(shape)
        failing(target, conditions(shape, "?this"), None)
        for constraint in g.objects(shape, sh["sparql"]):
            select = str(g.value(constraint, sh["select"])).replace("$this", "?this")
            node = g.value(shape, URIRef(SH + "targetNode"))
            message = str(g.value(constraint, sh["message"]))
            checks.append(Check(f"{select}\nVALUES ?this {{ {iri(node)} }}", (message,), (None,)))
        counted: list[str] = []  # the properties whose values are counted, in order
        bounds: list[tuple[str, str, str]] = []  # (property, test of its count ?n<i>, message)
        for prop in g.objects(shape, sh["property"]):
            path = g.value(prop, sh["path"])
            failing(f"{target} ?this {iri(path)} ?value .", conditions(prop, "?value"), str(path))
            for bound, test, word in (("minCount", "<", "fewer"), ("maxCount", ">", "more")):
                limit = g.value(prop, URIRef(SH + bound))
                if limit is not None:
                    if str(path) not in counted:
                        counted.append(str(path))
                    n = counted.index(str(path))
                    bounds.append(
                        (str(path), f"?n{n} {test} {limit}", f"{word} than {limit} values")
                    )
            if g.value(prop, URIRef(SH + "uniqueLang")) == Literal(True):
                query = (
                    f"SELECT ?this ?value WHERE {{ {{ SELECT ?this ?value WHERE "
                    f'{{ {target} ?this {iri(path)} ?v FILTER(LANG(?v) != "") }} '
                    f"GROUP BY ?this (LANG(?v) AS ?value) HAVING (COUNT(?v) > 1) }} }}"
                )
                message = "two values in one language"
                checks.append(Check(prefixes + query, (message,), (str(path),)))
        if bounds:  # one pass over the shape's nodes and their values counts every property
            counts = " ".join(
                f"(COUNT(DISTINCT IF(?p = {iri(p)}, ?v, ?none)) AS ?n{i})"
                for i, p in enumerate(counted)
            )
            among = ", ".join(iri(p) for p in counted)
            pattern = (
                f"{{ SELECT ?this {counts} WHERE {{ {target} "
                f"OPTIONAL {{ ?this ?p ?v FILTER(?p IN ({among})) }} }} GROUP BY ?this }}"
            )
            failing(pattern, [(t, m) for _, t, m in bounds], [p for p, _, _ in bounds])
    return checks


def shapes_turtle() -> str:
    """The shapes as Turtle, the same bytes on every run (blank nodes labelled canonically)."""
    import rdflib
    from rdflib.compare import to_canonical_graph

    graph = shapes()
    canonical = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace, override=True)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical.serialize(format="turtle")


if __name__ == "__main__":
    sys.stdout.write(shapes_turtle())
