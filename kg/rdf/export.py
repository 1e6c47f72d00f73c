"""Export the active graph as RDF, streamed: read a page of nodes, write its triples, go on.

Every triple goes to exactly one named graph (see `kg.rdf` for the layout). The triples of the
graph's nodes and relationships are written as N-Triples text, a page at a time: N-Triples
and N-Quads go out as they are; Turtle and JSON-LD are the union, and TriG (which opens each
graph once) gathers the graphs in a temporary on-disk store first, each serialized by
pyoxigraph from that text parsed back a page at a time. The ontology and the dataset's
description, a few hundred triples, are made as pyoxigraph terms.

An article is written with the spans quoted from it (each a `kg:Quote` and a Web Annotation
segment with its selectors, from the places the article node keeps); a fact links to them.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import multiprocessing
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from kg import contract, readback, vocab
from kg.errors import KgError
from kg.exporters import ExportOptions
from kg.heap import cycles_unchecked
from kg.rdf import (
    ALT_LABEL,
    CLASS_OF,
    CONTENT_LANGUAGE,
    CONTEXT_LENGTH,
    CURATOR_LANGUAGE,
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    DATE_MENTIONED,
    DATE_TYPES,
    DCAT,
    DCTERMS,
    DERIVED_FROM,
    END,
    EXACT,
    HAS_SELECTOR,
    HAS_SOURCE,
    HEADLINE,
    IDENTIFIER,
    IN_LANGUAGE,
    KIND,
    KIND_CLASS,
    KIND_IRI,
    LABEL,
    MENTIONS,
    MODALITY_IRI,
    NAME,
    NEWS_ARTICLE,
    NOTE,
    OBJECT,
    ONTOLOGY,
    ONTOLOGY_VERSION,
    OUTLET,
    PREDICATE,
    PREDICATE_IRI,
    PREF_LABEL,
    PREFIX,
    PROV_ENTITY,
    QUALIFIER_IRI,
    QUOTE,
    QUOTED_FROM,
    SHA256,
    SPECIFIC_RESOURCE,
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
    VOCABULARIES,
    VOID,
    WEEKDAY_LANGUAGE,
    XSD,
    Iris,
    ontology,
)
from kg.stores import Store

SPILL_EVERY = 20_000  # quads between two writes of the provenance graphs set aside (TriG)
WORKERS = 2  # processes writing groups of nodes at once, where the store allows it
IN_FLIGHT = 2  # groups queued for each of them
PARALLEL_FROM = 2_000  # nodes from which a graph is worth starting worker processes for
Quad4 = tuple[NamedNode, NamedNode, Any, NamedNode]

FORMATS = {
    "ttl": (RdfFormat.TURTLE, False),
    "nt": (RdfFormat.N_TRIPLES, False),
    "jsonld": (RdfFormat.JSON_LD, False),  # compacted, by `write_compact_jsonld`
    "jsonld-expanded": (RdfFormat.JSON_LD, False),
    "trig": (RdfFormat.TRIG, True),
    "nq": (RdfFormat.N_QUADS, True),
}

# --- N-Triples terms, as pyoxigraph writes them ---------------------------------------------
# A literal's text escaped as the N-Triples grammar allows and pyoxigraph does: the
# characters with a short escape, the other controls, DEL and the two non-characters U+FFFE
# and U+FFFF as \uXXXX, everything else as itself.
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]},
        **_SHORT,
        '"': '\\"',
        "\\": "\\\\",
    }
)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')
# What an IRI may not hold (RFC 3987 and the N-Triples grammar): ids become IRIs unescaped.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


def quoted(text: str) -> str:
    """`text` as the quoted string of an N-Triples literal."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return f'"{text.translate(_ESCAPES)}"'


def plain(text: str) -> str:
    """An xsd:string literal."""
    return quoted(text)


def tagged(text: str, language: str) -> str:
    """A language-tagged literal."""
    return f"{quoted(text)}@{language}"


