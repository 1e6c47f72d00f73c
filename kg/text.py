"""Finding names and quotes in article text: one matcher, built once per corpus.

Names (aliases) are matched on *folded* text: case and accents aside, apostrophes,
quotation marks and other punctuation read as spaces, runs of white space as one. A name
matches whole words only, and a hyphen joins words: "Royaume" is not found in
"Royaume-Uni". Where two names overlap, the longest wins, so "Maghreb" inside
"Al-Qaida au Maghreb islamique" is one mention of the longer name only. All names of a
corpus go into one Aho–Corasick automaton (`ahocorasick_rs`), so finding every mention
is one pass per article, whatever the number of names.

Quotes are verbatim: only runs of white space are folded, so they match across line
breaks and doubled spaces. Every folded text keeps a map back to the original offsets.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, count, pairwise
from operator import add, itemgetter, sub
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kg.model import Article, Corpus

_HYPHENS = frozenset("-\u2010\u2011")
_SPACES = re.compile(r"\s+")
_SPACE_RUNS = re.compile(r"(\s{2,})")
_BLANK_RUNS = re.compile(r"( {2,})")
_OTHER_SPACE = re.compile(r"[^\S \n]")


@functools.cache
def _fold_char(char: str) -> str:
    """One character folded: lower case, no accents, hyphens kept, other non-word chars a space."""
    plain = unicodedata.normalize("NFKD", char.casefold())
    return "".join(
        c if c.isalnum() else "-" if c in _HYPHENS else " "
        for c in plain
        if not unicodedata.combining(c)
    )


class _Shifts:
    """Maps offsets of a rewritten text back to its source: source = offset + shift."""

    def __init__(self) -> None:
        self.points: list[int] = [0]
        self.shifts: list[int] = [0]

    def add(self, point: int, shift: int) -> None:
        if self.points[-1] == point:
            self.shifts[-1] = shift
        else:
            self.points.append(point)
            self.shifts.append(shift)

    def __call__(self, offset: int) -> int:
        return offset + self.shifts[bisect_right(self.points, offset) - 1]


@dataclass(frozen=True)
class Folded:
    """A text rewritten for matching, and the way back to the original offsets."""

    text: str
    original: str
    maps: tuple[_Shifts, ...]  # applied last to first

    def source(self, offset: int) -> int:
        for shifts in reversed(self.maps):
            offset = shifts(offset)
        return offset

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span [start, end) (non-empty)."""
        if len(self.maps) == 1:  # the common case: only white space was collapsed
            points, shifts = self.maps[0].points, self.maps[0].shifts
            last = end - 1
            return (
                start + shifts[bisect_right(points, start) - 1],
                last + shifts[bisect_right(points, last) - 1] + 1,
            )
        first, last = self.source(start), self.source(end - 1) + 1
        # Combining marks fold to nothing: keep them with the letter they follow.
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return first, last


def _collapse(text: str, runs: re.Pattern[str]) -> tuple[str, _Shifts]:
    """`text` with each run matched by `runs` (a pattern with one group: the run) replaced
    by one space. Split at the runs, the pieces and the runs' lengths give the map back
    without a Python step per run."""
    shifts = _Shifts()
    parts = runs.split(text)  # piece, run, piece, ..., piece
    if len(parts) == 1:
        return text, shifts
    # Piece k + 1 starts, collapsed, after pieces 0..k and k + 1 spaces; the runs before it
    # removed all but one character each.
    shifts.points += map(add, accumulate(map(len, parts[0:-1:2])), count(1))
    shifts.shifts += map(sub, accumulate(map(len, parts[1::2])), count(1))
    return " ".join(parts[0::2]), shifts


def fold_words(text: str) -> Folded:
    """`text` folded for name matching (see the module docstring)."""
    translated = _fold_fast(text)
    maps = []
    if translated is None:
        table = {ord(c): _fold_char(c) for c in set(text)}
        translated = text.translate(table)
        odd = "".join(re.escape(chr(o)) for o, f in table.items() if len(f) != 1)
        if odd:  # characters that fold to none or several ("ß" -> "ss"): rare
            shifts, delta = _Shifts(), 0
            for match in re.finditer(f"[{odd}]", text):
                at, width = match.start() + delta, len(table[ord(match.group())])
                for k in range(width):
                    shifts.add(at + k, -delta - k)
                delta += width - 1
                shifts.add(match.start() + 1 + delta, -delta)
            maps.append(shifts)
    collapsed, shifts = _collapse(translated, _BLANK_RUNS)
    return Folded(collapsed, text, (*maps, shifts))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_FOLD = {code: _fold_char(chr(code)) for code in range(128)}  # each one character


