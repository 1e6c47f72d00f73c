"""Claims and plans are statements only: no plain triple says they happened.

Each row below is read from the articles: who or what, the predicate, the object, the modality
(planned, recurring, cancelled, possible; actual for a claim) and who makes the claim (None
when the article itself reports a plan or a possibility). The dump must hold each as an
`rdf:Statement` with those qualifiers, and nowhere as a plain triple: not in the Turtle dump,
not in any graph of the TriG dump.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from kg.rdf import (
    IDENTIFIER,
    MODALITY_IRI,
    OBJECT,
    PREDICATE,
    PREDICATE_IRI,
    QUALIFIER_IRI,
    SUBJECT,
    Iris,
)
from kg.rdf import sparql as engine

IRIS = Iris("https://w3id.org/kg-us-morocco/")


class Reported(NamedTuple):
    subject: str
    predicate: str
    object: str  # an entity id, or a literal's lexical form for a literal fact
    modality: str
    stated_by: str | None


CLAIMS_AND_PLANS = {
    # 002: "il présidera une importante réunion avec d'autres pays sur la lutte contre Daesh"
    "blinken-chaired-coalition-meeting-marrakech": Reported(
        "antony-blinken", "chaired", "coalition-meeting-marrakech", "planned", None
    ),
    # 002: "L'événement se tiendra dans la ville de Marrakech"
    "coalition-meeting-marrakech-held-in-marrakech": Reported(
        "coalition-meeting-marrakech", "held_in", "marrakech", "planned", None
    ),
    # 002: '"Le Maroc est un partenaire et un fournisseur de sécurité établi [...]", a déclaré
    # Blinken.'
    "blinken-praised-morocco": Reported(
        "antony-blinken", "praised", "morocco", "actual", "antony-blinken"
    ),
    # 003: "La source militaire américaine a déclaré que la visite à Alger visait à
    # «approfondir la coopération avec l'Algérie"
    "united-states-cooperates-with-algeria-per-us-official": Reported(
        "united-states", "cooperates_with", "algeria", "planned", "us-senior-military-official"
    ),
    # 002: "le Maroc et les États-Unis organisent chaque année l'opération African Lion"
    "morocco-organized-african-lion": Reported(
        "morocco", "organized", "african-lion", "recurring", None
    ),
    # 003: "L'agence a déclaré que le secrétaire à la Défense ouvrirait sa tournée par une visite
    # en Tunisie mercredi pour tenir «des entretiens bilatéraux avec le président Kais Ssaied"
    "esper-met-kais-saied": Reported("mark-esper", "met", "kais-saied", "planned", "afp"),
    # 003: "Le chef du Pentagone se rendra ensuite en Algérie jeudi pour s'entretenir avec le
    # président Abdelmadjid Tebboune."
    "esper-met-tebboune": Reported("mark-esper", "met", "abdelmadjid-tebboune", "planned", None),
    # 003: "se rendra ensuite en Algérie jeudi" (Thursday 1 October 2020)
    "esper-visit-algeria-date": Reported(
        "esper-visit-algeria", "date", "2020-10-01", "planned", None
    ),
    # 003, a US official quoted by AFP: "des menaces que font peser les organisations
    # extrémistes telles que Daech et Al-Qaïda dans ce pays d'Afrique du Nord"
    "daech-threatens-tunisia": Reported(
        "daech", "threatens", "tunisia", "actual", "us-senior-military-official"
    ),
    # 003: "n'a cependant pas révélé si le roi Mohammed VI recevrait personnellement le
    # secrétaire américain à la Défense"
    "mohammed-vi-met-esper": Reported("mohammed-vi", "met", "mark-esper", "possible", None),
    # 003: "le Maroc accueille l'exercice militaire African Lion [...] L'événement de cette
    # année, cependant, a été annulé en raison de la pandémie COVID-19."
    "morocco-hosted-african-lion-2020": Reported(
        "morocco", "hosted", "african-lion-2020", "cancelled", None
    ),
    # 003, the State Department's report: "toutes les unités de sécurité marocaines – y compris
    # le Bureau central des enquêtes judiciaires (BCIJ)"
    "bcij-belongs-to-morocco": Reported(
        "bcij", "belongs_to", "morocco", "actual", "us-department-of-state"
    ),
    # 004: "Washington souhaite s'appuyer dorénavant sur des partenaires africains fiables pour
    # stabiliser la situation notamment en Libye et au Sahel."
    "united-states-stabilises-libya": Reported(
        "united-states", "stabilises", "libya", "possible", None
    ),
    # 004: "doit reprendre ce vendredi à Bouznika, dans la région de Rabat, le dialogue libyen"
    "libyan-dialogue-held-in-bouznika": Reported(
        "libyan-dialogue-bouznika", "held_in", "bouznika", "planned", None
    ),
    # 000: 'Le Maroc et les Etats-Unis ont souligné [...] le "danger posé par l'Iran et ses
    # satellites" au niveau de l'Afrique du Nord et de l'Ouest' (each country's word)
    "iran-threatens-north-africa-per-morocco": Reported(
        "iran", "threatens", "north-africa", "actual", "morocco"
    ),
    # 000, Pompeo thanking Morocco "pour son leadership à la tête du Forum mondial de la lutte
    # contre le terrorisme"
    "morocco-led-gctf-per-pompeo": Reported(
        "morocco", "led", "global-counterterrorism-forum", "actual", "mike-pompeo"
    ),
    # 001: 'les deux ministres se sont félicités de la tenue des exercices militaires conjoints
    # "African Lion" [...]'
    "bourita-praised-african-lion": Reported(
        "nasser-bourita", "praised", "african-lion", "actual", "nasser-bourita"
    ),
}

STATEMENT = f"""SELECT ?s ?p ?o ?modality ?who WHERE {{
  ?fact <{IDENTIFIER}> ?id ; <{SUBJECT}> ?s ; <{PREDICATE}> ?p ; <{OBJECT}> ?o ;
        <{QUALIFIER_IRI["modality"]}> ?modality .
  OPTIONAL {{ ?fact <{QUALIFIER_IRI["stated_by"]}> ?who }}
}}"""


@pytest.fixture(scope="module", params=["trig", "ttl"])
def dump(request: pytest.FixtureRequest, rdf_dumps: dict[str, Path]) -> object:
    """The dump in pyoxigraph: TriG with its graphs' union as the default graph, or Turtle."""
    return engine.load_dump(rdf_dumps[request.param])


