"""Every Cypher statement kg sends, in one place; and where FalkorDB's and Neo4j 5's differ.

Constants are the fixed statements; functions build the statements whose labels, relationship
types or property keys come from the vocabulary, checked (`vocab.check_label`,
`vocab.check_rel_type`, `contract.literal_key`) before they reach the string. Every value
travels as a parameter, except in the Cypher export script, whose values the exporter writes
as literals (`kg.exporters.cypher.literal`) for the script's statements here. No other module
of kg/ writes Cypher: the saved queries (`cypher/*.cypher`) are the user's files, and
`kg cypher` runs the user's own statement. `statements()` lists every statement this module
builds; Neo4j's own analyzer checks them, the saved queries and an export script
(tests/test_cypher_lint.py), which also fails when Cypher is written in another module.

Every statement is written in the subset both stores run unchanged, but for the few FalkorDB's
store alone sends (its index on `id`, its schema procedures). The differences a statement
cannot avoid, measured on FalkorDB 4 and Neo4j 5:

- Shortest paths. FalkorDB has no undirected `shortestPath()` and allows it only in
  WITH/RETURN; `allShortestPaths()` it runs undirected in MATCH once both ends are bound by
  an earlier clause (`WITH a, b MATCH p = allShortestPaths((a)-[...*..4]-(b))`), as Neo4j
  does. It applies a WHERE on the path only after its search, though (a shorter path
  through an article hides the longer ones the WHERE keeps, and the answer is empty), so
  the saved query `shortest-connection` lists the relationship types to follow in the
  pattern instead. Variable-length bounds cannot be parameters in Neo4j, hence the fixed 4.
- Constraints. FalkorDB has no `CREATE CONSTRAINT` statement (it takes the GRAPH.CONSTRAINT
  command, issued by kg/stores/falkordb.py). The Cypher export opens with Neo4j's
  `unique_id_constraint()` statements, which `is_schema_statement()` recognises so that a
  replay into FalkorDB can leave them out (its store builds the same constraints itself).
- Subqueries. FalkorDB has neither `EXISTS { }` nor `COUNT { }`, nor the `CALL () { }` scope
  clause Neo4j 5.23 prefers: use pattern comprehensions, OPTIONAL MATCH + count(), and plain
  `CALL { }` (on which Neo4j warns of a deprecation; warnings are allowed, errors are not).
- Functions. FalkorDB lacks `=~`, `round(x, digits)` and `datetime()`; its `sum()` returns a
  float where Neo4j returns an integer (wrap it in `toInteger()`), and `toString(1.5)` gives
  '1.500000'. Dates are therefore stored as ISO strings (YYYY, YYYY-MM or YYYY-MM-DD), which
  sort and compare as text on both stores.
- Isolation. FalkorDB runs one query at a time, and kg's store serialises a load against the
  readers of a command (kg/stores/falkordb.py). Neo4j isolates a transaction at read committed:
  a read transaction sees every commit made while it runs, so a command that reads several
  times could see half the old graph and half the new. Each load therefore first increments
  `loads` on the one `LOAD_COUNTER_LABEL` node (`COUNT_LOAD`), in the load's transaction, and
  a reading command reads `LOADS` before and after its reads: a change means that a load
  committed in between, and the command fails rather than answer from two graphs.
- String literals. FalkorDB reads `\\\\ \\' \\" \\n \\r \\t \\b \\f` like Neo4j but keeps `\\uXXXX`
  as written; the Cypher export therefore writes every other character as itself (UTF-8) and
  uses `\\uXXXX` only for the remaining control characters, which the curated text never holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg import contract, vocab

# --- reading kg's graph only ------------------------------------------------------------
# The database may hold other data than kg's: reads that scan it keep to what kg wrote, the
# nodes with a label of the vocabulary and an `id`, and the relationships of its types
# between them. The fragments below need the parameters of `ours_params()`.


def ours(var: str) -> str:
    """A condition: node `var` is one kg wrote (a label of the vocabulary, an `id`)."""
    return f"({var}.id IS NOT NULL AND any(l IN labels({var}) WHERE l IN $kg_labels))"


def label_of(var: str) -> str:
    """An expression: the vocabulary's label of node `var` (its first, were it to have two)."""
    return f"[l IN labels({var}) WHERE l IN $kg_labels][0]"


def ours_params() -> dict[str, list[str]]:
    """`$kg_labels` and `$kg_types`: the labels and relationship types of the vocabulary."""
    return {"kg_labels": vocab.node_labels(), "kg_types": vocab.relationship_types()}


