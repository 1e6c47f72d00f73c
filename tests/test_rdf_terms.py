"""Terms used as their specifications define them.

Every property the dump uses is checked against a domain and range: the ones the `kg:`
ontology declares for its own terms (read from the dump, union classes and subclasses
followed), and for borrowed terms the ones their specifications give (schema.org's
domainIncludes/rangeIncludes, PROV-O, W3C ORG), copied below with their source. The
ontology itself is parsed by rdflib and by Apache Jena's RIOT, a parser of another lineage.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
from operator import attrgetter
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg import vocab
from kg.rdf import (
    CLASS_OF,
    KG,
    KINDS,
    ONTOLOGY,
    ONTOLOGY_VERSION_IRI,
    ORG,
    PREDICATE_IRI,
    PROV,
    QUALIFIER_IRI,
    SCHEMA,
    Iris,
    expand,
)
from kg.rdf import sparql as kg_sparql
from kg.rdf.importer import read_dump
from tests.test_rdf import union
from tests.test_sparql_jena import arq  # noqa: F401  (the fixture `riot` builds on)

IRIS = Iris("https://w3id.org/kg-us-morocco/")
S = rdflib.Namespace(SCHEMA)
P = rdflib.Namespace(PROV)
FOAF_AGENT = rdflib.URIRef("http://xmlns.com/foaf/0.1/Agent")

# The superclasses schema.org gives the classes the dump uses (https://schema.org/<Class>,
# "More specific Types" read upwards): a Country or a City is an AdministrativeArea, a Place.
SCHEMA_SUPERCLASSES = {
    S.Country: {S.AdministrativeArea, S.Place},
    S.City: {S.AdministrativeArea, S.Place},
    S.GovernmentOrganization: {S.Organization},
    S.NewsMediaOrganization: {S.Organization},
    S.PublicationEvent: {S.Event},
    S.NewsArticle: {S.Article, S.CreativeWork},
}
# Borrowed properties: (domain, range) as their specifications state them; None where the
# specification sets none. schema.org: https://schema.org/nationality ("Used on these types":
# Person; "Values expected": Country), /containedInPlace (Place; Place), /foundingDate
# (Organization), /parent (Person; Person). PROV-O: prov:wasAttributedTo (domain prov:Entity,
# range prov:Agent), prov:value (domain prov:Entity), prov:wasQuotedFrom and
# prov:wasDerivedFrom (prov:Entity to prov:Entity). schema.org /mentions and /headline
# (CreativeWork), /inLanguage (CreativeWork, Event, ...). W3C ORG: org:memberOf (domain
# foaf:Agent, which the ontology's agents are by being prov:Agents). prov:atLocation,
# dcterms:date and dcterms:isPartOf are left out: what PROV-O's domain and range would add (a
# place is a prov:Location) is true of the dump, and Dublin Core sets none.
BORROWED = {
    S.nationality: ({S.Person}, {S.Country}),
    S.containedInPlace: ({S.Place}, {S.Place}),
    S.foundingDate: ({S.Organization}, None),
    S.parent: ({S.Person}, {S.Person}),
    P.wasAttributedTo: ({P.Entity}, {P.Agent}),
    rdflib.URIRef(ORG + "memberOf"): ({FOAF_AGENT, P.Agent}, None),
    P.value: ({P.Entity}, None),
    P.wasQuotedFrom: ({P.Entity}, {P.Entity}),
    P.wasDerivedFrom: ({P.Entity}, {P.Entity}),
    S.mentions: ({S.CreativeWork}, None),
    S.headline: ({S.CreativeWork}, None),
    S.inLanguage: ({S.CreativeWork, S.Event}, None),
}
# Terms misused in earlier dumps, on the types whose specification does not list them.
MISUSES = {
    S.memberOf: {S.Country},  # schema:memberOf: Person, Organization
    S.location: {S.CreativeWork, rdflib.URIRef(KG + "Agreement")},  # Event, Action, Org, Person
    S.startDate: {S.CreativeWork, rdflib.URIRef(KG + "Agreement")},  # Event, not CreativeWork
}


@pytest.fixture(scope="module")
def dump(rdf_dumps: dict[str, Path]) -> rdflib.Graph:
    return union(rdf_dumps["nt"], "nt")


def superclasses(g: rdflib.Graph, cls: rdflib.term.Node) -> set[rdflib.term.Node]:
    """`cls` and every class above it: rdfs:subClassOf in the dump's ontology, membership of
    a union class (a member of an owl:unionOf is a subclass of the union), schema.org's."""
    found, todo = set(), [cls]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        todo += list(g.objects(current, RDFS.subClassOf))
        todo += list(SCHEMA_SUPERCLASSES.get(current, ()))
        for union_class, head in g.subject_objects(OWL.unionOf):
            if current in Collection(g, head):
                todo.append(union_class)
    return found