def _fold_fast(text: str) -> str | None:
    """`text` folded character by character as `fold_words` does, where each character folds
    to one: the few distinct non-ASCII ones replaced first, then the rest through
    `str.translate`'s ASCII path (a table lookup per character, not a mapping lookup).
    None when a character folds to none or several, or a folded one would fold again."""
    changed = {}
    for char in set(_NON_ASCII.findall(text)):
        folded = _fold_char(char)
        if len(folded) != 1:
            return None
        if folded != char:
            changed[char] = folded
    for folded in changed.values():
        if folded in changed or (folded < "\x80" and _ASCII_FOLD[ord(folded)] != folded):
            return None  # replaced, it would change again: the general path
    for char, folded in changed.items():
        text = text.replace(char, folded)
    return text.translate(_ASCII_FOLD)


def fold_spaces(text: str) -> Folded:
    """`text` with every run of white space one space, for verbatim quotes."""
    collapsed, shifts = _collapse(text, _SPACE_RUNS)
    # What is left of white space is single characters: each becomes a space (same length).
    if _OTHER_SPACE.search(collapsed) is None:  # only spaces and line feeds: the common case
        return Folded(collapsed.replace("\n", " "), text, (shifts,))
    return Folded(_SPACES.sub(" ", collapsed), text, (shifts,))


def fold_space(text: str) -> str:
    """Runs of white space as one space, ends trimmed: how quotes are compared."""
    return " ".join(text.split())


