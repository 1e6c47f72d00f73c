"""The curated graph says what the articles say.

Every expectation below was written from the article text quoted beside it,
not from anything the code printed.
"""

from __future__ import annotations

import json

import pytest

from kg.show import entity_card, find_entity
from kg.stores import Store


def names(store: Store, cypher: str, **params: object) -> set[str]:
    return {row[0] for row in store.query(cypher, params).rows}


def test_bourita_and_pompeo_co_chaired_the_fourth_session(loaded_store: Store) -> None:
    # 000: "une rencontre co-présidée par le ministre des Affaires étrangères, Nasser Bourita,
    # et le secrétaire d’Etat américain, Mike Pompeo"
    # 001: "Mike Pompeo, qui coprésidait, mardi à Washington, avec [...] Nasser Bourita,
    # la quatrième session du Dialogue Stratégique"
    chairs = names(loaded_store, "MATCH (p:Person)-[:CO_CHAIRED]->(e:Event) RETURN p.name")
    assert chairs == {"Nasser Bourita", "Mike Pompeo"}


def test_the_fourth_session_was_held_in_washington(loaded_store: Store) -> None:
    # 001: "cette session du Dialogue Stratégique tenue au siège du Département d’Etat";
    # 000 and 001: "mardi à Washington"
    session, _ = find_entity(loaded_store, "4ème session du Dialogue stratégique")
    places = names(
        loaded_store,
        "MATCH (e:Event {id: $id})-[:HELD_IN]->(p) RETURN p.name",
        id=session,
    )
    assert "Washington" in places


def test_the_three_exercises_are_named(loaded_store: Store) -> None:
    # 001: "la tenue des exercices militaires conjoints “African Lion”, “Lightning Handshake”
    # et “Epic Guardian”"
    exercises = names(loaded_store, "MATCH (x:Exercise) RETURN x.name")
    assert {"African Lion", "Lightning Handshake", "Epic Guardian"} <= exercises


def test_morocco_hosts_african_lion(loaded_store: Store) -> None:
    # 003: "le Maroc accueille l’exercice militaire African Lion"
    hosts = names(
        loaded_store, "MATCH (c:Country)-[:HOSTED]->(x:Exercise {name: 'African Lion'}) RETURN c.id"
    )
    morocco, _ = find_entity(loaded_store, "Maroc")
    assert morocco in hosts


def test_esper_and_loudiyi_signed_the_ten_year_agreement(loaded_store: Store) -> None:
    # 004: "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans
    # avec le ministre délégué [...], Abdellatif Loudiyi."
    signers = names(
        loaded_store,
        "MATCH (p:Person)-[:SIGNED]->(a:Agreement) WHERE a.duration_years = 10 RETURN p.name",
    )
    assert signers == {"Mark Esper", "Abdellatif Loudiyi"}


def test_the_ten_year_agreement_was_signed_in_rabat(loaded_store: Store) -> None:
    places = names(
        loaded_store,
        "MATCH (a:Agreement)-[:HELD_IN]->(p) WHERE a.duration_years = 10 RETURN p.name",
    )
    assert places == {"Rabat"}


@pytest.mark.parametrize("alias", ["Daesh", "Etat islamique", "daech", "DAECH", "État islamique"])
def test_every_spelling_of_daesh_is_one_entity(loaded_store: Store, alias: str) -> None:
    # 000 "l’Etat islamique", "Daech"; 001 "‘Etat islamique’ (Daech)"; 002 "Daesh"; 003 "Daech"
    assert find_entity(loaded_store, alias) == find_entity(loaded_store, "Daesh")


def test_esper_card_lists_visits_people_met_and_the_agreement(loaded_store: Store) -> None:
    card = entity_card(loaded_store, "esper")
    assert card["entity"]["name"] == "Mark Esper"
    out = [f for f in card["facts"] if f["direction"] == "out"]

    visited = {f["other"]["id"] for f in out if f["predicate"] == "visited"}
    # 003: "après avoir conclu des voyages en Tunisie et en Algérie"; "arriver vendredi au Maroc"
    for country in ("Tunisie", "Algérie", "Maroc"):
        assert find_entity(loaded_store, country)[0] in visited, country

    met = {f["other"]["name"] for f in card["facts"] if f["predicate"] == "met"}
    # 003: "des entretiens bilatéraux avec le président Kais Ssaied et le ministre tunisien de
    # la Défense Ibrahim Bartagi"; "s’entretenir avec le président Abdelmadjid Tebboune";
    # 004: "« Notre alliance est forte [...] » a déclaré [...] Nasser Bourita, après avoir vu le
    # secrétaire d’État américain à la Défense"
    met_ids = {f["other"]["id"] for f in card["facts"] if f["predicate"] == "met"}
    for person in ("Kais Ssaied", "Ibrahim Bartagi", "Abdelmadjid Tebboune", "Nasser Bourita"):
        assert find_entity(loaded_store, person)[0] in met_ids, (person, met)

    signed = [f for f in out if f["predicate"] == "signed"]
    assert any(f["other"]["type"] == "Agreement" for f in signed)
    for fact in [*out, *signed]:
        assert fact["sources"] and all(s["quote"] for s in fact["sources"]), fact


