"""`kg export --format grass`: a Neo4j Browser style sheet with the colours and captions of kg viz.

A style sheet (GraSS) is a list of `selector { name: value; ... }` rules; Browser reads it with
a small hand-written parser (neo4j-browser, src/browser/modules/D3Visualization/graphStyle.ts,
`parse`): braces open and close a rule unless inside single quotes, the quotes themselves are
dropped, declarations are split at `;` and each at its first `:` (a second one cuts the value
short). `check_grammar` below is that grammar, made strict: it is first checked against the
examples Neo4j publishes (Browser's default sheet, which `:style` shows and the Browser manual's
"Browser styling" page describes, and the label rule Browser writes for a styled label), then
applied to kg's sheet. `browser_reads` follows Browser's own reading, to check what it takes
from kg's sheet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import vocab
from kg.cli import app
from kg.exporters.grass import style_sheet

# As Neo4j Browser writes them (`:style`; its tests, graphStyle.test.ts).
DOCUMENTED = [
    """node {
  diameter: 50px;
  color: #A5ABB6;
  border-color: #9AA1AC;
  border-width: 2px;
  text-color-internal: #FFFFFF;
  font-size: 10px;
}

relationship {
  color: #A5ABB6;
  shaft-width: 1px;
  font-size: 8px;
  padding: 3px;
  text-color-external: #000000;
  text-color-internal: #FFFFFF;
  caption: '<type>';
}
""",
    """node.foo {
  color: #C990C0;
  border-color: #b261a5;
  text-color-internal: #FFFFFF;
  defaultCaption: <id>;
}

relationship.REL\\.TYPE {
  caption: 'yo';
}
""",
    # A caption made of a property, as Browser's caption menu sets it.
    "node.Movie { color: #C990C0; caption: '{title}'; }",
]

PROPERTIES = {
    "diameter",
    "color",
    "border-color",
    "border-width",
    "text-color-internal",
    "text-color-external",
    "font-size",
    "shaft-width",
    "padding",
    "caption",
    "defaultCaption",
}
SELECTOR = re.compile(r"(node|relationship)(\.([A-Za-z0-9_]|\\\.)+)?")
RULE = re.compile(r"\s*(?P<selector>[^\s{}]+)\s*\{(?P<body>[^{}']*(?:'[^']*'[^{}']*)*)\}\s*")
DECLARATION = re.compile(r"\s*(?P<name>[A-Za-z-]+)\s*:\s*(?P<value>[^:;]+?)\s*")
VALUES = {
    "colour": re.compile(r"#[0-9A-Fa-f]{6}"),
    "size": re.compile(r"\d+px"),
    "caption": re.compile(r"'[^']*'|<(id|type)>"),
}
KIND = {"caption": "caption", "defaultCaption": "caption"}
KIND |= dict.fromkeys(("diameter", "border-width", "font-size", "shaft-width", "padding"), "size")


def check_grammar(text: str) -> dict[str, dict[str, str]]:
    """The rules of `text`, or an AssertionError naming what Browser would misread."""
    rules: dict[str, dict[str, str]] = {}
    position = 0
    while position < len(text.rstrip()):
        match = RULE.match(text, position)
        assert match, f"not a rule at character {position}: {text[position : position + 40]!r}"
        selector = match["selector"]
        assert SELECTOR.fullmatch(selector), f"not a selector: {selector!r}"
        assert selector not in rules, f"{selector} twice"
        body = match["body"].strip()
        assert body.endswith(";"), f"{selector}: the last declaration has no ';'"
        declarations = {}
        for part in re.split(r";(?=(?:[^']*'[^']*')*[^']*$)", body)[:-1]:
            declaration = DECLARATION.fullmatch(part)
            assert declaration, f"{selector}: not a `name: value` declaration: {part!r}"
            name, value = declaration["name"], declaration["value"]
            assert name in PROPERTIES, f"{selector}: unknown property {name!r}"
            kind = KIND.get(name, "colour")
            assert VALUES[kind].fullmatch(value), f"{selector}: {name}: not a {kind}: {value!r}"
            declarations[name] = value
        rules[selector] = declarations
        position = match.end()
    assert rules, "no rule"
    return rules


def browser_reads(text: str) -> dict[str, dict[str, str]]:
    """What Neo4j Browser's `parse` makes of `text` (graphStyle.ts, followed step by step)."""
    inside_string = inside_props = False
    keyword = props = ""
    raw: dict[str, str] = {}
    for char in text:
        if char == "{" and not inside_string:
            inside_props = True
            continue
        if char == "}" and not inside_string:
            inside_props = False
            raw[keyword], keyword, props = props, "", ""
            continue
        if char == "'":
            inside_string = not inside_string
            continue
        if inside_props:
            props += char
        elif not char.isspace():
            keyword += char
    rules = {}
    for selector, body in raw.items():
        rules[selector] = {}
        for prop in body.split(";"):
            key, _, rest = prop.partition(":")
            value = rest.split(":")[0]
            if key and value:
                rules[selector][key.strip()] = value.strip()
    return rules