def classes_of(g: rdflib.Graph, node: rdflib.term.Node) -> set[rdflib.term.Node]:
    return set().union(*(superclasses(g, t) for t in g.objects(node, RDF.type)))


def declared(g: rdflib.Graph, prop: rdflib.URIRef) -> tuple[set | None, set | None]:
    """A property's (domain, range): the ontology's for a kg: term, else its specification's;
    a kg: term also takes those of the properties it specializes."""
    if prop in BORROWED:
        return BORROWED[prop]
    domains = set(g.objects(prop, RDFS.domain)) or None
    ranges = set(g.objects(prop, RDFS.range)) or None
    return domains, ranges


def uses(g: rdflib.Graph) -> list[tuple[rdflib.URIRef, rdflib.term.Node, rdflib.term.Node]]:
    """Every use of a fact's predicate (as a statement, which claims included), of an entity
    qualifier, or of a borrowed term as a triple: (property, subject, object)."""
    found = [(p, s, o) for p in BORROWED for s, o in g.subject_objects(p)]
    for statement in g.subjects(RDF.type, RDF.Statement):
        prop = g.value(statement, RDF.predicate)
        found.append((prop, g.value(statement, RDF.subject), g.value(statement, RDF.object)))
        for name, qualifier in vocab.QUALIFIERS.items():
            if qualifier.value == "entity":
                iri = rdflib.URIRef(QUALIFIER_IRI[name])
                found += [(iri, statement, o) for o in g.objects(statement, iri)]
    return found


def test_every_term_is_used_within_its_domain_and_range(dump: rdflib.Graph) -> None:
    wrong = []
    for prop, subject, obj in uses(dump):
        domain, range_ = declared(dump, prop)
        parents = [declared(dump, p) for p in dump.objects(prop, RDFS.subPropertyOf)]
        for allowed in (domain, *(d for d, _ in parents)):
            if allowed is not None and not classes_of(dump, subject) & allowed:
                wrong.append(f"{prop} on {subject}")
        if isinstance(obj, rdflib.Literal):
            continue
        for allowed in (range_, *(r for _, r in parents)):
            if allowed is not None and not classes_of(dump, obj) & allowed:
                wrong.append(f"{prop} to {obj}")
    assert len(uses(dump)) > 200
    assert wrong == []


def test_no_term_is_used_where_its_specification_does_not_list_it(dump: rdflib.Graph) -> None:
    """The misuses of earlier dumps: schema:memberOf on a Country, schema:location and
    schema:startDate on an agreement (a CreativeWork)."""
    for prop, types in MISUSES.items():
        subjects = {s for p, s, _ in uses(dump) if p == prop} | set(dump.subjects(prop, None))
        assert not any(classes_of(dump, s) & types for s in subjects), prop
    # 'le rôle de premier plan du Maroc au sein de la Coalition mondiale' (article 002): the
    # country's membership is a kg:memberOf, which specializes W3C ORG's (members are agents).
    member_of = rdflib.URIRef(PREDICATE_IRI["member_of"])
    morocco = rdflib.URIRef(IRIS.entity("morocco"))
    assert any(
        dump.value(s, RDF.predicate) == member_of for s in dump.subjects(RDF.subject, morocco)
    )
    assert (member_of, RDFS.subPropertyOf, rdflib.URIRef(ORG + "memberOf")) in dump


