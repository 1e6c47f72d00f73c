"""The graph as RDF: IRIs, terms and the mapping from the vocabulary, shared by export and import.

The shape of the dump (README, "RDF"):

- an entity is `<base>entity/<id>`, typed with its schema.org (or `kg:`) class, with
  `dcterms:identifier`, `schema:name` (the name the articles use), `rdfs:label` and
  `skos:prefLabel` in French and English and `skos:altLabel` for every surface form the
  articles use; every natural-language literal carries its language (quotes and headlines
  their article's, curators' notes English);
- an article is `<base>article/<id>`, a `schema:NewsArticle` that `schema:mentions` entities;
- every fact is a `<base>fact/<id>` resource (`rdf:Statement` with `rdf:subject`,
  `rdf:predicate`, `rdf:object`, `kg:modality` and its other qualifiers);
- only a fact the articles assert (modality `actual`, no `kg:statedBy`) is also a plain
  triple (`entity:mark-esper kg:visited entity:tunisia`): a claim, a plan, a cancelled or a
  possible event is a statement only, so a reader of plain triples never takes it as established;
- a quote is `<base>quote/<hash>`, one per quoted span of an article (shared by every fact it
  supports): a `kg:Quote` whose `prov:value` is the curated text and which
  `prov:wasQuotedFrom` the article; a fact `prov:wasDerivedFrom` each of its quotes. So
  `?fact prov:wasDerivedFrom/prov:wasQuotedFrom ?article`;
- the quote is also a W3C Web Annotation `oa:SpecificResource` (https://www.w3.org/TR/annotation-model/,
  the part of a resource a selector picks out): `oa:hasSource` its article and `oa:hasSelector`
  two selectors named after it, `<quote>-text-quote`, an `oa:TextQuoteSelector` (`oa:exact`,
  the span as the article writes it, and up to 32 characters of `oa:prefix` and `oa:suffix`
  around it, none at an end of the text), and `<quote>-text-position`, an
  `oa:TextPositionSelector` (`oa:start`, `oa:end`: code-point offsets, end excluded, in the
  article's text exactly as stored, `seeds/articles/<id>.txt`; plain text, so nothing is
  normalised away; typed `xsd:integer`: values of the model's range, `xsd:nonNegativeInteger`,
  which Oxigraph stores as `xsd:integer` anyway, so the dump reads the same in every
  store). The place is where validation found the quote (`kg.text`): white space aside, so
  `oa:exact` may hold a line break or a no-break space where `prov:value` has a space. Not an
  `oa:Annotation`: the link from a fact to the span is the fact's `prov:wasDerivedFrom`; an
  annotation per link would say it twice;
- an article carries `kg:sha256`, the SHA-256 of its text, and, exported `--with-text`, the text
  itself (`schema:text`, in the article's language), so that `SUBSTR(?text, ?start + 1,
  ?end - ?start)` is the quote's `oa:exact` (SPARQL counts from 1) and `SHA256(STR(?text))`
  its `kg:sha256`.

Every triple is in exactly one named graph (TriG and N-Quads; the other formats are their
union, a correct single graph since no triple is repeated):

- `<base>graph/ontology`: the `kg:` ontology and its concept schemes;
- `<base>graph/facts`: entities, statements and the asserted plain triples;
- `<base>graph/provenance/<article id>`: the article, its mentions, its quotes and the
  `prov:wasDerivedFrom` links from statements to them;
- `<base>graph/dataset`: a VoID and DCAT description of the dump (version, vocabularies, and
  each graph as a subset with its triple count), written last so its counts are exact.

One fact, "Mark Esper a signé à Rabat un accord [...]" (article 004):

    graph/facts                                    graph/provenance/004_...
    entity:mark-esper --kg:signed--> entity:a      (plain triple: actual, unattributed)
    fact:esper-signed  a rdf:Statement             fact:esper-signed
      rdf:subject   entity:mark-esper                prov:wasDerivedFrom quote:9f2c...
      rdf:predicate kg:signed                      quote:9f2c...  a kg:Quote
      rdf:object    entity:a                         prov:value "Mark Esper a signé..."@fr
      kg:modality   kg:actual                        prov:wasQuotedFrom article:004_...
                                                     a oa:SpecificResource
                                                     oa:hasSource article:004_...
                                                     oa:hasSelector quote:9f2c...-text-quote,
                                                                    quote:9f2c...-text-position
                                                   quote:9f2c...-text-quote
                                                     a oa:TextQuoteSelector
                                                     oa:exact "Mark Esper a signé..."@fr
                                                     oa:prefix "...", oa:suffix "..."
                                                   quote:9f2c...-text-position
                                                     a oa:TextPositionSelector
                                                     oa:start 687 ; oa:end 770
"""

from __future__ import annotations

import hashlib

from kg import __version__, vocab

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
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"

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
    "void": VOID,
    "dcat": DCAT,
    "org": ORG,
    "oa": OA,
}


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


