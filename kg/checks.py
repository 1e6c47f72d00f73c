"""Checks of untrusted text, shared by the seed reader, the RDF importer and the command line.

Control characters (other than tab, line feed and carriage return) and lone surrogates
have no place in curated text: a store may refuse them, crash on them, or keep them
invisibly.
"""

from __future__ import annotations

import re

# What `bad_character` finds; its `search` tells fast whether a text holds one.
BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def bad_character(text: str) -> tuple[int, str] | None:
    """The offset of the first control character or lone surrogate in `text`, and what it
    is ("a control character (U+0000)"); None when there is none."""
    found = BAD_CHARACTER.search(text)
    if found is None:
        return None
    code = ord(found.group())
    what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return found.start(), f"{what} (U+{code:04X})"


def line_of(text: str, offset: int) -> int:
    """The line (from 1) on which `offset` falls."""
    return text.count("\n", 0, offset) + 1
