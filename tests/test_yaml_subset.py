"""The fast reader of the seeds' YAML subset reads exactly what the full loader reads.

The reference is PyYAML's safe loader as the seeds use it (`kg.seeds._LineLoader`: line
numbers, duplicate keys and control characters refused). Every document is read both ways:
where the subset reader answers, its answer must be the full loader's, value for value and
type for type (`repr`: True is not 1, a date is not its text); where the full loader refuses
a document, the subset reader must leave it to it (so the curator gets the full loader's
message, file and line).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
import yaml

from kg import yaml_subset
from kg.errors import ValidationFailed
from kg.seeds import _LineLoader, read_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))

from synthetic import write_seeds  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def full(text: str) -> str:
    """What the full loader gives: the data's repr, or the error and its line."""
    try:
        return repr(yaml.load(text, Loader=_LineLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return f"error on line {mark.line + 1 if mark else '?'}: {error.problem}"
    except (yaml.YAMLError, RecursionError, ValueError) as error:  # ValueError: `!!map x`
        return f"error: {error}"


def subset(text: str) -> str | None:
    """What the subset reader gives: the data's repr, or None when it leaves the text."""
    try:
        return repr(yaml_subset.load(text))
    except yaml_subset.Unsupported:
        return None


def agree(text: str) -> bool:
    """Both readers agree on `text`; True when the subset reader answered."""
    fast = subset(text)
    if fast is None:
        return False
    assert fast == full(text), text
    return True


def test_every_seed_file_is_read_by_the_subset_reader_as_by_the_full_loader() -> None:
    paths = sorted(SEEDS.glob("*/*.yaml"))
    assert len(paths) > 15
    for path in paths:
        assert agree(path.read_text(encoding="utf-8")), path


def test_synthetic_seeds_are_read_by_the_subset_reader_as_by_the_full_loader(
    tmp_path: Path,
) -> None:
    write_seeds(tmp_path, 400)
    paths = sorted(tmp_path.glob("*/*.yaml"))
    assert len(paths) == 10 + 7 + 1  # ten articles, seven entity files, one facts file
    for path in paths:
        assert agree(path.read_text(encoding="utf-8")), path


# YAML 1.1 as PyYAML resolves plain scalars (https://yaml.org/type/): each line is read
# by the subset reader, and must come out as the full loader builds it.
RESOLVED = [
    "a: 12",
    "a: 0x1F",
    "a: 012",
    "a: 0b101",
    "a: 1_000",
    "a: +5",
    "a: 190:20:30",
    "a: 1.5",
    "a: .5",
    "a: 1e3",
    "a: 1.0e+3",
    "a: .inf",
    "a: .NaN",
    "a: yes",
    "a: No",
    "a: ON",
    "a: off",
    "a: y",
    "a: n",
    "a: True",
    "a: ~",
    "a: null",
    "a: Null",
    "a:",
    "a: 2020-09-30",
    "a: 2001-12-14t21:59:43.10-05:00",
    "a: 2001-12-14 21:59:43.10 -5",
    "a: 2020-9-30",
    "a: 2014",
    "a: '2014'",
    'a: "2014"',
    "yes: no",
    "null: 1",
    "on: [off, 1, ~, 2020-01-01, x]",
    "a: [ ]",
    "a: []   # none",
    "a: [ b ,c ]",
    "a: ['it''s', \"\\\"q\\\"\", plain words]",
    "a: value # a comment",
    "a: value#not a comment",
    "a: http://example.org/x",
    "a: a:b",
    "a: C# et F#",
    "a: 'single # not a comment'",
    'a: "double \\u00e9\\x41\\t\\\\ \\/"',
    "a: l'État, « cité »",
    "a: trailing blanks   ",
    "__line__: 7",
    "- a\n- b\n-   c",
    "- a: 1\n  b: 2\n- a: 3",
    "a:\n- 1\n- 2\nb: 3",
    "a:\n  - x: 1\n    y: [2]\n  - x: 3\nb:\n  c:\n    d: e",
    "# only a comment\n\n",
    "",
    "a:\n  b\n",
    "- x # comment\n\n# comment\n- y",
]

# What the subset leaves to the full loader, valid YAML or not.
LEFT = [
    "a: &x 1\nb: *x",
    "a: !!str 1",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: {b: c}",
    "a: plain\n  continued",
    'a: "two\n  lines"',
    "a: [1,\n  2]",
    "a: [b, [c]]",
    "a: [b,]",
    "? a\n: b",
    "---\na: 1",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1",
    "a: 1\na: 2",
    "- a: 1\n  a: 2",
    "a:\tb",
    "a: 1\r\nb: 2",
    "a: -1",
    '"a": 1',
    "a: b: c",
    "- a\nb: c",
    "a: 1\n  b: 2",
    "a: 1\n - b",
    "-\n  a: 1",
    "a: 'open",
    'a: "\\z"',
    'a: "\\x01"',
    "<<: {a: 1}",
    "a: =",
    "\ufeffa: 1",
]


@pytest.mark.parametrize("text", RESOLVED)
def test_plain_scalars_resolve_as_yaml_1_1_says(text: str) -> None:
    assert agree(text)


@pytest.mark.parametrize("text", LEFT)
def test_what_the_subset_does_not_cover_goes_to_the_full_loader(text: str) -> None:
    assert subset(text) is None


KEYS = ["id", "quote", "a", "b", "yes", "null", "on", "__line__", "x_y", "k-1"]
SCALARS = [
    "plain",
    "two words",
    "x: y",
    "a #c",
    "a#c",
    "'s''q'",
    "'open",
    '"d\\"q"',
    '"\\t\\u00e9"',
    '"\\q"',
    "12",
    "0x1f",
    "1:20",
    "-3",
    "+3",
    ".5",
    "1e3",
    "yes",
    "Off",
    "~",
    "",
    "2020-09-30",
    "2020-09-30 10:00:00",
    "[a, 'b', \"c\"]",
    "[]",
    "[a, [b]]",
    "[a,]",
    "{a: b}",  # the ones below and this one: outside the subset
    "&a x",
    "*a",
    "!!int 3",
    "|",
    "...",
    "---",
    "%x",
    "@x",
    "`x",
    "é à",
    "l’État",
]


COMMON = SCALARS[: SCALARS.index("{a: b}")]


def _scalar(rng: random.Random) -> str:
    return rng.choice(COMMON if rng.random() < 0.9 else SCALARS)


def _node(rng: random.Random, indent: int, depth: int) -> list[str]:
    pad = " " * indent
    roll = rng.random()
    if depth > 3 or roll < 0.2:
        return [pad + _scalar(rng)]
    if roll < 0.55:
        lines = []
        for _ in range(rng.randint(1, 3)):
            item = _node(rng, indent + 2, depth + 1)
            lines.append(pad + "- " + item[0].lstrip(" "))
            lines += item[1:]
        return lines
    lines = []
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(KEYS)
        if rng.random() < 0.6:
            lines.append(f"{pad}{key}: {_scalar(rng)}".rstrip(" "))
        else:
            lines.append(f"{pad}{key}:")
            lines += _node(rng, indent + rng.choice((0, 2, 2, 4)), depth + 1)
    return lines


def _mutate(rng: random.Random, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(rng.choice((0, 0, 1, 2))):
        at = rng.randrange(len(lines) + 1)
        roll = rng.random()
        if roll < 0.3:
            lines.insert(at, rng.choice(("", "# comment", "   ", "  # indented comment")))
        elif roll < 0.5 and at < len(lines):
            lines[at] = " " + lines[at]
        elif roll < 0.6 and at < len(lines):
            lines[at] = lines[at] + rng.choice(("  ", " # c", "\t", ":"))
        elif roll < 0.8 and at < len(lines):
            lines.insert(at, lines[at])
        else:
            lines.insert(at, rng.choice(("---", "...", "- x", "x: y", "  z")))
    return lines


def test_random_documents_read_the_same_both_ways() -> None:
    rng = random.Random(13)
    answered = refused = 0
    for _ in range(4000):
        text = "\n".join(_mutate(rng, _node(rng, 0, 0))) + rng.choice(("", "\n"))
        if agree(text):
            answered += 1
        elif full(text).startswith("error"):
            refused += 1
    # Not a vacuous comparison: many documents answered, and many broken ones left.
    assert answered > 500 and refused > 500, (answered, refused)


def test_a_broken_seed_file_gets_the_full_loaders_message(tmp_path: Path) -> None:
    write_seeds(tmp_path, 100)
    facts = next((tmp_path / "facts").glob("*.yaml"))
    lines = facts.read_text(encoding="utf-8").splitlines()
    # The second line of the first fact ("  subject: ...") said again on line 3.
    lines.insert(2, lines[1])
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        read_corpus(tmp_path)
    assert failed.value.problems == [
        f"{facts}:3: invalid YAML: duplicate key 'subject' (first on line 2)"
    ]


def test_an_impossible_date_is_a_yaml_problem_with_its_line(tmp_path: Path) -> None:
    write_seeds(tmp_path, 100)
    facts = next((tmp_path / "facts").glob("*.yaml"))
    lines = facts.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "  when: 2020-13-45")  # in the first fact, after its predicate
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        read_corpus(tmp_path)
    assert failed.value.problems == [
        f"{facts}:4: invalid YAML: '2020-13-45' is not a valid timestamp (month must be in 1..12)"
    ]
