"""Saved queries: each answers its question on the curated graph, as the articles tell it.

Expected rows are read from the articles (the sentence is quoted beside each), never copied
from the output. `CHECKS` holds one check per saved query, and a test fails when a file of
cypher/ has none.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg import queries, vocab
from kg.errors import InvalidInput
from kg.stores import ReadOnlyViolation, Store, StoreConfig, connect
from kg.validate import load_corpus

QUERIES_DIR = Path(__file__).resolve().parent.parent / "cypher"
ESPER_TUNISIA, ESPER_ALGERIA, ESPER_MOROCCO = (
    "esper-visit-tunisia",
    "esper-visit-algeria",
    "esper-visit-morocco",
)
A000, A001, A002, A003, A004 = (
    "000_c4cfe20b68dc0c98",
    "001_a250b41e4e6ce1db",
    "002_38e63fbca77dbf72",
    "003_23f9d90b709144ca",
    "004_5699831b890fa017",
)

Records = list[dict[str, Any]]
CHECKS: dict[str, Callable[[Store], None]] = {}


def check(name: str) -> Callable[[Callable[[Store], None]], Callable[[Store], None]]:
    def register(function: Callable[[Store], None]) -> Callable[[Store], None]:
        CHECKS[name] = function
        return function

    return register


def run(store: Store, name: str, **params: Any) -> Records:
    return queries.run(store, queries.get(name, QUERIES_DIR), params).records()


@check("meetings")
def _meetings(store: Store) -> None:
    rows = run(store, "meetings")
    met = {(r["person"], r["other"]): r for r in rows}
    assert set(met) == {
        # 000: "C’est lors des travaux de la 4ème session du Dialogue stratégique [...] une
        # rencontre co-présidée par [...] Nasser Bourita, et [...] Mike Pompeo"
        ("nasser-bourita", "mike-pompeo"),
        # 000: "Le chef de la diplomatie marocaine s’est, par la suite, entretenu avec Jared
        # Kushner"
        ("nasser-bourita", "jared-kushner"),
        # 000: "Nasser Bourita a également rencontré Ivanka Trump."
        ("nasser-bourita", "ivanka-trump"),
        # 002: "Blinken a également profité de l'occasion pour rencontrer Nasser Bourita"
        ("antony-blinken", "nasser-bourita"),
        # 004: "Nasser Bourita, après avoir vu le secrétaire d’État américain à la Défense. Ce
        # dernier a également rencontré le chef d’état-major et le ministre délégué"
        ("mark-esper", "nasser-bourita"),
        ("mark-esper", "moroccan-chief-of-staff"),
        ("mark-esper", "abdellatif-loudiyi"),
        # 003: "Abdellatif Hammouchi a reçu l’ambassadeur américain au Maroc David Fischer"
        ("abdellatif-hammouchi", "david-fischer"),
    }
    # 001: "M. Bourita a tenu également hier des entretiens à la Maison-Blanche avec Jared Kushner"
    assert met[("nasser-bourita", "jared-kushner")]["places"] == ["Maison-Blanche"]
    # 002: "Lors de cette réunion à Rabat"
    assert met[("antony-blinken", "nasser-bourita")]["places"] == ["Rabat"]
    # 001: "cette session du Dialogue Stratégique tenue au siège du Département d’Etat" / "mardi
    # à Washington"
    assert set(met[("nasser-bourita", "mike-pompeo")]["places"]) == {
        "Siège du Département d’État",
        "Washington",
    }
    assert met[("mark-esper", "nasser-bourita")]["date"] == "2020-10-02"
    assert (
        "Nasser Bourita a également rencontré Ivanka Trump"
        in met[("nasser-bourita", "ivanka-trump")]["quotes"]
    )
    # One person's meetings, named as a reader would: "Esper".
    esper = run(store, "meetings", person="Esper")
    assert {r["other"] for r in esper} == {
        "nasser-bourita",
        "moroccan-chief-of-staff",
        "abdellatif-loudiyi",
    }
    # Article 003 announces the tour before it starts, in the conditional or future: "le
    # secrétaire à la Défense ouvrirait sa tournée par une visite en Tunisie mercredi pour tenir
    # «des entretiens bilatéraux avec le président Kais Ssaied et le ministre tunisien de la
    # Défense Ibrahim Bartagi»" and "Le chef du Pentagone se rendra ensuite en Algérie jeudi
    # pour s’entretenir avec le président Abdelmadjid Tebboune". No article says these talks
    # took place: they are planned meetings, shown only when asked for.
    planned = run(store, "meetings", person="Esper", modality="planned")
    assert {(r["other"], r["modality"]) for r in planned} == {
        ("kais-saied", "planned"),
        ("ibrahim-bartagi", "planned"),
        ("abdelmadjid-tebboune", "planned"),
    }
    # 004: "Comme en Tunisie mercredi 30 septembre" dates the Tunisian leg.
    assert {r["date"] for r in planned if r["other"] == "kais-saied"} == {"2020-09-30"}
    # 003: "Le haut fonctionnaire [...] n’a cependant pas révélé si le roi Mohammed VI recevrait
    # personnellement le secrétaire américain à la Défense": left open, a possible meeting.
    possible = run(store, "meetings", person="Esper", modality="possible")
    assert {(r["person"], r["other"]) for r in possible} == {("mohammed-vi", "mark-esper")}
    everything = run(store, "meetings", person="Esper", modality=None)
    assert {r["other"] for r in everything} == {r["other"] for r in esper} | {
        r["other"] for r in planned
    } | {r["other"] for r in possible}


@check("chairs")
def _chairs(store: Store) -> None:
    # 000: "une rencontre co-présidée par le ministre des Affaires étrangères, Nasser Bourita,
    # et le secrétaire d’Etat américain, Mike Pompeo"
    rows = run(store, "chairs")
    assert [(r["chair"], r["how"]) for r in rows] == [
        ("mike-pompeo", "co_chaired"),
        ("nasser-bourita", "co_chaired"),
    ]
    assert any(
        "co-présidée par le ministre des Affaires étrangères, Nasser Bourita" in q
        for q in rows[1]["quotes"]
    )
    # 002: "Cette fois, le Secrétaire sera chargé de présider une réunion de la Coalition
    # internationale pour la lutte contre Daesh." Announced, not done: by default (what
    # happened) nobody chaired it; asked for what was planned, Blinken was to chair it.
    assert run(store, "chairs", event="coalition-meeting-marrakech") == []
    marrakech = run(store, "chairs", event="coalition-meeting-marrakech", modality="planned")
    assert [(r["chair"], r["how"], r["modality"]) for r in marrakech] == [
        ("antony-blinken", "chaired", "planned")
    ]


@check("tour-stops")
def _tour_stops(store: Store) -> None:
    rows = run(store, "tour-stops")
    # 003: "ouvrirait sa tournée par une visite en Tunisie mercredi", "se rendra ensuite en
    # Algérie jeudi", "devrait se rendre vendredi au Maroc"; 004: "Comme en Tunisie mercredi
    # 30 septembre" and "a terminé vendredi sa visite en Afrique du Nord".
    assert [(r["stop"], r["date"], r["weekday"]) for r in rows] == [
        (ESPER_TUNISIA, "2020-09-30", "Wednesday"),
        (ESPER_ALGERIA, "2020-10-01", "Thursday"),
        (ESPER_MOROCCO, "2020-10-02", "Friday"),
    ]
    stops = {r["stop"]: r for r in rows}
    # 003: "la visite à Alger"; "conclurait sa tournée au Maghreb à Rabat"
    assert "Alger" in stops[ESPER_ALGERIA]["places"]
    assert "Rabat" in stops[ESPER_MOROCCO]["places"]
    # 003: "se rendra ensuite en Algérie jeudi pour s’entretenir avec le président Abdelmadjid
    # Tebboune" announces talks that no article reports; 004: "Nasser Bourita, après avoir vu
    # le secrétaire d’État américain à la Défense" reports one that took place.
    assert (stops[ESPER_ALGERIA]["met"], stops[ESPER_ALGERIA]["to_meet"]) == (
        [],
        ["Abdelmadjid Tebboune"],
    )
    assert "Nasser Bourita" in stops[ESPER_MOROCCO]["met"]
    # 003: "Esper prononcera ensuite un discours au cimetière militaire américain de Carthage"
    assert stops[ESPER_TUNISIA]["within"] == [
        "Discours de Mark Esper au cimetière militaire américain de Carthage"
    ]


@check("exercises")
def _exercises(store: Store) -> None:
    rows = {r["exercise"]: r for r in run(store, "exercises")}
    # 001: "exercices militaires conjoints “African Lion”, “Lightning Handshake” et “Epic
    # Guardian”"; 003: "L’événement de cette année, cependant, a été annulé"
    assert set(rows) == {
        "african-lion",
        "african-lion-2020",
        "lightning-handshake",
        "epic-guardian",
    }
    lion = rows["african-lion"]
    # 003: "le Maroc accueille l’exercice militaire African Lion"
    assert lion["hosts"] == ["Maroc"]
    # 002: "le Maroc et les États-Unis organisent chaque année l'opération African Lion"
    assert sorted(lion["organizers"]) == ["Maroc", "États-Unis"]
    assert lion["frequency"] == "chaque année"
    # 004: "un exercice militaire sous la houlette de l’Africom"
    assert lion["led_by"] == ["Africom"]
    # 003: "a été annulé en raison de la pandémie COVID-19"
    assert rows["african-lion-2020"]["edition_of"] == "African Lion"
    assert "annulé" in rows["african-lion-2020"]["status"]
    assert sorted(rows["epic-guardian"]["participants"]) == ["Maroc", "États-Unis"]


@check("armed-groups")
def _armed_groups(store: Store) -> None:
    rows = {r["group"]: r for r in run(store, "armed-groups")}
    # 000: "vaincre les groupes terroristes, notamment AQMI et l’Etat islamique"; 003: "les
    # organisations extrémistes telles que Daech et Al-Qaïda dans ce pays d’Afrique du Nord"
    assert set(rows) == {"daech", "aqmi", "al-qaeda"}
    # 000 (Morocco and the US); 002: "Cette Coalition internationale [...] vise à neutraliser
    # et à arrêter les pieds du groupe terroriste"
    assert sorted(rows["daech"]["fought_by"]) == [
        "Coalition mondiale pour vaincre Daech",
        "Maroc",
        "États-Unis",
    ]
    assert sorted(rows["aqmi"]["fought_by"]) == ["Maroc", "États-Unis"]
    # 003: "des menaces que font peser [...] Daech et Al-Qaïda dans ce pays d’Afrique du Nord"
    # (Tunisia)
    assert rows["al-qaeda"]["threatens"] == ["Tunisie"]
    assert rows["daech"]["threatens"] == ["Tunisie"]


@check("security-services")
def _security_services(store: Store) -> None:
    # 003: "toutes les unités de sécurité marocaines – y compris le Bureau central des enquêtes
    # judiciaires (BCIJ), la DGSN, la DGST et la Gendarmerie royale"
    rows = {r["service"]: r for r in run(store, "security-services")}
    assert set(rows) == {"bcij", "dgsn", "dgst", "gendarmerie-royale"}
    # 003: "le directeur général de la sécurité nationale et de la surveillance territoriale du
    # Maroc (DGST-DGSN) Abdellatif Hammouchi"
    assert rows["dgsn"]["heads"] == ["Abdellatif Hammouchi"]
    assert rows["dgst"]["heads"] == ["Abdellatif Hammouchi"]
    assert rows["gendarmerie-royale"]["heads"] == []
    assert run(store, "security-services", country="Tunisie") == []


@check("agreements")
def _agreements(store: Store) -> None:
    rows = {r["agreement"]: r for r in run(store, "agreements")}
    military = rows["us-morocco-military-cooperation-agreement-2020"]
    # 004: "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans
    # avec le ministre délégué [...], Abdellatif Loudiyi"
    assert sorted(military["signatories"]) == ["Abdellatif Loudiyi", "Mark Esper"]
    assert sorted(military["parties"]) == ["Maroc", "États-Unis"]
    assert military["signed_in"] == ["Rabat"]
    assert military["duration_years"] == 10
    # 004: "ouvre la voie à une coopération dans le domaine militaire stratégique, les achats
    # d'armes et d'équipements, la formation militaire, ainsi que le renseignement"
    assert "renseignement" in military["scope"]
    # 004: "Comme en Tunisie mercredi 30 septembre, Mark Esper a signé"
    assert rows["us-tunisia-military-cooperation-agreement-2020"]["signatories"] == ["Mark Esper"]
    assert rows["us-tunisia-military-cooperation-agreement-2020"]["date"] == "2020-09-30"
    # 001: "l’Accord de libre-échange” unissant les deux pays"
    assert sorted(rows["us-morocco-free-trade-agreement"]["parties"]) == ["Maroc", "États-Unis"]
    # 002: "l'accord tripartite avec Israël"
    assert "Israël" in rows["tripartite-agreement-israel"]["parties"]


@check("evidence")
def _evidence(store: Store) -> None:
    rows = run(store, "evidence")
    # 004: "Ce dernier a également rencontré le chef d’état-major et le ministre délégué à la
    # défense marocains." and "[...] avec le ministre délégué chargé de l'Administration et de
    # la Défense nationale, Abdellatif Loudiyi"
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} == {
        ("mark-esper", "met", "abdellatif-loudiyi")
    }
    assert {r["article"] for r in rows} == {A004}
    assert any("rencontré le chef d’état-major et le ministre délégué" in r["quote"] for r in rows)
    # Either order, any name: 000 "co-présidée par [...] Nasser Bourita, et [...] Mike Pompeo"
    both = run(store, "evidence", entity="Pompeo", other="Bourita")
    assert {r["predicate"] for r in both} == {"met"}
    assert {r["article"] for r in both} == {A000, A001}


@check("shortest-connection")
def _shortest_connection(store: Store) -> None:
    # 003: "des entretiens bilatéraux avec le président Kais Ssaied"; 004: "Nasser Bourita,
    # après avoir vu le secrétaire d’État américain à la Défense": Saïed — Esper — Bourita.
    rows = run(store, "shortest-connection")
    assert [(r["hops"], r["ids"], r["predicates"]) for r in rows] == [
        (2, ["kais-saied", "mark-esper", "nasser-bourita"], ["met", "met"])
    ]
    # 003: "Abdellatif Hammouchi a reçu l’ambassadeur américain au Maroc David Fischer"
    direct = run(store, "shortest-connection", entity="David Fischer", other="Abdellatif Hammouchi")
    assert [(r["hops"], r["ids"]) for r in direct] == [
        (1, ["david-fischer", "abdellatif-hammouchi"])
    ]


@check("most-cited")
def _most_cited(store: Store) -> None:
    rows = run(store, "most-cited", limit=3)
    # Every article names Morocco and the United States: 000 "Le Maroc et les Etats-Unis";
    # 001 "entre le Maroc et les Etats-Unis"; 002 "Le Maroc et les États-Unis"; 003 "Les
    # États-Unis ont longtemps vanté la coopération antiterroriste avec le Maroc"; 004 "les
    # États-Unis et le Maroc". No other entity is in all five: 002 names Africa only in "ce
    # pays d'Afrique du Nord", a mention of North Africa (the longest name wins).
    assert {r["id"] for r in rows[:2]} == {"morocco", "united-states"}
    assert [r["articles"] for r in rows] == [5, 5, 4]
    assert all(a["facts"] >= b["facts"] for a, b in zip(rows, rows[1:], strict=False))


@check("facts-per-article")
def _facts_per_article(store: Store, seeds_dir: Path) -> None:
    rows = {r["article"]: r for r in run(store, "facts-per-article")}
    assert set(rows) == {A000, A001, A002, A003, A004}
    # The headlines, as the articles print them (003 line 4, 002 line 1).
    assert rows[A003]["headline"] == (
        "Le chef du Pentagone se rend au Maroc pour évoquer la coopération antidjihadiste"
    )
    assert rows[A002]["headline"].startswith("Le secrétaire d'État américain s'envolera")
    # A count per article is not something one reads off the text: the oracle is the curated
    # facts themselves, counted here in Python from the seed files.
    corpus = load_corpus(seeds_dir)
    for article, row in rows.items():
        citing = [f for f in corpus.facts if any(s.article == article for s in f.sources)]
        assert row["facts"] == len(citing), article


@check("shared-entities")
def _shared_entities(store: Store) -> None:
    rows = {r["id"]: r["articles"] for r in run(store, "shared-entities")}
    # "Mark Esper" in 003 ("Le secrétaire américain à la Défense, Mark Esper") and 004 ("Mark
    # Esper était au Maroc"), in no other article.
    assert rows["mark-esper"] == [A003, A004]
    # "Mike Pompeo" in 000 and 001 only.
    assert rows["mike-pompeo"] == [A000, A001]
    # "Bourita" in 000, 001, 002 ("Nasser Bourita, le ministre marocain") and 004, not in 003.
    assert rows["nasser-bourita"] == [A000, A001, A002, A004]
    # Bouznika is only in 004: "doit reprendre ce vendredi à Bouznika".
    assert "bouznika" not in rows
    # In all five: Morocco and the United States (see most-cited); 002 names Africa only in
    # "ce pays d'Afrique du Nord", North Africa.
    five = run(store, "shared-entities", min_articles=5)
    assert {r["id"] for r in five} == {"morocco", "united-states"}


@check("timeline")
def _timeline(store: Store) -> None:
    rows = run(store, "timeline")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    by_id = {r["id"]: r for r in rows}
    # 002: "lors du sommet du Néguev à Sde Boker, en Israël, le 28 mars 2022" (read, not deduced)
    assert (by_id["negev-summit"]["date"], by_id["negev-summit"]["inferred"]) == (
        "2022-03-28",
        False,
    )
    # 004: "Comme en Tunisie mercredi 30 septembre" (the year is deduced)
    assert (by_id[ESPER_TUNISIA]["date"], by_id[ESPER_TUNISIA]["inferred"]) == ("2020-09-30", True)
    # 002: "a annoncé un nouveau voyage dans ce pays d'Afrique du Nord en mai" -- "L'événement
    # se tiendra dans la ville de Marrakech": announced, so not in what happened, by default.
    assert "coalition-meeting-marrakech" not in by_id
    planned = {r["id"]: r for r in run(store, "timeline", modality="planned")}
    assert (
        planned["coalition-meeting-marrakech"]["date"],
        planned["coalition-meeting-marrakech"]["modality"],
    ) == ("2022-05", "planned")
    # 002: "un tweet de 2021"; the Negev summit (March 2022) comes before the May meeting.
    everything = run(store, "timeline", modality=None)
    ids = [r["id"] for r in everything]
    assert (
        [r["date"] for r in everything].index("2021")
        < ids.index("negev-summit")
        < ids.index("coalition-meeting-marrakech")
    )
    # 002: the Negev summit "le 28 mars 2022" and Blinken's visit "il y a près d'un mois"
    # took place in 2022; the May meeting was still to come.
    year_2022 = run(store, "timeline", year=2022)
    assert {r["id"] for r in year_2022} == {"negev-summit", "blinken-visit-morocco"}


@check("entity")
def _entity(store: Store) -> None:
    rows = run(store, "entity", entity="Africom")
    facts = {(r["direction"], r["predicate"], r["other"]) for r in rows}
    # 004: "un exercice militaire sous la houlette de l’Africom, le commandement militaire
    # américain pour l’Afrique"
    assert ("out", "led", "african-lion") in facts
    assert ("out", "belongs_to", "united-states") in facts
    esper = run(store, "entity")
    # 004: "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans"
    assert ("out", "signed", "us-morocco-military-cooperation-agreement-2020") in {
        (r["direction"], r["predicate"], r["other"]) for r in esper
    }
    # Literal facts too: 004 "un accord de coopération militaire d’une durée de 10 ans"
    agreement = run(store, "entity", entity="us-morocco-military-cooperation-agreement-2020")
    values = {r["predicate"]: r["value"] for r in agreement if r["other"] is None}
    assert values["duration_years"] == 10
    assert ("in", "signed", "abdellatif-loudiyi") in {
        (r["direction"], r["predicate"], r["other"]) for r in agreement
    }


@check("article-entities")
def _article_entities(store: Store) -> None:
    ids = {r["id"] for r in run(store, "article-entities")}
    # 004: "Mark Esper a signé à Rabat [...] Abdellatif Loudiyi", "notre correspondante à
    # Casablanca, Nina Kozlowski", "doit reprendre ce vendredi à Bouznika", "celui de Fayez el
    # Sarraj et celui du maréchal Khalifa Haftar", "sous la houlette de l’Africom"
    assert {
        "mark-esper",
        "rabat",
        "abdellatif-loudiyi",
        "casablanca",
        "nina-kozlowski",
        "bouznika",
        "fayez-el-sarraj",
        "khalifa-haftar",
        "africom",
    } <= ids
    # Pompeo is named in 000 and 001 only.
    assert "mike-pompeo" not in ids
    blinken = {r["id"] for r in run(store, "article-entities", article=A002)}
    assert {"antony-blinken", "marrakech", "sde-boker", "negev-summit"} <= blinken


@check("claims-by")
def _claims_by(store: Store) -> None:
    rows = run(store, "claims-by")
    # 002: '"Le Maroc est un partenaire et un fournisseur de sécurité établi en raison de son
    # leadership dans le Forum mondial de lutte contre le terrorisme et de son rôle de soutien
    # dans la Coalition mondiale pour vaincre Daesh", a déclaré Blinken.'
    claims = {(r["subject"], r["predicate"], r["object"]) for r in rows}
    assert ("Antony Blinken", "praised", "Maroc") in claims
    assert ("Maroc", "led", "Forum mondial de lutte contre le terrorisme") in claims
    assert ("Maroc", "member_of", "Coalition mondiale pour vaincre Daech") in claims
    # Pompeo's word, in 000: "pour son leadership à la tête du Forum mondial de la lutte
    # contre le terrorisme" — not Blinken's.
    pompeo = {
        (r["subject"], r["predicate"], r["object"])
        for r in run(store, "claims-by", speaker="Pompeo")
    }
    assert ("Maroc", "led", "Forum mondial de lutte contre le terrorisme") in pompeo
    assert all(
        r["articles"] and set(r["articles"]) <= {A000, A001}
        for r in run(store, "claims-by", speaker="Pompeo")
    )


@check("happened-in")
def _happened_in(store: Store) -> None:
    ids = {r["id"] for r in run(store, "happened-in")}
    # 004: "Mark Esper a signé à Rabat un accord"; 002: "L'événement se tiendra dans la ville de
    # Marrakech", "Lors de cette réunion à Rabat"; 003: "devrait se rendre vendredi au Maroc"
    assert {
        "esper-visit-morocco",
        "us-morocco-military-cooperation-agreement-2020",
        "coalition-meeting-marrakech",
        "bourita-blinken-meeting-rabat",
    } <= ids
    # 003: "une visite en Tunisie mercredi" happened elsewhere.
    assert ESPER_TUNISIA not in ids
    tunisia = {r["id"] for r in run(store, "happened-in", country="Tunisie")}
    # 003: "un discours au cimetière militaire américain de Carthage" — in Tunisia, via Carthage.
    assert {ESPER_TUNISIA, "esper-carthage-speech"} <= tunisia


@check("positions")
def _positions(store: Store) -> None:
    rows = {(r["person"], r["in_id"]): r for r in run(store, "positions")}
    # 003: "le ministre tunisien de la Défense Ibrahim Bartagi"
    assert rows[("ibrahim-bartagi", "tunisia")]["role"] == "ministre tunisien de la Défense"
    # 000: "le secrétaire d’Etat américain, Mike Pompeo"
    assert rows[("mike-pompeo", "us-department-of-state")]["role"] == "secrétaire d’Etat américain"
    # 003: "le roi Mohammed VI"
    assert rows[("mohammed-vi", "morocco")]["role"] == "roi"
    hammouchi = run(store, "positions", person="Abdellatif Hammouchi")
    assert sorted(r["in_id"] for r in hammouchi) == ["dgsn", "dgst"]


def _saved_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.cypher"))


@pytest.mark.parametrize("name", _saved_names())
def test_saved_query_answers_from_the_articles(
    name: str, loaded_store: Store, seeds_dir: Path
) -> None:
    assert name in CHECKS, f"cypher/{name}.cypher has no test case: add one to CHECKS"
    function = CHECKS[name]
    if function.__code__.co_argcount == 2:
        function(loaded_store, seeds_dir)  # type: ignore[call-arg]
    else:
        function(loaded_store)


def test_every_check_has_a_saved_query() -> None:
    assert sorted(CHECKS) == _saved_names()


ID_LOOKUP = re.compile(r"\((\w*)(?::(\w+))?\s*\{id:\s*\$(\w+)\}\)")


@pytest.mark.parametrize("name", _saved_names())
def test_entity_lookups_go_through_the_label_index(name: str) -> None:
    """A node found by id carries a label (an unlabelled match scans every node), and a
    parameter that may name any entity is looked up under every entity label of the vocabulary.
    """
    saved = queries.get(name, QUERIES_DIR)
    labels: dict[str, set[str]] = {}
    for variable, label, param in ID_LOOKUP.findall(saved.text):
        assert label, f"cypher/{name}.cypher: ({variable} {{id: ${param}}}) has no label"
        assert label in vocab.node_labels(), f"cypher/{name}.cypher: unknown label {label}"
        labels.setdefault(param, set()).add(label)
    for param in saved.params:
        if param.entity and param.name in ("entity", "other"):
            assert labels.get(param.name) == set(vocab.ENTITY_TYPES), (name, param.name)


SHORTEST = re.compile(r"allShortestPaths\(\(a\)-\[:([A-Z_|\s]+)\*\.\.4\]-\(b\)\)")


def test_shortest_connection_follows_every_fact_and_no_mention() -> None:
    """Its pattern lists the relationship types to follow (FalkorDB applies a WHERE only after
    its search, see kg/cypher.py): every type of fact in the vocabulary, and not MENTIONS."""
    found = SHORTEST.search(queries.get("shortest-connection", QUERIES_DIR).text)
    assert found, "cypher/shortest-connection.cypher: no allShortestPaths((a)-[:...*..4]-(b))"
    listed = [t.strip() for t in found.group(1).split("|")]
    assert listed == [t for t in vocab.relationship_types() if t != vocab.MENTIONS]


def test_list_shows_every_saved_query(run_kg) -> None:
    result = run_kg("query", "--list", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert len(listed) >= 15
    assert {q["name"] for q in listed} == set(_saved_names())
    chairs = next(q for q in listed if q["name"] == "chairs")
    assert chairs["parameters"] == 'event="strategic-dialogue-session-4" modality="actual"'


def test_query_from_the_command_line(run_kg) -> None:
    result = run_kg(
        "query",
        "chairs",
        "--param",
        "event=Dialogue stratégique Maroc–États-Unis",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []  # the dialogue as a whole had no chair
    result = run_kg("query", "tour-stops", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(f"{ESPER_TUNISIA},")


def test_unknown_and_missing_parameters_are_named(run_kg, tmp_path: Path) -> None:
    result = run_kg("query", "evidence", "--param", "entiy=mark-esper")
    assert result.exit_code == 2
    assert "unknown parameter(s) $entiy" in result.stderr
    assert "$entity, $other" in result.stderr
    (tmp_path / "who.cypher").write_text(
        "// title: Who\n// description: One person.\n// param: person (entity)\n"
        "MATCH (p:Person {id: $person}) RETURN p.name AS name\n",
        encoding="utf-8",
    )
    result = run_kg("query", "who", "--queries", str(tmp_path))
    assert result.exit_code == 2
    assert "missing required parameter(s) $person" in result.stderr
    result = run_kg(
        "query", "who", "--queries", str(tmp_path), "-p", "person=Abdellatif Loudiyi", "-f", "json"
    )
    assert json.loads(result.stdout) == [{"name": "Abdellatif Loudiyi"}]
    result = run_kg("query", "nosuch")
    assert result.exit_code == 2 and "no saved query named 'nosuch'" in result.stderr


def test_an_unknown_entity_name_is_refused(run_kg) -> None:
    result = run_kg("query", "entity", "--param", "entity=Napoléon")
    assert result.exit_code == 2
    assert "no entity is named 'Napoléon'" in result.stderr


def test_a_saved_query_edited_to_write_is_refused(
    run_kg, loaded_store: Store, tmp_path: Path
) -> None:
    edited = tmp_path / "cypher"
    shutil.copytree(QUERIES_DIR, edited)
    (edited / "timeline.cypher").write_text(
        "// title: Timeline\n// description: Edited to write.\n"
        "MATCH (n:Event) SET n.name = 'overwritten' RETURN n.id AS id\n",
        encoding="utf-8",
    )
    result = run_kg("query", "timeline", "--queries", str(edited))
    assert result.exit_code == 2
    assert "saved query 'timeline'" in result.stderr and "read-only" in result.stderr
    with pytest.raises(ReadOnlyViolation):
        queries.run(loaded_store, queries.get("timeline", edited))
    names = loaded_store.query("MATCH (n:Event {name: 'overwritten'}) RETURN count(n) AS n")
    assert names.rows == [[0]]


@pytest.mark.parametrize(
    "header, problem",
    [
        ("// title: T\n// description: D\n", "undeclared parameter(s) $x"),
        ("// title: T\n// description: D\n// param: x (string) = nope\n", "is not JSON"),
        ("// description: D\n// param: x (string)\n", "no `// title:` line"),
        (
            "// title: T\n// description: D\n// param: x (int)\n// param: y (int) = 1\n",
            "$y are not used",
        ),
        ("// title: T\n// descrption: D\n// param: x (int)\n", "unknown header 'descrption'"),
        ("// title: T\n// description: D\n// param: x = 1\n", "expected `param: name (type)"),
        ("// title: T\n// description: D\n// param: x (number)\n", "int, string, date"),
        ('// title: T\n// description: D\n// param: x (int) = "ten"\n', "takes an integer"),
    ],
)
def test_a_malformed_header_is_named(header: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.cypher"
    path.write_text(header + "RETURN $x AS x\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        queries.parse(path)
    assert problem in str(error.value)
    assert str(path) in str(error.value)


def test_cypher_refuses_a_write_without_the_flag(run_kg) -> None:
    result = run_kg("cypher", "CREATE (n:X)")
    assert result.exit_code == 2
    assert "read-only" in result.stderr and "--write" in result.stderr


def test_cypher_writes_with_the_flag_on_a_scratch_store(tmp_path_factory) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    data_dir = tmp_path_factory.mktemp("scratch")
    result = CliRunner().invoke(
        app, ["--data-dir", str(data_dir), "cypher", "CREATE (n:X)", "--write"]
    )
    assert result.exit_code == 0, result.output
    with connect(StoreConfig(data_dir=data_dir)) as store:
        assert store.query("MATCH (n:X) RETURN count(n) AS n").rows == [[1]]


def _normalized(rows: list[list[Any]]) -> list[str]:
    """Rows as comparable text, lists sorted: stores may collect in different orders."""

    def cell(value: Any) -> Any:
        if isinstance(value, list):
            return sorted(json.dumps(v, sort_keys=True, ensure_ascii=False) for v in value)
        return value

    return sorted(
        json.dumps([cell(v) for v in row], sort_keys=True, ensure_ascii=False) for row in rows
    )


def test_saved_queries_answer_alike_on_both_stores(
    store: Store, loaded_store: Store, seeds_dir: Path
) -> None:
    """Each store runs every saved query unchanged and gives the embedded store's answer."""
    from kg.load import load

    load(store, seeds_dir, reset=True)
    for name, saved in queries.load_all(QUERIES_DIR).items():
        expected = queries.run(loaded_store, saved)
        answer = queries.run(store, saved)
        assert answer.columns == expected.columns, name
        assert _normalized(answer.rows) == _normalized(expected.rows), name
