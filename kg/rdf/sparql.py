"""SPARQL on an RDF dump, and the saved SPARQL twins of the saved Cypher queries.

A twin lives in `kg/sparql/<name>.rq`, named like the Cypher query it answers, with the same
header (`# title:`, `# description:`, `# param:`). Its parameters are variables, bound by a
VALUES clause appended to the query (standard SPARQL 1.1, so the same text runs in any
engine or over the SPARQL protocol). A parameter `x` is the variable `?x`, or `?x_param` when
the twin uses that variable: so a twin can also return a column `x` that is not the
parameter's value (meetings: the parameter `person` matches either person, the column
`person` is the first one's id). Entity parameters take the entity's id, matched with
`dcterms:identifier`.

`kg sparql` gives queries the merge of the dump's graphs as their default graph, so a twin
gives the same answers on a Turtle dump and on a TriG one; `GRAPH ?g { ... }` still reaches
the named graphs of TriG and N-Quads (ontology, facts, one provenance graph per article).

How a twin answers like its Cypher query (tests/test_sparql.py checks the answer sets):

- Columns keep the Cypher names. An id is the entity's `dcterms:identifier`, a name its
  `schema:name`, a type the local name of its entity class (`schema:Person` gives "Person";
  the schema.org subclass a kind adds, `schema:City`, is left aside by a VALUES table of the
  entity classes), a predicate the snake_case name of the vocabulary ("co_chaired"), from a
  VALUES table.
- A list column (articles, quotes, places...) is a GROUP_CONCAT with LIST_SEPARATOR ("␟",
  U+241F, written "\\u241F" in the query: printable, and legal in SPARQL's XML results);
  `split_list` gives the list back. Its order is not kept, and an empty list comes back
  unbound. `articles` and `quotes` are concatenated in one aggregation over the same sources,
  so their items pair up as the Cypher lists do (tests check the pairs).
- The appended VALUES clause joins after the WHERE clause and after any GROUP BY (rdflib
  also drops GROUP BY keys the SELECT leaves out), so a parameter must be a variable of the
  outer WHERE: twins aggregate in subqueries and keep their outer pattern ungrouped. A
  parameter the Cypher compares (`limit`, `min_articles`) is matched by equality all the
  same: each row comes with every value that keeps it, over a range the description gives.
- A Cypher relationship whose id, qualifiers or sources are read, or which is counted or
  listed without DISTINCT, is matched as its statement (`?f rdf:subject ?s ; rdf:predicate
  ... ; rdf:object ?o`), not as the plain triple: two facts may state the same triple.
- A column whose name is also a parameter's, with another value, is the variable of that
  name, and the parameter binds `?<name>_param` (see above).
- A column the dump cannot give (a pick from an ordered list: the dump keeps a fact's sources
  as a set) would be left out, the twin's description saying why; no twin leaves one out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import queries, rdf
from kg.errors import InvalidInput, KgError
from kg.queries import SavedQuery
from kg.text import search_key

TWINS_DIR = Path(__file__).resolve().parent.parent / "sparql"
SUFFIX = ".rq"
LIST_SEPARATOR = "\u241f"  # "␟", printable and legal in XML: between a list column's items
MAX_DEPTH = 100  # nesting of { ( [ in a query: pyoxigraph's parser recurses (3,000: a crash)
# The parts of a query that matter to `check_query`: brackets, and SERVICE, the one form by
# which a query on a dump reaches out (to the network). FROM names graphs of the dump and
# fetches nothing; LOAD is an update, refused as such. Strings, IRIs and comments are skipped.
_TOKENS = re.compile(
    r"""(?P<skip>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
        |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*)
      |(?P<open>[{(\[])|(?P<close>[})\]])
      |(?P<service>(?<![\w:?$])SERVICE(?![\w:-]))""",
    re.VERBOSE | re.IGNORECASE,
)


def saved_twins() -> dict[str, SavedQuery]:
    return queries.load_all(TWINS_DIR, SUFFIX)


PARAM_SUFFIX = "_param"  # of the variable a twin's parameter binds when it is not its name


def values_clause(params: Mapping[str, Any], query: str = "") -> str:
    """`VALUES (?a ?b) { ("x" 2) }`: binds each parameter (see `variable`); a null leaves it
    unbound (UNDEF)."""
    if not params:
        return ""
    names = " ".join(f"?{variable(name, query)}" for name in params)
    return f"\nVALUES ({names}) {{ ({' '.join(_term(v) for v in params.values())}) }}"


def _term(value: Any) -> str:
    if value is None:
        return "UNDEF"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid SPARQL string
    raise InvalidInput(f"a SPARQL parameter must be text, a number or null, not {value!r}")


def variable(param: str, query: str) -> str:
    """The variable (without `?`) the parameter `param` binds in `query`: `<param>_param` if
    the query uses that variable, else `param` itself."""
    bound_as = param + PARAM_SUFFIX
    return bound_as if re.search(rf"[?$]{re.escape(bound_as)}(?!\w)", query) else param


def bound(twin: SavedQuery, given: Mapping[str, Any] | None = None) -> str:
    """The twin's text with its parameters (defaults, overridden by `given`) bound."""
    return twin.text + values_clause(queries.bind(twin, given or {}), twin.text)


@dataclass
class Answer:
    """What a query gives: rows for SELECT (one `answer` row for ASK), or triples for
    CONSTRUCT and DESCRIBE."""

    columns: list[str]
    rows: list[list[Any]]
    graph: bytes | None = None  # N-Triples


