"""The entity card: one entity and every fact in or out of it, with its sources."""

from __future__ import annotations

import difflib
from typing import Any

from kg import contract, graph, vocab
from kg.errors import InvalidInput
from kg.stores import Store
from kg.text import search_key, words

CARD_FIELDS = ("id", "name", "kind", "label_fr", "label_en", "aliases", "titles", "note")
QUALIFIER_FIELDS = tuple(vocab.QUALIFIERS)

# Entity nodes carry `search_keys` (their id, names and aliases, folded by kg.text.search_key)
# and `search_words` (the folded words of those names), written by kg.graph.
FIND = (
    f"MATCH (n) WHERE $key IN n.search_keys AND {graph.ours('n')} "
    f"RETURN n.id AS id, {graph.label_of('n')} AS label, n.name AS name ORDER BY id"
)
# By id, one labelled branch per entity type of the vocabulary: the store uses its index on
# `id` (an unlabelled match scans every node: 17 ms against 0.1 ms at 100k nodes).
BY_ID = " UNION ".join(
    f"MATCH (n:{vocab.check_label(label)} {{id: $key}}) "
    f"RETURN n.id AS id, '{label}' AS label, n.name AS name"
    for label in vocab.ENTITY_TYPES
)

FIND_WORDS = (
    f"MATCH (n) WHERE all(w IN $words WHERE w IN n.search_words) AND {graph.ours('n')} "
    f"RETURN n.id AS id, {graph.label_of('n')} AS label, n.name AS name, "
    "n.search_keys AS keys ORDER BY id"
)
ALL_NAMES = (
    f"MATCH (n) WHERE n.search_keys IS NOT NULL AND {graph.ours('n')} "
    f"RETURN n.id AS id, {graph.label_of('n')} AS label, n.name AS name, "
    "n.search_keys + n.search_words AS keys, n.titles AS titles ORDER BY id"
)
CANDIDATES = 5


def find_entity(store: Store, text: str) -> tuple[str, str]:
    """(id, label) of the entity `text` names, case and accents aside.

    `text` is an id, a name or an alias; else one or more words of names ("Loudiyi",
    "saied"): the entity with the shortest name holding them all wins, unless another ties
    ("haftar" is Khalifa Haftar, not his camp). Unknown or ambiguous: InvalidInput naming up
    to five candidates.
    """
    key = search_key(text)
    ours = graph.ours_params()
    # An id names its entity first, through the index; else every name, label and alias.
    matches = store.query(BY_ID, {"key": key}).rows or store.query(FIND, {"key": key, **ours}).rows
    if len(matches) == 1:
        return matches[0][0], matches[0][1]
    # Words of one letter are elisions ("l'Etat islamique"): not worth matching on.
    if not matches and (wanted := [w for w in words(text) if len(w) > 1]):
        ranked = sorted(
            (_fewest_words(wanted, keys, id_), id_, label, name)
            for id_, label, name, keys in store.query(FIND_WORDS, {"words": wanted, **ours}).rows
        )
        if len(ranked) == 1 or (ranked and ranked[0][0] < ranked[1][0]):
            return ranked[0][1], ranked[0][2]
        matches = [row[1:] for row in ranked]
    if matches:
        raise InvalidInput(f"{text!r} names several entities: {_listed(matches)} (give an id)")
    raise InvalidInput(f"no entity is named {text!r}{_did_you_mean(store, key)}")


def _fewest_words(wanted: list[str], keys: list[str], entity_id: str) -> int:
    """How many words the shortest name (not the id) holding all the `wanted` words has."""
    sizes = [len(w) for k in keys if k != entity_id and set(wanted) <= set(w := words(k))]
    return min(sizes, default=len(wanted) + 100)


def _listed(rows: list[Any]) -> str:
    shown = ", ".join(f"{name} ({id_}, {label})" for id_, label, name in rows[:CANDIDATES])
    return shown + (f" and {len(rows) - CANDIDATES} more" if len(rows) > CANDIDATES else "")