_MENTIONS = vocab.check_rel_type(vocab.MENTIONS)
# The relationship types of facts (every type but mentions).
FACT_TYPES = [vocab.check_rel_type(t) for t in vocab.relationship_types() if t != _MENTIONS]


# --- the load (kg.graph, kg.load) ---------------------------------------------------------


# MERGE finds each node or relationship before it writes it; CREATE writes it without the
# look-up (about a fifth of FalkorDB's write), for a graph that holds none of kg's nodes yet
# (a reset's) and rows that each give a distinct id (kg.graph).


def merge_nodes(label: str) -> str:
    return _write_nodes("MERGE", label)


def create_nodes(label: str) -> str:
    return _write_nodes("CREATE", label)


def _write_nodes(clause: str, label: str) -> str:
    return (
        f"UNWIND $rows AS row {clause} (n:{vocab.check_label(label)} {{id: row.id}}) "
        "SET n = row.props"
    )


def merge_relationships(rel_type: str, subject_label: str, object_label: str) -> str:
    return _write_relationships("MERGE", rel_type, subject_label, object_label)


def create_relationships(rel_type: str, subject_label: str, object_label: str) -> str:
    return _write_relationships("CREATE", rel_type, subject_label, object_label)


def _write_relationships(clause: str, rel_type: str, subject_label: str, object_label: str) -> str:
    return (
        f"UNWIND $rows AS row "
        f"MATCH (s:{vocab.check_label(subject_label)} {{id: row.subject}}) "
        f"MATCH (o:{vocab.check_label(object_label)} {{id: row.object}}) "
        f"{clause} (s)-[r:{vocab.check_rel_type(rel_type)} {{id: row.id}}]->(o) "
        "SET r = row.props"
    )


def merge_mentions(label: str) -> str:
    return _write_mentions("MERGE", label)


def create_mentions(label: str) -> str:
    return _write_mentions("CREATE", label)


def _write_mentions(clause: str, label: str) -> str:
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{vocab.ARTICLE_LABEL} {{id: row.article}}) "
        f"MATCH (e:{vocab.check_label(label)} {{id: row.entity}}) "
        f"{clause} (a)-[:{vocab.MENTIONS}]->(e)"
    )


def count_nodes(label: str) -> str:
    """kg's nodes of `label` (the label's own nodes only, not a scan of the whole graph)."""
    return f"MATCH (n:{vocab.check_label(label)}) WHERE n.id IS NOT NULL RETURN count(n) AS count"


# Every node of the database, which both stores count from their statistics.
ALL_NODES = "MATCH (n) RETURN count(n) AS count"


def count_relationships(rel_type: str) -> str:
    """The relationships of `rel_type`, answered from the stores' statistics (FalkorDB's
    relation matrices, Neo4j's count store) without reading one."""
    return f"MATCH ()-[r:{vocab.check_rel_type(rel_type)}]->() RETURN count(r) AS count"


# kg's relationships by type, read one by one: for a database that holds other data too.
# It takes the parameters of `ours_params()`.
OUR_RELATIONSHIPS = (
    f"MATCH (s)-[r]->(o) WHERE type(r) IN $kg_types AND {ours('s')} AND {ours('o')} "
    "RETURN type(r) AS name, count(*) AS count ORDER BY name"
)


def count_values(predicate: str) -> str:
    """The literal facts of `predicate` on kg's nodes, counted by the fact id beside each
    value (`kg.contract`); it takes the parameters of `ours_params()`."""
    return (
        f"MATCH (n) WHERE n.{contract.literal_key(predicate, 'fact')} IS NOT NULL "
        f"AND {ours('n')} "
        "RETURN count(n) AS count"
    )


# --- the stores (kg.stores) -----------------------------------------------------------------


def delete_nodes(label: str) -> str:
    """What a reset removes of `label`: kg's nodes (with an `id`) and their relationships."""
    return f"MATCH (n:{vocab.check_label(label)}) WHERE n.id IS NOT NULL DETACH DELETE n"


# Whether the store holds a node of kg's; it takes the parameters of `ours_params()`.
ANY_NODE = f"MATCH (n) WHERE {ours('n')} RETURN 1 LIMIT 1"
# Whether it holds a node kg did not write, which a reset keeps; the same parameters.
ANY_FOREIGN_NODE = f"MATCH (n) WHERE NOT {ours('n')} RETURN 1 LIMIT 1"

