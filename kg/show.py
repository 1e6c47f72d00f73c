"""The entity card: one entity and every fact in or out of it, with its sources."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterator
from typing import Any

from kg import contract, cypher, vocab
from kg.errors import InvalidInput
from kg.stores import Store
from kg.text import search_key, words

CARD_FIELDS = ("id", "name", "kind", "label_fr", "label_en", "aliases", "titles", "note")
QUALIFIER_FIELDS = tuple(vocab.QUALIFIERS)

CANDIDATES = 5
CLOSE_NAMES, CUTOFF = 50, 0.7  # difflib.get_close_matches's n and cutoff
NAMES_PAGE = 20_000  # entities per query of the suggestions (at most 66 MiB of the server's)


def find_entity(store: Store, text: str) -> tuple[str, str]:
    """(id, label) of the entity `text` names, case and accents aside.

    `text` is an id, a name or an alias; else one or more words of names ("Loudiyi",
    "saied"): the entity with the shortest name holding them all wins, unless another ties
    ("haftar" is Khalifa Haftar, not his camp). Unknown or ambiguous: InvalidInput naming up
    to five candidates.
    """
    key = search_key(text)
    ours = cypher.ours_params()
    # An id names its entity first, through the index; else every name, label and alias.
    matches = (
        store.query(cypher.BY_ID, {"key": key}).rows
        or store.query(cypher.FIND, {"key": key, **ours}).rows
    )
    if len(matches) == 1:
        return matches[0][0], matches[0][1]
    # Words of one letter are elisions ("l'Etat islamique"): not worth matching on.
    if not matches and (wanted := [w for w in words(text) if len(w) > 1]):
        ranked = sorted(
            (_fewest_words(wanted, keys, id_), id_, label, name)
            for id_, label, name, keys in store.query(
                cypher.FIND_WORDS, {"words": wanted, **ours}
            ).rows
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
    words of their titles ("ministre") are closest to `key`.

    What difflib.get_close_matches(key, every name, n=50, cutoff=0.7) picks, with each
    name's entities in id order; the names are read a page of one label at a time and only
    the close ones kept, so memory holds the matches, not every entity's names."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    scores: dict[str, float] = {}
    owners: dict[str, list[tuple[str, str, str]]] = {}
    for label, page in _name_pages(store):
        checked: dict[str, bool] = {}
        for id_, name, keys, titles in page:
            for k in {*keys, *(w for t in titles or [] for w in words(t))}:
                if k not in checked:
                    checked[k] = _close(matcher, k)
                    if checked[k]:
                        scores[k] = matcher.ratio()
                if checked[k]:
                    owners.setdefault(k, []).append((id_, label, name))
    close = heapq.nlargest(CLOSE_NAMES, ((score, k) for k, score in scores.items()))
    best = list(dict.fromkeys(entity for _, k in close for entity in sorted(owners[k])))
    if not best:
        return " (try an id, a name or an alias)"
    return "; did you mean: " + _listed(best[:CANDIDATES])


def _close(matcher: difflib.SequenceMatcher, text: str) -> bool:
    """difflib.get_close_matches's test of one possibility: cheap bounds first."""
    matcher.set_seq1(text)
    return (
        matcher.real_quick_ratio() >= CUTOFF
        and matcher.quick_ratio() >= CUTOFF
        and matcher.ratio() >= CUTOFF
    )


def _name_pages(store: Store) -> Iterator[tuple[str, list[list[Any]]]]:
    """(label, rows of id, name, keys, titles): every entity, NAMES_PAGE at a time."""
    for label in vocab.ENTITY_TYPES:
        statement, after = cypher.entity_names(label), ""
        while True:
            rows = store.query(statement, {"after": after, "limit": NAMES_PAGE}).rows
            yield label, rows
            if len(rows) < NAMES_PAGE:
                break
            after = rows[-1][0]


def entity_card(store: Store, text: str) -> dict[str, Any]:
    """`{"entity": {...}, "facts": [...]}` for the entity `text` names, read from one snapshot."""
    with store.reading():
        return _card(store, text)


def _card(store: Store, text: str) -> dict[str, Any]:
    entity_id, label = find_entity(store, text)
    node = store.query(cypher.entity_node(label), {"id": entity_id}).rows[0]
    props, articles = node
    entity = {"type": label, **{k: props.get(k) for k in CARD_FIELDS}, "articles": sorted(articles)}
    facts = _literal_facts(entity_id, props)
    for direction in ("out", "in"):
        query = cypher.entity_facts(label, direction)
        for row in store.query(query, {"id": entity_id, **cypher.ours_params()}).records():
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
    for article_id, headline, dates in store.query(cypher.ARTICLE_NOTES).rows:
        years = sorted({date[:4] for date in dates or []})
        span = "" if not years else years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
        notes[article_id] = " ".join(filter(None, [span, headline or "(no headline)"]))
    return notes
