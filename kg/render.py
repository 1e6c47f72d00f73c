"""Turn rows into text: a rich table on a terminal, plain columns when piped, JSON or CSV.

The CLI imports this module at start-up, so json and csv are imported where used.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class CardFormat(StrEnum):
    """A card (kg show) is not rows: text or JSON, no CSV."""

    table = "table"
    json = "json"


def to_json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


def rows_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def rows_plain(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Aligned columns without box drawing, for pipes and logs."""
    cells = [list(columns), *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    return "\n".join(lines) + "\n"


def rows_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None):
    """A rich Table (imported lazily: only terminals pay for it)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(v) for v in row])
    return table


def rows_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: Format) -> str:
    """JSON (an array of objects keyed by column), CSV or plain columns."""
    if fmt is Format.json:
        return to_json([dict(zip(columns, row, strict=True)) for row in rows]) + "\n"
    if fmt is Format.csv:
        return rows_csv(columns, rows)
    return rows_plain(columns, rows)


def width() -> int:
    """The terminal's width (COLUMNS first), 100 when there is none."""
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def describe_text(description: dict[str, Any]) -> str:
    """A saved query's description as text: title, description, parameters, an example."""
    import json
    import textwrap

    wrap = textwrap.TextWrapper(width=max(40, width()), break_long_words=False)
    lines = [f"{description['name']}: {description['title']}", ""]
    lines += wrap.wrap(description["description"])
    lines += ["", "parameters:" if description["parameters"] else "parameters: none"]
    for param in description["parameters"]:
        default = (
            "required"
            if param.get("required")
            else f"default {json.dumps(param['default'], ensure_ascii=False)}"
        )
        wrap.initial_indent, wrap.subsequent_indent = "  ", "      "
        lines += wrap.wrap(f"{param['name']} ({param['type']}, {default}): {param['takes']}")
    lines += ["", "example:", f"  {description['example']}"]
    return "\n".join(lines) + "\n"