def typed(text: str, datatype: str) -> str:
    """A literal of `datatype` (an IRI)."""
    return f"{quoted(text)}^^<{datatype}>"


def iri(text: str) -> str:
    return f"<{text}>"


def _date(text: str) -> str:
    return f"{quoted(text)}^^<{DATE_TYPES[len(text)]}>"


def _id(value: Any) -> str:
    """An id of the store that goes into an IRI: refused if it cannot."""
    if not isinstance(value, str) or not value or _NOT_IN_IRI.search(value):
        raise KgError(f"the graph holds an id that cannot be part of an IRI: {value!r}")
    return value


(
    _TYPE,
    _IDENTIFIER,
    _NAME,
    _LABEL,
    _PREF_LABEL,
    _ALT_LABEL,
    _TITLE,
    _KIND,
    _NOTE,
    _NEWS_ARTICLE,
    _PROV_ENTITY,
    _HEADLINE,
    _OUTLET,
    _IN_LANGUAGE,
    _DATE_MENTIONED,
    _SHA256,
    _MENTIONS,
    _STATEMENT,
    _SUBJECT,
    _PREDICATE,
    _OBJECT,
    _DERIVED_FROM,
    _QUOTE,
    _VALUE,
    _QUOTED_FROM,
    _TEXT,
    _SPECIFIC_RESOURCE,
    _HAS_SOURCE,
    _HAS_SELECTOR,
    _TEXT_QUOTE_SELECTOR,
    _TEXT_POSITION_SELECTOR,
    _EXACT,
    _PREFIX,
    _SUFFIX,
    _START,
    _END,
) = map(
    iri,
    (
        TYPE,
        IDENTIFIER,
        NAME,
        LABEL,
        PREF_LABEL,
        ALT_LABEL,
        TITLE,
        KIND,
        NOTE,
        NEWS_ARTICLE,
        PROV_ENTITY,
        HEADLINE,
        OUTLET,
        IN_LANGUAGE,
        DATE_MENTIONED,
        SHA256,
        MENTIONS,
        STATEMENT,
        SUBJECT,
        PREDICATE,
        OBJECT,
        DERIVED_FROM,
        QUOTE,
        VALUE,
        QUOTED_FROM,
        TEXT,
        SPECIFIC_RESOURCE,
        HAS_SOURCE,
        HAS_SELECTOR,
        TEXT_QUOTE_SELECTOR,
        TEXT_POSITION_SELECTOR,
        EXACT,
        PREFIX,
        SUFFIX,
        START,
        END,
    ),
)
_CLASS = {label: iri(cls) for label, cls in CLASS_OF.items()}
_PREDICATE_IRI = {name: iri(p) for name, p in PREDICATE_IRI.items()}
_QUALIFIER = {name: iri(q) for name, q in QUALIFIER_IRI.items()}
_MODALITY = {name: iri(m) for name, m in MODALITY_IRI.items()}
_QUALIFIER_KIND = {name: q.value for name, q in vocab.QUALIFIERS.items()}
_INTEGER = XSD + "integer"


def value_literal(predicate: str, value: Any, language: str) -> str:
    """A literal fact's value, typed by its predicate's datatype; a text in `language`."""
    datatype = vocab.PREDICATES[predicate].datatype
    if datatype == "date":
        return _date(value)
    if datatype == "integer":
        return typed(str(value), _INTEGER)
    return tagged(value, WEEKDAY_LANGUAGE if predicate == "weekday" else language)


def asserted(qualifiers: dict[str, Any]) -> bool:
    """Whether a fact is the article's own statement of what happened or holds: modality
    `actual` and no `stated_by`. Only those are written as plain triples."""
    return qualifiers.get("modality") == vocab.ACTUAL and "stated_by" not in qualifiers


