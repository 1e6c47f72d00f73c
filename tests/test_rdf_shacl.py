"""SHACL that means something: deliberate breakages of a valid dump, each caught.

Each breakage edits the N-Quads export of the seeds (one quad a line) and names the node the
shapes must report. Both `kg validate --rdf` (the shapes compiled to SPARQL, run by pyoxigraph)
and pyshacl, the reference, must catch each one alone, and report the same nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.rdf import KG, QUALIFIER_IRI, Iris
from kg.rdf.shacl import validate_file, validate_with_pyshacl

BASE = "https://w3id.org/kg-us-morocco/"
IRIS = Iris(BASE)
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
IDENTIFIER = "http://purl.org/dc/terms/identifier"
FACTS = f"<{IRIS.graph('facts')}>"
DURING, STATED_BY, WHEN, MODALITY = (
    QUALIFIER_IRI[q] for q in ("during", "stated_by", "when", "modality")
)
Lines = list[str]


def entity(id: str) -> str:
    return f"<{IRIS.entity(id)}>"


def fact(id: str) -> str:
    return f"<{IRIS.fact(id)}>"


def drop(lines: Lines, subject: str, predicate: str, obj: str = "") -> Lines:
    kept = [line for line in lines if not line.startswith(f"{subject} <{predicate}> {obj}")]
    assert len(kept) < len(lines), f"nothing to drop: {subject} {predicate} {obj}"
    return kept


def add(lines: Lines, subject: str, predicate: str, obj: str, graph: str = FACTS) -> Lines:
    return [*lines, f"{subject} <{predicate}> {obj} {graph} .\n"]


def swap(lines: Lines, subject: str, predicate: str, obj: str) -> Lines:
    return add(drop(lines, subject, predicate), subject, predicate, obj)


def move_quote(lines: Lines) -> Lines:
    """Article 003's quote of Esper's visit to Tunisia, put in article 004's graph."""
    quote = next(
        line.split()[2]
        for line in lines
        if line.startswith(f"{fact('esper-visited-tunisia')} <{PROV}wasDerivedFrom>")
        and "003_" in line.split()[3]
    )
    other = f"<{IRIS.provenance('004_5699831b890fa017')}>"
    return [
        line.rsplit(" ", 2)[0] + f" {other} .\n" if line.startswith(quote + " ") else line
        for line in lines
    ]


OA = "http://www.w3.org/ns/oa#"
ARTICLE_004 = "004_5699831b890fa017"
# Article 004: "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10
# ans", one quote, and its two selectors.
QUOTE = IRIS.quote(
    ARTICLE_004,
    "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans",
)
BY_QUOTE, BY_POSITION = (f"<{iri}>" for iri in IRIS.selectors(QUOTE))
# Article 003: "Esper prononcera ensuite un discours au cimetière militaire américain de Carthage"
OTHER_POSITION = "<{}>".format(
    IRIS.selectors(
        IRIS.quote(
            "003_23f9d90b709144ca",
            "Esper prononcera ensuite un discours au cimetière militaire américain de Carthage",
        )
    )[1]
)
INTEGER = "^^<http://www.w3.org/2001/XMLSchema#integer>"


def offset(lines: Lines, edge: str) -> int:
    """The quote's oa:start or oa:end in the dump."""
    line = next(line for line in lines if line.startswith(f"{BY_POSITION} <{OA}{edge}> "))
    return int(line.split('"')[1])


def shift(lines: Lines, by: int) -> Lines:
    """The quote's positions moved `by` characters, still as far apart."""
    for edge in ("start", "end"):
        lines = swap(lines, BY_POSITION, OA + edge, f'"{offset(lines, edge) + by}"{INTEGER}')
    return lines


def with_text(lines: Lines) -> Lines:
    """Article 004's text in the dump, as `kg export --with-text` writes it."""
    path = Path(__file__).parent.parent / "seeds" / "articles" / f"{ARTICLE_004}.txt"
    text = path.read_text(encoding="utf-8")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    graph = f"<{IRIS.provenance(ARTICLE_004)}>"
    return add(lines, f"<{IRIS.article(ARTICLE_004)}>", SCHEMA + "text", f'"{escaped}"@fr', graph)