# FalkorDB only: a fresh graph answers it as an empty graph.
FALKORDB_PROBE = "RETURN 0"


def falkordb_id_index(label: str) -> str:
    """FalkorDB only: index `id` of `label` (its unique constraint is a command of its own,
    GRAPH.CONSTRAINT, which requires the index)."""
    return f"CREATE INDEX FOR (n:{vocab.check_label(label)}) ON (n.id)"


# FalkorDB only: its constraints with their state (PENDING while it builds one).
FALKORDB_CONSTRAINTS = "CALL db.constraints()"
# FalkorDB only: the names behind a compact reply's label, type and property-key numbers.
FALKORDB_NAMES = ("CALL db.labels()", "CALL db.relationshipTypes()", "CALL db.propertyKeys()")

# Neo4j only: a load counts itself; a reading command reads the count (see Isolation above).
COUNT_LOAD = (
    f"MERGE (counter:{vocab.LOAD_COUNTER_LABEL}) SET counter.loads = coalesce(counter.loads, 0) + 1"
)
LOADS = f"MATCH (counter:{vocab.LOAD_COUNTER_LABEL}) RETURN sum(counter.loads) AS loads"


def unique_id_constraint_name(label: str) -> str:
    """The name kg gives the uniqueness constraint on `id` of `label` (Neo4j 5)."""
    return f"kg_{vocab.check_label(label)}_id"


def unique_id_constraint(label: str) -> str:
    """Neo4j 5: make `id` unique (and indexed) for `label`; a no-op when it already exists."""
    name = unique_id_constraint_name(label)
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"


_SCHEMA = re.compile(r"^\s*(CREATE|DROP)\s+(CONSTRAINT|INDEX)\b", re.IGNORECASE)


def is_schema_statement(cypher: str) -> bool:
    """Whether `cypher` changes the schema (constraints, indexes), which FalkorDB does its way."""
    return bool(_SCHEMA.match(cypher))


# --- finding an entity, its card (kg.show) --------------------------------------------------
# Entity nodes carry `search_keys` (their id, names and aliases, folded by kg.text.search_key)
# and `search_words` (the folded words of those names), written by kg.graph.

FIND = (
    f"MATCH (n) WHERE $key IN n.search_keys AND {ours('n')} "
    f"RETURN n.id AS id, {label_of('n')} AS label, n.name AS name ORDER BY id"
)
# By id, one labelled branch per entity type of the vocabulary: the store uses its index on
# `id` (an unlabelled match scans every node: 17 ms against 0.1 ms at 100k nodes).
BY_ID = " UNION ".join(
    f"MATCH (n:{vocab.check_label(label)} {{id: $key}}) "
    f"RETURN n.id AS id, '{label}' AS label, n.name AS name"
    for label in vocab.ENTITY_TYPES
)
FIND_WORDS = (
    f"MATCH (n) WHERE all(w IN $words WHERE w IN n.search_words) AND {ours('n')} "
    f"RETURN n.id AS id, {label_of('n')} AS label, n.name AS name, "
    "n.search_keys AS keys ORDER BY id"
)


def entity_names(label: str) -> str:
    """A page of `label`'s entities after the id `$after`, in `id` order, with what a
    reader may have meant to type: names, words of names and titles. A page at a time,
    so a query holds a page, not every entity's names (FalkorDB bounds a query's memory)."""
    return (
        f"MATCH (n:{vocab.check_label(label)}) WHERE n.id > $after AND n.search_keys IS NOT NULL "
        "WITH n ORDER BY n.id LIMIT $limit "
        "RETURN n.id AS id, n.name AS name, n.search_keys + n.search_words AS keys, "
        "n.titles AS titles"
    )


def entity_node(label: str) -> str:
    """The properties of the entity `$id` of `label`, and the articles that mention it."""
    return (
        f"MATCH (n:{vocab.check_label(label)} {{id: $id}}) "
        f"OPTIONAL MATCH (a:{vocab.ARTICLE_LABEL})-[:{vocab.MENTIONS}]->(n) "
        "RETURN properties(n) AS props, collect(a.id) AS articles"
    )