def overlaps(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether `span` overlaps one of `spans` (sorted and disjoint, as lines are)."""
    at = bisect_left(spans, span[1], key=itemgetter(0)) - 1  # the last one starting before
    return at >= 0 and spans[at][1] > span[0]


class _FoldTable(dict[int, str]):
    """`str.translate`'s table for search keys: each character folded on first sight."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def search_key(text: str) -> str:
    """The key names are compared by: 'L’État' ~ "l'etat" ~ 'L ETAT' (as `fold_words` folds)."""
    folded = text.translate(_FOLD)
    if "  " in folded:
        folded = _BLANK_RUNS.sub(" ", folded)
    return folded.strip(" ")  # folded text holds no other blank


def words(text: str) -> list[str]:
    """The folded words of a name, split at spaces and hyphens: 'Kaïs Saïed' -> kais, saied."""
    return [w for w in re.split(r"[\s-]+", search_key(text)) if w]


# --- names ---------------------------------------------------------------------------------


class Hit(NamedTuple):
    """One mention: original offsets, the folded name matched, and who owns that name."""

    start: int
    end: int
    key: str
    owners: tuple[Any, ...]


class Names:
    """A set of names, each owned by one or more things (entity ids), matched in one pass."""

    def __init__(self, names: Iterable[tuple[str, Hashable]]) -> None:
        owners: dict[str, dict[Hashable, None]] = {}
        for name, owner in names:
            key = search_key(name)
            if key:
                owners.setdefault(key, {})[owner] = None
        self.keys = list(owners)
        self.owners = {k: tuple(v) for k, v in owners.items()}
        self._automaton = None
        if self.keys:
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.AhoCorasick(
                [f" {k} " for k in self.keys], matchkind=ahocorasick_rs.MatchKind.Standard
            )

    def _matches(self, folded: Folded) -> list[tuple[int, int, int]]:
        """(name index, start, end) of every occurrence, overlapping ones too.

        The text is padded with a space at each end and so is every name, so an
        occurrence [start, end) holds " name ": the name is folded.text[start:end - 2].
        """
        if self._automaton is None:
            return []
        return self._automaton.find_matches_as_indexes(f" {folded.text} ", overlapping=True)

    def present(self, text: str | Folded) -> set[str]:
        """The names occurring in `text` as whole words, longer names around them or not."""
        folded = text if isinstance(text, Folded) else fold_words(text)
        return {self.keys[i] for i, _, _ in self._matches(folded)}

    def find(self, text: str | Folded) -> list[Hit]:
        """Every mention in `text`, left to right; where names overlap the longest wins."""
        folded = text if isinstance(text, Folded) else fold_words(text)
        found = self._matches(folded)
        found.sort(key=itemgetter(1))
        # Sorted by start, two occurrences overlap only if two neighbours do (the names
        # [s, e - 2) overlap, not their padding).
        if any(b[1] < a[2] - 2 for a, b in pairwise(found)):
            found = self._longest(found)
        hits = []
        for i, s, e in found:
            start, end = folded.span(s, e - 2)
            key = self.keys[i]
            hits.append(Hit(start, end, key, self.owners[key]))
        return hits

    @staticmethod
    def _longest(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """The occurrences kept where some overlap: longest first, then leftmost."""
        taken: list[tuple[int, int, int]] = []
        for i, s, e in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
            at = bisect_right(taken, (s, e, i))
            before = taken[at - 1] if at else None
            after = taken[at] if at < len(taken) else None
            if (before and before[1] - 2 > s) or (after and after[0] < e - 2):
                continue
            insort(taken, (s, e, i))
        return [(i, s, e) for s, e, i in taken]


def occurring(phrases: Iterable[str], texts: Iterable[Text]) -> set[str]:
    """The phrases (white space folded) found verbatim in at least one text, in one pass each."""
    needles = list({fold_space(p) for p in phrases} - {""})
    if not needles:
        return set()
    import ahocorasick_rs

    automaton = ahocorasick_rs.AhoCorasick(needles, matchkind=ahocorasick_rs.MatchKind.Standard)
    found: set[str] = set()
    for text in texts:
        found.update(
            needles[i]
            for i, _, _ in automaton.find_matches_as_indexes(text.spaces.text, overlapping=True)
        )
    return found


# --- texts ---------------------------------------------------------------------------------


class Text:
    """One text, folded once each way on first use: names, quotes, lines."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def words(self) -> Folded:
        return fold_words(self.text)

    @cached_property
    def spaces(self) -> Folded:
        return fold_spaces(self.text)

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line(self, offset: int) -> int:
        """The 1-based line holding `offset`."""
        return bisect_right(self.line_starts, offset)

    def find_quote(
        self, quote: str, within: list[tuple[int, int]] | None = None
    ) -> tuple[int, int] | None:
        """Offsets of `quote` in the text, white space aside, or None.

        With `within`, an occurrence overlapping one of those spans is preferred (a
        headline may also stand in a boilerplate navigation line).
        """
        needle = fold_space(quote)
        if not needle:
            return None
        haystack, first = self.spaces.text, None
        at = haystack.find(needle)
        while at >= 0:
            span = self.spaces.span(at, at + len(needle))
            if within is None or overlaps(within, span):
                return span
            first = first or span
            at = haystack.find(needle, at + 1)
        return first


def find_quote(
    text: str, quote: str, within: list[tuple[int, int]] | None = None
) -> tuple[int, int] | None:
    """Offsets of `quote` in `text`, white space aside, or None (see `Text.find_quote`)."""
    return Text(text).find_quote(quote, within)


class CorpusText:
    """The corpus's articles and entity aliases, folded and compiled once."""

    def __init__(self, corpus: Corpus) -> None:
        # The articles, not the corpus: the corpus holds this object, and a cycle between
        # them would leave a whole corpus for the cycle collector to find and free.
        self.articles = corpus.articles
        self.texts = {a.id: Text(a.text) for a in corpus.articles.values()}
        self.names = Names(
            (alias, entity.id) for entity in corpus.entities.values() for alias in entity.aliases
        )
        self._hits: dict[str, list[Hit]] = {}
        self._content: dict[str, list[tuple[int, int]]] = {}
        self._boilerplate: dict[str, list[tuple[int, int, int]]] = {}
        self._quotes: dict[tuple[str, str], tuple[int, int] | None] = {}

    def text(self, article: Article | str) -> Text:
        return self.texts[article if isinstance(article, str) else article.id]

    def fold(self) -> None:
        """Fold every article both ways and find its content lines now, as the checks and
        the load would on first use: a process forked after this shares them."""
        for article_id, text in self.texts.items():
            text.words, text.spaces  # noqa: B018 (cached on first use)
            self.content(article_id)

    def hits(self, article_id: str) -> list[Hit]:
        """Every alias mention in the article, boilerplate included (found once)."""
        if article_id not in self._hits:
            self._hits[article_id] = self.names.find(self.texts[article_id].words)
        return self._hits[article_id]

    def content(self, article_id: str) -> list[tuple[int, int]]:
        """The article's content lines (see `Article.content_spans`), computed once."""
        if article_id not in self._content:
            self._content[article_id] = self.articles[article_id].content_spans()
        return self._content[article_id]

    def boilerplate(self, article_id: str) -> list[tuple[int, int, int]]:
        """The article's boilerplate lines (see `Article.boilerplate_spans`), computed once."""
        if article_id not in self._boilerplate:
            self._boilerplate[article_id] = self.articles[article_id].boilerplate_spans()
        return self._boilerplate[article_id]

    def find_quote(self, article_id: str, quote: str) -> tuple[int, int] | None:
        """Where `quote` stands in the article, preferring its content lines (found once:
        validation asks, then the load records the place)."""
        key = (article_id, quote)
        if key not in self._quotes:
            self._quotes[key] = self.texts[article_id].find_quote(quote, self.content(article_id))
        return self._quotes[key]

    def mentions(self, article_id: str) -> list[Hit]:
        """The alias mentions in the article's content (boilerplate lines left out)."""
        content = self.content(article_id)
        starts = [s for s, _ in content]
        result = []
        for hit in self.hits(article_id):
            at = bisect_right(starts, hit.start) - 1
            if at >= 0 and hit.start < content[at][1]:
                result.append(hit)
        return result
