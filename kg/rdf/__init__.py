"""The graph as RDF: IRIs, terms and the mapping from the vocabulary, shared by export and import.

The shape of the dump (README, "RDF"):

- an entity is `<base>entity/<id>`, typed with its schema.org (or `kg:`) class, with
  `dcterms:identifier`, `rdfs:label` (its name), `skos:prefLabel` in French and English and
  `skos:altLabel` for every surface form the articles use (untagged: the articles mix French
  and Spanish);
- an article is `<base>article/<id>`, a `schema:NewsArticle` that `schema:mentions` entities;
- a fact is stated twice: as the plain triple (`entity:mark-esper kg:visited entity:tunisia`),
  for simple queries, and as a `<base>fact/<id>` resource (`rdf:Statement` with `rdf:subject`,
  `rdf:predicate`, `rdf:object`, its qualifiers) that `prov:wasDerivedFrom` one quote per source:
  `<base>source/<hash>`, a `prov:Entity` whose `prov:value` is the verbatim quote and which
  `prov:wasQuotedFrom` the article. So `?fact prov:wasDerivedFrom/prov:wasQuotedFrom ?article`.
- In TriG and N-Quads each article's facts and quotes sit in a named graph named after the
  article (its IRI); entities, articles and the ontology are in the default graph.
"""

from __future__ import annotations

import hashlib

from kg import vocab

KG = vocab.KG_NS
ONTOLOGY = KG.rstrip("#")  # the ontology's own IRI
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = vocab.SCHEMA_NS
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
}


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


# Terms of the dump that are not predicates or qualifiers of the vocabulary.
TYPE = RDF + "type"
IDENTIFIER = DCTERMS + "identifier"
LABEL = RDFS + "label"
COMMENT = RDFS + "comment"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
NOTE = SKOS + "note"
TITLE = KG + "title"
KIND = KG + "kind"
STATEMENT = RDF + "Statement"
SUBJECT, PREDICATE, OBJECT = RDF + "subject", RDF + "predicate", RDF + "object"
PROV_ENTITY = PROV + "Entity"
DERIVED_FROM = PROV + "wasDerivedFrom"
QUOTED_FROM = PROV + "wasQuotedFrom"
VALUE = PROV + "value"
QUOTE = KG + "Quote"
NEWS_ARTICLE = SCHEMA + "NewsArticle"
MENTIONS = SCHEMA + "mentions"
HEADLINE = SCHEMA + "headline"
IN_LANGUAGE = SCHEMA + "inLanguage"
OUTLET = KG + "outlet"
DATE_MENTIONED = KG + "dateMentioned"
SHA256 = KG + "sha256"

CLASS_OF = {label: expand(t.rdf_class) for label, t in vocab.ENTITY_TYPES.items()}
LABEL_OF_CLASS = {iri: label for label, iri in CLASS_OF.items()}
PREDICATE_IRI = {name: expand(p.rdf_term) for name, p in vocab.PREDICATES.items()}
PREDICATE_OF_IRI = {iri: name for name, iri in PREDICATE_IRI.items()}
QUALIFIER_IRI = {name: expand(q.rdf_term) for name, q in vocab.QUALIFIERS.items()}
QUALIFIER_OF_IRI = {iri: name for name, iri in QUALIFIER_IRI.items()}

DATE_TYPES = {10: XSD + "date", 7: XSD + "gYearMonth", 4: XSD + "gYear"}  # by ISO text length
# The range of a literal predicate; a curated date is one of DATE_TYPES.
DATATYPES = {"integer": XSD + "integer", "string": XSD + "string", "date": RDFS + "Literal"}


def date_datatype(text: str) -> str:
    """xsd:date, xsd:gYearMonth or xsd:gYear, as precise as the curated date is."""
    return DATE_TYPES[len(text)]


class Iris:
    """Mints the IRIs of the dump's resources under a base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def entity(self, id: str) -> str:
        return f"{self.base}entity/{id}"

    def article(self, id: str) -> str:
        return f"{self.base}article/{id}"

    def fact(self, id: str) -> str:
        return f"{self.base}fact/{id}"

    def source(self, fact_id: str, article: str, quote: str) -> str:
        """A quote's IRI, from its content, so it is the same whatever order sources come in."""
        digest = hashlib.sha256(f"{fact_id}\0{article}\0{quote}".encode()).hexdigest()[:16]
        return f"{self.base}source/{digest}"

    def prefixes(self) -> dict[str, str]:
        return {
            **PREFIXES,
            "entity": self.entity(""),
            "article": self.article(""),
            "fact": self.fact(""),
        }