class Writer:
    """Turns store nodes and relationships into N-Triples text under one set of IRIs, each
    triple in one graph, none twice: `lines` (subject, predicate and object, without the
    final ` .`) and, beside each, `graphs` (its graph's IRI in angle brackets)."""

    def __init__(self, iris: Iris, languages: dict[str, str], with_text: bool = False) -> None:
        self.iris = iris
        self.languages = languages  # article id -> the language of its text
        self.with_text = with_text  # write each article's whole text
        self.entity_base = iris.entity("")
        self.article_base = iris.article("")
        self.fact_base = iris.fact("")
        self.provenance_base = iris.provenance("")
        self.facts = iri(iris.graph("facts"))
        self.provenance: dict[str, str] = {}  # article id -> its graph's IRI, checked once
        self.lines: list[str] = []
        self.graphs: list[str] = []
        self.last_plain: tuple[str, str, str] | None = None  # two facts may state one triple

    def take(self) -> tuple[list[str], list[str]]:
        """The lines and graphs written since the last call."""
        taken = self.lines, self.graphs
        self.lines, self.graphs = [], []
        return taken

    def _in_facts(self, lines: list[str]) -> None:
        self.lines += lines
        self.graphs += [self.facts] * len(lines)

    def entity(self, node: readback.Node) -> None:
        props = node.props
        me = f"<{self.entity_base}{_id(node.id)}>"
        out = [f"{me} {_TYPE} {_CLASS[node.label]}"]
        if props.get("kind") in KIND_CLASS:  # schema:City, schema:GovernmentOrganization...
            out.append(f"{me} {_TYPE} <{KIND_CLASS[props['kind']]}>")
        out += [
            f"{me} {_IDENTIFIER} {plain(node.id)}",
            f"{me} {_NAME} {tagged(props['name'], CONTENT_LANGUAGE)}",
        ]
        for language in ("fr", "en"):
            label = tagged(props[f"label_{language}"], language)
            out += (f"{me} {_LABEL} {label}", f"{me} {_PREF_LABEL} {label}")
        for alias in dict.fromkeys(props.get("aliases", [])):
            out.append(f"{me} {_ALT_LABEL} {tagged(alias, CONTENT_LANGUAGE)}")
        for title in dict.fromkeys(props.get("titles", [])):
            out.append(f"{me} {_TITLE} {tagged(title, CONTENT_LANGUAGE)}")
        if "kind" in props:
            out.append(f"{me} {_KIND} <{KIND_IRI[props['kind']]}>")
        if "note" in props:
            out.append(f"{me} {_NOTE} {tagged(props['note'], CURATOR_LANGUAGE)}")
        self._in_facts(out)
        for fact in contract.literal_facts(props):
            value = value_literal(fact.predicate, fact.value, self.language(fact.articles))
            self.fact(fact, me, value)

    def language(self, articles: list[str]) -> str:
        """The language of the text quoted from the first of `articles`."""
        return self.languages.get(articles[0], CONTENT_LANGUAGE) if articles else CONTENT_LANGUAGE

    def article(self, node: readback.Node) -> None:
        props = node.props
        me = f"<{self.article_base}{_id(node.id)}>"
        out = [
            f"{me} {_TYPE} {_NEWS_ARTICLE}",
            f"{me} {_TYPE} {_PROV_ENTITY}",
            f"{me} {_IDENTIFIER} {plain(node.id)}",
        ]
        if "headline" in props:
            out.append(f"{me} {_HEADLINE} {tagged(props['headline'], self.language([node.id]))}")
        if "outlet" in props:
            out.append(f"{me} {_OUTLET} {plain(props['outlet'])}")
        for language in props.get("languages", []):
            out.append(f"{me} {_IN_LANGUAGE} {plain(language)}")
        for date in props.get("dates", []):
            out.append(f"{me} {_DATE_MENTIONED} {_date(date)}")
        out.append(f"{me} {_SHA256} {plain(props['sha256'])}")
        language = self.language([node.id])
        if self.with_text and "text" in props:
            out.append(f"{me} {_TEXT} {tagged(props['text'], language)}")
        for span in contract.quoted_spans(props, CONTEXT_LENGTH):
            out += self.quote(node.id, me, span, language)
        self.lines += out
        self.graphs += [self.graph_of(node.id)] * len(out)

    def quote(
        self, article_id: str, article: str, span: contract.QuotedSpan, language: str
    ) -> list[str]:
        """A quoted span, one node for every fact it supports: a `kg:Quote` and a Web
        Annotation segment of its article, with its two selectors when its place is known."""
        me = self.iris.quote(article_id, span.quote)
        node = f"<{me}>"
        out = [
            f"{node} {_TYPE} {_QUOTE}",
            f"{node} {_TYPE} {_PROV_ENTITY}",
            f"{node} {_TYPE} {_SPECIFIC_RESOURCE}",
            f"{node} {_VALUE} {tagged(span.quote, language)}",
            f"{node} {_QUOTED_FROM} {article}",
            f"{node} {_HAS_SOURCE} {article}",
        ]
        if span.start is None or span.end is None or span.exact is None:
            return out
        by_quote, by_position = (f"<{selector}>" for selector in self.iris.selectors(me))
        out += (
            f"{node} {_HAS_SELECTOR} {by_quote}",
            f"{node} {_HAS_SELECTOR} {by_position}",
            f"{by_quote} {_TYPE} {_TEXT_QUOTE_SELECTOR}",
            f"{by_quote} {_EXACT} {tagged(span.exact, language)}",
        )
        if span.prefix:
            out.append(f"{by_quote} {_PREFIX} {tagged(span.prefix, language)}")
        if span.suffix:
            out.append(f"{by_quote} {_SUFFIX} {tagged(span.suffix, language)}")
        out += (
            f"{by_position} {_TYPE} {_TEXT_POSITION_SELECTOR}",
            f"{by_position} {_START} {typed(str(span.start), _INTEGER)}",
            f"{by_position} {_END} {typed(str(span.end), _INTEGER)}",
        )
        return out

    def graph_of(self, article: str) -> str:
        """The IRI of an article's provenance graph."""
        self.provenance[article] = graph = f"<{self.provenance_base}{_id(article)}>"
        return graph

    def relationship(self, rel: readback.Relationship) -> None:
        # Both ends are nodes of the graph, whose ids are checked when they are written.
        if rel.type == vocab.MENTIONS:
            self.lines.append(
                f"<{self.article_base}{rel.subject}> {_MENTIONS} <{self.entity_base}{rel.object}>"
            )
            self.graphs.append(self.provenance.get(rel.subject) or self.graph_of(rel.subject))
            return
        fact = contract.relationship_fact(rel.type, rel.props)
        subject = f"<{self.entity_base}{rel.subject}>"
        self.fact(fact, subject, f"<{self.entity_base}{rel.object}>")

    def qualifier(self, name: str, value: str, language: str) -> str:
        """A qualifier's value: an entity, a date, a modality's concept, or a text (a role in
        its article's `language`, a curator's note or reason in English)."""
        kind = _QUALIFIER_KIND[name]
        if kind == "modality":
            return _MODALITY[value]
        if kind == "entity":
            return f"<{self.entity_base}{_id(value)}>"
        if kind == "date":
            return _date(value)
        return tagged(value, language if name == "role" else CURATOR_LANGUAGE)

    def fact(self, fact: contract.StoredFact, subject: str, obj: str) -> None:
        """The statement (and the plain triple if the fact is asserted) in the facts graph;
        the link to each quote in its article's provenance graph (the quote is the article's)."""
        me = f"<{self.fact_base}{_id(fact.id)}>"
        predicate = _PREDICATE_IRI[fact.predicate]
        out = []
        if asserted(fact.qualifiers) and (subject, predicate, obj) != self.last_plain:
            self.last_plain = (subject, predicate, obj)
            out.append(f"{subject} {predicate} {obj}")
        out += (
            f"{me} {_TYPE} {_STATEMENT}",
            f"{me} {_TYPE} {_PROV_ENTITY}",
            f"{me} {_IDENTIFIER} {plain(fact.id)}",
            f"{me} {_SUBJECT} {subject}",
            f"{me} {_PREDICATE} {predicate}",
            f"{me} {_OBJECT} {obj}",
        )
        language = self.language(fact.articles)
        for name, value in fact.qualifiers.items():
            out.append(f"{me} {_QUALIFIER[name]} {self.qualifier(name, value, language)}")
        self._in_facts(out)
        for article, text in dict.fromkeys(fact.sources()):
            quote = self.iris.quote(article, text)  # described with its article
            self.lines.append(f"{me} {_DERIVED_FROM} <{quote}>")
            self.graphs.append(self.provenance.get(article) or self.graph_of(article))