def test_who_claims_is_an_agent(dump: rdflib.Graph) -> None:
    """A claim is attributed (prov:wasAttributedTo) to a person, country or body, each a
    prov:Agent by the ontology: '"Le Maroc est un partenaire [...]", a déclaré Blinken'."""
    speakers = set(dump.objects(None, P.wasAttributedTo))
    assert rdflib.URIRef(IRIS.entity("antony-blinken")) in speakers
    for speaker in speakers:
        assert P.Agent in classes_of(dump, speaker), speaker
    assert not list(dump.triples((None, rdflib.URIRef(KG + "statedBy"), None)))


def test_kinds_are_concepts_and_schema_org_subclasses_where_one_fits(dump: rdflib.Graph) -> None:
    """'la Direction générale de la surveillance du territoire (DGST)' (article 003) is a
    government agency; Rabat a city; the Sahel a region, for which schema.org has no class."""
    scheme = rdflib.URIRef(KINDS)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in dump
    concepts = set(dump.subjects(SKOS.inScheme, scheme))
    assert {str(dump.value(c, SKOS.notation)) for c in concepts} == set(vocab.KINDS)
    for concept in concepts:
        assert {label.language for label in dump.objects(concept, SKOS.prefLabel)} == {"fr", "en"}
    kind = rdflib.URIRef(KG + "kind")
    for value in dump.objects(None, kind):
        assert value in concepts
    dgst, rabat, sahel = (rdflib.URIRef(IRIS.entity(i)) for i in ("dgst", "rabat", "sahel"))
    assert dump.value(dgst, kind) == rdflib.URIRef(KG + "security_service")
    assert set(dump.objects(dgst, RDF.type)) == {S.Organization, S.GovernmentOrganization}
    assert set(dump.objects(rabat, RDF.type)) == {S.Place, S.City}
    assert set(dump.objects(sahel, RDF.type)) == {S.Place}


def test_the_report_is_its_publication_an_event(dump: rdflib.Graph) -> None:
    """'Dans son rapport annuel antiterroriste, l'État de département américain a déclaré en
    juin' (article 003): the happening dated June is the report's publication."""
    report = rdflib.URIRef(IRIS.entity("state-department-counterterrorism-report"))
    assert set(dump.objects(report, RDF.type)) == {S.Event, S.PublicationEvent}
    assert dump.value(report, rdflib.URIRef(KG + "kind")) == rdflib.URIRef(KG + "publication")


def test_the_ontology_is_versioned_and_aligned(dump: rdflib.Graph) -> None:
    ontology = rdflib.URIRef(ONTOLOGY)
    version = importlib.metadata.version("kg")
    assert str(dump.value(ontology, OWL.versionInfo)) == version
    assert dump.value(ontology, OWL.versionIRI) == rdflib.URIRef(ONTOLOGY_VERSION_IRI)
    assert str(ONTOLOGY_VERSION_IRI).endswith("/" + version)
    agents = rdflib.URIRef(KG + "PersonOrCountryOrOrganization")
    assert (agents, RDFS.subClassOf, P.Agent) in dump
    for name, predicate in vocab.PREDICATES.items():
        parents = set(dump.objects(rdflib.URIRef(PREDICATE_IRI[name]), RDFS.subPropertyOf))
        assert parents == {rdflib.URIRef(expand(p)) for p in predicate.superproperties}, name
    # No sameAs: the seeds link no entity to another dataset, so the dump claims no identity.
    assert not list(dump.triples((None, OWL.sameAs, None)))
    assert not list(dump.triples((None, S.sameAs, None)))


@pytest.fixture(scope="module")
def riot(arq: list[str]) -> list[str]:  # noqa: F811
    """Apache Jena's RIOT (`riot`), on the class path the ARQ fixture works out."""
    return [*arq[:-1], "riotcmd.riot"]