def test_esper_card_as_json_has_the_documented_shape(run_kg) -> None:
    result = run_kg("show", "esper", "--format", "json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert set(card) == {"entity", "facts"}
    fact = card["facts"][0]
    assert {"subject", "predicate", "sources"} <= set(fact)
    assert {"article", "quote"} <= set(fact["sources"][0])


def test_tunisia_visit_date_is_inferred_with_a_reason(loaded_store: Store) -> None:
    # 004: "Comme en Tunisie mercredi 30 septembre" -- the year is not written.
    rows = loaded_store.query(
        "MATCH (e:Event) WHERE e.date = '2020-09-30' RETURN e.date_inferred AS why"
    ).rows
    assert rows and all(row[0] for row in rows)


def test_the_anti_daesh_coalition_was_created_in_2014(loaded_store: Store) -> None:
    # 002: "Cette Coalition internationale a été créée en 2014"
    coalition, label = find_entity(
        loaded_store, "Coalition internationale pour la lutte contre Daesh"
    )
    assert label == "Organization"
    rows = loaded_store.query(
        "MATCH (o:Organization {id: $id}) RETURN o.founded", {"id": coalition}
    ).rows
    assert rows == [["2014"]]


def test_blinken_chairs_the_coalition_meeting_in_marrakech(loaded_store: Store) -> None:
    # 002: "le Secrétaire sera chargé de présider une réunion de la Coalition internationale
    # pour la lutte contre Daesh. L'événement se tiendra dans la ville de Marrakech"
    rows = loaded_store.query(
        "MATCH (p:Person)-[:CHAIRED]->(e:Event)-[:HELD_IN]->(place) RETURN p.name, place.name"
    ).rows
    assert ["Antony Blinken", "Marrakech"] in rows


def test_moroccan_security_services_belong_to_morocco(loaded_store: Store) -> None:
    # 003: "toutes les unités de sécurité marocaines – y compris le Bureau central des enquêtes
    # judiciaires (BCIJ), la DGSN, la DGST et la Gendarmerie royale"
    morocco, _ = find_entity(loaded_store, "Maroc")
    services = names(
        loaded_store,
        "MATCH (o:Organization)-[:BELONGS_TO]->(c:Country {id: $id}) RETURN o.id",
        id=morocco,
    )
    for service in ("BCIJ", "DGSN", "DGST", "Gendarmerie royale"):
        assert find_entity(loaded_store, service)[0] in services, service


def test_hammouchi_received_ambassador_fischer(loaded_store: Store) -> None:
    # 003: "Abdellatif Hammouchi a reçu l’ambassadeur américain au Maroc David Fischer"
    met = names(
        loaded_store,
        "MATCH (a:Person)-[:MET]-(b:Person) WHERE a.name = 'Abdellatif Hammouchi' RETURN b.name",
    )
    assert met == {"David Fischer"}


def test_armed_groups_named(loaded_store: Store) -> None:
    # 000: "vaincre les groupes terroristes, notamment AQMI et l’Etat islamique";
    # 003: "les organisations extrémistes telles que Daech et Al-Qaïda"
    groups = names(loaded_store, "MATCH (o:Organization) WHERE o.kind = 'armed_group' RETURN o.id")
    for alias in ("AQMI", "Daech", "Al-Qaïda"):
        assert find_entity(loaded_store, alias)[0] in groups, alias


def test_every_relationship_carries_its_sources(loaded_store: Store) -> None:
    rows = loaded_store.query(
        "MATCH ()-[r]->() WHERE type(r) <> 'MENTIONS' "
        "RETURN r.id, size(r.articles) AS a, size(r.quotes) AS q"
    ).rows
    assert rows
    assert all(a >= 1 and a == q for _, a, q in rows)


def test_claims_are_attributed(loaded_store: Store) -> None:
    # 004: "« Notre alliance est forte et faite pour durer » a déclaré [...] Nasser Bourita"
    bourita, _ = find_entity(loaded_store, "Bourita")
    rows = loaded_store.query(
        "MATCH ()-[r]->() WHERE r.stated_by = $id RETURN r.quotes", {"id": bourita}
    ).rows
    assert any("Notre alliance est forte" in quote for row in rows for quote in row[0])
