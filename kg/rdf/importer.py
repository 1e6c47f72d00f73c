"""Read an RDF dump in kg's vocabulary back into a store: the inverse of `kg.rdf.export`.

The dump is parsed (any of the export formats, named graphs merged), turned back into
entities, facts, articles and mentions, checked against the vocabulary (types, domain and
range, references), then written by the loader's own statements, all or nothing.

Quotes keep their place in the article when the dump gives their selectors (a dump older than
them does not: its quotes come back without one), and an article its text when the dump has it
(`kg export --with-text`); a text must have the article's SHA-256, and each quote's position
must hold its exact text.
"""

from __future__ import annotations

import gc
import hashlib
import io
import marshal
import mmap
import os
import re
import select
import struct
import tempfile
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from kg import contract, graph, vocab
from kg.checks import BAD_CHARACTER, bad_character
from kg.errors import InvalidInput, ValidationFailed
from kg.forking import fork_helper, stop
from kg.heap import cycles_unchecked
from kg.load import Summary, write
from kg.model import Corpus, Entity, Fact, Source
from kg.rdf import (
    ALT_LABEL,
    DATE_MENTIONED,
    DERIVED_FROM,
    END,
    EXACT,
    HAS_SELECTOR,
    HEADLINE,
    IDENTIFIER,
    IN_LANGUAGE,
    KIND,
    KIND_OF_IRI,
    LABEL,
    LABEL_OF_CLASS,
    LANG_STRING,
    LEGACY_PREDICATES,
    LEGACY_QUALIFIERS,
    MENTIONS,
    MODALITY_OF_IRI,
    NAME,
    NEWS_ARTICLE,
    NOTE,
    OBJECT,
    OUTLET,
    PREDICATE,
    PREDICATE_OF_IRI,
    PREF_LABEL,
    PREFIX,
    QUALIFIER_IRI,
    QUALIFIER_OF_IRI,
    QUOTE,
    QUOTED_FROM,
    SHA256,
    START,
    STATEMENT,
    SUBJECT,
    SUFFIX,
    TEXT,
    TEXT_POSITION_SELECTOR,
    TEXT_QUOTE_SELECTOR,
    TITLE,
    TYPE,
    VALUE,
)
from kg.seeds import display_path
from kg.stores import INT64, Statement, Store
from kg.text import fold_space
from kg.validate import NOT_A_DATE, check_fact_terms

FORMAT_OF_SUFFIX = {
    ".ttl": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".nq": "nq",
}
OXIGRAPH_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "jsonld-expanded": RdfFormat.JSON_LD,
    "trig": RdfFormat.TRIG,
    "nq": RdfFormat.N_QUADS,
}

MAX_LITERAL = 1 << 20  # characters: the longest curated string is a quote of a few hundred
# A term as the reader keeps it: an IRI as its string, a literal as (lexical form, language or
# None, datatype IRI), a blank node as (label,). Plain strings and tuples cost less to keep than
# the parser's objects, and cross a pipe as they are (`marshal`).
Term = str | tuple[str, ...]
Properties = dict[str, list[Term]]  # predicate IRI -> objects, in file order
# Dumps in a line-based format from this size on are read by two processes at once: parsing
# is most of an import's time, and each line stands on its own. The dump is cut into pieces of
# whole lines (`PIECES` or more, `MIN_PIECE` to `MAX_PIECE` bytes each); this process reads
# them from the front, a forked helper from the back, each claiming the next as it finishes
# one, so that both finish together wherever the heavy lines are.
SPLIT_AT = 16 << 20  # bytes
PIECES = 16
MIN_PIECE, MAX_PIECE = 1 << 20, 64 << 20  # bytes
CHUNK = 8 << 20  # bytes of lines decoded at once
# What a literal's lexical form, as written between its quotes, leaves to the parser: an
# escape, a quote, a carriage return; and what `_file_quads` refuses (`BAD_CHARACTER`).
FOR_THE_PARSER = re.compile(r'["\\\r' + BAD_CHARACTER.pattern.removeprefix("["))
OBJECTS_KEPT = 1_000_000  # object IRIs remembered as read; a class or an entity comes again soon
LINE_FORMATS = frozenset({"nt", "nq"})


def format_name(path: Path, name: str | None = None) -> str:
    """The RDF format named (ttl, nt, jsonld, trig, nq), or guessed from the file's suffix."""
    if name is not None:
        if name not in OXIGRAPH_FORMATS:
            raise InvalidInput(
                f"unknown RDF format {name!r} (one of {', '.join(OXIGRAPH_FORMATS)})"
            )
        return name
    guessed = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    if guessed is None:
        raise InvalidInput(
            f"{display_path(path)}: cannot tell the RDF format from the suffix "
            f"{path.suffix!r}: give --rdf-format ({', '.join(OXIGRAPH_FORMATS)})"
        )
    return guessed


def read_quads(path: Path, fmt: str, part: tuple[int, int] | None = None) -> Iterator[Quad]:
    """The dump's quads, streamed; a syntax error names the file and line.

    `part` reads only the bytes from `start` to `end` (whole lines of a line-based format).
    """
    try:
        if part is None:
            yield from parse(path=str(path), format=OXIGRAPH_FORMATS[fmt])
        else:
            with _Part(path, *part) as stream:
                yield from parse(input=stream, format=OXIGRAPH_FORMATS[fmt])
    except MemoryError as error:  # pyoxigraph's parser buffers one token in at most 16 MiB
        raise InvalidInput(f"{display_path(path)}: a term longer than 16 MiB ({error})") from None
    except SyntaxError as error:
        line = (error.lineno or 0) + (_lines_before(path, part[0]) if part else 0)
        message = error.msg.replace(f"at line {error.lineno} ", f"at line {line} ")
        raise InvalidInput(f"{display_path(path)}:{line}: {message}") from error
    except OSError as error:
        raise InvalidInput(f"{display_path(path)}: {error.strerror or error}") from error