def load_dump(path: Path, rdf_format: str | None = None) -> Any:
    """A pyoxigraph in-memory store holding the dump: its named graphs as they are, and their
    merge (a set: a triple stated in two graphs of an older dump counts once) as the default
    graph."""
    from pyoxigraph import DefaultGraph, Quad, Store

    from kg.rdf.importer import format_name, read_quads

    store = Store()
    for quad in read_quads(path, format_name(path, rdf_format)):
        store.add(quad)
        if not isinstance(quad.graph_name, DefaultGraph):
            store.add(Quad(quad.subject, quad.predicate, quad.object, DefaultGraph()))
    return store


def check_query(query: str, *, allow_service: bool = False) -> None:
    """Refuse a query nested deeper than MAX_DEPTH, or one with SERVICE unless allowed."""
    depth = 0
    for token in _TOKENS.finditer(query):
        if token["open"]:
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidInput(f"the query nests brackets deeper than {MAX_DEPTH} levels")
        elif token["close"]:
            depth -= 1
        elif token["service"] and not allow_service:
            raise InvalidInput(
                "the query calls a remote endpoint (SERVICE): add --allow-service to allow it"
            )


def run(store: Any, query: str) -> Answer:
    """Run `query` on a store from `load_dump`."""
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

    try:
        result = store.query(query)
        if isinstance(result, QueryBoolean):
            return Answer(["answer"], [[bool(result)]])
        if isinstance(result, QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = [[value(solution[c]) for c in columns] for solution in result]
            return Answer(columns, rows)
        return Answer([], [], graph=serialize(result, format=RdfFormat.N_TRIPLES))
    except SyntaxError as error:  # its list of expected tokens may span lines: keep one
        raise InvalidInput(f"SPARQL syntax error: {' '.join(str(error).split())}") from error
    except OSError as error:  # a SERVICE that failed, or the store
        raise KgError(f"SPARQL query failed: {' '.join(str(error).split())}") from error


def value(term: Any) -> Any:
    """A solution's term as plain data: an IRI or a literal's text; integers as int, booleans
    as bool."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value.endswith("#integer"):
        return int(term.value)
    if datatype is not None and datatype.value.endswith("#boolean"):
        return term.value in ("true", "1")
    return term.value


def split_list(text: str | None) -> list[str]:
    """A twin's list column as a list: unbound or empty is the empty list."""
    return text.split(LIST_SEPARATOR) if text else []


_LIST_COLUMN = re.compile(
    r'GROUP_CONCAT\s*\([^)]*;\s*separator\s*=\s*"\\u241F"\s*\)\s*AS\s*\?(\w+)', re.IGNORECASE
)


def with_lists(answer: Answer, query: str) -> list[list[Any]]:
    """The answer's rows with each list column (a GROUP_CONCAT on LIST_SEPARATOR in `query`)
    given back as a list, for display."""
    lists = set(_LIST_COLUMN.findall(query))
    return [
        [split_list(v) if c in lists else v for c, v in zip(answer.columns, row, strict=True)]
        for row in answer.rows
    ]


_BARE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def twin_named(query_or_file: str) -> SavedQuery | None:
    """The saved twin `query_or_file` names; None for a `.rq` file or SPARQL text. A bare word
    that names neither a twin nor a file is an InvalidInput listing the twins."""
    twins = saved_twins()
    if query_or_file in twins:
        return twins[query_or_file]
    if _BARE_NAME.match(query_or_file) and not Path(query_or_file).exists():
        return queries.pick(twins, query_or_file, "SPARQL twin", "kg sparql --list")
    return None


def _text(query_or_file: str) -> str:
    """A `.rq` file's text, or the query itself."""
    path = Path(query_or_file)
    if path.suffix == SUFFIX or (len(query_or_file) < 256 and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(f"{query_or_file}: cannot read the query: {error}") from error
    return query_or_file


_ENTITY_NAMES = f"""
SELECT ?id ?name WHERE {{
  ?entity <{rdf.PREF_LABEL}> ?any ; <{rdf.IDENTIFIER}> ?id .
  {{ ?entity <{rdf.IDENTIFIER}> ?name }} UNION {{ ?entity <{rdf.LABEL}> ?name }}
  UNION {{ ?entity <{rdf.PREF_LABEL}> ?name }} UNION {{ ?entity <{rdf.ALT_LABEL}> ?name }}
}}"""


def find_entity(store: Any, text: str) -> str:
    """The id of the entity `text` names in the dump (its id, name, labels or aliases; case
    and accents aside, as kg.show.find_entity does in the store)."""
    key = search_key(text)
    ids = sorted({row[0] for row in run(store, _ENTITY_NAMES).rows if search_key(row[1]) == key})
    if not ids:
        raise InvalidInput(f"no entity is named {text!r} (try an id, a name or an alias)")
    if len(ids) > 1:
        raise InvalidInput(f"{text!r} names several entities: {', '.join(ids)}")
    return ids[0]


def answer(
    query_or_file: str,
    data: Path,
    params: Mapping[str, Any] | None = None,
    rdf_format: str | None = None,
    *,
    allow_service: bool = False,
) -> Answer:
    """What `kg sparql` prints: the query (or twin) run on the dump, list columns as lists.

    A twin's parameters are checked against its header before the dump is read, and its entity
    parameters resolved to ids; an ad hoc query's are read as JSON when they parse."""
    twin = twin_named(query_or_file)
    given = queries.bind(twin, params or {}) if twin else queries.loose(params or {})
    store = load_dump(data, rdf_format)
    if twin:
        for param in twin.params:
            if param.entity and isinstance(given[param.name], str):
                given[param.name] = find_entity(store, given[param.name])
    text = twin.text if twin else _text(query_or_file)
    text += values_clause(given, text)
    check_query(text, allow_service=allow_service)
    result = run(store, text)
    result.rows = with_lists(result, text)
    return result