def text(store: Store, options: ExportOptions, form: str) -> Iterator[bytes | Path]:
    """The dump as N-Triples, N-Quads or Turtle text (`form`: nt, nq, ttl), a part at a
    time: the ontology, every group of nodes with the relationships going out of them, and
    last the description of the dump, with the counts of what came before it; a part that a
    worker process wrote comes as the file holding it, valid until the next. Each part is
    written on its own (Turtle: every part after the first without the prefixes), which
    gives the bytes of one writer over the whole: a part never ends on the subject the
    next one begins with."""
    iris = Iris(options.base)
    counts: Counter[str] = Counter()
    ontology_graph = NamedNode(iris.graph("ontology"))
    ontology_quads = [(s, p, o, ontology_graph) for s, p, o in ontology.triples()]
    counts[iri(ontology_graph.value)] = len(ontology_quads)
    form_of = _Form(form, iris)
    yield form_of.terms(ontology_quads, first=True)
    for piece, graphs in content(store, options, iris, form_of):
        counts.update(graphs)
        yield piece
    about = description(iris, {g[1:-1]: n for g, n in counts.items()})
    yield form_of.terms(list(about))


class _Form:
    """How a part of the dump is written: N-Triples, N-Quads, or Turtle under the dump's
    prefixes (pyoxigraph's writer over the part's N-Triples)."""

    def __init__(self, form: str, iris: Iris) -> None:
        self.form = form
        self.prefixes = iris.prefixes()
        some = Triple(NamedNode(iris.entity("x")), NamedNode(TYPE), NamedNode(TYPE))
        head = serialize([some], format=RdfFormat.TURTLE, prefixes=self.prefixes)
        self.head = head[: head.index(b"\n", head.rindex(b"@prefix ")) + 1]

    def terms(self, quads: list[Quad4], first: bool = False) -> bytes:
        """Terms made with pyoxigraph."""
        if self.form == "nq":
            return serialize([Quad(s, p, o, g) for s, p, o, g in quads], format=RdfFormat.N_QUADS)
        triples = [Triple(s, p, o) for s, p, o, _ in quads]
        if self.form == "nt":
            return serialize(triples, format=RdfFormat.N_TRIPLES)
        return self._turtle(
            serialize(triples, format=RdfFormat.TURTLE, prefixes=self.prefixes), first
        )

    def lines(self, lines: list[str], graphs: list[str]) -> bytes:
        """Written lines (see `Writer`)."""
        if not lines:
            return b""
        if self.form == "nq":
            return (" .\n".join(map(" ".join, zip(lines, graphs, strict=True))) + " .\n").encode()
        lines.append("")  # for the last line's " .\n"
        nt = " .\n".join(lines).encode()
        if self.form == "nt":
            return nt
        # Lenient: the text is ours, its IRIs checked as they were made (`_id`, the base).
        triples = parse(nt, format=RdfFormat.N_TRIPLES, lenient=True)
        turtle = serialize(triples, format=RdfFormat.TURTLE, prefixes=self.prefixes)
        return self._turtle(turtle, first=False)

    def _turtle(self, text: bytes, first: bool) -> bytes:
        if first or not text:
            return text
        if not text.startswith(self.head):
            raise AssertionError("pyoxigraph's Turtle did not begin with the prefixes")
        return text[len(self.head) :]