@pytest.mark.parametrize("fact", sorted(CLAIMS_AND_PLANS))
def test_a_claim_or_plan_is_a_statement_only(dump: object, fact: str) -> None:
    expected = CLAIMS_AND_PLANS[fact]
    rows = engine.run(dump, STATEMENT + engine.values_clause({"id": fact})).rows
    assert len(rows) == 1, f"{fact}: one statement"
    subject, predicate, obj, modality, who = rows[0]
    assert subject == IRIS.entity(expected.subject)
    assert predicate == PREDICATE_IRI[expected.predicate]
    assert obj in (IRIS.entity(expected.object), expected.object)
    assert modality == MODALITY_IRI[expected.modality]
    assert who == (IRIS.entity(expected.stated_by) if expected.stated_by else None)
    term = f"<{obj}>" if obj.startswith("http") else "?value"
    plain = f"ASK {{ <{subject}> <{predicate}> {term} }}"  # the default graph: every graph
    graphs = f"ASK {{ GRAPH ?g {{ <{subject}> <{predicate}> {term} }} }}"
    assert engine.run(dump, plain).rows == [[False]], f"{fact} is a plain triple"
    assert engine.run(dump, graphs).rows == [[False]], f"{fact} is a plain triple in a graph"


def test_the_list_spans_every_kind_of_unasserted_fact() -> None:
    """Plans, a recurring, a cancelled and a possible event, and claims by people, countries,
    an agency and a ministry."""
    facts = CLAIMS_AND_PLANS.values()
    assert {f.modality for f in facts} == set(MODALITY_IRI) - {"negated"}  # none is negated
    assert {f.stated_by is None for f in facts if f.modality == "actual"} == {False}
