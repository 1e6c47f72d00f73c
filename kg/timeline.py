"""The timeline: what the articles date, on a time axis, one lane per article.

One self-contained HTML page holding one SVG drawn here (no script, no library: it opens
offline and weighs a few tens of kilobytes). Each article is a lane; in it, every dated fact
the article states (an event's or an exercise's `date`, an organization's `founded`...) sits
at its date, drawn as precisely as the article dates it: a dot for a day, a bar across the
month or the year otherwise. The time axis shows only the years something happened in, each
as wide as the others, with a break mark where years are skipped, so that clusters (the 2020
tour, the 2022 meeting) stay apart and legible. A fact that did not simply happen (planned,
possible...) is drawn hollow and dashed, and says so; a deduced date is in italics. Events an
article names but does not date are listed at the start of its lane, as undated. Hovering
anything shows its quote.
"""

from __future__ import annotations

import calendar
import html
from collections.abc import Mapping
from dataclasses import dataclass

from kg import cypher, vocab
from kg.errors import KgError
from kg.show import article_notes
from kg.stores import Store

DATE_PREDICATES = [
    p.name for p in vocab.PREDICATES.values() if p.is_literal and p.datatype == "date"
]
WIDTH = 1400
LANE_LABEL = 250  # the articles' names, left
UNDATED = 340  # the undated events, after them
ROW = 24  # a line of labels and marks
CHAR = 6.3  # the mean width of a character of the labels, in pixels (11px sans-serif)
FONT = "font-family:system-ui,Segoe UI,Helvetica,Arial,sans-serif"


@dataclass(frozen=True)
class Dated:
    article: str
    id: str
    name: str
    label: str  # entity type
    predicate: str
    date: str  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    modality: str
    inferred: str | None
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    html: str
    dated: int  # dated facts drawn (one per article that states it)
    undated: int  # undated events listed


def dated_facts(store: Store) -> list[Dated]:
    """Every dated literal fact, once per article that states it."""
    found = []
    for predicate in DATE_PREDICATES:
        rows = store.query(cypher.dated_facts(predicate), cypher.ours_params()).records()
        for row in rows:
            pairs = list(zip(row["articles"] or [], row["quotes"] or [], strict=True))
            for article in dict.fromkeys(a for a, _ in pairs):
                found.append(
                    Dated(
                        article=article,
                        id=row["id"],
                        name=row["name"] or row["id"],
                        label=row["label"],
                        predicate=predicate,
                        date=str(row["date"]),
                        modality=row["modality"] or vocab.ACTUAL,
                        inferred=row["inferred"],
                        quotes=tuple(q for a, q in pairs if a == article),
                    )
                )
    return found


def timeline(store: Store) -> Timeline:
    """The timeline page of the graph in `store`."""
    with store.reading():  # one consistent read
        notes = article_notes(store)
        dated = dated_facts(store)
        rows = store.query(cypher.UNDATED_EVENTS).records()
    if not notes:
        raise KgError(f"nothing to draw: the graph in {store.name} has no article (run kg load)")
    undated: dict[str, list[str]] = {}
    for row in rows:
        weekday = f" ({row['weekday']})" if row["weekday"] else ""
        undated.setdefault(row["article"], []).append(f"{row['name']}{weekday}")
    page = _page(notes, dated, undated)
    return Timeline(page, len(dated), sum(len(v) for v in undated.values()))


# --- drawing ---------------------------------------------------------------------------------


class _Axis:
    """Dates to x: each year that holds something gets an equal segment."""

    def __init__(self, years: list[int], left: float, right: float) -> None:
        self.years = years
        self.left = left
        self.segment = (right - left) / max(1, len(years))

    def year_x(self, year: int) -> float:
        return self.left + self.years.index(year) * self.segment

    def span(self, date: str) -> tuple[float, float]:
        """(start, end) x of the day, month or year `date` names."""
        parts = [int(p) for p in date.split("-")]
        start = self.year_x(parts[0])
        if len(parts) == 1:
            return start, start + self.segment
        month = self.segment / 12
        start += (parts[1] - 1) * month
        if len(parts) == 2:
            return start, start + month
        days = calendar.monthrange(parts[0], parts[1])[1]
        x = start + (parts[2] - 0.5) / days * month
        return x, x