class _Reader:
    """A binary file over an iterator of byte strings, for pyoxigraph's parser."""

    def __init__(self, pieces: Iterator[bytes | Path]) -> None:
        self.pieces = pieces
        self.piece = b""
        self.at = 0

    def read(self, size: int = -1) -> bytes:
        while self.at >= len(self.piece):
            piece, self.at = next(self.pieces, None), 0
            if piece is None:
                self.piece = b""
                return b""
            self.piece = piece.read_bytes() if isinstance(piece, Path) else piece
        end = len(self.piece) if size is None or size < 0 else self.at + size
        taken = self.piece[self.at : end]
        self.at += len(taken)
        return taken


class _Job(NamedTuple):
    """What every part of one export shares, inherited by the processes that write parts."""

    store: Store
    iris: Iris
    languages: dict[str, str]
    with_text: bool
    form: _Form
    spill: Path | None = None  # where worker processes write the parts


_job: _Job | None = None  # the export under way, set before its worker processes fork


def content(
    store: Store, options: ExportOptions, iris: Iris, form: _Form
) -> Iterator[tuple[bytes | Path, Counter[str]]]:
    """Every group of nodes with the relationships going out of them, in order, each as
    text (or the file a worker wrote it to) with the count of its triples in each graph.
    Groups are written by WORKERS processes at once where the store can be read from
    several (`forked`): the server and the two cores work at the same time."""
    job = _Job(store, iris, readback.article_languages(store), options.with_text, form)
    total = readback.count_nodes(store) if options.progress else 0
    done = 0
    groups = readback.groups(store)
    first, seen = [], 0
    while seen < PARALLEL_FROM and (group := next(groups, None)) is not None:
        first.append(group)
        seen += len(group.ids)
    every = itertools.chain(first, groups)
    parts: Iterator[_Part] = (
        _in_workers(job, every)
        if seen >= PARALLEL_FROM and WORKERS > 1 and callable(getattr(store, "forked", None))
        else (_group_text(job, group) for group in every)
    )
    for piece, graphs, nodes in parts:
        yield piece, graphs
        done += nodes
        if options.progress:
            options.progress(done, total)