# name -> (breakage, the node reported, or words of the message of a constraint on the whole
# dump). Facts and quotes from the articles: 003 "ouvrirait sa tournée par une visite en
# Tunisie mercredi"; 002 '"Le Maroc est un partenaire [...]", a déclaré Blinken' (a claim);
# 004 "Mark Esper a signé à Rabat un accord [...] de 10 ans".
BREAKAGES: dict[str, tuple[Callable[[Lines], Lines], str]] = {
    "entity without a name": (
        lambda ls: drop(ls, entity("tunisia"), SCHEMA + "name"),
        entity("tunisia"),
    ),
    "entity with two names": (
        lambda ls: add(ls, entity("algeria"), SCHEMA + "name", '"Algérie bis"@fr'),
        entity("algeria"),
    ),
    "no English preferred label": (
        lambda ls: drop(ls, entity("dgst"), SKOS + "prefLabel", '"General'),
        entity("dgst"),
    ),
    "two French preferred labels": (
        lambda ls: add(ls, entity("morocco"), SKOS + "prefLabel", '"Royaume du Maroc"@fr'),
        entity("morocco"),
    ),
    "during a person": (
        lambda ls: swap(ls, fact("esper-visited-tunisia"), DURING, entity("kais-saied")),
        fact("esper-visited-tunisia"),
    ),
    "stated by an agreement": (
        lambda ls: swap(
            ls,
            fact("blinken-praised-morocco"),
            STATED_BY,
            entity("us-morocco-free-trade-agreement"),
        ),
        fact("blinken-praised-morocco"),
    ),
    # Who claims is an agent (prov:wasAttributedTo), not the communiqué that carries the words.
    "stated by a communiqué": (
        lambda ls: swap(
            ls,
            fact("blinken-praised-morocco"),
            STATED_BY,
            entity("state-department-press-release"),
        ),
        fact("blinken-praised-morocco"),
    ),
    "a kind of another type": (
        lambda ls: swap(ls, entity("rabat"), KG + "kind", f"<{KG}security_service>"),
        entity("rabat"),
    ),
    "a kind as a plain text": (
        lambda ls: swap(ls, entity("dgst"), KG + "kind", '"security_service"'),
        entity("dgst"),
    ),
    "an agreement with a kind": (
        lambda ls: add(ls, entity("us-morocco-free-trade-agreement"), KG + "kind", f"<{KG}city>"),
        entity("us-morocco-free-trade-agreement"),
    ),
    "two statements with one id": (
        lambda ls: swap(ls, fact("esper-visited-algeria"), IDENTIFIER, '"esper-visited-tunisia"'),
        "identifier esper-visited-tunisia ",
    ),
    "when as plain text": (
        lambda ls: add(ls, fact("esper-visited-tunisia"), WHEN, '"mercredi"'),
        fact("esper-visited-tunisia"),
    ),
    "modality outside the scheme": (
        lambda ls: swap(ls, fact("esper-visited-algeria"), MODALITY, f"<{KG}rumoured>"),
        fact("esper-visited-algeria"),
    ),
    "statement without modality": (
        lambda ls: drop(ls, fact("esper-visited-algeria"), MODALITY),
        fact("esper-visited-algeria"),
    ),
    "triple without statement": (
        lambda ls: add(ls, entity("mark-esper"), KG + "visited", entity("dgst")),
        entity("mark-esper"),
    ),
    "asserted statement without its triple": (
        lambda ls: drop(ls, entity("mark-esper"), KG + "visited", entity("tunisia")),
        fact("esper-visited-tunisia"),  # named in the message
    ),
    "claim asserted as a triple": (
        lambda ls: add(ls, entity("antony-blinken"), KG + "praised", entity("morocco")),
        entity("antony-blinken"),
    ),
    "two entities with one id": (
        lambda ls: swap(ls, entity("algeria"), IDENTIFIER, '"tunisia"'),
        "identifier tunisia ",  # named in the message
    ),
    "sha256 not hexadecimal": (
        lambda ls: swap(
            ls, f"<{IRIS.article('004_5699831b890fa017')}>", KG + "sha256", '"not-a-digest"'
        ),
        f"<{IRIS.article('004_5699831b890fa017')}>",
    ),
    "a person who is a country": (
        lambda ls: add(ls, entity("nasser-bourita"), RDF + "type", f"<{SCHEMA}Country>"),
        entity("nasser-bourita"),
    ),
    "an entity that is a statement": (
        lambda ls: add(ls, entity("dgsn"), RDF + "type", f"<{RDF}Statement>"),
        entity("dgsn"),
    ),
    "statement without quote": (
        lambda ls: drop(ls, fact("esper-visited-tunisia"), PROV + "wasDerivedFrom"),
        fact("esper-visited-tunisia"),
    ),
    "duration as text": (
        lambda ls: [
            line.replace('"10"^^<http://www.w3.org/2001/XMLSchema#integer>', '"dix ans"')
            for line in ls
        ],
        entity("us-morocco-military-cooperation-agreement-2020"),
    ),
    "unknown predicate": (
        lambda ls: swap(ls, fact("esper-visited-algeria"), RDF + "predicate", f"<{KG}invaded>"),
        fact("esper-visited-algeria"),
    ),
    "quote in another article's graph": (move_quote, "is outside its article's graph"),
    "quote without its position selector": (
        lambda ls: drop(ls, f"<{QUOTE}>", OA + "hasSelector", BY_POSITION),
        f"<{QUOTE}>",
    ),
    "quote whose two selectors are of one kind": (
        lambda ls: swap(ls, BY_POSITION, RDF + "type", f"<{OA}TextQuoteSelector>"),
        f"<{QUOTE}>",
    ),
    "empty exact": (lambda ls: swap(ls, BY_QUOTE, OA + "exact", '""@fr'), BY_QUOTE),
    "start as text": (lambda ls: swap(ls, OTHER_POSITION, OA + "start", '"12"'), OTHER_POSITION),
    "positions that do not span the exact": (
        lambda ls: swap(ls, BY_POSITION, OA + "end", f'"{offset(ls, "end") + 1}"{INTEGER}'),
        f"<{QUOTE}>",
    ),
    "quote whose source is another article": (
        lambda ls: swap(
            ls, f"<{QUOTE}>", OA + "hasSource", f"<{IRIS.article('003_23f9d90b709144ca')}>"
        ),
        f"<{QUOTE}>",
    ),
    "text that is not the article's": (
        lambda ls: add(
            ls,
            f"<{IRIS.article(ARTICLE_004)}>",
            SCHEMA + "text",
            '"Un autre texte."@fr',
            f"<{IRIS.provenance(ARTICLE_004)}>",
        ),
        f"<{IRIS.article(ARTICLE_004)}>",
    ),
    "quote shifted in the article's text": (lambda ls: shift(with_text(ls), 1), f"<{QUOTE}>"),
}


