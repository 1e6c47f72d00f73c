"""The `kg:` ontology, derived from the vocabulary: classes and properties with labels in French
and English, a definition, and domain and range (a union class where several types are allowed);
versioned with the package (`owl:versionInfo`, `owl:versionIRI`).

Terms borrowed from schema.org, SKOS, PROV, W3C ORG or Dublin Core are used as they are and
not redefined here; they are used only within their domains and ranges (schema.org's
`domainIncludes`/`rangeIncludes`). A `kg:` term is aligned with theirs only where every use of
it is a use of theirs: `rdfs:subClassOf` (an exercise is a `schema:Event`, an agreement or a
plan a `schema:CreativeWork`, a quote a `prov:Entity`, a person, country or body a
`prov:Agent`) and `rdfs:subPropertyOf` (`Predicate.superproperties` in the vocabulary). The
entity types' kinds are the SKOS concepts of `kg:kinds`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import BlankNode, Literal, NamedNode

from kg import vocab
from kg.rdf import (
    COMMENT,
    CONCEPT,
    CONCEPT_SCHEME,
    DATATYPES,
    DATE_MENTIONED,
    DEFINITION,
    IN_SCHEME,
    KG,
    KIND,
    KIND_IRI,
    KINDS,
    LABEL,
    MODALITIES,
    MODALITY_IRI,
    NOTATION,
    ONTOLOGY,
    ONTOLOGY_VERSION,
    ONTOLOGY_VERSION_IRI,
    OUTLET,
    OWL,
    PREF_LABEL,
    PROV,
    QUALIFIER_IRI,
    RDF,
    RDFS,
    SHA256,
    TITLE,
    TYPE,
    XSD,
    expand,
)

Triple3 = tuple[NamedNode | BlankNode, NamedNode, NamedNode | BlankNode | Literal]

EXTRA_CLASSES = {
    "kg:Exercise": ("schema:Event", "Exercice militaire", "Military exercise"),
    "kg:Agreement": ("schema:CreativeWork", "Accord", "Agreement"),
    "kg:Plan": ("schema:CreativeWork", "Plan", "Plan"),
    "kg:Quote": ("prov:Entity", "Citation", "Quote"),
}
# Whoever can act, speak or be a member: the union of these types is a prov:Agent.
AGENTS = vocab.ACTORS
# Annotation properties of the dump that are not facts: (IRI, fr, en, definition, range).
ANNOTATIONS = (
    (TITLE, "titre", "title", "A title or office the articles give the entity.", XSD + "string"),
    (OUTLET, "média", "outlet", "The outlet that published the article.", XSD + "string"),
    (DATE_MENTIONED, "date citée", "date mentioned", "A date the article gives.", RDFS + "Literal"),
    (SHA256, "empreinte SHA-256", "SHA-256", "SHA-256 of the article's text.", XSD + "string"),
)


def _describe(iri: str, fr: str, en: str, definition: str | None) -> Iterator[Triple3]:
    node = NamedNode(iri)
    yield node, NamedNode(LABEL), Literal(fr, language="fr")
    yield node, NamedNode(LABEL), Literal(en, language="en")
    if definition:
        yield node, NamedNode(COMMENT), Literal(definition, language="en")


def union_class(labels: tuple[str, ...]) -> str:
    """The named class of the union of several entity types, in the vocabulary's order:
    `kg:PersonOrCountryOrOrganization`. Named, so that two dumps are byte-identical."""
    ordered = [label for label in vocab.ENTITY_TYPES if label in labels]
    return KG + "Or".join(ordered)


def _class(labels: tuple[str, ...], unions: dict[str, tuple[str, ...]]) -> NamedNode:
    """The class for `labels`; a union is recorded in `unions` to be described once."""
    if len(labels) == 1:
        return NamedNode(expand(vocab.ENTITY_TYPES[labels[0]].rdf_class))
    iri = union_class(labels)
    unions.setdefault(iri, labels)
    return NamedNode(iri)


def _union(iri: str, labels: tuple[str, ...]) -> Iterator[Triple3]:
    """An owl:unionOf class; its list's nodes are blank nodes with labels derived from it."""
    ordered = [label for label in vocab.ENTITY_TYPES if label in labels]
    union = NamedNode(iri)
    local = iri.removeprefix(KG)
    items = [BlankNode(f"{local}-{i}") for i in range(len(ordered))]
    yield union, NamedNode(TYPE), NamedNode(OWL + "Class")
    yield union, NamedNode(OWL + "unionOf"), items[0]
    for i, (item, label) in enumerate(zip(items, ordered, strict=True)):
        yield item, NamedNode(RDF + "first"), NamedNode(expand(vocab.ENTITY_TYPES[label].rdf_class))
        rest = items[i + 1] if i + 1 < len(items) else NamedNode(RDF + "nil")
        yield item, NamedNode(RDF + "rest"), rest


