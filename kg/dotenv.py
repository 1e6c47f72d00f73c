"""Read `NAME=VALUE` lines from a `.env` file, the file docker compose reads too.

The same `.env` that gives the compose file its `NEO4J_PASSWORD` can give `kg` its Neo4j
settings, so the password is typed once. The syntax is the common subset: `NAME=VALUE`,
optionally after `export `, values bare (a ` #` starts a comment), in single quotes (taken
as written) or in double quotes (with `\\"` and `\\\\`); blank lines and `#` comments are
skipped, and so is any line that assigns nothing, which other tools may use.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import InvalidInput, KgError

_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$")
_DOUBLE_QUOTED_ESCAPE = re.compile(r"\\([\"\\])")


def read(path: Path) -> dict[str, str]:
    """The variables `path` assigns (the last assignment wins); none when it does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise KgError(f"cannot read {path}: {error.strerror}") from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _ASSIGNMENT.match(line)
        if match:
            values[match["name"]] = _value(path, number, match["value"].strip())
    return values


def _value(path: Path, number: int, raw: str) -> str:
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        end = _closing_quote(raw, quote)
        if end is None:
            raise InvalidInput(f"{path}:{number}: the value opens a {quote} and never closes it")
        inner = raw[1:end]
        return inner if quote == "'" else _DOUBLE_QUOTED_ESCAPE.sub(r"\1", inner)
    return re.split(r"\s#", raw, maxsplit=1)[0].strip()


def _closing_quote(raw: str, quote: str) -> int | None:
    index = 1
    while index < len(raw):
        if raw[index] == "\\" and quote == '"':
            index += 2
            continue
        if raw[index] == quote:
            return index
        index += 1
    return None
