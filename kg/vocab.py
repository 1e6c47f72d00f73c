"""The domain vocabulary: the one place where types and predicates are defined.

Validation, Cypher generation, RDF export, SHACL shapes and the docs are all
derived from the tables below. A label or relationship type that is not here
never reaches a query string (see `check_label` and `check_rel_type`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

KG_NS = "https://w3id.org/kg-us-morocco/ontology#"
SCHEMA_NS = "https://schema.org/"


@dataclass(frozen=True)
class Kind:
    """A finer kind within an entity type (the seeds' `kind`): a SKOS concept of `kg:kinds` in
    the RDF export, which also types the entity with `rdf_class`, a schema.org subclass of its
    type's class, where one exists that fits every entity of the kind."""

    name: str
    label_fr: str
    label_en: str
    rdf_class: str | None = None  # CURIE


GOVERNMENT_ORGANIZATION = "schema:GovernmentOrganization"  # "a governmental organization or agency"


@dataclass(frozen=True)
class EntityType:
    """A node label for curated entities."""

    label: str  # Neo4j label, also the seed `type`
    rdf_class: str  # CURIE of the class the export types it with
    label_fr: str
    label_en: str
    definition: str
    kinds: tuple[Kind, ...] = ()  # allowed values of the optional `kind` field
    colour: str = field(kw_only=True)  # fill of its nodes in `kg viz` and its legend

    @property
    def kind_names(self) -> tuple[str, ...]:
        return tuple(kind.name for kind in self.kinds)


ENTITY_TYPES: dict[str, EntityType] = {
    t.label: t
    for t in (
        EntityType(
            "Person",
            "schema:Person",
            "Personne",
            "Person",
            "A named human being.",
            colour="#F79767",
        ),
        EntityType(
            "Country",
            "schema:Country",
            "Pays",
            "Country",
            "A sovereign state, named as such or by its capital's metonymy.",
            colour="#57C7E3",
        ),
        EntityType(
            "Organization",
            "schema:Organization",
            "Organisation",
            "Organization",
            "A ministry, security service, armed group, coalition, forum, command, "
            "media outlet or other body acting as one.",
            kinds=(
                Kind("government", "gouvernement", "government", GOVERNMENT_ORGANIZATION),
                Kind("ministry", "ministère", "ministry", GOVERNMENT_ORGANIZATION),
                Kind(
                    "security_service",
                    "service de sécurité",
                    "security service",
                    GOVERNMENT_ORGANIZATION,
                ),
                Kind("armed_forces", "forces armées", "armed forces", GOVERNMENT_ORGANIZATION),
                Kind(
                    "military_command",
                    "commandement militaire",
                    "military command",
                    GOVERNMENT_ORGANIZATION,
                ),
                Kind("armed_group", "groupe armé", "armed group"),
                Kind("coalition", "coalition", "coalition"),
                Kind("forum", "forum", "forum"),
                Kind("media", "média", "media", "schema:NewsMediaOrganization"),
                Kind("working_group", "groupe de travail", "working group"),
                Kind("political_faction", "faction politique", "political faction"),
            ),
            colour="#8DCC93",
        ),
        EntityType(
            "Exercise",
            "kg:Exercise",
            "Exercice militaire",
            "Military exercise",
            "A recurring or one-off military exercise.",
            colour="#F16667",
        ),
        EntityType(
            "Event",
            "schema:Event",
            "Événement",
            "Event",
            "A dated happening: dialogue session, visit, tour, meeting, summit, speech, the "
            "publication of a report.",
            kinds=(
                Kind("dialogue", "dialogue", "dialogue"),
                Kind("dialogue_session", "session de dialogue", "dialogue session"),
                Kind("visit", "visite", "visit"),
                Kind("tour", "tournée", "tour"),
                Kind("meeting", "rencontre", "meeting"),
                Kind("summit", "sommet", "summit"),
                Kind("speech", "discours", "speech"),
                Kind("talks", "pourparlers", "talks"),
                Kind("statement", "déclaration", "statement"),
                # The release of a document (a report): the happening the articles date and
                # announce, not the document itself.
                Kind("publication", "publication", "publication", "schema:PublicationEvent"),
                Kind("cancellation", "annulation", "cancellation"),
            ),
            colour="#FFC454",
        ),
        EntityType(
            "Agreement",
            "kg:Agreement",
            "Accord",
            "Agreement",
            "A signed or standing agreement between parties.",
            colour="#C990C0",
        ),
        EntityType(
            "Plan",
            "kg:Plan",
            "Plan",
            "Plan",
            "A plan, proposal or mechanism put forward by a party, neither agreed nor a "
            "happening (e.g. an autonomy plan, a common platform).",
            colour="#D9C8AE",
        ),
        EntityType(
            "Place",
            "schema:Place",
            "Lieu",
            "Place",
            "A city, region, building or site (countries are Country).",
            kinds=(
                Kind("city", "ville", "city", "schema:City"),
                Kind("region", "région", "region"),
                Kind("site", "site", "site"),
                Kind("building", "bâtiment", "building"),
            ),
            colour="#4C8EDA",
        ),
    )
}

KINDS: dict[str, Kind] = {k.name: k for t in ENTITY_TYPES.values() for k in t.kinds}
TYPE_OF_KIND: dict[str, str] = {k.name: t.label for t in ENTITY_TYPES.values() for k in t.kinds}

ARTICLE_LABEL = "Article"
ARTICLE_COLOUR = "#A5ABB6"  # grey: articles are sources, not actors
MENTIONS = "MENTIONS"  # (:Article)-[:MENTIONS]->(entity), derived at load time
# Neo4j only: the one node that every load counts itself on, in its own transaction, so that
# a command reading in one (read committed) transaction can tell whether a load committed
# while it read (kg/cypher.py). Not an entity or an article: reads and resets leave it out.
LOAD_COUNTER_LABEL = "KgGraph"

PERSON, COUNTRY, ORG, EXERCISE, EVENT, AGREEMENT, PLAN, PLACE = (
    "Person",
    "Country",
    "Organization",
    "Exercise",
    "Event",
    "Agreement",
    "Plan",
    "Place",
)
ACTORS = (PERSON, COUNTRY, ORG)
HAPPENINGS = (EVENT, EXERCISE)
ANY = tuple(ENTITY_TYPES)


@dataclass(frozen=True)
class Predicate:
    """A fact's predicate.

    Entity-valued predicates become relationships of type `rel_type`; literal
    ones (`datatype` set) become node properties named like the predicate.
    """

    name: str  # as written in seeds/facts.yaml
    rdf_term: str  # CURIE
    definition: str
    domain: tuple[str, ...]
    range: tuple[str, ...] = ()  # entity types, empty for literals
    datatype: str | None = None  # "date", "year", "integer" or "string"
    label_fr: str = ""
    label_en: str = ""
    symmetric: bool = False
    # CURIEs of the properties of other vocabularies this one specializes (rdfs:subPropertyOf
    # in the ontology): only where every use of it is a use of theirs, domain and range included.
    superproperties: tuple[str, ...] = ()

    @property
    def rel_type(self) -> str:
        return self.name.upper()

    @property
    def is_literal(self) -> bool:
        return self.datatype is not None


P = Predicate
PREDICATES: dict[str, Predicate] = {
    p.name: p
    for p in (
        # --- who took part in what -------------------------------------------------
        P(
            "chaired",
            "kg:chaired",
            "Presided over an event alone.",
            (PERSON, COUNTRY, ORG),
            HAPPENINGS,
            label_fr="a présidé",
            label_en="chaired",
        ),
        P(
            "co_chaired",
            "kg:coChaired",
            "Presided over an event jointly with others.",
            (PERSON, COUNTRY, ORG),
            HAPPENINGS,
            label_fr="a coprésidé",
            label_en="co-chaired",
        ),
        P(
            "participated_in",
            "kg:participatedIn",
            "Took part in an event or exercise.",
            ACTORS,
            HAPPENINGS,
            label_fr="a participé à",
            label_en="participated in",
        ),
        P(
            "attended",
            "kg:attended",
            "Was present at an event without being a principal (e.g. 'en présence de').",
            ACTORS,
            HAPPENINGS,
            label_fr="était présent à",
            label_en="attended",
        ),
        P(
            "hosted",
            "kg:hosted",
            "Received an event or exercise on its soil or premises.",
            ACTORS,
            HAPPENINGS,
            label_fr="a accueilli",
            label_en="hosted",
        ),
        P(
            "organized",
            "kg:organized",
            "Organized or conducted an event or exercise.",
            ACTORS,
            HAPPENINGS,
            label_fr="a organisé",
            label_en="organized",
        ),
        P(
            "led",
            "kg:led",
            "Directed an exercise, event or body ('sous la houlette de').",
            ACTORS,
            (*HAPPENINGS, ORG),
            label_fr="a dirigé",
            label_en="led",
        ),
        P(
            "cancelled_because_of",
            "kg:cancelledBecauseOf",
            "Was called off because of the event (e.g. a pandemic).",
            HAPPENINGS,
            HAPPENINGS,
            label_fr="annulé en raison de",
            label_en="cancelled because of",
        ),
        P(
            "proposed",
            "kg:proposed",
            "Put forward the plan or proposal as its own.",
            ACTORS,
            (PLAN,),
            label_fr="a proposé",
            label_en="proposed",
        ),
        P(
            "announced",
            "kg:announced",
            "Made an event or agreement public.",
            ACTORS,
            (EVENT, EXERCISE, AGREEMENT),
            label_fr="a annoncé",
            label_en="announced",
        ),
        # --- encounters and movements ---------------------------------------------
        P(
            "met",
            "kg:met",
            "Held talks or an audience with a person (qualified by `during`).",
            (PERSON,),
            (PERSON,),
            label_fr="a rencontré",
            label_en="met",
            symmetric=True,
        ),
        P(
            "visited",
            "kg:visited",
            "Travelled to a country or place.",
            (PERSON,),
            (COUNTRY, PLACE),
            label_fr="a visité",
            label_en="visited",
        ),
        P(
            "spoke_at",
            "kg:spokeAt",
            "Gave a speech or statement at a place or event.",
            (PERSON,),
            (PLACE, EVENT),
            label_fr="a pris la parole à",
            label_en="spoke at",
        ),
        P(
            "discussed",
            "kg:discussed",
            "Had the entity as a topic (of talks, a statement or a plan).",
            (*ACTORS, EVENT, PLAN),
            ANY,
            label_fr="a discuté de",
            label_en="discussed",
        ),
        # --- positions and relations between people ---------------------------------
        P(
            "holds_position",
            "kg:holdsPosition",
            "Holds the office given in `role` in an organization or country.",
            (PERSON,),
            (ORG, COUNTRY),
            label_fr="occupe un poste à",
            label_en="holds position in",
        ),
        P(
            "nationality",
            "schema:nationality",
            "Is a national or official of the country.",
            (PERSON,),
            (COUNTRY,),
            label_fr="nationalité",
            label_en="nationality",
        ),
        P(
            "advises",
            "kg:advises",
            "Is an adviser to the person.",
            (PERSON,),
            (PERSON,),
            label_fr="conseille",
            label_en="advises",
        ),
        P(
            "child_of",
            "kg:childOf",
            "Is a child of the person.",
            (PERSON,),
            (PERSON,),
            label_fr="enfant de",
            label_en="child of",
            superproperties=("schema:parent",),  # "a parent of this person"
        ),
        P(
            "ambassador_to",
            "kg:ambassadorTo",
            "Is the ambassador accredited to the country.",
            (PERSON,),
            (COUNTRY,),
            label_fr="ambassadeur auprès de",
            label_en="ambassador to",
        ),
        P(
            "correspondent_in",
            "kg:correspondentIn",
            "Reports as a correspondent from the place.",
            (PERSON,),
            (PLACE, COUNTRY),
            label_fr="correspondant à",
            label_en="correspondent in",
        ),
        # --- agreements --------------------------------------------------------------
        P(
            "signed",
            "kg:signed",
            "Signed the agreement.",
            (PERSON, COUNTRY, ORG),
            (AGREEMENT,),
            label_fr="a signé",
            label_en="signed",
        ),
        P(
            "party_to",
            "kg:partyTo",
            "Is bound by the agreement.",
            (COUNTRY, ORG),
            (AGREEMENT,),
            label_fr="partie à",
            label_en="party to",
        ),
        # --- structure ----------------------------------------------------------------
        P(
            "part_of",
            "kg:partOf",
            "Is a part, stage or session of a larger whole.",
            (EVENT, EXERCISE, ORG, PLACE),
            (EVENT, EXERCISE, ORG, COUNTRY, PLACE),
            label_fr="fait partie de",
            label_en="part of",
            superproperties=("dcterms:isPartOf",),
        ),
        P(
            "belongs_to",
            "kg:belongsTo",
            "Is a body of the country's state.",
            (ORG,),
            (COUNTRY,),
            label_fr="relève de",
            label_en="belongs to",
        ),
        # Not schema:memberOf (its domain is Person and Organization; a Country is a member
        # here): W3C ORG's, whose members are agents, as a sovereign state is.
        P(
            "member_of",
            "kg:memberOf",
            "Is a member of the coalition, forum or body.",
            ACTORS,
            (ORG,),
            label_fr="membre de",
            label_en="member of",
            superproperties=("org:memberOf",),
        ),
        # Not schema:location: an agreement (a CreativeWork) is signed at a place, and
        # schema:location is a property of events, actions, people and organizations.
        P(
            "held_in",
            "kg:heldIn",
            "Took place in the place or country (an agreement: was signed there).",
            (*HAPPENINGS, AGREEMENT),
            (PLACE, COUNTRY),
            label_fr="a eu lieu à",
            label_en="held in",
            superproperties=("prov:atLocation",),
        ),
        P(
            "located_in",
            "schema:containedInPlace",
            "Lies within the place or country (a country within a region).",
            (PLACE, COUNTRY),
            (PLACE, COUNTRY),
            label_fr="situé dans",
            label_en="located in",
        ),
        # --- cooperation and conflict -------------------------------------------------
        P(
            "cooperates_with",
            "kg:cooperatesWith",
            "Cooperates with (the field may be given in `role`).",
            (COUNTRY, ORG, PERSON),
            (COUNTRY, ORG, PERSON),
            label_fr="coopère avec",
            label_en="cooperates with",
            symmetric=True,
        ),
        P(
            "fights",
            "kg:fights",
            "Acts against an armed group or threat (a pandemic is an Event).",
            (*ACTORS, *HAPPENINGS),
            (ORG, COUNTRY, EVENT),
            label_fr="combat",
            label_en="fights",
        ),
        P(
            "threatens",
            "kg:threatens",
            "Is presented as a threat to the country or region.",
            (ORG, COUNTRY),
            (COUNTRY, PLACE),
            label_fr="menace",
            label_en="threatens",
        ),
        P(
            "supports",
            "kg:supports",
            "Backs the country, body or position.",
            ACTORS,
            ANY,
            label_fr="soutient",
            label_en="supports",
        ),
        P(
            "relies_on",
            "kg:reliesOn",
            "Counts on the partner for a task (given in `role`).",
            ACTORS,
            ACTORS,
            label_fr="s'appuie sur",
            label_en="relies on",
        ),
        P(
            "stabilises",
            "kg:stabilises",
            "Acts to stabilise the situation in the country or region.",
            ACTORS,
            (COUNTRY, PLACE),
            label_fr="stabilise",
            label_en="stabilises",
        ),
        P(
            "supplies_arms_to",
            "kg:suppliesArmsTo",
            "Sells or supplies weapons to.",
            (COUNTRY,),
            (COUNTRY,),
            label_fr="fournit des armes à",
            label_en="supplies arms to",
        ),
        P(
            "praised",
            "kg:praised",
            "Spoke favourably of (always a claim of the subject).",
            ACTORS,
            ANY,
            label_fr="a salué",
            label_en="praised",
        ),
        # --- literal-valued facts -----------------------------------------------------
        # Not schema:startDate (not a property of a CreativeWork such as an agreement).
        P(
            "date",
            "kg:date",
            "The day, month or year the event took place or the agreement was signed.",
            (*HAPPENINGS, AGREEMENT),
            datatype="date",
            label_fr="date",
            label_en="date",
            superproperties=("dcterms:date",),
        ),
        P(
            "founded",
            "schema:foundingDate",
            "The year the body was created.",
            (ORG,),
            datatype="date",
            label_fr="créé en",
            label_en="founded",
        ),
        P(
            "duration_years",
            "kg:durationYears",
            "How many years the agreement runs.",
            (AGREEMENT,),
            datatype="integer",
            label_fr="durée (ans)",
            label_en="duration (years)",
        ),
        P(
            "scope",
            "kg:scope",
            "The fields the agreement covers, as the article words them.",
            (AGREEMENT,),
            datatype="string",
            label_fr="portée",
            label_en="scope",
        ),
        P(
            "frequency",
            "kg:frequency",
            "How often the exercise or event recurs.",
            HAPPENINGS,
            datatype="string",
            label_fr="fréquence",
            label_en="frequency",
        ),
        P(
            "status",
            "kg:status",
            "What became of the event (e.g. cancelled), as worded.",
            HAPPENINGS,
            datatype="string",
            label_fr="statut",
            label_en="status",
        ),
        P(
            "weekday",
            "kg:weekday",
            "The day of the week the event took place, as the article gives it (English name).",
            HAPPENINGS,
            datatype="string",
            label_fr="jour de la semaine",
            label_en="weekday",
        ),
    )
}
del P


@dataclass(frozen=True)
class Modality:
    """Whether a fact happened or holds: the truth model's closed set (see `MODALITIES`)."""

    name: str
    label_fr: str
    label_en: str
    definition: str


MODALITIES: dict[str, Modality] = {
    m.name: m
    for m in (
        Modality(
            "actual",
            "réel",
            "actual",
            "Happened or holds, as the article states it.",
        ),
        Modality(
            "planned",
            "prévu",
            "planned",
            "Announced, scheduled or in the future when the article was written.",
        ),
        Modality(
            "recurring",
            "récurrent",
            "recurring",
            'Happens regularly ("chaque année"), not one dated occurrence.',
        ),
        Modality(
            "cancelled",
            "annulé",
            "cancelled",
            "Was planned and is stated not to take place.",
        ),
        Modality(
            "negated",
            "démenti",
            "negated",
            "Is stated not to hold or not to have happened.",
        ),
        Modality(
            "possible",
            "possible",
            "possible",
            "Conditional, hoped for, sought or proposed; not (yet) decided.",
        ),
    )
}
ACTUAL = "actual"  # the modality "what happened" queries keep by default


@dataclass(frozen=True)
class Qualifier:
    """A field a fact carries besides its sources; stored on the relationship, or beside a
    literal fact's value as `<predicate>_<qualifier>`. Only `modality` is required."""

    name: str
    rdf_term: str  # CURIE
    definition: str
    value: str  # "entity" (an id), "date", "modality" (a MODALITIES name) or "text"
    label_fr: str
    label_en: str
    range: tuple[str, ...] = ()  # the entity types an "entity" qualifier may name


QUALIFIERS: dict[str, Qualifier] = {
    q.name: q
    for q in (
        Qualifier(
            "modality",
            "kg:modality",
            "Whether the fact happened or holds: one of MODALITIES (actual, planned, ...).",
            "modality",
            "modalité",
            "modality",
        ),
        Qualifier(
            "during",
            "kg:during",
            "The Event in the course of which the fact holds.",
            "entity",
            "pendant",
            "during",
            HAPPENINGS,
        ),
        Qualifier(
            "role",
            "kg:role",
            "Office, capacity or field, as the article words it.",
            "text",
            "rôle",
            "role",
        ),
        # PROV's attribution: the statement (a prov:Entity) is ascribed to an agent.
        Qualifier(
            "stated_by",
            "prov:wasAttributedTo",
            "The person, country or body whose claim this is (reported speech, praise, opinion).",
            "entity",
            "selon",
            "stated by",
            ACTORS,
        ),
        Qualifier(
            "when",
            "kg:when",
            "A date (YYYY, YYYY-MM or YYYY-MM-DD) at which the fact holds.",
            "date",
            "date de validité",
            "when",
        ),
        Qualifier(
            "inferred",
            "kg:inferred",
            "Why a value was deduced rather than read (its presence marks it inferred).",
            "text",
            "inféré parce que",
            "inferred because",
        ),
        Qualifier(
            "note",
            "skos:note",
            "A curator's note, e.g. where the article is garbled.",
            "text",
            "note",
            "note",
        ),
    )
}

# Anchored with \A and \Z (`$` also matches before a final newline, and an id ending in a
# newline must never reach a store): `.match` and `.fullmatch` both test the whole text.
DATE_PATTERN = re.compile(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")
IDENTIFIER = re.compile(r"\A[A-Za-z][A-Za-z0-9_]*\Z")
SLUG = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")
# NNN_ and 16 hex digits (kg.articles): NNN three digits or more, past article 999 too.
ARTICLE_ID = re.compile(r"\A(\d{3,})_[0-9a-f]{16}\Z")


def is_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day of the calendar (not 2022-13-45)."""
    if not isinstance(text, str) or not DATE_PATTERN.match(text):
        return False
    year, month, day = (int(part) for part in (text + "-01-01").split("-")[:3])
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def check_label(label: str) -> str:
    """Return `label` if it is a node label of the vocabulary, else raise ValueError."""
    if label in ENTITY_TYPES or label == ARTICLE_LABEL:
        return label
    raise ValueError(f"{label!r} is not a node label of the vocabulary")


def check_rel_type(rel_type: str) -> str:
    """Return `rel_type` if it is a relationship type of the vocabulary, else raise."""
    if rel_type == MENTIONS or any(
        p.rel_type == rel_type for p in PREDICATES.values() if not p.is_literal
    ):
        return rel_type
    raise ValueError(f"{rel_type!r} is not a relationship type of the vocabulary")


def node_labels() -> list[str]:
    return [*ENTITY_TYPES, ARTICLE_LABEL]


def relationship_types() -> list[str]:
    """Every relationship type kg writes: the predicates between entities, then MENTIONS."""
    facts = [p.rel_type for p in PREDICATES.values() if not p.is_literal]
    return [*dict.fromkeys(facts), MENTIONS]


LANGUAGES = {"fr": "French", "es": "Spanish", "en": "English"}  # ISO 639-1 codes