def entity_facts(label: str, direction: str) -> str:
    """The facts going out of (`out`) or into (`in`) the entity `$id` of `label`."""
    pattern = "(n)-[r]->(m)" if direction == "out" else "(n)<-[r]-(m)"
    ends = (
        "n.id AS subject, m.id AS object"
        if direction == "out"
        else "m.id AS subject, n.id AS object"
    )
    return (
        f"MATCH (n:{vocab.check_label(label)} {{id: $id}}) MATCH {pattern} "
        f"WHERE type(r) IN $kg_types AND type(r) <> '{vocab.MENTIONS}' AND {ours('m')} "
        f"RETURN type(r) AS type, {ends}, m.name AS other_name, {label_of('m')} "
        "AS other_label, properties(r) AS props ORDER BY props.id"
    )


ARTICLE_NOTES = (
    f"MATCH (a:{vocab.check_label(vocab.ARTICLE_LABEL)}) "
    "RETURN a.id AS id, a.headline AS headline, a.dates AS dates"
)


# --- statistics (kg.stats) -------------------------------------------------------------------
# Only kg's graph is counted: other labels and relationship types are left out (`ours`).

NODES = f"MATCH (n) WHERE {ours('n')} RETURN {label_of('n')} AS label, count(*) AS count"
RELATIONSHIP_FACTS = (
    f"MATCH (s)-[r]->(o) WHERE type(r) IN $kg_types AND type(r) <> $mentions "
    f"AND {ours('s')} AND {ours('o')} "
    f"RETURN toLower(type(r)) AS predicate, r.{contract.ARTICLES} AS articles, "
    "r.inferred IS NOT NULL AS inferred, r.stated_by IS NOT NULL AS claim"
)
LITERAL_FACTS = (
    f"MATCH (n) WHERE {ours('n')} UNWIND $predicates AS p WITH n, p "
    f"WHERE {contract.literal_key_expression('n', 'p', 'fact')} IS NOT NULL "
    f"RETURN p AS predicate, {contract.literal_key_expression('n', 'p', 'articles')} AS articles, "
    f"{contract.literal_key_expression('n', 'p', 'inferred')} IS NOT NULL AS inferred, "
    "false AS claim"
)
MENTIONS_PER_ARTICLE = (
    f"MATCH (a:{vocab.check_label(vocab.ARTICLE_LABEL)}) WHERE a.id IS NOT NULL "
    f"OPTIONAL MATCH (a)-[:{vocab.check_rel_type(vocab.MENTIONS)}]->(e) WHERE {ours('e')} "
    "RETURN a.id AS article, count(e) AS entities"
)


# --- the timeline (kg.timeline) ----------------------------------------------------------------


def dated_facts(predicate: str) -> str:
    """kg's nodes holding the literal fact of `predicate` (a date), with its sources."""
    p = vocab.PREDICATES[predicate].name  # a vocabulary name: safe as a property key
    articles, quotes, modality, inferred = (
        contract.literal_key(p, part) for part in ("articles", "quotes", "modality", "inferred")
    )
    return (
        f"MATCH (n) WHERE n.{p} IS NOT NULL AND {ours('n')} "
        f"RETURN n.id AS id, {label_of('n')} AS label, n.name AS name, n.{p} AS date, "
        f"n.{articles} AS articles, n.{quotes} AS quotes, n.{modality} AS modality, "
        f"n.{inferred} AS inferred ORDER BY date, id"
    )


UNDATED_EVENTS = (
    f"MATCH (a:{vocab.ARTICLE_LABEL})-[:{vocab.MENTIONS}]->(e:{vocab.EVENT}) "
    "WHERE e.date IS NULL RETURN a.id AS article, e.id AS id, e.name AS name, "
    "e.weekday AS weekday ORDER BY article, name"
)


# --- reading the graph back in pages (kg.readback) ---------------------------------------------

COUNT_OUR_NODES = f"MATCH (n) WHERE {ours('n')} RETURN count(n) AS n"
ARTICLE_LANGUAGES = f"MATCH (a:{vocab.ARTICLE_LABEL}) RETURN a.id, a.languages[0]"


def node_page(label: str) -> str:
    """A page of `label`'s nodes after the id `$after`, in `id` order (keyset pagination)."""
    return (
        f"MATCH (n:{vocab.check_label(label)}) WHERE n.id > $after "
        "RETURN n.id AS id, properties(n) AS props ORDER BY id LIMIT $limit"
    )


def node_ids(label: str) -> str:
    """A page of `label`'s ids after the id `$after`, in order (the export's groups)."""
    return (
        f"MATCH (n:{vocab.check_label(label)}) WHERE n.id > $after "
        "RETURN n.id AS id ORDER BY id LIMIT $limit"
    )


