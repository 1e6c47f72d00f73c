"""Turn rows into text: a rich table on a terminal, tab-separated columns when piped, JSON
or CSV; and the other texts people read on a terminal (a query's description, a card).

The CLI imports this module at start-up, so json, csv, shutil, textwrap and the vocabulary are
imported where used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    """Tab-separated columns under a header line, for pipes, `cut -f` and logs: one line per
    row, lists as JSON, tabs and line breaks inside a value written as \\t and \\n."""
    escape = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
    lines = [list(columns), *[[_cell(v) for v in row] for row in rows]]
    return "".join("\t".join(c.translate(escape) for c in line) + "\n" for line in lines)


# --- tables on a terminal --------------------------------------------------------------------

_WORD = re.compile(r"^[^\s]+$")  # ids, slugs, dates, numbers: never wrapped
_PADDING = 3  # a column's border and padding in a rich table
_MIN_TEXT = 12  # the narrowest a wrapped text column gets


@dataclass
class Screen:
    """What a terminal table needs besides the rows: its width, and a note per article id
    (date span and headline), shown under the id."""

    width: int
    articles: Mapping[str, str] = field(default_factory=dict)
    cut: bool = False  # set when a value was cut short


def _items(value: Any) -> list[str]:
    """A cell's lines: a list's items, one per line."""
    if isinstance(value, list):
        return [_cell(v) for v in value]
    return [_cell(value)]


def _short(text: str, limit: int, screen: Screen) -> str:
    """`text` cut at a word boundary to `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    screen.cut = True
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _is_word_column(values: list[list[str]]) -> bool:
    items = [item for cell in values for item in cell if item]
    return bool(items) and all(_WORD.match(item) for item in items)


def _share(room: int, minimums: list[int], wanted: list[int]) -> list[int]:
    """Column widths: each its minimum, then `room` shared among the columns that want more,
    in proportion to how much more they want."""
    sizes = list(minimums)
    more = [w - m for w, m in zip(wanted, minimums, strict=True)]
    total = sum(more)
    if total <= room:
        return list(wanted)
    for i, extra in enumerate(more):
        sizes[i] += room * extra // total
    return sizes


def rows_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    screen: Screen | None = None,
) -> Any:
    """A rich renderable that fits `screen.width`: a table whose ids never wrap and whose text
    wraps at words; when even the ids do not fit side by side, one block per row. Lists are
    one item per line, an article id has its date span and headline under it, and a long
    value is cut short (`screen.cut` says so)."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table

    from kg import vocab

    screen = screen or Screen(width())
    cells = [[_items(v) for v in row] for row in rows]
    by_column = [[row[i] for row in cells] for i in range(len(columns))]
    words = [_is_word_column(values) for values in by_column]
    widths = [
        max([len(columns[i]), *(len(item) for cell in by_column[i] for item in cell)])
        for i in range(len(columns))
    ]
    # A text column wraps between words, never inside one (an id within text stays whole).
    longest_word = [
        max([0, *(len(w) for cell in values for item in cell for w in item.split())])
        for values in by_column
    ]
    minimums = [
        widths[i] if words[i] else min(widths[i], max(_MIN_TEXT, min(longest_word[i], 40)))
        for i in range(len(columns))
    ]
    needed = sum(minimum + _PADDING for minimum in minimums)

    def render(column: int, cell: list[str], room: int, limit: int) -> str:
        lines = []
        for item in cell:
            if vocab.ARTICLE_ID.match(item) and item in screen.articles:
                lines += [item, _short(screen.articles[item], room, screen)]
            else:
                lines.append(item if words[column] else _short(item, limit, screen))
        return "\n".join(lines)

    if needed + 1 <= screen.width:
        sizes = _share(screen.width - needed - 1, minimums, widths)
        table = Table(title=title, show_lines=any(len(c) > 1 for row in cells for c in row))
        for i, column in enumerate(columns):
            table.add_column(column, width=sizes[i], no_wrap=words[i], overflow="fold")
        for row in cells:
            table.add_row(
                *[render(i, cell, max(sizes[i], 24), screen.width) for i, cell in enumerate(row)]
            )
        return table
    # One block per row: the column names down the left, the values beside them.
    key_width = max(len(c) for c in columns)
    blocks: list[Any] = [Rule(title, align="left")] if title else []
    for number, row in enumerate(cells, 1):
        block = Table.grid(padding=(0, 2))
        block.add_column(no_wrap=True, min_width=key_width, style="bold")
        block.add_column(overflow="fold")
        room = max(20, screen.width - key_width - 2)
        for i, cell in enumerate(row):
            if any(cell):  # an empty value takes no line
                block.add_row(columns[i], render(i, cell, room, 3 * room))
        blocks += [Rule(f"{number}/{len(cells)}", align="right", style="dim"), block]
    return Group(*blocks)


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


# --- the entity card (kg show) ---------------------------------------------------------------


def fact_markers(fact: Mapping[str, Any]) -> list[str]:
    """What sets a fact apart from a plain assertion, as tags: its modality when it did not
    simply happen (planned, possible...), who claims it, and whether it was deduced."""
    from kg import vocab

    markers = []
    if fact.get("modality") and fact["modality"] != vocab.ACTUAL:
        markers.append(f"[{fact['modality']}]")
    if fact.get("stated_by"):
        markers.append(f"[claimed by {fact['stated_by']}]")
    if fact.get("inferred"):
        markers.append("[inferred]")
    return markers


def _article_number(article: str) -> str:
    """An article id's short form in a card: its number (`003`), listed with the full id."""
    from kg import vocab

    found = vocab.ARTICLE_ID.match(article)
    return found.group(1) if found else article


def card_text(
    card: Mapping[str, Any], articles: Mapping[str, str], columns: int | None = None
) -> str:
    """The entity card as text: who or what it is, the articles that name it (date span and
    headline), then its facts grouped by predicate and direction, each with its qualifiers, its
    tags ([planned], [claimed by ...]) and its quotes; wrapped between words to `columns` (for
    a terminal), or one line per item (for a pipe: grep finds a whole quote)."""
    import textwrap

    entity = card["entity"]

    def wrap(text: str, first: str, rest: str) -> list[str]:
        if columns is None:
            return [first + text]
        return textwrap.wrap(
            text,
            width=max(40, columns),
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [first.rstrip()]

    kind = f" / {entity['kind']}" if entity.get("kind") else ""
    lines = [f"{entity['name']}  ({entity['type']}{kind}, id {entity['id']})"]
    lines += wrap(f"fr: {entity['label_fr']} · en: {entity['label_en']}", "  ", "      ")
    lines += wrap("aliases: " + ", ".join(entity.get("aliases") or []), "  ", "      ")
    if entity.get("titles"):
        lines += wrap("titles: " + "; ".join(entity["titles"]), "  ", "      ")
    if entity.get("note"):
        lines += wrap("note: " + entity["note"], "  ", "      ")
    lines.append("  articles:")
    for article in entity.get("articles", []):
        head = f"[{_article_number(article)}] {article}"
        lines += wrap(
            f"{head}  {articles.get(article, '')}".rstrip(), "    ", " " * (6 + len(head))
        )
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for fact in card["facts"]:
        groups.setdefault((fact["predicate"], fact["direction"]), []).append(fact)
    for (predicate, direction), facts in groups.items():
        arrow = f"{predicate} →" if direction == "out" else f"← {predicate}"
        lines += ["", f"{arrow} ({len(facts)})"]
        for fact in facts:
            target = fact["value"] if "value" in fact else fact["other"]["name"]
            if "other" in fact:
                target = f"{target} ({fact['other']['type']})"
            extras = [f"{key}: {fact[key]}" for key in ("role", "during", "when") if fact.get(key)]
            head = "  ".join([str(target), *fact_markers(fact), *extras])
            lines += wrap(head, "  ", "      ")
            if fact.get("inferred"):
                lines += wrap(f"inferred: {fact['inferred']}", "      ", "        ")
            if fact.get("note"):
                lines += wrap(f"note: {fact['note']}", "      ", "        ")
            for source in fact["sources"]:
                cited = _article_number(source["article"])
                lines += wrap(f"[{cited}] “{source['quote']}”", "      ", " " * (9 + len(cited)))
    legend = "tags: [planned] … not simply happened (modality); [claimed by X] X's words"
    return "\n".join([*lines, "", legend]) + "\n"