# Terms of the dump that are not predicates or qualifiers of the vocabulary.
TYPE = RDF + "type"
IDENTIFIER = DCTERMS + "identifier"
LABEL = RDFS + "label"
NAME = SCHEMA + "name"
LANG_STRING = RDF + "langString"
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
TEXT = SCHEMA + "text"  # an article's whole text, exported --with-text
# A quote as a Web Annotation segment of its article, and its two selectors.
SPECIFIC_RESOURCE = OA + "SpecificResource"
HAS_SOURCE, HAS_SELECTOR = OA + "hasSource", OA + "hasSelector"
TEXT_QUOTE_SELECTOR, TEXT_POSITION_SELECTOR = OA + "TextQuoteSelector", OA + "TextPositionSelector"
EXACT, PREFIX, SUFFIX = OA + "exact", OA + "prefix", OA + "suffix"
START, END = OA + "start", OA + "end"
CONTEXT_LENGTH = 32  # characters of oa:prefix and oa:suffix, where the text has them
ONTOLOGY_VERSION = __version__  # the package's: the ontology is derived from its vocabulary
ONTOLOGY_VERSION_IRI = f"{ONTOLOGY}/{ONTOLOGY_VERSION}"
DATASET_TITLE = "US–Morocco security cooperation: a knowledge graph from five French articles"
DATASET_DESCRIPTION = (
    "Entities, facts and the verbatim quotes behind them, curated from French press articles; "
    "only what the articles assert is a plain triple, claims and plans are statements."
)
VOCABULARIES = (SCHEMA, PROV, SKOS, DCTERMS, ORG, OA, KG)  # what the dump's terms come from
MODALITIES = KG + "modalities"  # the SKOS concept scheme of vocab.MODALITIES
KINDS = KG + "kinds"  # the SKOS concept scheme of the entity types' kinds
CONCEPT, CONCEPT_SCHEME, IN_SCHEME = SKOS + "Concept", SKOS + "ConceptScheme", SKOS + "inScheme"
DEFINITION = SKOS + "definition"
NOTATION = SKOS + "notation"


CLASS_OF = {label: expand(t.rdf_class) for label, t in vocab.ENTITY_TYPES.items()}
LABEL_OF_CLASS = {iri: label for label, iri in CLASS_OF.items()}
PREDICATE_IRI = {name: expand(p.rdf_term) for name, p in vocab.PREDICATES.items()}
PREDICATE_OF_IRI = {iri: name for name, iri in PREDICATE_IRI.items()}
QUALIFIER_IRI = {name: expand(q.rdf_term) for name, q in vocab.QUALIFIERS.items()}
QUALIFIER_OF_IRI = {iri: name for name, iri in QUALIFIER_IRI.items()}
MODALITY_IRI = {name: KG + name for name in vocab.MODALITIES}  # kg:actual, kg:planned...
MODALITY_OF_IRI = {iri: name for name, iri in MODALITY_IRI.items()}
KIND_IRI = {name: KG + name for name in vocab.KINDS}  # kg:security_service, kg:city...
KIND_OF_IRI = {iri: name for name, iri in KIND_IRI.items()}
KIND_CLASS = {  # the schema.org subclass a kind adds to its type's class, where there is one
    name: expand(kind.rdf_class) for name, kind in vocab.KINDS.items() if kind.rdf_class
}
# The terms of dumps written before they were aligned with their specifications, still read
# by `kg import-rdf`: schema.org and kg: terms used outside their domains.
LEGACY_PREDICATES = {
    SCHEMA + "memberOf": "member_of",
    SCHEMA + "location": "held_in",
    SCHEMA + "startDate": "date",
}
LEGACY_QUALIFIERS = {KG + "statedBy": "stated_by"}

DATE_TYPES = {10: XSD + "date", 7: XSD + "gYearMonth", 4: XSD + "gYear"}  # by ISO text length
# The range of a literal predicate; a curated date is one of DATE_TYPES, a text is worded in
# its article's language.
DATATYPES = {"integer": XSD + "integer", "string": LANG_STRING, "date": RDFS + "Literal"}
CONTENT_LANGUAGE = "fr"  # of names, aliases and titles: the articles' content is French
CURATOR_LANGUAGE = "en"  # of curators' notes and reasons
WEEKDAY_LANGUAGE = "en"  # `weekday` is given by its English name (see the vocabulary)


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

    def quote(self, article: str, quote: str) -> str:
        """A quoted span's IRI, from its article and text: one node for every fact it supports."""
        digest = hashlib.sha256(f"{article}\0{quote}".encode()).hexdigest()[:16]
        return f"{self.base}quote/{digest}"

    def selectors(self, quote: str) -> tuple[str, str]:
        """The quote's TextQuoteSelector and TextPositionSelector, named after the quote's IRI."""
        return f"{quote}-text-quote", f"{quote}-text-position"

    def graph(self, name: str) -> str:
        """A named graph of the dump: `ontology`, `facts` or `provenance/<article id>`."""
        return f"{self.base}graph/{name}"

    def provenance(self, article: str) -> str:
        return self.graph(f"provenance/{article}")

    def prefixes(self) -> dict[str, str]:
        return {
            **PREFIXES,
            "entity": self.entity(""),
            "article": self.article(""),
            "fact": self.fact(""),
            "quote": f"{self.base}quote/",
            "graph": self.graph(""),
            "provenance": self.provenance(""),
        }