@pytest.fixture(scope="module")
def valid_lines(rdf_dumps: dict[str, Path]) -> Lines:
    return rdf_dumps["nq"].read_text(encoding="utf-8").splitlines(keepends=True)


def focus_nodes(violations: list[str]) -> set[str]:
    return {line.split(" ", 1)[0].rstrip(":") for line in violations}


def named(node: str, violations: list[str]) -> bool:
    """Whether a violation is about `node`: its focus, or named in the message of a
    constraint on the whole dump (those focus on the ontology's IRI)."""
    ontology = f"<{KG.rstrip('#')}>"
    return node in focus_nodes(violations) or any(
        v.startswith(ontology) and node.strip("<>") in v.split(": ", 1)[1] for v in violations
    )


@pytest.mark.parametrize("fmt", ["nq", "ttl"])
def test_the_valid_dump_conforms(rdf_dumps: dict[str, Path], fmt: str) -> None:
    report = validate_file(rdf_dumps[fmt])
    assert report.conforms, report.violations[:5]
    reference = validate_with_pyshacl(rdf_dumps[fmt])
    assert reference.conforms, reference.violations[:5]


def test_there_are_the_breakages_the_issue_lists() -> None:
    assert len(BREAKAGES) >= 16


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_breakage_is_caught_by_both_engines(
    valid_lines: Lines, tmp_path: Path, name: str
) -> None:
    breakage, reported = BREAKAGES[name]
    broken = tmp_path / "broken.nq"
    broken.write_text("".join(breakage(valid_lines)), encoding="utf-8")
    report = validate_file(broken)
    assert not report.conforms, name
    assert named(reported, report.violations), report.violations
    reference = validate_with_pyshacl(broken)
    assert not reference.conforms, name
    assert named(reported, reference.violations), reference.violations
    assert focus_nodes(report.violations) == focus_nodes(reference.violations)


def test_a_country_is_also_a_place_as_schema_org_says(valid_lines: Lines, tmp_path: Path) -> None:
    """schema.org makes a Country an AdministrativeArea, hence a Place: a store that loads
    schema.org and infers types sees Morocco as a place too, which breaks no shape."""
    countries = {
        line.split()[0]
        for line in valid_lines
        if line.split()[1:3] == [f"<{RDF}type>", f"<{SCHEMA}Country>"]
    }
    assert entity("morocco") in countries and entity("united-states") in countries
    inferred = valid_lines
    for country in sorted(countries):
        inferred = add(inferred, country, RDF + "type", f"<{SCHEMA}Place>")
    dump = tmp_path / "inferred.nq"
    dump.write_text("".join(inferred), encoding="utf-8")
    report = validate_file(dump)
    assert report.conforms, report.violations[:5]
    reference = validate_with_pyshacl(dump)
    assert reference.conforms, reference.violations[:5]