def triples() -> Iterator[Triple3]:
    """The ontology's triples, in a stable order."""
    onto = NamedNode(ONTOLOGY)
    unions: dict[str, tuple[str, ...]] = {}
    yield onto, NamedNode(TYPE), NamedNode(OWL + "Ontology")
    yield onto, NamedNode(OWL + "versionInfo"), Literal(ONTOLOGY_VERSION)
    yield onto, NamedNode(OWL + "versionIRI"), NamedNode(ONTOLOGY_VERSION_IRI)
    yield from _describe(
        ONTOLOGY,
        "Coopération sécuritaire États-Unis–Maroc",
        "US–Morocco security cooperation",
        "Terms of the kg knowledge graph, curated from French press articles.",
    )
    for curie, (parent, fr, en) in EXTRA_CLASSES.items():
        yield NamedNode(expand(curie)), NamedNode(TYPE), NamedNode(OWL + "Class")
        yield NamedNode(expand(curie)), NamedNode(RDFS + "subClassOf"), NamedNode(expand(parent))
        yield from _describe(expand(curie), fr, en, None)
    for predicate in vocab.PREDICATES.values():
        iri = expand(predicate.rdf_term)
        if not iri.startswith(KG):
            continue
        node = NamedNode(iri)
        kind = "DatatypeProperty" if predicate.is_literal else "ObjectProperty"
        yield node, NamedNode(TYPE), NamedNode(OWL + kind)
        if predicate.symmetric:
            yield node, NamedNode(TYPE), NamedNode(OWL + "SymmetricProperty")
        yield from _describe(iri, predicate.label_fr, predicate.label_en, predicate.definition)
        yield node, NamedNode(RDFS + "domain"), _class(predicate.domain, unions)
        for parent in predicate.superproperties:
            yield node, NamedNode(RDFS + "subPropertyOf"), NamedNode(expand(parent))
        if predicate.is_literal:
            yield node, NamedNode(RDFS + "range"), NamedNode(DATATYPES[predicate.datatype])
        else:
            yield node, NamedNode(RDFS + "range"), _class(predicate.range, unions)
    for name, qualifier in vocab.QUALIFIERS.items():
        iri = QUALIFIER_IRI[name]
        if not iri.startswith(KG):
            continue
        kind = "DatatypeProperty" if qualifier.value in ("date", "text") else "ObjectProperty"
        yield NamedNode(iri), NamedNode(TYPE), NamedNode(OWL + kind)
        yield NamedNode(iri), NamedNode(RDFS + "domain"), NamedNode(RDF + "Statement")
        if qualifier.value == "modality":
            yield NamedNode(iri), NamedNode(RDFS + "range"), NamedNode(CONCEPT)
        elif qualifier.range:
            yield NamedNode(iri), NamedNode(RDFS + "range"), _class(qualifier.range, unions)
        yield from _describe(iri, qualifier.label_fr, qualifier.label_en, qualifier.definition)
    for iri, fr, en, definition, range_ in ANNOTATIONS:
        yield NamedNode(iri), NamedNode(TYPE), NamedNode(OWL + "DatatypeProperty")
        yield NamedNode(iri), NamedNode(RDFS + "range"), NamedNode(range_)
        yield from _describe(iri, fr, en, definition)
    kind = NamedNode(KIND)
    yield kind, NamedNode(TYPE), NamedNode(OWL + "ObjectProperty")
    yield kind, NamedNode(RDFS + "range"), NamedNode(CONCEPT)
    yield from _describe(KIND, "sorte", "kind", "A finer kind within the entity's type.")
    agents = _class(AGENTS, unions)
    yield agents, NamedNode(RDFS + "subClassOf"), NamedNode(PROV + "Agent")
    for iri, labels in unions.items():
        yield from _union(iri, labels)
    yield from modalities()
    yield from kinds()


def modalities() -> Iterator[Triple3]:
    """The modalities of vocab.MODALITIES as a SKOS concept scheme, `kg:modalities`."""
    scheme = NamedNode(MODALITIES)
    yield scheme, NamedNode(TYPE), NamedNode(CONCEPT_SCHEME)
    yield from _describe(MODALITIES, "modalités", "modalities", "Whether a fact happened or holds.")
    for name, modality in vocab.MODALITIES.items():
        concept = NamedNode(MODALITY_IRI[name])
        yield concept, NamedNode(TYPE), NamedNode(CONCEPT)
        yield concept, NamedNode(IN_SCHEME), scheme
        yield concept, NamedNode(NOTATION), Literal(name)  # the name queries and seeds use
        yield concept, NamedNode(PREF_LABEL), Literal(modality.label_fr, language="fr")
        yield concept, NamedNode(PREF_LABEL), Literal(modality.label_en, language="en")
        yield concept, NamedNode(DEFINITION), Literal(modality.definition, language="en")


def kinds() -> Iterator[Triple3]:
    """The kinds of the entity types (vocab.KINDS) as a SKOS concept scheme, `kg:kinds`."""
    scheme = NamedNode(KINDS)
    yield scheme, NamedNode(TYPE), NamedNode(CONCEPT_SCHEME)
    yield from _describe(KINDS, "sortes", "kinds", "Finer kinds within the entity types.")
    for name, kind in vocab.KINDS.items():
        concept = NamedNode(KIND_IRI[name])
        yield concept, NamedNode(TYPE), NamedNode(CONCEPT)
        yield concept, NamedNode(IN_SCHEME), scheme
        yield concept, NamedNode(NOTATION), Literal(name)  # the name the seeds use
        yield concept, NamedNode(PREF_LABEL), Literal(kind.label_fr, language="fr")
        yield concept, NamedNode(PREF_LABEL), Literal(kind.label_en, language="en")
