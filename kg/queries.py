"""Saved queries: one `.cypher` file each in `cypher/`, run read-only, parameters checked.

Their SPARQL twins (`kg/sparql/*.rq`, run on an RDF dump) use the same header with `#`
comments; a SPARQL parameter is a variable, bound by a VALUES clause (see kg.rdf.sparql).

A file starts with a header of `//` comment lines, then the statement:

    // title: Who co-chaired an event
    // description: The people and countries that chaired or co-chaired an event,
    //   with the quotes that say so.
    // param: event (entity) = "strategic-dialogue-session-4"
    // param: limit (int) = 10
    // browser: :param event => 'strategic-dialogue-session-4'
    MATCH ...

`param: NAME (TYPE) = JSON` declares a parameter, its type and its default; without `= JSON`
the parameter is required. The types (PARAM_TYPES) are checked before the query runs, so a
mistyped value is one clear error instead of the database's own or an empty answer:
`int`, `string`, `date` (ISO: YYYY, YYYY-MM or YYYY-MM-DD, as the graph stores dates),
`list` (of strings: repeat the parameter, or give a JSON array), `modality` (a name of
kg.vocab.MODALITIES) and `entity`: an id, a name or an alias that `kg query` resolves to the
id (as `kg show` does) before running, while Neo4j Browser users pass the id itself. Every
`$name` the statement uses must be declared. `browser:` lines give Neo4j Browser users the
`:param` commands to run before pasting the statement, one per parameter with a default
(`browser_params` derives them; the tests check every saved query's lines against it); `kg`
itself does not need them.

Saved queries run through `Store.query(..., write=False)`, so the database itself refuses a
query that writes (a read transaction on Neo4j, GRAPH.RO_QUERY on FalkorDB).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import vocab
from kg.errors import InvalidInput
from kg.files import default_dir
from kg.stores import QueryResult, ReadOnlyViolation, Store, check_params

SUFFIX = ".cypher"
COMMENT = {".cypher": "//", ".rq": "#"}  # the header's comment marker, by file suffix
# What each parameter type takes, as a user reads it in an error or in --describe.
PARAM_TYPES = {
    "int": "an integer",
    "string": "text",
    "date": "an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "entity": "an entity's id, name or alias",
    "list": "a list of texts (repeat the parameter, or give a JSON array)",
    "modality": f"a modality ({', '.join(vocab.MODALITIES)}), or null for any",
}
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)\)\s*(?:=\s*(?P<default>.+))?$"
)
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a --param name
_USED_PARAM = {
    ".cypher": re.compile(r"\$`?([A-Za-z_][A-Za-z0-9_]*)"),
    ".rq": re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)"),
}
REQUIRED = object()  # the default of a parameter the user must give


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # a key of PARAM_TYPES
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def entity(self) -> bool:
        """Names an entity: `kg query` resolves ids, names and aliases."""
        return self.type == "entity"

    def value(self, given: Any) -> Any:
        """`given` (text from a command line, or a value) as this parameter's type; a value
        of another type is an InvalidInput naming the parameter and the type it takes."""
        if given is None or given == "null":
            if self.default is None or self.type == "modality":  # null: any modality
                return None
        elif self.type == "int":
            if isinstance(given, int) and not isinstance(given, bool):
                return given
            if isinstance(given, str) and re.fullmatch(r"-?\d+", given.strip()):
                return int(given)
        elif self.type == "date":
            if isinstance(given, int) and not isinstance(given, bool):
                given = str(given)
            if isinstance(given, str) and _DATE.match(given):
                return given
        elif self.type == "list":
            items = _json_list(given) if isinstance(given, str) else given
            if isinstance(items, str):
                return [items]
            if isinstance(items, list) and all(isinstance(i, str) for i in items):
                return items
        elif self.type == "modality":
            if given in vocab.MODALITIES:
                return given
        elif isinstance(given, str):  # string, entity
            return given
        raise InvalidInput(
            f"parameter {self.name} takes {PARAM_TYPES[self.type]} ({self.type}), "
            f"not {_shown(given)}"
        )


def _json_list(text: str) -> Any:
    """A JSON array given as text, else the text itself (one item)."""
    if text.lstrip().startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return text


def _shown(value: Any) -> str:
    return "null" if value is None else repr(value)


@dataclass(frozen=True)
class SavedQuery:
    name: str  # the file stem
    title: str
    description: str
    params: tuple[Param, ...]
    text: str  # the statement: Cypher, or SPARQL for a twin
    path: Path = field(compare=False)
    browser: tuple[str, ...] = ()  # the header's `:param` lines for Neo4j Browser

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def signature(self) -> str:
        """Parameters as a user types them: `event="..."`, required ones bare."""
        return " ".join(
            p.name if p.required else f"{p.name}={json.dumps(p.default, ensure_ascii=False)}"
            for p in self.params
        )

    def describe(self, command: str = "kg query", *options: str) -> dict[str, Any]:
        """What `--describe` prints: title, description, parameters and an example (the
        command, then `options`, then each parameter: its default, or its type to fill in)."""
        example = [*command.split(), self.name, *options]
        for p in self.params:
            if p.default is REQUIRED or p.default is None:
                example += ["-p", f"{p.name}=<{p.type}>"]
            else:
                shown = ",".join(p.default) if isinstance(p.default, list) else str(p.default)
                example += ["-p", f"{p.name}={shown}"]
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "takes": PARAM_TYPES[p.type],
                    **({"required": True} if p.required else {"default": p.default}),
                }
                for p in self.params
            ],
            "example": " ".join(w if w.startswith("<") else shlex.quote(w) for w in example),
        }


def default_queries_dir() -> Path:
    """`./cypher` when present, else the saved queries shipped with the package."""
    return default_dir("cypher")


def parse(path: Path) -> SavedQuery:
    """Read one saved query; a malformed header is an InvalidInput naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read the saved query: {error}") from None
    comment = COMMENT.get(path.suffix, "//")
    header_line = re.compile(rf"^{re.escape(comment)}\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
    continuation = re.compile(rf"^{re.escape(comment)}\s+(?P<value>\S.*)$")
    fields: dict[str, str] = {}
    params: list[Param] = []
    browser: list[str] = []
    last_key = None
    body_start = len(lines)
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith(comment):
            body_start = number - 1
            break
        header = header_line.match(stripped)
        if header and header["key"] == "param":
            params.append(_param(path, number, header["value"].strip()))
            last_key = None
        elif header and header["key"] == "browser":
            browser.append(header["value"].strip())
            last_key = None
        elif header:
            if header["key"] not in ("title", "description"):
                raise InvalidInput(
                    f"{path}:{number}: unknown header {header['key']!r} "
                    "(expected title, description, param or browser)"
                )
            last_key = header["key"]
            fields[last_key] = header["value"].strip()
        elif (more := continuation.match(stripped)) and last_key:
            fields[last_key] += " " + more["value"].strip()
    text = "\n".join(lines[body_start:]).strip()
    for key in ("title", "description"):
        if not fields.get(key):
            raise InvalidInput(f"{path}:1: the header has no `{comment} {key}:` line")
    if not text:
        raise InvalidInput(f"{path}: no statement after the header")
    _check_declared(path, params, text)
    return SavedQuery(
        name=path.stem,
        title=fields["title"],
        description=fields["description"],
        params=tuple(params),
        text=text,
        path=path,
        browser=tuple(browser),
    )


def browser_params(query: SavedQuery) -> list[str]:
    """The `:param` commands that give Neo4j Browser the defaults of `query`'s parameters."""
    from kg.exporters.cypher import literal

    return [f":param {p.name} => {literal(p.default)}" for p in query.params if not p.required]


def _param(path: Path, number: int, text: str) -> Param:
    match = _PARAM.match(text)
    if not match or match["type"] not in PARAM_TYPES:
        raise InvalidInput(
            f"{path}:{number}: expected `param: name (type) [= JSON]` with a type among "
            f"{', '.join(PARAM_TYPES)}, got {text!r}"
        )
    default: Any = REQUIRED
    if match["default"] is not None:
        try:
            default = json.loads(match["default"])
        except json.JSONDecodeError:
            raise InvalidInput(
                f"{path}:{number}: the default of ${match['name']} is not JSON: "
                f'{match["default"]!r} (quote strings: "...")'
            ) from None
        check_params({match["name"]: default}, f"{path}:{number}: the default of")
    param = Param(match["name"], match["type"], default)
    if default is not REQUIRED:
        try:
            param.value(default)
        except InvalidInput as error:
            raise InvalidInput(f"{path}:{number}: the default of {error}") from None
    return param


def _check_declared(path: Path, params: list[Param], text: str) -> None:
    declared = [p.name for p in params]
    used = set(_USED_PARAM.get(path.suffix, _USED_PARAM[SUFFIX]).findall(text))
    # In SPARQL most variables are not parameters: only check that the declared ones are used.
    if path.suffix == SUFFIX and (undeclared := sorted(used - set(declared))):
        raise InvalidInput(
            f"{path}: the statement uses undeclared parameter(s) "
            f"{', '.join('$' + n for n in undeclared)}; add `// param:` lines"
        )
    if unused := [n for n in declared if n not in used]:
        raise InvalidInput(
            f"{path}: declared parameter(s) {', '.join('$' + n for n in unused)} "
            "are not used by the statement"
        )
    if len(set(declared)) != len(declared):
        raise InvalidInput(f"{path}: a parameter is declared twice")


def load_all(directory: Path | None = None, suffix: str = SUFFIX) -> dict[str, SavedQuery]:
    """Every saved query of `directory` (default: cypher/), by name, in name order."""
    directory = directory or default_queries_dir()
    if not directory.is_dir():
        raise InvalidInput(f"no saved queries directory at {directory}")
    return {q.name: q for q in (parse(p) for p in sorted(directory.glob(f"*{suffix}")))}


def get(name: str, directory: Path | None = None) -> SavedQuery:
    return pick(load_all(directory), name, "saved query", "kg query --list")


def pick(saved: Mapping[str, SavedQuery], name: str, what: str, lister: str) -> SavedQuery:
    """The saved query (or twin) `name`; an unknown name is an InvalidInput listing them all."""
    if name not in saved:
        raise InvalidInput(
            f"no {what} named {name!r}; there are: {', '.join(saved)} ({lister} says more)"
        )
    return saved[name]


def command_line(pairs: Sequence[str] | None) -> dict[str, Any]:
    """`--param name=value` pairs as given: text, or a list of texts for a name given more than
    once (which only a list parameter takes; `bind` checks)."""
    given: dict[str, Any] = {}
    for pair in pairs or []:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise InvalidInput(f"--param {pair!r}: expected name=value")
        if not PARAM_NAME.fullmatch(name):
            raise InvalidInput(f"--param {pair!r}: a name is letters, digits and _")
        if name in given:
            given[name] = [*(given[name] if isinstance(given[name], list) else [given[name]]), raw]
        else:
            given[name] = raw
    return given


def loose(given: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters for an ad hoc query, which declares no types: each text read as JSON when it
    parses (`10`, `null`, `["a"]`), else kept as text; a name given twice is an error."""
    values: dict[str, Any] = {}
    for name, value in given.items():
        if isinstance(value, list):
            raise InvalidInput(f"parameter {name} is given {len(value)} times; give it once")
        try:
            values[name] = json.loads(value) if isinstance(value, str) else value
        except json.JSONDecodeError:
            values[name] = value
        try:
            json.dumps(values[name], ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(f"--param {name}: a lone surrogate is not text") from None
    return values


def bind(query: SavedQuery, given: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters to run `query` with: defaults, overridden by `given`; names and types
    checked, text converted to each parameter's type."""
    known = [p.name for p in query.params]
    problems = []
    if unknown := [n for n in given if n not in known]:
        problems.append(
            f"unknown parameter(s) {', '.join('$' + n for n in unknown)} "
            f"(it takes {', '.join('$' + n for n in known) or 'none'})"
        )
    if missing := [p.name for p in query.params if p.required and p.name not in given]:
        problems.append(
            f"missing required parameter(s) {', '.join('$' + n for n in missing)} "
            f"(give them with --param NAME=VALUE)"
        )
    if problems:
        raise InvalidInput(f"saved query {query.name!r}: {'; '.join(problems)}")
    bound = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if param.type != "list" and isinstance(value, list) and param.name in given:
            raise InvalidInput(
                f"saved query {query.name!r}: parameter {param.name} takes one value, "
                f"given {len(value)}: {', '.join(map(_shown, value))}"
            )
        try:
            bound[param.name] = param.value(value)
        except InvalidInput as error:
            raise InvalidInput(f"saved query {query.name!r}: {error}") from None
    return check_params(bound, f"saved query {query.name!r}: parameter")


def run(
    store: Store,
    query: SavedQuery,
    given: Mapping[str, Any] | None = None,
    *,
    resolve_entities: bool = True,
) -> QueryResult:
    """Run a saved query read-only.

    With `resolve_entities`, a string given for an `(entity)` parameter may be any id, name or
    alias: it is resolved to the entity's id first (an unknown or ambiguous name is an
    InvalidInput). A query that tries to write is refused by the store.
    """
    from kg.show import find_entity

    params = bind(query, given or {})
    if resolve_entities:
        for param in query.params:
            value = params[param.name]
            if param.entity and isinstance(value, str):
                params[param.name] = find_entity(store, value)[0]
    try:
        return store.query(query.text, params, write=False)
    except ReadOnlyViolation:
        raise ReadOnlyViolation(
            f"saved query {query.name!r} ({query.path}) writes to the graph; saved queries are "
            "read-only: run a write with `kg cypher --write` instead"
        ) from None
