"""A fast reader for the part of YAML the seed files are written in.

The seeds are block lists of mappings whose values are one-line scalars (plain, 'single'
or "double" quoted) and short one-line flow lists. Driving libyaml from Python costs about a
millisecond per fact (a constructor call per node); reading that subset line by line costs a
few microseconds. `load` gives exactly what `yaml.load(text, Loader=kg.seeds._LineLoader)`
gives: plain scalars are resolved by PyYAML's own resolver (YAML 1.1: ints, floats, bools
such as yes/off, nulls, timestamps) and built by its safe constructor, each mapping gets
its `__line__`. For anything else (anchors, tags, flow mappings, block scalars, scalars over
several lines, documents markers, tabs, duplicate keys, characters the checks refuse,
anything malformed) it raises `Unsupported`, and the caller reads the file with the full
loader, whose messages (file, line, problem) are then the ones the curator sees.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kg.checks import bad_character

LINE = "__line__"
MAX_DEPTH = 20  # deeper nesting is left to the full loader (the seeds need 4)


class Unsupported(Exception):
    """The text holds something this reader leaves to the full loader."""


# Characters the full loader reads otherwise (tabs; line breaks other than "\n"; a
# byte-order mark; what libyaml refuses beyond what `bad_character` does).
_ODD = ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")
# One line: its indent, a sequence entry's "- ", a plain key and its colon, the rest (which
# may end with blanks). Every line matches, so the n-th match is line n.
_ROW = re.compile(r"( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +|(?=\n)))?(.*)\n")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "/": "/", " ": " ", "_": "\xa0"}
# A plain scalar cannot start with an indicator (some can, followed by a non-space: left to
# the full loader), nor hold ": " or " #" (a comment), nor end with ":".
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_PLAIN = re.compile(r"[^,\[\]{}#:'\"\s&*!|>%@`?-][^,\[\]{}#:]*")

# PyYAML's implicit resolvers by first character, each with the wildcard ones after it.
_WILDCARD = yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, [])
_RESOLVERS = {
    first: resolvers + _WILDCARD
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if first is not None
}
_STR = "tag:yaml.org,2002:str"
_BUILT = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
_TYPED_FIRST = frozenset(_RESOLVERS)  # what a plain scalar starting otherwise is: text
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TYPED: dict[str, Any] = {}  # plain scalars that are not text, built once (all immutable)


def _plain(text: str) -> Any:
    """A plain scalar as the safe loader builds it: text, or what YAML 1.1 resolves it to."""
    resolvers = _RESOLVERS.get(text[0], _WILDCARD)
    if not resolvers:
        return text
    built = _TYPED.get(text)
    if built is not None:
        return built
    for candidate, regexp in resolvers:
        if regexp.match(text):
            tag = candidate
            break
    else:
        return text
    if tag not in _BUILT:
        raise Unsupported(tag)
    try:
        built = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except ValueError as error:  # 2020-13-45: the full loader says where
        raise Unsupported(f"{text!r}: {error}") from None
    if built is not None and len(_TYPED) < 10_000:
        _TYPED[text] = built
    return built


def _unescape(match: re.Match[str]) -> str:
    x, u, big, char = match.groups()
    if char is None:
        code = int(x or u or big, 16)
        if code > 0x10FFFF:
            raise Unsupported("an escape past Unicode")
        return chr(code)
    if char not in _ESCAPES:
        raise Unsupported(f"escape \\{char}")
    return _ESCAPES[char]


def _quoted(text: str, at: int) -> tuple[str, int]:
    """The quoted scalar starting at `at` and the offset after it."""
    if text[at] == '"':
        found = _DOUBLE.match(text, at)
        if found is None:
            raise Unsupported("a double-quoted scalar over several lines")
        value = found.group(1)
        if "\\" in value:
            value = _ESCAPE.sub(_unescape, value)
            if bad_character(value) is not None:
                raise Unsupported("an escaped control character")
    else:
        found = _SINGLE.match(text, at)
        if found is None:
            raise Unsupported("a single-quoted scalar over several lines")
        value = found.group(1).replace("''", "'")
    return value, found.end()


def _end(text: str, at: int) -> None:
    """Only blanks and a comment may follow a scalar or a flow list on its line."""
    rest = text[at:]
    if rest and not (rest[0] == " " and rest.lstrip(" ")[:1] in ("", "#")):
        raise Unsupported("text after a scalar")


def _flow_list(text: str) -> list[Any]:
    items: list[Any] = []
    at = 1
    size = len(text)
    while at < size and text[at] == " ":
        at += 1
    if at < size and text[at] == "]":
        _end(text, at + 1)
        return items
    while True:
        if at >= size:
            raise Unsupported("a flow list over several lines")
        if text[at] in "\"'":
            value, at = _quoted(text, at)
            items.append(value)
        else:
            found = _FLOW_PLAIN.match(text, at)
            if found is None:
                raise Unsupported("a flow list item")
            items.append(_plain(found.group().rstrip(" ")))
            at = found.end()
        while at < size and text[at] == " ":
            at += 1
        if at >= size:
            raise Unsupported("a flow list over several lines")
        if text[at] == "]":
            _end(text, at + 1)
            return items
        if text[at] != ",":
            raise Unsupported("a flow list item")
        at += 1
        while at < size and text[at] == " ":
            at += 1
        if at < size and text[at] == "]":
            raise Unsupported("a trailing comma")


def _scalar(text: str) -> Any:
    """A value written on one line (blanks before it trimmed): a scalar or a flow list."""
    text = text.rstrip(" ")
    first = text[0]
    if first == "[":
        return _flow_list(text)
    if first == '"' or first == "'":
        value, at = _quoted(text, 0)
        _end(text, at)
        return value
    if first in _INDICATORS or text.startswith("..."):  # "..." may end the document
        raise Unsupported(f"a scalar starting with {first!r}")
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut].rstrip(" ")
    if ": " in text or text[-1] == ":":
        raise Unsupported("a colon in a plain scalar")
    return _plain(text)


class _Parser:
    """Block structure by indentation over the content lines (comments and blank lines left
    out), each (line, column of its content, column of its "- " or -1, key, rest)."""

    def __init__(self, text: str) -> None:
        if not text.endswith("\n"):
            text += "\n"
        self.tokens = [
            (number, len(indent) + len(dash), len(indent) if dash else -1, key, rest)
            for number, (indent, dash, key, rest) in enumerate(_ROW.findall(text), start=1)
            if key or dash or (rest and rest[0] != "#")
        ]

    def document(self) -> Any:
        if not self.tokens:
            return None
        value, at = self.block(0, 0)
        if at != len(self.tokens):
            raise Unsupported("text after the document")
        return value

    def block(self, at: int, depth: int) -> tuple[Any, int]:
        """The node starting at token `at`, and the token after it."""
        if depth > MAX_DEPTH:
            raise Unsupported("deep nesting")
        _, col, dash, key, rest = self.tokens[at]
        if dash >= 0:
            return self.sequence(at, dash, depth)
        if key:
            return self.mapping(at, col, depth)
        if rest[0] == "#":
            raise Unsupported("a comment where a value starts")
        return _scalar(rest), at + 1  # what follows is checked by the caller

    def sequence(self, at: int, indent: int, depth: int) -> tuple[list[Any], int]:
        tokens, size = self.tokens, len(self.tokens)
        items = []
        while at < size:
            number, col, dash, key, rest = tokens[at]
            start = dash if dash >= 0 else col
            if start != indent or dash < 0:
                if start > indent:
                    raise Unsupported("indentation")
                break
            if key:
                value, at = self.mapping(at, col, depth + 1)
            elif rest and rest[0] != "#":
                value, at = _scalar(rest), at + 1
            else:
                raise Unsupported("an entry that starts on the next line, or an empty one")
            items.append(value)
        return items, at

    def mapping(self, at: int, indent: int, depth: int) -> tuple[dict[Any, Any], int]:
        """The mapping whose first key is token `at` (which may follow its entry's "- ")."""
        tokens, size = self.tokens, len(self.tokens)
        mapping: dict[Any, Any] = {}
        line, _, _, key, rest = tokens[at]
        while True:
            if not key:
                raise Unsupported("a line that is not a key in a mapping")
            if key[0] in _TYPED_FIRST:
                key = _plain(key)
            if key in mapping:
                raise Unsupported("a duplicate key")
            at += 1
            if rest and rest[0] != "#":
                first = rest[0]
                if first == '"' and rest[-1] == '"' and rest.count('"') == 2 and "\\" not in rest:
                    mapping[key] = rest[1:-1]
                elif (
                    first not in _INDICATORS
                    and " #" not in rest
                    and ": " not in rest
                    and rest[-1] not in ": "
                ):
                    mapping[key] = _plain(rest) if first in _TYPED_FIRST else rest
                else:
                    mapping[key] = _scalar(rest)
            elif at < size and tokens[at][2] >= indent:  # a sequence, nested or at the key's column
                mapping[key], at = self.sequence(at, tokens[at][2], depth + 1)
            elif at < size and tokens[at][2] < 0 and tokens[at][1] > indent:
                mapping[key], at = self.block(at, depth + 1)
            else:
                mapping[key] = None
            if at >= size:
                break
            _, col, dash, key, rest = tokens[at]
            if dash >= 0:
                if dash >= indent:
                    raise Unsupported("a sequence entry after a value")
                break
            if col != indent:
                if col > indent:
                    raise Unsupported("indentation, or a scalar over several lines")
                break
        mapping[LINE] = line
        return mapping, at


def load(text: str, *, checked: bool = False) -> Any:
    """The YAML document in `text`, as the seeds' safe loader reads it; raise Unsupported
    for anything outside the subset (the caller then uses the full loader). `checked`: the
    caller has found no `bad_character` in `text` (a scan of the whole text spared)."""
    if any(odd in text for odd in _ODD) or (not checked and bad_character(text) is not None):
        raise Unsupported("a character outside the subset")
    return _Parser(text).document()