def group_nodes(label: str) -> str:
    """The nodes `$ids` of `label`, in `id` order. (By their ids, not a range: FalkorDB's
    index answers `n.id <= $last` on strings with nodes past `$last`.)"""
    return (
        f"MATCH (n:{vocab.check_label(label)}) WHERE n.id IN $ids "
        "RETURN n.id AS id, properties(n) AS props ORDER BY id"
    )


_FROM_IDS = f"WHERE s.id IN $ids AND {ours('o')} "  # the subjects, to kg's nodes


def fact_rows(label: str, labels: bool) -> str:
    """The relationships (facts, when `label` is the articles') going out of the nodes
    `$ids` of `label`, in order, with the label of their object when `labels`.

    An untyped pattern whose types the reader checks costs the server least, unless the nodes
    are articles, whose many mentions it would read with their properties."""
    pattern = (
        "r" if vocab.check_label(label) != vocab.ARTICLE_LABEL else f"r:{'|'.join(FACT_TYPES)}"
    )
    object_label = label_of("o") if labels else "null"
    return (
        f"MATCH (s:{label})-[{pattern}]->(o) {_FROM_IDS}"
        f"RETURN type(r) AS type, s.id AS subject, o.id AS object, {object_label} "
        "AS object_label, properties(r) AS props ORDER BY subject, type, object, props.id"
    )


def mention_rows(label: str, labels: bool) -> str:
    """The mentions going out of the nodes `$ids` of `label`, in order (no properties)."""
    object_label = label_of("o") if labels else "null"
    return (
        f"MATCH (s:{vocab.check_label(label)})-[:{_MENTIONS}]->(o) {_FROM_IDS}"
        f"RETURN s.id AS subject, o.id AS object, {object_label} AS object_label "
        "ORDER BY subject, object"
    )


# --- the picture (kg.viz) ----------------------------------------------------------------------


def entity_name(label: str) -> str:
    return f"MATCH (c:{vocab.check_label(label)} {{id: $id}}) RETURN c.name"


def neighbours(mentions: bool) -> str:
    """kg's nodes one relationship away from the nodes `$frontier` (through mentions too
    when `mentions`, else not through `$mentions`)."""
    only_facts = "" if mentions else "AND type(r) <> $mentions "
    return (
        f"MATCH (n)-[r]-(m) WHERE n.id IN $frontier AND type(r) IN $kg_types "
        f"AND {ours('m')} {only_facts}RETURN DISTINCT m.id"
    )


# The nodes, and the ends of the relationships, whose ids are among `$found`.
FOUND_NODES = "MATCH (n) WHERE n.id IN $found RETURN n.id"
FOUND_ENDS = "MATCH (a)-[r]->(b) WHERE r.id IN $found RETURN a.id, b.id"


def drawn_nodes(among_ids: bool, mentions: bool) -> str:
    """kg's nodes (never another label), those of `$ids` if `among_ids`, articles too if
    `mentions`."""
    where = [ours("n")] + (["n.id IN $ids"] if among_ids else [])
    if not mentions:
        where.append(f"NOT n:{vocab.check_label(vocab.ARTICLE_LABEL)}")
    return (
        f"MATCH (n) WHERE {' AND '.join(where)} "
        f"RETURN {label_of('n')} AS label, properties(n) AS props ORDER BY props.id"
    )


def drawn_relationships(among_ids: bool, mentions: bool) -> str:
    """kg's relationships (its types, between its nodes), among `$ids` if `among_ids`,
    mentions too if `mentions` (else not of type `$mentions`)."""
    where = ["type(r) IN $kg_types", ours("a"), ours("b")]
    where += ["a.id IN $ids AND b.id IN $ids"] if among_ids else []
    if not mentions:
        where.append("type(r) <> $mentions")
    return (
        f"MATCH (a)-[r]->(b) WHERE {' AND '.join(where)} "
        "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props "
        "ORDER BY source, type, target"
    )


# --- the Cypher export script (kg.exporters.cypher) ------------------------------------------
# Values are literals written by kg.exporters.cypher.literal; labels and types are read back
# from kg's graph (kg.readback keeps to the vocabulary's).


def script_node(label: str, node_id: str, props: str) -> str:
    """MERGE the node `node_id` (a literal) of `label` and SET its properties (a literal map)."""
    return f"MERGE (n:{label} {{id: {node_id}}}) SET n = {props}"