class _Part(io.RawIOBase):
    """The bytes of a file from `start` to `end`, as a stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(memoryview(buffer)[: self._left])
        self._left -= count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _lines_before(path: Path, offset: int) -> int:
    with path.open("rb") as stream:
        return sum(
            stream.read(min(1 << 20, offset - done)).count(b"\n")
            for done in range(0, offset, 1 << 20)
        )


def read_resources(path: Path, fmt: str) -> dict[str, Properties]:
    """Every IRI-named subject with its properties; named graphs are merged, duplicates dropped.

    One pass over the quads, each filed under its subject and predicate (one string per
    predicate IRI); a triple found twice (or in several graphs: an older layout copied facts
    into each article's graph) is dropped afterwards, in one pass over the lists that hold more
    than one value (a line-based dump's reader knows them as it reads): linear, where checking
    each new value against its list was quadratic in a list's length (an article's mentions).
    A large dump in a line-based format is read by two processes at once (see `SPLIT_AT`).
    """
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_quads says why it cannot be read
    if fmt in LINE_FORMATS and size >= SPLIT_AT and _cores() > 1 and hasattr(os, "fork"):
        return _read_in_pieces(path, fmt, size)
    if fmt in LINE_FORMATS:
        return _Lines(path, fmt).read(0, size)
    resources: dict[str, Properties] = {}
    _file_quads(resources, path, read_quads(path, fmt))
    return _without_duplicates(resources)


def _without_duplicates(resources: dict[str, Properties]) -> dict[str, Properties]:
    for props in resources.values():
        for name, values in props.items():
            if len(values) > 1:
                props[name] = list(dict.fromkeys(values))
    return resources


def _file_quads(resources: dict[str, Properties], path: Path, quads: Iterator[Quad]) -> None:
    """The quads filed in `resources` by subject and predicate, each object as a `Term`."""
    predicates: dict[NamedNode, str] = {}  # one string per predicate IRI
    datatypes: dict[NamedNode, str] = {}  # and per datatype IRI
    subject_before, props = None, {}
    for subject, predicate, term, _ in quads:
        if subject != subject_before:  # a serializer writes a subject's triples together
            if type(subject) is BlankNode:
                continue  # only the ontology's unions use blank nodes
            subject_before = subject
            props = resources.get(subject.value)
            if props is None:
                props = resources[subject.value] = {}
        kind = type(term)
        if kind is NamedNode:
            term = term.value
        elif kind is Literal:
            text = term.value
            if len(text) > MAX_LITERAL or BAD_CHARACTER.search(text):
                _refuse_literal(path, subject, predicate, text)
            datatype = term.datatype
            iri = datatypes.get(datatype)
            if iri is None:
                iri = datatypes[datatype] = datatype.value
            term = (text, term.language, iri)
        else:
            term = (term.value,)
        name = predicates.get(predicate)
        if name is None:
            name = predicates[predicate] = predicate.value
        values = props.get(name)
        if values is None:
            props[name] = [term]
        else:
            values.append(term)


class _Lines:
    """An N-Triples or N-Quads dump read line by line, each line cut at its spaces as kg's
    export writes it: `<s> <p> <o> .`, `<s> <p> "text"@fr .`, `<s> <p> "1"^^<datatype> .`,
    in N-Quads a graph before the dot. pyoxigraph stays the judge of every term: an IRI is
    read as its `NamedNode` checks it, a literal's language tag or datatype as its parser
    read them on a first line that had them, and every other line (escapes, blank nodes,
    comments, other spacing, an error) is given to its parser, which reports an error with
    its line. Most lines repeat a known predicate, object IRI or tag: they cost a split and
    a few look-ups instead of the parser's five objects (reading the 351,132 lines of the
    10,000-fact dump: 0.90 CPU seconds, the parser's quads filed as before 1.18)."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.quads = fmt == "nq"
        # The pieces of a line as written, once read: a subject ("<iri>") -> its properties;
        # a predicate -> its IRI; what follows the predicate -> the object's IRI when it is
        # one ("<iri> ." or "<iri> <graph> ."), and what follows a literal's closing quote
        # ("@fr .", "^^<iri> .", " .") -> the literal's language and datatype.
        self.subjects: dict[str, Properties] = {}
        self.predicates: dict[str, str] = {}
        self.objects: dict[str, str] = {}
        self.suffixes: dict[str, tuple[str | None, str]] = {}
        # The lists of objects that were given a second value: the only ones that may hold a
        # triple twice (written on two lines, or in two graphs), looked at in `take`.
        self.repeated: list[list[Term]] = []

    def read(self, start: int, end: int) -> dict[str, Properties]:
        """The resources of the lines from byte `start` (a line's start) to `end`."""
        self.add(start, end)
        return self.take()

    def add(self, start: int, end: int) -> None:
        """The lines from byte `start` (a line's start) to `end` added to those read."""
        try:
            self._read(start, end)
        except OSError as error:
            raise InvalidInput(f"{display_path(self.path)}: {error.strerror or error}") from error

    def take(self) -> dict[str, Properties]:
        """The resources read so far, each triple once; the look-ups are kept for the next
        lines."""
        for values in self.repeated:
            if len(set(values)) < len(values):
                values[:] = dict.fromkeys(values)
        resources = {written[1:-1]: props for written, props in self.subjects.items()}
        self.subjects, self.repeated = {}, []
        return resources

    def _read(self, start: int, end: int) -> None:
        done = 0  # lines read before the current chunk
        with self.path.open("rb") as stream:
            stream.seek(start)
            left = end - start
            while left > 0:
                chunk = stream.read(min(CHUNK, left))
                if not chunk:
                    break
                if len(chunk) < left and not chunk.endswith(b"\n"):  # whole lines only
                    cut = chunk.rfind(b"\n") + 1
                    if cut:  # the rest goes to the next chunk
                        stream.seek(cut - len(chunk), io.SEEK_CUR)
                        chunk = chunk[:cut]
                    else:  # a line longer than a chunk, read whole
                        chunk += stream.readline(left - len(chunk))
                left -= len(chunk)
                try:
                    text = chunk.decode()
                except UnicodeDecodeError:
                    self._parse(chunk, done, start)  # the parser says which line is wrong
                else:
                    self._read_lines(text, done, start)
                done += chunk.count(b"\n")

    def _read_lines(self, text: str, done: int, start: int) -> None:
        """The lines of `text`; those the look-ups do not know are read by `_line`."""
        subjects, predicates, objects, suffixes, repeated = (
            self.subjects,
            self.predicates,
            self.objects,
            self.suffixes,
            self.repeated,
        )
        subject_before, props = "", {}
        for number, line in enumerate(text.split("\n")):
            try:
                subject, predicate, body = line.split(" ", 2)
                if subject != subject_before:
                    props = subjects.get(subject)
                    if props is None:
                        props = self._subject(subject)
                    subject_before = subject
                name = predicates[predicate]
                if body[0] == "<":
                    term = objects.get(body) or self._object(body)
                elif body[0] == '"':
                    close = body.rindex('"', 1, -2)
                    value = body[1:close]
                    language, datatype = suffixes[body[close + 1 :]]
                    term = (value, language, datatype)
                    if len(value) > MAX_LITERAL or FOR_THE_PARSER.search(value):
                        raise KeyError(value)  # the parser reads it; `_file_quads` refuses it
                else:
                    raise KeyError(body)
            except (ValueError, KeyError, IndexError):
                if line:
                    self._line(line, done + number, start)
                subject_before = ""
                continue
            values = props.get(name)
            if values is None:
                props[name] = [term]
            else:
                if len(values) == 1:
                    repeated.append(values)
                values.append(term)

    def _subject(self, written: str) -> Properties:
        """A subject not seen before: its properties, once `written` is an IRI."""
        if _iri(written) is None:
            raise KeyError(written)
        props = self.subjects[written] = {}
        return props

    def _object(self, body: str) -> str:
        """An object IRI not seen before (`<iri> .`), once it is one."""
        iri = _iri(body[:-2]) if body[-2:] == " ." else None
        if iri is None:
            raise KeyError(body)
        if len(self.objects) >= OBJECTS_KEPT:  # most are named once (a selector, a quote)
            self.objects.clear()
        self.objects[body] = iri
        return iri

    def _line(self, line: str, number: int, start: int) -> None:
        """A line with a piece not read before: its new IRIs checked, or the parser's."""
        subject, predicate, body = line.split(" ", 2) if line.count(" ") >= 2 else ("", "", "")
        known = subject in self.subjects or _iri(subject) is not None
        name = self.predicates.get(predicate) or _iri(predicate)
        term: Term | None = None
        if known and name and body.endswith(" ."):
            if body[0] == "<":
                written, _, graph = body[:-2].partition(" ")
                iri = self.objects.get(body) or _iri(written)
                if iri and (not graph or (self.quads and _iri(graph))):
                    term = self.objects[body] = iri
            elif body[0] == '"':
                close = body.rfind('"', 0, -2)
                value, suffix = body[1:close], self.suffixes.get(body[close + 1 :])
                if close > 0 and suffix and not ('"' in value or "\\" in value or "\r" in value):
                    if len(value) <= MAX_LITERAL and BAD_CHARACTER.search(value) is None:
                        term = (value, *suffix)
        if term is None:
            self._parse_line(line, number, start)
            return
        self.predicates[predicate] = name
        props = self.subjects.setdefault(subject, {})
        values = props.setdefault(name, [])
        values.append(term)
        if len(values) == 2:
            self.repeated.append(values)

    def _parse_line(self, line: str, number: int, start: int) -> None:
        """A line the parser reads; a literal's language tag or datatype as written is noted."""
        quads = list(self._quads(f"{line}\n".encode(), number, start))
        self._file(quads)
        if len(quads) != 1 or type(quads[0].object) is not Literal:
            return
        subject, predicate, term, graph = quads[0]
        opening = f"<{subject.value}> <{predicate.value}> " + '"' + term.value + '"'
        if type(subject) is not NamedNode or not line.startswith(opening):
            return
        suffix = line[len(opening) :]
        written, _, graph_written = suffix.removesuffix(" .").partition(" ")
        if graph_written != (f"<{graph.value}>" if type(graph) is NamedNode else ""):
            return
        if written[:1] == "@" and written[1:].lower() == term.language:
            self.suffixes[suffix] = (term.language, LANG_STRING)
        elif term.language is None and written in ("", f"^^<{term.datatype.value}>"):
            self.suffixes[suffix] = (None, term.datatype.value)

    def _parse(self, data: bytes, number: int, start: int) -> None:
        self._file(self._quads(data, number, start))

    def _file(self, quads: Iterable[Quad]) -> None:
        """The parser's quads filed by subject as written, as the other lines are."""
        resources: dict[str, Properties] = {}
        _file_quads(resources, self.path, iter(quads))
        for iri, properties in resources.items():
            props = self.subjects.setdefault(f"<{iri}>", {})
            for name, values in properties.items():
                ours = props.setdefault(name, [])
                if len(ours) < 2 <= len(ours) + len(values):
                    self.repeated.append(ours)
                ours.extend(values)

    def _quads(self, data: bytes, number: int, start: int) -> Iterator[Quad]:
        """The quads of `data`, the lines from `number` (from 0) of the part at `start`."""
        try:
            yield from parse(input=data, format=OXIGRAPH_FORMATS[self.fmt])
        except MemoryError as error:
            raise InvalidInput(
                f"{display_path(self.path)}: a term longer than 16 MiB ({error})"
            ) from None
        except SyntaxError as error:
            line = (error.lineno or 0) + number + (_lines_before(self.path, start) if start else 0)
            message = error.msg.replace(f"at line {error.lineno} ", f"at line {line} ")
            raise InvalidInput(f"{display_path(self.path)}:{line}: {message}") from error


def _iri(written: str) -> str | None:
    """The IRI written `<...>` (without escapes), if pyoxigraph takes it for one."""
    if written[:1] != "<" or written[-1:] != ">":
        return None
    try:
        return NamedNode(written[1:-1]).value
    except ValueError:
        return None  # or written with an escape: the parser reads it


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read_in_pieces(path: Path, fmt: str, size: int) -> dict[str, Properties]:
    """The dump read here from the front and by a forked helper from the back (see
    `SPLIT_AT`); the helper's pieces, handed over through a temporary file as each is done,
    are read back here between this process's own, then all are merged in file order.

    A problem is the one a reader from the start would meet first: this process raises its
    own at once (the helper's pieces are all after it); the helper stops at its first, which
    is raised once every piece before it is read. A piece the helper claimed and never handed
    over (it was killed, or ran out of memory) is read here.
    """
    piece = min(max(size // PIECES, MIN_PIECE), MAX_PIECE)
    starts = sorted({_line_start(path, offset) for offset in range(0, size, piece)} | {size})
    with tempfile.TemporaryFile() as handed:
        pieces = _Pieces(len(starts) - 1, handed)
        pid, pipe = fork_helper(
            lambda pipe: _read_from_back(path, fmt, starts, pieces, handed, pipe)
        )
        reports = _Reports(pipe)
        theirs: dict[int, dict[str, Properties]] = {}
        failed: tuple[int, str] | None = None

        def receive(wait: bool) -> None:
            nonlocal failed
            for index, kind, offset, length in reports.take(wait):
                data = os.pread(handed.fileno(), length, offset)
                if kind == _HANDED:
                    theirs[index] = marshal.loads(data)
                else:
                    failed = (index, data.decode())

        try:
            ours = _Lines(path, fmt)
            while (index := pieces.claim(from_back=False)) is not None:
                ours.add(starts[index], starts[index + 1])
                receive(wait=False)
            receive(wait=True)  # until the helper is done
        finally:
            pipe.close()
            stop(pid)
        for index in range(pieces.back(), len(starts) - 1):
            if index not in theirs and (failed is None or index < failed[0]):
                theirs[index] = _Lines(path, fmt).read(starts[index], starts[index + 1])
        if failed is not None:
            raise InvalidInput(failed[1])
    resources = ours.take()
    for index in sorted(theirs):
        for subject, props in theirs[index].items():
            known = resources.get(subject)
            if known is None:
                resources[subject] = props
                continue
            for name, values in props.items():
                before = known.get(name)
                known[name] = values if before is None else list(dict.fromkeys(before + values))
    return resources


_HANDED, _FAILED = 0, 1  # what the helper reports of a piece: its resources, or its problem
_REPORT = struct.Struct("qqqq")  # piece, what, offset and length in the file handed over


def _read_from_back(
    path: Path, fmt: str, starts: list[int], pieces: _Pieces, handed: BinaryIO, pipe: BinaryIO
) -> None:
    """In the helper: pieces claimed from the back, each read, then written to `handed` and
    reported on `pipe`, until none is left or one fails."""
    gc.disable()  # as the parent's `cycles_unchecked`: the terms hold no cycles
    lines = _Lines(path, fmt)  # its look-ups serve every piece
    while (index := pieces.claim(from_back=True)) is not None:
        try:
            data, kind = marshal.dumps(lines.read(*starts[index : index + 2])), _HANDED
        except InvalidInput as error:
            data, kind = str(error).encode(), _FAILED
        offset = handed.seek(0, io.SEEK_END)
        handed.write(data)
        handed.flush()
        pipe.write(_REPORT.pack(index, kind, offset, len(data)))
        pipe.flush()
        if kind == _FAILED:
            return


class _Pieces:
    """Which pieces are left: the front ones for this process, the back ones for the helper,
    claimed one at a time under a record lock on a file both processes have open (the kernel
    lifts it if its holder dies)."""

    def __init__(self, count: int, lock: BinaryIO) -> None:
        self._bounds = mmap.mmap(-1, 16)  # shared with a forked process: next front, back
        struct.pack_into("qq", self._bounds, 0, 0, count)
        self._lock = lock

    def claim(self, *, from_back: bool) -> int | None:
        """The next piece from the front or the back, or None once they meet."""
        import fcntl

        fcntl.lockf(self._lock, fcntl.LOCK_EX)
        try:
            front, back = struct.unpack_from("qq", self._bounds)
            if front >= back:
                return None
            if from_back:
                back -= 1
                claimed = back
            else:
                claimed = front
                front += 1
            struct.pack_into("qq", self._bounds, 0, front, back)
            return claimed
        finally:
            fcntl.lockf(self._lock, fcntl.LOCK_UN)

    def back(self) -> int:
        """The first piece the helper claimed (the count of pieces if it claimed none)."""
        return struct.unpack_from("qq", self._bounds)[1]


class _Reports:
    """The helper's reports, read from its pipe as they come."""

    def __init__(self, pipe: BinaryIO) -> None:
        self._fd, self._open, self._buffer = pipe.fileno(), True, b""

    def take(self, wait: bool) -> list[tuple[int, int, int, int]]:
        """The reports complete so far; with `wait`, every report until the helper is done."""
        while self._open and (wait or select.select([self._fd], [], [], 0)[0]):
            data = os.read(self._fd, 1 << 16)
            self._open = bool(data)
            self._buffer += data
        whole = len(self._buffer) - len(self._buffer) % _REPORT.size
        reports = list(_REPORT.iter_unpack(self._buffer[:whole]))
        self._buffer = self._buffer[whole:]
        return reports


def _line_start(path: Path, offset: int) -> int:
    """The offset of the first line that starts at or after `offset`."""
    with path.open("rb") as stream:
        stream.seek(max(offset - 1, 0))
        stream.readline()
        return stream.tell() if offset else 0


@dataclass
class Dump:
    """What an RDF dump holds, as the loader's model; problems found on the way."""

    path: str
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    mentions: set[tuple[str, str]] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # entity or article IRI -> id
    # by kind (entity, article, fact): id -> the IRI of the resource that first gave it
    given: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def problem(self, iri: str, what: str) -> None:
        self.problems.append(f"{self.path}: <{iri}>: {what}")

    def give(self, kind: str, given: str | None, iri: str) -> None:
        """Note that the resource `iri` gives an entity, article or fact the id `given`. Two
        resources may not give one id: the graph has one node or relationship per id, and a
        reset writes each without looking for it first (`kg.graph`, CREATE)."""
        if given is None:  # a problem already
            return
        first = self.given[kind].setdefault(given, iri)
        if first != iri:
            self.problems.append(
                f"{self.path}: {kind} id {given!r} is given by <{first}> and <{iri}>"
            )

    def one(self, iri: str, props: Properties, predicate: str, required: bool = True) -> Any:
        values = props.get(predicate)
        if values is not None and len(values) == 1:
            term = values[0]
            return term if type(term) is str else term[0]
        if values or required:
            self.problem(iri, f"expected one <{predicate}>, found {len(values or ())}")
        return _lexical(values[0]) if values else None

    def ref(self, iri: str, term: Term, what: str) -> str | None:
        """The id of the entity or article `term` names."""
        found = self.ids.get(term) if type(term) is str else None
        if found is not None:
            return found
        self.problem(iri, f"{what} {_show(term)} is not an entity or article of the dump")
        return None


def _lexical(term: Term) -> str:
    """An IRI, a literal's lexical form or a blank node's label."""
    return term if type(term) is str else term[0]


def _show(term: Term) -> str:
    """A term as N-Triples writes it, for messages."""
    if type(term) is str:
        return f"<{term}>"
    if len(term) == 1:
        return f"_:{term[0]}"
    text, language, datatype = term
    if language:
        return str(Literal(text, language=language))
    return str(Literal(text, datatype=NamedNode(datatype)))


def _lexicals(props: Properties, predicate: str) -> list[str]:
    return [_lexical(t) for t in props.get(predicate, ())]


def _types(props: Properties) -> list[Term]:
    """The resource's classes: its rdf:type IRIs (a literal there names no class, and
    matches none of the vocabulary's IRIs)."""
    return props.get(TYPE, _NO_TYPES)


_NO_TYPES: list[Term] = []


QUOTES_A_STEP = 2000  # quotes read between two statements: a few ms, less than the server's write

# The classes whose instances `read_dump` reads in its first pass.
READ_CLASSES = frozenset({*LABEL_OF_CLASS, NEWS_ARTICLE, STATEMENT, QUOTE})


@dataclass
class _Found:
    """What the first pass over a dump's resources leaves for the next ones, in file order."""

    articles: list[tuple[str, Properties]] = field(default_factory=list)
    statements: list[tuple[str, Properties]] = field(default_factory=list)
    # each quote, after how many of the first pass's problems a reader from the start meets it
    quotes: list[tuple[int, str, Properties]] = field(default_factory=list)


# The article side of a dump (`_read_article_side`), as plain lists, tuples, sets and
# mappings that cross a file as they are (`marshal`): each quote's problems after how many of
# the first pass's, the articles' problems, their ids' and dates', the article rows and the
# mentions.
ArticleSide = tuple[
    list[tuple[int, str]], list[str], list[str], list[dict[str, Any]], set[tuple[str, str]]
]


def read_dump(path: Path, fmt: str) -> Dump:
    """The dump at `path` read whole (`import_rdf` reads its article side while it writes
    the rest)."""
    resources = read_resources(path, fmt)
    dump = Dump(display_path(path))
    found = _read_entities(dump, resources)
    first = len(dump.problems)
    side = _ArticleSide(dump, resources, found).result()
    _read_facts(dump, resources, found)
    _merge(dump, side, first)
    return dump


def _read_entities(dump: Dump, resources: dict[str, Properties]) -> _Found:
    """The first pass: entities and article ids (facts and mentions refer to them), and
    where the articles, the statements and the quotes are."""
    found = _Found()
    for iri, props in resources.items():
        types = _types(props)
        if READ_CLASSES.isdisjoint(types):
            continue  # a selector, the ontology, the dataset: read through what refers to them
        labels = [LABEL_OF_CLASS[t] for t in types if t in LABEL_OF_CLASS]
        if len(labels) > 1:
            dump.problem(iri, f"typed with several entity classes: {', '.join(labels)}")
        elif labels:
            _read_entity(dump, iri, props, labels[0])
        elif NEWS_ARTICLE in types:
            dump.ids[iri] = dump.one(iri, props, IDENTIFIER)
            found.articles.append((iri, props))
        if STATEMENT in types:
            found.statements.append((iri, props))
        if QUOTE in types:
            found.quotes.append((len(dump.problems), iri, props))
    return found


def _read_facts(dump: Dump, resources: dict[str, Properties], found: _Found) -> None:
    for iri, props in found.statements:
        _read_fact(dump, iri, props, resources)


def _read_article_side(
    dump: Dump, resources: dict[str, Properties], found: _Found
) -> Generator[None, None, ArticleSide]:
    """The quotes, the articles (their rows, their ids and dates checked) and the mentions;
    `dump` is only read (its ids), its problems and rows left as they were. A step at a time
    (`QUOTES_A_STEP` quotes): see `_ArticleSide`."""
    side = Dump(dump.path, ids=dump.ids)
    spans: dict[str, list[contract.QuotedSpan]] = defaultdict(list)
    quote_problems = []
    for step in range(0, len(found.quotes), QUOTES_A_STEP):
        yield
        for before, iri, props in found.quotes[step : step + QUOTES_A_STEP]:
            count = len(side.problems)
            _read_quote(side, iri, props, resources, spans)
            quote_problems += [(before, problem) for problem in side.problems[count:]]
    del side.problems[:]
    for iri, props in found.articles:
        _read_article(side, iri, props, spans[iri])
    checked = _article_problems(side.path, side.articles)
    return quote_problems, side.problems, checked, side.articles, side.mentions


def _merge(dump: Dump, side: ArticleSide, first: int) -> None:
    """The article side's rows and problems into `dump`, whose first `first` problems are the
    first pass's: each problem where a reader from the start meets it (the first pass's and
    the quotes' in file order, then the articles', then the facts')."""
    quote_problems, article_problems, _, dump.articles, dump.mentions = side
    ordered: list[str] = []
    quotes = iter(quote_problems)
    pending = next(quotes, None)
    for index, problem in enumerate(dump.problems[:first]):
        while pending is not None and pending[0] <= index:
            ordered.append(pending[1])
            pending = next(quotes, None)
        ordered.append(problem)
    if pending is not None:
        ordered.append(pending[1])
    ordered += (problem for _, problem in quotes)
    dump.problems[:] = [*ordered, *article_problems, *dump.problems[first:]]


def _read_entity(dump: Dump, iri: str, props: Properties, label: str) -> None:
    preferred = {t[1]: t[0] for t in props.get(PREF_LABEL, []) if type(t) is tuple and len(t) == 3}
    entity = Entity(
        id=dump.one(iri, props, IDENTIFIER),
        type=label,
        name=dump.one(iri, props, NAME if NAME in props else LABEL),  # LABEL: an older dump
        label_fr=preferred.get("fr", ""),
        label_en=preferred.get("en", ""),
        aliases=_lexicals(props, ALT_LABEL),
        titles=_lexicals(props, TITLE),
        kind=_kind(dump.one(iri, props, KIND, required=False)),
        note=dump.one(iri, props, NOTE, required=False),
    )
    if not entity.label_fr or not entity.label_en:
        dump.problem(iri, "needs a skos:prefLabel in French (@fr) and in English (@en)")
    dump.ids[iri] = entity.id
    dump.give("entity", entity.id, iri)
    dump.entities[entity.id] = entity


def _kind(value: str | None) -> str | None:
    """A kind's name from its concept's IRI (or, in an older dump, the name itself)."""
    return KIND_OF_IRI.get(value, value) if value is not None else None


def _read_article(
    dump: Dump, iri: str, props: Properties, spans: list[contract.QuotedSpan]
) -> None:
    article = {
        "id": dump.ids[iri],
        "headline": dump.one(iri, props, HEADLINE, required=False),
        "outlet": dump.one(iri, props, OUTLET, required=False),
        "languages": _lexicals(props, IN_LANGUAGE),
        "dates": _lexicals(props, DATE_MENTIONED),
        "sha256": dump.one(iri, props, SHA256),
    }
    text = dump.one(iri, props, TEXT, required=False)
    if text is not None:
        if hashlib.sha256(text.encode()).hexdigest() != article["sha256"]:
            dump.problem(iri, "its text does not have the article's kg:sha256")
        for span in spans:
            if span.start is not None and text[span.start : span.end] != span.exact:
                dump.problem(iri, f"the text at {span.start}-{span.end} is not {span.exact!r}")
    article.update(contract.quote_props(text, spans))
    dump.give("article", article["id"], iri)
    dump.articles.append({k: v for k, v in article.items() if v is not None})
    for term in props.get(MENTIONS, []):
        entity = dump.ref(iri, term, "mentioned")
        if entity is not None:
            dump.mentions.add((article["id"], entity))


# A qualifier's IRI (or an older dump's) -> its name and what its value is.
_QUALIFIER_READ = {
    iri: (name, vocab.QUALIFIERS[name].value)
    for iri, name in {**LEGACY_QUALIFIERS, **QUALIFIER_OF_IRI}.items()
}
MODALITY = QUALIFIER_IRI["modality"]
_NOTHING: Properties = {}


def _read_fact(dump: Dump, iri: str, props: Properties, resources: dict[str, Properties]) -> None:
    predicate_iri = dump.one(iri, props, PREDICATE)
    predicate = PREDICATE_OF_IRI.get(predicate_iri) or LEGACY_PREDICATES.get(predicate_iri)
    if predicate is None:
        dump.problem(iri, f"predicate <{predicate_iri}> is not in the kg vocabulary")
        return
    subjects, objects = props.get(SUBJECT, []), props.get(OBJECT, [])
    if len(subjects) != 1 or len(objects) != 1:
        dump.problem(iri, "a statement needs one rdf:subject and one rdf:object")
        return
    fact = Fact(
        id=dump.one(iri, props, IDENTIFIER),
        subject=dump.ref(iri, subjects[0], "subject") or "",
        predicate=predicate,
        sources=[],
    )
    dump.give("fact", fact.id, iri)
    if vocab.PREDICATES[predicate].is_literal:
        fact.value = _value(dump, iri, predicate, objects[0])
    else:
        fact.object = dump.ref(iri, objects[0], "object")
    for qualifier_iri, terms in props.items():
        read = _QUALIFIER_READ.get(qualifier_iri)
        if read is None:
            continue
        name, kind = read
        if len(terms) != 1:
            dump.problem(iri, f"expected one <{qualifier_iri}>, found {len(terms)}")
        if kind == "entity":
            setattr(fact, name, dump.ref(iri, terms[0], name))
        elif kind == "modality":
            modality = _lexical(terms[0])
            fact.modality = MODALITY_OF_IRI.get(modality, modality)
        else:
            setattr(fact, name, _lexical(terms[0]))
    for term in props.get(DERIVED_FROM, ()):
        quote_iri = _lexical(term)
        source = resources.get(quote_iri, _NOTHING)
        quote = dump.one(quote_iri, source, VALUE)
        articles = source.get(QUOTED_FROM)
        article = dump.ref(quote_iri, articles[0], "quoted from") if articles else None
        if quote is not None and article is not None:
            fact.sources.append(Source(article, quote))
    if MODALITY not in props:
        fact.modality = vocab.ACTUAL  # a dump older than modalities asserted every fact
    if not fact.sources:
        dump.problem(iri, "a fact needs at least one quote (prov:wasDerivedFrom a quote)")
    dump.facts.append(fact)


def _read_quote(
    dump: Dump,
    iri: str,
    props: Properties,
    resources: dict[str, Properties],
    spans: dict[str, list[contract.QuotedSpan]],
) -> None:
    """A quoted span, filed under its article's IRI, with its place when its selectors give it."""
    quote, article = dump.one(iri, props, VALUE), dump.one(iri, props, QUOTED_FROM)
    if quote is None or article is None:
        return
    found: dict[str, Properties] = {}
    for selector in props.get(HAS_SELECTOR, []):
        selector_props = resources.get(_lexical(selector), {})
        selector_types = _types(selector_props)
        for kind in (TEXT_QUOTE_SELECTOR, TEXT_POSITION_SELECTOR):
            if kind in selector_types:
                found[kind] = selector_props
    if not found:  # a dump older than selectors
        spans[article].append(contract.QuotedSpan(quote))
        return
    if len(found) != 2 or len(props[HAS_SELECTOR]) != 2:
        dump.problem(iri, "needs one oa:TextQuoteSelector and one oa:TextPositionSelector")
        return
    by_quote, by_position = found[TEXT_QUOTE_SELECTOR], found[TEXT_POSITION_SELECTOR]
    exact = dump.one(iri, by_quote, EXACT)
    start, end = (_offset(dump, iri, by_position, edge) for edge in (START, END))
    if exact is None or start is None or end is None:
        return
    if fold_space(exact) != fold_space(quote):
        dump.problem(iri, f"oa:exact {exact!r} is not the quote {quote!r}, white space aside")
    elif end - start != len(exact):
        dump.problem(iri, f"oa:start {start} and oa:end {end} do not span oa:exact {exact!r}")
    prefix = dump.one(iri, by_quote, PREFIX, required=False)
    suffix = dump.one(iri, by_quote, SUFFIX, required=False)
    spans[article].append(contract.QuotedSpan(quote, start, end, exact, prefix, suffix))


def _offset(dump: Dump, iri: str, props: Properties, edge: str) -> int | None:
    """oa:start or oa:end: a whole number of characters from the text's start."""
    value = dump.one(iri, props, edge)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) not in INT64:
        dump.problem(iri, f"<{edge}> {value!r} is not a position in a text")
        return None
    return int(value)


def _value(dump: Dump, iri: str, predicate: str, term: Term) -> str | int | None:
    if vocab.PREDICATES[predicate].datatype != "integer":
        return _lexical(term)
    try:
        number = int(_lexical(term))
    except ValueError:
        dump.problem(iri, f"{predicate} {_show(term)} is not a whole number")
        return None
    if number not in INT64:
        dump.problem(iri, f"{predicate} {number} does not fit in 64 bits")
        return None
    return number


def _refuse_literal(path: Path, subject: NamedNode, predicate: NamedNode, text: str) -> None:
    """Refuse, at once, a literal a store cannot keep or should not: control characters, lone
    surrogates, or more text than any curated string needs."""
    where = f"{display_path(path)}: <{subject.value}> <{predicate.value}>"
    if len(text) > MAX_LITERAL:
        raise InvalidInput(f"{where}: a literal of {len(text)} characters (at most {MAX_LITERAL})")
    bad = bad_character(text)
    if bad is not None:
        raise InvalidInput(f"{where}: {bad[1]} in a literal")


def _checks(dump: Dump) -> tuple[list[str], list[str]]:
    """The entities' and facts' ids (matched whole, as in the seeds: an id ending in a newline
    crashed the store), then the facts' domain, range and references: the checks before and
    after the articles' (`_article_problems`)."""
    ids = [
        f"{dump.path}: entity id {entity.id!r} is not a lowercase slug"
        for entity in dump.entities.values()
        if entity.id is not None and not vocab.SLUG.match(entity.id)
    ]
    ids += (
        f"{dump.path}: fact id {fact.id!r} is not a lowercase slug"
        for fact in dump.facts
        if fact.id is not None and not vocab.SLUG.match(fact.id)
    )
    corpus = Corpus(articles={}, entities=dump.entities, facts=dump.facts)
    terms = [
        f"{dump.path}: fact {fact.id!r}: {problem}"
        for fact in dump.facts
        for problem in check_fact_terms(corpus, fact)
    ]
    return ids, terms


def _article_problems(path: str, articles: list[dict[str, Any]]) -> list[str]:
    """The articles' ids and dates."""
    problems = []
    for article in articles:
        if article["id"] is not None and not vocab.ARTICLE_ID.match(article["id"]):
            problems.append(f"{path}: article id {article['id']!r} is not NNN_ and 16 hex digits")
        for date in article.get("dates", []):
            if not vocab.is_date(date):
                problems.append(f"{path}: article {article['id']!r}: date {date!r} {NOT_A_DATE}")
    return problems


def check(dump: Dump) -> None:
    """Raise ValidationFailed with every problem: reading ones, then domain, range, references."""
    ids, terms = _checks(dump)
    _refuse(dump, [*ids, *_article_problems(dump.path, dump.articles), *terms])


def _refuse(dump: Dump, checked: list[str]) -> None:
    """Raise the reading problems of `dump`, then `checked`, if any; InvalidInput if it holds
    nothing of kg's vocabulary."""
    if not (dump.entities or dump.facts or dump.articles or dump.problems):
        raise InvalidInput(
            f"{dump.path}: no entity, article or fact of kg's vocabulary: nothing to import"
        )
    dump.problems += checked
    if dump.problems:
        raise ValidationFailed(dump.problems)


def import_rdf(store: Store, path: Path, *, fmt: str | None = None, reset: bool = False) -> Summary:
    """Write the dump at `path` to `store`, all or nothing; `reset` replaces the graph.

    Once the dump is parsed, the entities and the facts are read and checked, and their
    statements written; the quotes, the articles and the mentions (only the last statements
    need them) are read a step at a time between those statements, while the server writes.
    Problems found before the write are raised, with the article side's, before anything is
    written; problems only the article side finds are raised from the statements, so that
    the store never swaps in the new graph.
    """
    with cycles_unchecked():  # the terms, lists and mappings of a dump hold no cycles
        resources = read_resources(path, format_name(path, fmt))
        dump = Dump(display_path(path))
        found = _read_entities(dump, resources)
        first = len(dump.problems)
        side = _ArticleSide(dump, resources, found)
        _read_facts(dump, resources, found)
        del resources, found  # the article side holds what it needs
        ids, terms = _checks(dump)
        empty = not (dump.ids or dump.facts)  # ids: the entities' and the articles'
        if dump.problems or ids or terms or empty:
            read = side.result()
            _merge(dump, read, first)
            _refuse(dump, [*ids, *read[2], *terms])  # the articles' ids and dates between
        # built as the store writes them: the server writes one while the next is built
        statements = graph.statements_of(
            dump.entities, dump.facts, side.articles, side.mentions, fresh=reset
        )  # a reset: CREATE (see kg.graph)
        return write(store, side.between(statements), reset=reset)


class _ArticleSide:
    """`_read_article_side` of a dump, a step at a time between the statements that come
    before the articles' (`between`): the store sends each statement and the server writes
    it while the next step runs, so the server's core and this one work at once, without a
    second process (a forked one would copy the pages of the dump it reads: Python writes
    to every object it reads, to count its references)."""

    def __init__(self, dump: Dump, resources: dict[str, Properties], found: _Found) -> None:
        self._steps: Generator[None, None, ArticleSide] | None = _read_article_side(
            dump, resources, found
        )
        self._result: ArticleSide | None = None

    def between(self, statements: Iterable[Statement]) -> Iterator[Statement]:
        """`statements`, with a step of the article side after each."""
        for statement in statements:
            yield statement
            self._step()

    def result(self) -> ArticleSide:
        """The whole article side, its remaining steps run now."""
        while self._result is None:
            self._step()
        return self._result

    def articles(self) -> list[dict[str, Any]]:
        """The article rows; the article side's problems raised instead, if any."""
        quote_problems, article_problems, checked, rows, _ = self.result()
        problems = [*(problem for _, problem in quote_problems), *article_problems, *checked]
        if problems:
            raise ValidationFailed(problems)
        return rows

    def mentions(self) -> set[tuple[str, str]]:
        return self.result()[4]

    def _step(self) -> None:
        if self._steps is not None:
            try:
                next(self._steps)
            except StopIteration as done:
                self._result, self._steps = done.value, None  # the dump's pages freed here
