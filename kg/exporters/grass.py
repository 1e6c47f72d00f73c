"""The Neo4j Browser style sheet (GraSS) of kg's graph: the colours and captions of `kg viz`.

Browser draws a node with the rule of its label (`node.Person { color: ...; caption: ...; }`)
over the `node` rule, and a relationship with `relationship`. The sheet is made from the
vocabulary alone, never from the store: one rule per node label, filled with its colour
(`kg.vocab`, as in the legend of `kg viz`), with a darker border and a caption colour that
reads on it; entities are captioned with their name and articles with their id, as `kg viz`
does; relationships with their type. It keeps to what Browser's reader takes: one
`selector { name: value; ... }` per rule, captions in single quotes (a `{` or `}` outside quotes
ends a rule), no comment and no `:` in a value. Load it with `:style` (see the README).
"""

from __future__ import annotations

import colorsys
from typing import BinaryIO

from kg import vocab
from kg.exporters import ExportOptions
from kg.stores import Store

# Browser's own defaults (its `:style` shows them): the rules every other one refines. A sheet
# without them would leave nodes with no diameter, since loading a sheet replaces every rule.
NODE = {
    "diameter": "50px",
    "color": "#A5ABB6",
    "border-color": "#9AA1AC",
    "border-width": "2px",
    "text-color-internal": "#FFFFFF",
    "font-size": "10px",
}
RELATIONSHIP = {
    "color": "#A5ABB6",
    "shaft-width": "1px",
    "font-size": "8px",
    "padding": "3px",
    "text-color-external": "#000000",
    "text-color-internal": "#FFFFFF",
    "caption": "'<type>'",
}
DARK_TEXT, LIGHT_TEXT = "#2A2C34", "#FFFFFF"  # Browser's caption colours on light and dark fills


def caption(label: str) -> str:
    """The property a node of `label` is captioned with, as `kg viz` captions it."""
    return "{id}" if label == vocab.ARTICLE_LABEL else "{name}"


def colour(label: str) -> str:
    if label == vocab.ARTICLE_LABEL:
        return vocab.ARTICLE_COLOUR
    return vocab.ENTITY_TYPES[label].colour


def style_sheet() -> str:
    """The whole sheet: Browser's base rules, then one rule per label of the vocabulary."""
    rules = [("node", NODE), ("relationship", RELATIONSHIP)]
    for label in vocab.node_labels():
        fill = colour(label)
        rules.append(
            (
                f"node.{vocab.check_label(label)}",
                {
                    "color": fill,
                    "border-color": _darker(fill),
                    "text-color-internal": _caption_colour(fill),
                    "caption": f"'{caption(label)}'",
                },
            )
        )
    return "\n".join(
        f"{selector} {{\n" + "".join(f"  {k}: {v};\n" for k, v in props.items()) + "}\n"
        for selector, props in rules
    )


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.removeprefix("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _darker(hex_colour: str) -> str:
    """The border: the fill at 80% of its lightness, as Browser's own palette pairs them."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(hex_colour))
    rgb = colorsys.hls_to_rgb(hue, lightness * 0.8, saturation)
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def _caption_colour(hex_colour: str) -> str:
    """Dark text on a light fill, white on a dark one (WCAG relative luminance)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _rgb(hex_colour))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return DARK_TEXT if luminance > 0.45 else LIGHT_TEXT


def export(store: Store | None, stream: BinaryIO, options: ExportOptions) -> None:
    """Write the sheet (UTF-8); it comes from the vocabulary, so the store is not read."""
    stream.write(style_sheet().encode("utf-8"))