def _did_you_mean(store: Store, key: str) -> str:
    """'; did you mean: ...' naming up to five entities whose names, their words or the
    words of their titles ("ministre") are closest to `key`."""
    owners: dict[str, list[tuple[str, str, str]]] = {}
    for id_, label, name, keys, titles in store.query(ALL_NAMES, graph.ours_params()).rows:
        for k in {*keys, *(w for t in titles or [] for w in words(t))}:
            owners.setdefault(k, []).append((id_, label, name))
    close = difflib.get_close_matches(key, owners, n=50, cutoff=0.7)
    best = list(dict.fromkeys(entity for k in close for entity in owners[k]))
    if not best:
        return " (try an id, a name or an alias)"
    return "; did you mean: " + _listed(best[:CANDIDATES])


def _facts_query(label: str, direction: str) -> str:
    pattern = "(n)-[r]->(m)" if direction == "out" else "(n)<-[r]-(m)"
    ends = (
        "n.id AS subject, m.id AS object"
        if direction == "out"
        else "m.id AS subject, n.id AS object"
    )
    return (
        f"MATCH (n:{vocab.check_label(label)} {{id: $id}}) MATCH {pattern} "
        f"WHERE type(r) IN $kg_types AND type(r) <> '{vocab.MENTIONS}' AND {graph.ours('m')} "
        f"RETURN type(r) AS type, {ends}, m.name AS other_name, {graph.label_of('m')} "
        "AS other_label, properties(r) AS props ORDER BY props.id"
    )


def entity_card(store: Store, text: str) -> dict[str, Any]:
    """`{"entity": {...}, "facts": [...]}` for the entity `text` names, read from one snapshot."""
    with store.reading():
        return _card(store, text)


def _card(store: Store, text: str) -> dict[str, Any]:
    entity_id, label = find_entity(store, text)
    node = store.query(
        f"MATCH (n:{vocab.check_label(label)} {{id: $id}}) "
        f"OPTIONAL MATCH (a:{vocab.ARTICLE_LABEL})-[:{vocab.MENTIONS}]->(n) "
        "RETURN properties(n) AS props, collect(a.id) AS articles",
        {"id": entity_id},
    ).rows[0]
    props, articles = node
    entity = {"type": label, **{k: props.get(k) for k in CARD_FIELDS}, "articles": sorted(articles)}
    facts = _literal_facts(entity_id, props)
    for direction in ("out", "in"):
        query = _facts_query(label, direction)
        for row in store.query(query, {"id": entity_id, **graph.ours_params()}).records():
            fact = contract.relationship_fact(row["type"], row["props"])
            facts.append(
                {
                    "id": fact.id,
                    "subject": row["subject"],
                    "predicate": fact.predicate,
                    "object": row["object"],
                    "direction": direction,
                    "other": {
                        "id": row["subject"] if direction == "in" else row["object"],
                        "name": row["other_name"],
                        "type": row["other_label"],
                    },
                    **fact.qualifiers,
                    "sources": _sources(fact),
                }
            )
    return {"entity": entity, "facts": facts}


def _literal_facts(entity_id: str, props: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": fact.id,
            "subject": entity_id,
            "predicate": fact.predicate,
            "value": fact.value,
            "direction": "out",
            "sources": _sources(fact),
            **fact.qualifiers,
        }
        for fact in contract.literal_facts(props)
    ]


def _sources(fact: contract.StoredFact) -> list[dict[str, str]]:
    return [{"article": a, "quote": q} for a, q in fact.sources()]


def article_notes(store: Store) -> dict[str, str]:
    """A short note per article id, to show beside it: the years of the dates the article
    states (it records no publication date) and its headline."""
    notes = {}
    for article_id, headline, dates in store.query(
        f"MATCH (a:{vocab.check_label(vocab.ARTICLE_LABEL)}) "
        "RETURN a.id AS id, a.headline AS headline, a.dates AS dates"
    ).rows:
        years = sorted({date[:4] for date in dates or []})
        span = "" if not years else years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
        notes[article_id] = " ".join(filter(None, [span, headline or "(no headline)"]))
    return notes