def _text_width(text: str) -> float:
    return len(text) * CHAR


def _rows(items: list[tuple[float, float]]) -> list[int]:
    """A row for each (x, width) label so that labels of a row never overlap."""
    ends: list[float] = []
    rows = []
    for x, width in items:
        row = next((i for i, end in enumerate(ends) if end + 8 <= x), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = x + width
        rows.append(row)
    return rows


def _page(notes: Mapping[str, str], dated: list[Dated], undated: Mapping[str, list[str]]) -> str:
    years = sorted({int(d.date[:4]) for d in dated})
    axis = _Axis(years, LANE_LABEL + UNDATED + 20, WIDTH - 30)
    svg: list[str] = []
    y = 92
    for article in sorted(notes):
        lane = [d for d in dated if d.article == article]
        placed = []
        for fact in sorted(lane, key=lambda d: (axis.span(d.date)[0], d.name)):
            start, end = axis.span(fact.date)
            text = fact.name + ("" if fact.modality == vocab.ACTUAL else f" ({fact.modality})")
            width = _text_width(text)
            anchor_end = start + width > WIDTH - 10
            label_x = max(axis.left, end - width) if anchor_end else start
            placed.append((fact, start, end, text, label_x, width))
        rows = _rows(  # a row's labels and marks never overlap
            [(min(s, x), max(e, x + w) - min(s, x)) for _, s, e, _, x, w in placed]
        )
        listed = undated.get(article, [])
        height = max(
            (1 + max(rows, default=0)) * ROW + 24, (len(listed) + 1) * (ROW - 8) + 24, 3 * ROW
        )
        svg.append(_lane(article, notes[article], y, height, listed))
        for (fact, start, end, text, label_x, _), row in zip(placed, rows, strict=True):
            svg.append(_mark(fact, start, end, text, label_x, y + 26 + row * ROW))
        y += height
    head = _axis_marks(axis, y)
    legend = _legend(y + 14)
    total = y + 48
    body = "\n".join([*head, *svg, *legend])
    title = "kg: the timeline of the articles"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        "<style>body{margin:0;background:#fafafa} svg{display:block;margin:auto}"
        " .lane:hover{fill:#eef2f7}</style></head><body>\n"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total}" '
        f'viewBox="0 0 {WIDTH} {total}" style="{FONT};font-size:11px" role="img" '
        f'aria-label="{title}">\n'
        f'<text x="16" y="26" style="font-size:17px;font-weight:600">{title}</text>\n'
        '<text x="16" y="44" fill="#555">One lane per article: what it dates, at that date '
        "(a dot: a day; a bar: a month or a year). Only years with something dated are drawn."
        "</text>\n"
        f"{body}\n</svg>\n</body></html>\n"
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _lane(article: str, note: str, y: float, height: float, listed: list[str]) -> str:
    headline = note if len(note) <= 38 else note[:37].rsplit(" ", 1)[0] + "…"
    parts = [
        f"<g><title>{_esc(article)}: {_esc(note)}</title>"
        f'<rect class="lane" x="10" y="{y}" width="{WIDTH - 20}" height="{height - 4}" '
        'fill="#ffffff" stroke="#e3e6ea" rx="4"/>',
        f'<text x="18" y="{y + 18}" style="font-weight:600">{_esc(article[:3])} '
        f'<tspan fill="#888" style="font-weight:400">{_esc(article[4:])}</tspan></text>',
        f'<text x="18" y="{y + 34}" fill="#444">{_esc(headline)}</text></g>',
    ]
    if listed:
        parts.append(
            f'<text x="{LANE_LABEL + 6}" y="{y + 14}" fill="#999" '
            'style="font-size:10px">undated:</text>'
        )
    for number, name in enumerate(listed):
        short = name if len(name) <= 54 else name[:53].rsplit(" ", 1)[0] + "…"
        parts.append(
            f'<text x="{LANE_LABEL + 6}" y="{y + 30 + number * (ROW - 8)}" fill="#666">'
            f"<title>{_esc(name)}</title>{_esc(short)}</text>"
        )
    return "\n".join(parts)