def _in_workers(job: _Job, groups: Iterator[readback.Group]) -> Iterator[_Part]:
    """`_group_text` of every group in worker processes, each written to a file of its
    own, handed out in order, at most IN_FLIGHT groups a worker under way (memory and disk
    bounded by a few groups' text)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _job
    with tempfile.TemporaryDirectory(prefix="kg-export-") as spill:
        _job = job._replace(spill=Path(spill))
        fork = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(WORKERS, mp_context=fork, initializer=_start_worker)
        try:
            waiting: deque[Any] = deque()
            for number, group in enumerate(groups):
                waiting.append(pool.submit(_worker_group, number, group))
                if len(waiting) >= WORKERS * IN_FLIGHT:
                    yield from _handed(waiting.popleft().result())
            while waiting:
                yield from _handed(waiting.popleft().result())
        except BrokenProcessPool:
            raise KgError("a process writing the export died (out of memory?)") from None
        finally:
            pool.shutdown(cancel_futures=True)
            _job = None


def _handed(part: _Part) -> Iterator[_Part]:
    """A part written to a file, which is removed once it has been read."""
    yield part
    assert isinstance(part[0], Path)
    part[0].unlink()


_failed: BaseException | None = None  # why a worker process could not read the store


def _start_worker() -> None:
    global _job, _failed
    assert _job is not None
    try:
        _job = _job._replace(store=_job.store.forked())  # type: ignore[attr-defined]
    except BaseException as error:  # raised with its first group, in the parent
        _failed = error


def _worker_group(number: int, group: readback.Group) -> _Part:
    if _failed is not None:
        raise _failed
    assert _job is not None and _job.spill is not None
    piece, graphs, nodes = _group_text(_job, group)
    path = _job.spill / str(number)
    path.write_bytes(piece)  # type: ignore[arg-type]
    return path, graphs, nodes


_Part = tuple[bytes | Path, Counter[str], int]


def _group_text(job: _Job, group: readback.Group) -> _Part:
    """A group's nodes, then the relationships going out of them, as text; the count of its
    triples in each graph; how many nodes it held."""
    writer = Writer(job.iris, job.languages, job.with_text)
    page = readback.nodes_in(job.store, group)
    describe = writer.article if group.label == vocab.ARTICLE_LABEL else writer.entity
    for node in page:
        describe(node)
    for rel in readback.relationships_from(job.store, page, labels=False):
        writer.relationship(rel)
    lines, graphs = writer.take()
    return job.form.lines(lines, graphs), Counter(graphs), len(page)


def description(iris: Iris, counts: dict[str, int]) -> Iterator[Quad4]:
    """A VoID and DCAT description of the dump in its own graph: the dataset, its version, what
    it uses, and each named graph as a subset, with triple counts that match the file (the
    description's own triples included)."""
    g = NamedNode(iris.graph("dataset"))
    me = NamedNode(iris.graph("dataset") + "#dataset")
    about: list[tuple[NamedNode, NamedNode, Any]] = [
        (me, NamedNode(TYPE), NamedNode(VOID + "Dataset")),
        (me, NamedNode(TYPE), NamedNode(DCAT + "Dataset")),
        (me, NamedNode(DCTERMS + "title"), Literal(DATASET_TITLE, language="en")),
        (me, NamedNode(DCTERMS + "description"), Literal(DATASET_DESCRIPTION, language="en")),
        (me, NamedNode(DCAT + "version"), Literal(ONTOLOGY_VERSION)),
        (me, NamedNode(VOID + "uriSpace"), Literal(iris.entity(""))),
        (me, NamedNode(VOID + "exampleResource"), NamedNode(iris.entity("mark-esper"))),
        (me, NamedNode(DCTERMS + "conformsTo"), NamedNode(ONTOLOGY)),
        *((me, NamedNode(VOID + "vocabulary"), NamedNode(ns)) for ns in VOCABULARIES),
    ]
    for graph in sorted(counts):
        about += [
            (me, NamedNode(VOID + "subset"), NamedNode(graph)),
            (NamedNode(graph), NamedNode(TYPE), NamedNode(VOID + "Dataset")),
            (NamedNode(graph), NamedNode(VOID + "triples"), _integer(counts[graph])),
        ]
    own = len(about) + 4  # with the four triples below, which give the counts
    about.append((me, NamedNode(VOID + "triples"), _integer(sum(counts.values()) + own)))
    about.append((me, NamedNode(VOID + "subset"), g))
    about.append((g, NamedNode(VOID + "triples"), _integer(own)))
    about.append((g, NamedNode(TYPE), NamedNode(VOID + "Dataset")))
    for s, p, o in about:
        yield s, p, o, g


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def grouped(quads: Iterator[Quad], streamed: set[NamedNode], spill: Path) -> Iterator[Quad]:
    """The quads with each graph's together: the `streamed` graphs as they come, every other
    (an article's provenance) set aside in a file of its own, in order, and read back last."""
    files: dict[NamedNode, Path] = {}
    waiting: dict[NamedNode, list[Quad]] = defaultdict(list)

    def flush() -> None:
        for graph, items in waiting.items():
            path = files.setdefault(graph, spill / f"{len(files)}.nq")
            with path.open("ab") as file:
                serialize(items, file, RdfFormat.N_QUADS)
        waiting.clear()

    for count, quad in enumerate(quads):
        if quad.graph_name in streamed:
            yield quad
            continue
        waiting[quad.graph_name].append(quad)
        if count % SPILL_EVERY == 0:
            flush()
    flush()
    for graph in sorted(files, key=lambda g: g.value):
        yield from parse(path=str(files[graph]), format=RdfFormat.N_QUADS)


def write_compact_jsonld(triples: Iterator[Triple], stream: BinaryIO, prefixes: dict) -> None:
    """Compacted JSON-LD, streamed: an `@context` of the dump's prefixes, then one node object
    per line for each run of triples about one subject (a subject met again gets another
    node object with the same `@id`, which JSON-LD merges)."""
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def compact(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def node_id(term: Any) -> str:
        return compact(term.value) if isinstance(term, NamedNode) else f"_:{term.value}"

    def value(term: Any) -> Any:
        if not isinstance(term, Literal):
            return {"@id": node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD + "string":
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    def write(subject: Any, properties: dict[str, list]) -> None:
        node: dict[str, Any] = {"@id": node_id(subject)}
        for key, values in properties.items():
            node[key] = values[0] if len(values) == 1 else values
        stream.write(separator + json.dumps(node, ensure_ascii=False).encode())

    context = json.dumps({"@context": dict(sorted(prefixes.items()))}, indent=2)
    stream.write(context[: context.rindex("}")].rstrip().encode() + b',\n  "@graph": [\n')
    separator, subject, properties = b"    ", None, {}
    for triple in triples:
        if triple.subject != subject:
            if subject is not None:
                write(subject, properties)
                separator = b",\n    "
            subject, properties = triple.subject, {}
        if triple.predicate.value == TYPE:
            properties.setdefault("@type", []).append(compact(triple.object.value))
        else:
            properties.setdefault(compact(triple.predicate.value), []).append(value(triple.object))
    if subject is not None:
        write(subject, properties)
    stream.write(b"\n  ]\n}\n")


def export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
    # One snapshot, which worker processes read too. Millions of short-lived lists and
    # strings and no cycles: see kg.heap.
    with store.reading(), cycles_unchecked():
        _export(store, stream, options)


def _write(stream: BinaryIO, piece: bytes | Path) -> None:
    """A part of the dump: a file a worker wrote is copied by the kernel where it can be."""
    if isinstance(piece, bytes):
        stream.write(piece)
        return
    with piece.open("rb") as part:
        try:
            out = stream.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            shutil.copyfileobj(part, stream)
            return
        stream.flush()
        size, sent = os.fstat(part.fileno()).st_size, 0
        try:
            while sent < size:
                sent += os.sendfile(out, part.fileno(), sent, size - sent)
        except OSError as error:
            if error.errno not in (errno.EINVAL, errno.ENOSYS) or sent:
                raise
            shutil.copyfileobj(part, stream)  # a stream the kernel cannot copy to


def _export(store: Store, stream: BinaryIO, options: ExportOptions) -> None:
    rdf_format, named_graphs = FORMATS[options.format]
    if options.format in ("nt", "nq", "ttl"):  # written part by part
        for piece in text(store, options, options.format):
            _write(stream, piece)
        return
    pieces = text(store, options, "nq" if named_graphs else "nt")
    quads = parse(  # lenient: the text is ours (see `_Form.lines`)
        _Reader(pieces),
        format=RdfFormat.N_QUADS if named_graphs else RdfFormat.N_TRIPLES,
        lenient=True,
    )
    prefixes = Iris(options.base).prefixes()
    if options.format == "jsonld":
        write_compact_jsonld(quads, stream, prefixes)
    elif not named_graphs:
        serialize(quads, stream, rdf_format, prefixes=prefixes)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-trig-") as spill:
            iris = Iris(options.base)
            streamed = {NamedNode(iris.graph(name)) for name in ("ontology", "facts", "dataset")}
            serialize(grouped(quads, streamed, Path(spill)), stream, rdf_format, prefixes=prefixes)