@pytest.mark.parametrize("example", DOCUMENTED)
def test_the_grammar_check_takes_the_documented_examples(example: str) -> None:
    assert check_grammar(example)


@pytest.mark.parametrize(
    "broken, problem",
    [
        ("node { color: #A5ABB6 }", "no ';'"),
        ('node.Person { caption: "{name}"; }', "not a rule"),  # the `}` in "..." ends the rule
        ("/* a comment */ node { color: #A5ABB6; }", "not a rule"),  # no comments
        ("node { colour: #A5ABB6; }", "unknown property"),
        ("node { color: A5ABB6; }", "not a colour"),
        ("node { caption: {name}; }", "not a rule"),
        ("node.Person { caption: 'a:b'; }", "not a `name: value` declaration"),
        ("edge { color: #000000; }", "not a selector"),
    ],
)
def test_the_grammar_check_refuses_what_browser_misreads(broken: str, problem: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(problem)):
        check_grammar(broken)


def test_the_sheet_follows_the_grammar_and_browser_reads_every_label() -> None:
    sheet = style_sheet()
    rules = check_grammar(sheet)
    read = browser_reads(sheet)
    assert (
        set(read)
        == set(rules)
        == {
            "node",
            "relationship",
            *(f"node.{label}" for label in vocab.node_labels()),
        }
    )
    assert read["node"]["diameter"] == "50px"  # Browser's default kept: loading replaces all
    assert read["relationship"]["caption"] == "<type>"
    for label, entity_type in vocab.ENTITY_TYPES.items():
        assert read[f"node.{label}"]["color"] == entity_type.colour
        assert read[f"node.{label}"]["caption"] == "{name}"
    assert read["node.Article"]["color"] == vocab.ARTICLE_COLOUR
    assert read["node.Article"]["caption"] == "{id}"  # articles have no name: kg viz shows the id


def test_captions_read_on_their_fill() -> None:
    """Light fills get Browser's dark caption colour, dark ones white: as its own palette pairs
    them for the same colours (#FFC454 and #57C7E3 with #2A2C34, #F16667 with #FFFFFF)."""
    rules = browser_reads(style_sheet())
    by_fill = {r["color"]: r["text-color-internal"] for s, r in rules.items() if "." in s}
    assert by_fill["#FFC454"] == by_fill["#57C7E3"] == by_fill["#8DCC93"] == "#2A2C34"
    assert by_fill["#F16667"] == by_fill["#4C8EDA"] == by_fill["#F79767"] == "#FFFFFF"


def test_export_grass_needs_no_store(tmp_path: Path) -> None:
    """The sheet comes from the vocabulary: even with Neo4j unreachable, it is written."""
    output = tmp_path / "kg.grass"
    result = CliRunner().invoke(
        app, ["--uri", "bolt://127.0.0.1:9", "export", "--format", "grass", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == style_sheet()