def run_riot(riot: list[str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*riot, *args], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_ontology_and_the_dump_parse_in_jena_riot(
    riot: list[str], rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    """RIOT in strict mode takes the Turtle and N-Triples dumps and counts what rdflib counts;
    the ontology's graph, taken out of the TriG dump, parses on its own."""
    for fmt in ("ttl", "nt"):
        run_riot(riot, "--strict", "--validate", str(rdf_dumps[fmt]))
    lines = run_riot(riot, "--output=nt", str(rdf_dumps["ttl"])).stdout.splitlines()
    assert len(set(lines)) == len(union(rdf_dumps["nt"], "nt"))
    data = rdflib.Dataset()
    data.parse(rdf_dumps["trig"], format="trig")
    ontology = data.graph(rdflib.URIRef(IRIS.graph("ontology")))
    path = tmp_path / "ontology.ttl"
    ontology.serialize(path, format="turtle")
    parsed = run_riot(riot, "--output=nt", str(path)).stdout.splitlines()
    assert len(set(parsed)) == len(ontology) > 500


def test_a_dump_in_the_earlier_terms_imports_alike(
    rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    """`kg import-rdf` still reads dumps written before the terms were aligned: schema:memberOf,
    schema:location, schema:startDate, kg:statedBy, and kinds as plain names."""
    text = rdf_dumps["nt"].read_text(encoding="utf-8")
    for new, old in (
        (PREDICATE_IRI["member_of"], SCHEMA + "memberOf"),
        (PREDICATE_IRI["held_in"], SCHEMA + "location"),
        (PREDICATE_IRI["date"], SCHEMA + "startDate"),
        (QUALIFIER_IRI["stated_by"], KG + "statedBy"),
    ):
        text = text.replace(f"<{new}>", f"<{old}>")
    for name in vocab.KINDS:
        text = text.replace(f"<{KG}kind> <{KG}{name}>", f'<{KG}kind> "{name}"')
    assert f"<{KG}statedBy>" in text and f'<{KG}kind> "city"' in text
    earlier = tmp_path / "earlier.nt"
    earlier.write_text(text, encoding="utf-8")
    now, then = read_dump(rdf_dumps["nt"], "nt"), read_dump(earlier, "nt")
    assert then.problems == now.problems == []
    assert then.entities == now.entities
    assert sorted(then.facts, key=attrgetter("id")) == sorted(now.facts, key=attrgetter("id"))


def test_the_twins_entity_class_tables_are_the_vocabularys() -> None:
    """A twin reads an entity's type from its class among the vocabulary's entity classes (an
    entity also has its kind's schema.org subclass): each such table lists all of them."""
    twins = Path(kg_sparql.__file__).parent.parent / "sparql"
    tables = 0
    for path in sorted(twins.glob("*.rq")):
        for block in re.findall(
            r"VALUES \?class \{  # the entity classes[^\n]*\n(.*?)\}", path.read_text(), re.S
        ):
            listed = {expand(curie) for curie in block.split()}
            assert listed == set(CLASS_OF.values()), path.name
            tables += 1
    assert tables >= 5


def test_the_readme_names_every_alignment() -> None:
    """The README's table of terms says what the vocabulary aligns, and nothing else."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(kg:\w+)` \| `rdfs:subPropertyOf ([\w:]+)`", readme, re.M))
    expected = {
        p.rdf_term: parent for p in vocab.PREDICATES.values() for parent in p.superproperties
    }
    assert rows == expected


def test_each_kind_belongs_to_one_type() -> None:
    """A kind's concept is named by the kind alone (`kg:city`): no two types share a name."""
    assert sum(len(t.kinds) for t in vocab.ENTITY_TYPES.values()) == len(vocab.KINDS)
    for name, kind in vocab.KINDS.items():
        assert name == kind.name and vocab.IDENTIFIER.match(name)