def script_relationship(
    subject_label: str,
    subject: str,
    rel_type: str,
    object_label: str,
    obj: str,
    props: str,
    fact_id: str | None,
) -> str:
    """MERGE a relationship between two nodes (ids as literals) and SET its properties: a fact
    by its id (a literal), a mention (`fact_id` None) by its two ends."""
    ends = f"MATCH (s:{subject_label} {{id: {subject}}}) MATCH (o:{object_label} {{id: {obj}}}) "
    if fact_id is not None:
        return ends + f"MERGE (s)-[r:{rel_type} {{id: {fact_id}}}]->(o) SET r = {props}"
    return ends + f"MERGE (s)-[r:{rel_type}]->(o) SET r = {props}"


# --- every statement ---------------------------------------------------------------------------


def statements(every: bool = False) -> Iterator[tuple[str, str]]:
    """(name, statement) of the statements this module builds for both stores, or for Neo4j:
    each one with arguments of every shape it takes (an entity label and the articles', a
    fact type and mentions...), which the analyzer checks; with `every`, for every argument
    the vocabulary allows. The export script's take sample literals. FalkorDB's own are
    `falkordb_statements()`."""
    yield from _constants(falkordb=False)
    entity_labels = list(vocab.ENTITY_TYPES) if every else [vocab.PERSON]
    literal = [p for p in vocab.PREDICATES.values() if p.is_literal]
    relationships = [p for p in vocab.PREDICATES.values() if not p.is_literal]
    if not every:
        literal, relationships = literal[:1], relationships[:1]
    for label in [*entity_labels, vocab.ARTICLE_LABEL]:
        for build in (
            merge_nodes,
            create_nodes,
            count_nodes,
            delete_nodes,
            node_page,
            node_ids,
            group_nodes,
            unique_id_constraint,
        ):
            yield f"{build.__name__}({label!r})", build(label)
        for labels in (True, False):
            for rows in (fact_rows, mention_rows):
                yield f"{rows.__name__}({label!r}, {labels})", rows(label, labels)
    for label in entity_labels:
        for build in (merge_mentions, create_mentions, entity_node, entity_name, entity_names):
            yield f"{build.__name__}({label!r})", build(label)
        for direction in ("out", "in"):
            yield f"entity_facts({label!r}, {direction!r})", entity_facts(label, direction)
    for rel_type in vocab.relationship_types() if every else [FACT_TYPES[0], _MENTIONS]:
        yield f"count_relationships({rel_type!r})", count_relationships(rel_type)
    for predicate in literal:
        yield f"count_values({predicate.name!r})", count_values(predicate.name)
        yield f"dated_facts({predicate.name!r})", dated_facts(predicate.name)
    for predicate in relationships:
        for s_label in predicate.domain if every else predicate.domain[:1]:
            for o_label in predicate.range if every else predicate.range[:1]:
                args = (predicate.rel_type, s_label, o_label)
                yield f"merge_relationships{args!r}", merge_relationships(*args)
                yield f"create_relationships{args!r}", create_relationships(*args)
    for flag in (True, False):
        yield f"neighbours({flag})", neighbours(flag)
        for among_ids in (True, False):
            yield f"drawn_nodes({among_ids}, {flag})", drawn_nodes(among_ids, flag)
            yield (
                f"drawn_relationships({among_ids}, {flag})",
                drawn_relationships(among_ids, flag),
            )
    person, fact = vocab.PERSON, FACT_TYPES[0]
    yield "script_node", script_node(person, "'p'", "{id: 'p', name: 'P'}")
    for fact_id in ("'f'", None):
        yield (
            f"script_relationship(..., {fact_id})",
            script_relationship(person, "'p'", fact, person, "'q'", "{}", fact_id),
        )


def falkordb_statements() -> Iterator[tuple[str, str]]:
    """(name, statement) of the statements sent to FalkorDB only, in its dialect."""
    yield from _constants(falkordb=True)
    for number, statement in enumerate(FALKORDB_NAMES):
        yield f"FALKORDB_NAMES[{number}]", statement
    for label in vocab.node_labels():
        yield f"falkordb_id_index({label!r})", falkordb_id_index(label)


def _constants(falkordb: bool) -> Iterator[tuple[str, str]]:
    for name, value in globals().items():
        if name.isupper() and isinstance(value, str) and not name.startswith("_"):
            if name.startswith("FALKORDB_") == falkordb:
                yield name, value