def _mark(fact: Dated, start: float, end: float, text: str, label_x: float, y: float) -> str:
    colour = vocab.ENTITY_TYPES[fact.label].colour if fact.label in vocab.ENTITY_TYPES else "#888"
    actual = fact.modality == vocab.ACTUAL
    fill, dash = (colour, "") if actual else ("#ffffff", ' stroke-dasharray="3 2"')
    if end - start < 4:  # a day: a dot
        shape = (
            f'<circle cx="{start:.1f}" cy="{y}" r="5" fill="{fill}" stroke="{colour}" '
            f'stroke-width="1.6"{dash}/>'
        )
    else:  # a month or a year: a bar across it
        shape = (
            f'<rect x="{start:.1f}" y="{y - 4}" width="{end - start:.1f}" height="8" rx="3" '
            f'fill="{fill}" stroke="{colour}" stroke-width="1.4"{dash}/>'
        )
    tip = [f"{fact.name}: {fact.predicate} {fact.date}"]
    tip += [] if actual else [f"modality: {fact.modality}"]
    tip += [f"deduced: {fact.inferred}"] if fact.inferred else []
    tip += [f"«{quote}»" for quote in fact.quotes]
    style = ' font-style="italic"' if fact.inferred else ""
    return (
        f"<g><title>{_esc(chr(10).join(tip))}</title>{shape}"
        f'<text x="{label_x + (8 if end - start < 4 and label_x == start else 0):.1f}" '
        f'y="{y - 7}" fill="#222"{style}>{_esc(text)}</text></g>'
    )


def _axis_marks(axis: _Axis, bottom: float) -> list[str]:
    marks = []
    for index, year in enumerate(axis.years):
        x = axis.year_x(year)
        marks.append(
            f'<line x1="{x:.1f}" y1="64" x2="{x:.1f}" y2="{bottom}" stroke="#cfd4da"/>'
            f'<text x="{x + 4:.1f}" y="80" style="font-weight:600">{year}</text>'
        )
        for month in range(1, 12):
            mx = x + month * axis.segment / 12
            marks.append(
                f'<line x1="{mx:.1f}" y1="84" x2="{mx:.1f}" y2="{bottom}" stroke="#f0f1f3"/>'
            )
        if index and axis.years[index - 1] != year - 1:  # years skipped: a break mark
            marks.append(f'<text x="{x - 5:.1f}" y="80" fill="#999" text-anchor="middle">≈</text>')
    return marks


def _legend(y: float) -> list[str]:
    return [
        f'<circle cx="20" cy="{y}" r="5" fill="#555"/>'
        f'<text x="30" y="{y + 4}">happened (a dot: a day)</text>'
        f'<rect x="170" y="{y - 4}" width="26" height="8" rx="3" fill="#555"/>'
        f'<text x="202" y="{y + 4}">a month or a year</text>'
        f'<circle cx="330" cy="{y}" r="5" fill="#fff" stroke="#555" stroke-dasharray="3 2"/>'
        f'<text x="340" y="{y + 4}">planned, possible… (not simply happened)</text>'
        f'<text x="590" y="{y + 4}" font-style="italic">italics: the date is deduced</text>'
        f'<text x="780" y="{y + 4}" fill="#777">colour: the type, as in kg viz · hover for '
        "the quotes</text>"
    ]
