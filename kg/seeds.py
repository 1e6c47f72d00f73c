"""Read the seed files into the model, keeping the file and line of every record.

Only the shape of the files is checked here (YAML syntax, known fields, types);
the rules of the domain are checked in `kg.validate`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import pickle
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from kg import yaml_subset
from kg.checks import bad_character, line_of
from kg.errors import ValidationFailed
from kg.files import default_dir
from kg.forking import fork_helper, stop
from kg.heap import cycles_unchecked
from kg.model import (
    Article,
    ArticleDate,
    Boilerplate,
    Corpus,
    Entity,
    Fact,
    MentionSkip,
    Skip,
    Source,
    Where,
)

ARTICLES_DIR, ENTITIES_DIR, FACTS_DIR = "articles", "entities", "facts"
LINE = "__line__"


MAX_DEPTH = 100  # nesting of YAML collections; the seeds need 4
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when built
_MERGE = "tag:yaml.org,2002:merge"
_UNUSABLE = object()  # a file the full loader refused (None is an empty document)


class Checks:
    """For a safe loader: records the line each mapping starts on; refuses duplicate keys,
    control characters and lone surrogates, and (with the pure-Python parser, which
    recurses; libyaml stops at 1000 levels itself) collections nested deeper than MAX_DEPTH."""

    _depth = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = first_line.get(key)
            except TypeError:
                continue  # an unhashable key: the base class says so
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {first})",
                    key_node.start_mark,
                )
            first_line[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's constructors raise plain Python errors on a value their tag refuses
        (`2020-13-45`, `!!int x`): say where, as the parser does."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value!r} is not a valid {node.tag.rpartition(':')[2]} ({error})",
                node.start_mark,
            ) from None

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        value = self.construct_scalar(node)
        bad = bad_character(value)
        if bad is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"{bad[1]} in a string", node.start_mark
            )
        return value

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_DEPTH} levels",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _LineLoader(Checks, _SAFE_LOADER):  # type: ignore[misc,valid-type]
    pass


_LineLoader.add_constructor("tag:yaml.org,2002:str", Checks.construct_yaml_str)


def default_seeds_dir() -> Path:
    """`./seeds` when present, else the seeds shipped with the package."""
    return default_dir("seeds")


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Reader:
    """Collects problems instead of stopping at the first one."""

    def __init__(self, parsed: _Parsed | None = None) -> None:
        self.problems: list[str] = []
        self.parsed = parsed

    def problem(self, where: Where | str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def load_yaml(self, path: Path) -> Any:
        """The file's data; None, with the problem recorded, when it is unusable or empty."""
        if self.parsed is not None:
            found = self.parsed.take(path)
            if found is not None:
                data, problems = found
                self.problems += problems
                return data
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problem(display_path(path), f"cannot read: {error}")
            return None
        bad = bad_character(text)
        if bad is not None:
            self.problem(Where(display_path(path), line_of(text, bad[0])), f"{bad[1]} in the file")
            return None
        try:
            data = yaml_subset.load(text, checked=True)
        except yaml_subset.Unsupported:
            data = self.load_full_yaml(path, text)
            if data is _UNUSABLE:
                return None
        if data is None:
            self.problem(Where(display_path(path), 1), "the file is empty")
        return data

    def load_full_yaml(self, path: Path, text: str) -> Any:
        """The file's data through the full loader (what the subset reader leaves to it);
        _UNUSABLE, with the problem recorded, when it does not parse."""
        try:
            return yaml.load(text, Loader=_LineLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(Where(display_path(path), line), f"invalid YAML: {error.problem}")
        except yaml.YAMLError as error:
            self.problem(display_path(path), f"invalid YAML: {' '.join(str(error).split())}")
        except RecursionError:
            self.problem(display_path(path), f"invalid YAML: nested deeper than {MAX_DEPTH} levels")
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # a collection's tag
            self.problem(display_path(path), f"invalid YAML: a value its tag refuses ({error})")
        return _UNUSABLE

    def fields(
        self, record: Any, where: Where, what: str, spec: dict[str, tuple[type, bool]]
    ) -> dict[str, Any] | None:
        """Check a mapping against `spec` (name -> (type, required)); None if unusable."""
        if isinstance(record, dict):
            values = _plain_fields(record, spec)
            if values is not None:
                return values
        if not isinstance(record, dict):
            self.problem(where, f"{what}: expected a mapping, got {type(record).__name__}")
            return None
        values: dict[str, Any] = {}
        ok = True
        for name in record:
            if name != LINE and name not in spec:
                self.problem(where, f"{what}: unknown field {name!r}")
                ok = False
        for name, (kind, required) in spec.items():
            value = _normalize(record.get(name))
            if value is None:
                if required:
                    self.problem(where, f"{what}: missing field {name!r}")
                    ok = False
                continue
            if kind is list and not isinstance(value, list):
                self.problem(where, f"{what}: field {name!r} must be a list")
                ok = False
            elif kind is str and not isinstance(value, str):
                self.problem(where, f"{what}: field {name!r} must be text")
                ok = False
            elif kind is int and (not isinstance(value, int) or isinstance(value, bool)):
                self.problem(where, f"{what}: field {name!r} must be a whole number")
                ok = False
            elif kind is _SCALAR and (not isinstance(value, str | int) or isinstance(value, bool)):
                self.problem(where, f"{what}: field {name!r} must be text or a whole number")
                ok = False
            values[name] = value
        return values if ok else None

    def records(self, folder: Path, what: str, build: Callable[[dict, Where], Any]) -> list[Any]:
        built = []
        for path in sorted(folder.glob("*.yaml")):
            data = self.load_yaml(path)
            if data is None:
                continue
            shown = display_path(path)
            if not isinstance(data, list):
                self.problem(Where(shown, 1), f"expected a list of {what}s")
                continue
            for record in data:
                line = record.get(LINE, 1) if isinstance(record, dict) else 1
                item = build(record, Where(shown, line))
                if item is not None:
                    built.append(item)
        return built


_REQUIRED: dict[int, tuple[str, ...]] = {}  # by id() of a field spec: its required names


def _plain_fields(record: dict, spec: dict[str, tuple[type, bool]]) -> dict[str, Any] | None:
    """The record's values when each is known, of its type as written (text, list, whole
    number) and the required ones are there, as `_Reader.fields` gives them; else None, and
    `fields` names every problem. The common case, without a call per field."""
    values: dict[str, Any] = {}
    for name, value in record.items():
        entry = spec.get(name)
        if entry is None:
            if name == LINE:
                continue
            return None
        if value is None:
            continue
        kind, cls = entry[0], value.__class__
        if cls is str:
            if kind is not str and kind is not _SCALAR:
                return None
        elif cls is list:
            if kind is not list:
                return None
        elif cls is not int or (kind is not int and kind is not _SCALAR):
            return None  # a date to write as text, a bool, a mapping...: the full check
        values[name] = value
    required = _REQUIRED.get(id(spec))
    if required is None:
        required = _REQUIRED[id(spec)] = tuple(n for n, (_, needed) in spec.items() if needed)
    for name in required:
        if name not in values:
            return None
    return values


def _normalize(value: Any) -> Any:
    """YAML reads 2020-09-30 as a date and 2014 as an int; dates stay text here."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_SCALAR = object  # a field that takes text or a whole number (a literal fact's value)
ENTITY_FIELDS = {
    "id": (str, True),
    "type": (str, True),
    "name": (str, True),
    "label_fr": (str, True),
    "label_en": (str, True),
    "aliases": (list, True),
    "titles": (list, False),
    "kind": (str, False),
    "note": (str, False),
}
FACT_FIELDS = {
    "id": (str, True),
    "subject": (str, True),
    "predicate": (str, True),
    "object": (str, False),
    "value": (_SCALAR, False),
    "sources": (list, True),
    "modality": (str, True),
    "during": (str, False),
    "role": (str, False),
    "stated_by": (str, False),
    "when": (str, False),
    "inferred": (str, False),
    "note": (str, False),
}
SOURCE_FIELDS = {"article": (str, True), "quote": (str, True)}
ARTICLE_FIELDS = {
    "headline": (str, False),
    "headline_line": (int, False),
    "outlet": (str, False),
    "languages": (list, True),
    "dates": (list, False),
    "boilerplate": (list, False),
    "skipped": (list, False),
    "skipped_mentions": (list, False),
}
DATE_FIELDS = {
    "value": (str, True),
    "text": (str, True),
    "about": (str, False),
    "inferred": (str, False),
}
BOILERPLATE_FIELDS = {"line": (int, True), "reason": (str, True)}
SKIP_FIELDS = {"quote": (str, True), "reason": (str, True)}
MENTION_SKIP_FIELDS = {"text": (str, True), "line": (int, False), "reason": (str, True)}


@cycles_unchecked()
def read_corpus(seeds_dir: Path) -> Corpus:
    """Read every seed file; raise ValidationFailed listing each malformed record.

    Large facts files are parsed in a helper process while this one reads the articles and
    the entities (`_Parsed`)."""
    if not seeds_dir.is_dir():
        raise ValidationFailed([f"{display_path(seeds_dir)}: no such seeds directory"])
    with _Parsed(sorted((seeds_dir / FACTS_DIR).glob("*.yaml"))) as parsed:
        reader = _Reader(parsed)
        articles = _read_articles(reader, seeds_dir / ARTICLES_DIR)
        entities: dict[str, Entity] = {}
        for entity in reader.records(seeds_dir / ENTITIES_DIR, "entity", _entity_builder(reader)):
            if entity.id in entities:
                first = entities[entity.id].where
                reader.problem(
                    entity.where, f"entity {entity.id!r} is defined twice (also {first})"
                )
            else:
                entities[entity.id] = entity
        facts = reader.records(seeds_dir / FACTS_DIR, "fact", _fact_builder(reader))
    if reader.problems:
        raise ValidationFailed(reader.problems)
    return Corpus(articles=articles, entities=entities, facts=facts)


PARALLEL_BYTES = 1 << 20  # facts files larger than this, in all, are parsed by a helper


class _Parsed:
    """`paths` parsed (`_Reader.load_yaml`: the data and the problems) in a forked helper
    process, in order, while this one reads the other files; each file's data is written to
    a temporary file (marshal, or pickle for values marshal refuses such as dates) and its
    place sent on a pipe. Handing over plain lists and mappings costs a tenth of parsing
    them; the records are built here. When fork is missing, the files small, or the helper
    fails, a file not handed over is parsed by the caller (`take` gives None). The helper
    ignores Ctrl-C, dies with this process and is killed when the block ends."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self._handed = set(paths)
        self._pid = 0
        self._pipe: BinaryIO | None = None
        self._out = -1

    def __enter__(self) -> _Parsed:
        if not hasattr(os, "fork") or _size(self.paths) < PARALLEL_BYTES:
            return self
        with tempfile.TemporaryFile() as out:
            self._pid, self._pipe = fork_helper(lambda pipe: self._parse_all(pipe, out))
            self._out = os.dup(out.fileno())
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def take(self, path: Path) -> tuple[Any, list[str]] | None:
        """The next file's data and problems, if it is `path` and the helper parsed it."""
        if self._pipe is None or path not in self._handed:
            return None
        try:
            name, kind, offset, size = marshal.load(self._pipe)
        except (EOFError, ValueError, TypeError):
            self._stop()
            return None
        if name != str(path):
            self._stop()  # the files changed under us: the rest are parsed here
            return None
        blob = b""
        while len(blob) < size:
            chunk = os.pread(self._out, size - len(blob), offset + len(blob))
            if not chunk:
                self._stop()
                return None
            blob += chunk
        return marshal.loads(blob) if kind == "marshal" else pickle.loads(blob)

    def _parse_all(self, pipe: BinaryIO, out: BinaryIO) -> None:
        """In the helper: each file's data into `out`, its place in `out` on `pipe`."""
        offset = 0
        for path in self.paths:
            reader = _Reader()
            found = (reader.load_yaml(path), reader.problems)
            try:
                kind, blob = "marshal", marshal.dumps(found)
            except ValueError:  # a date, from the full loader
                kind, blob = "pickle", pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
            out.write(blob)
            out.flush()
            marshal.dump((str(path), kind, offset, len(blob)), pipe)
            pipe.flush()
            offset += len(blob)

    def _stop(self) -> None:
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._out >= 0:
            os.close(self._out)
            self._out = -1
        if self._pid:
            stop(self._pid)
            self._pid = 0


def _size(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with suppress(OSError):
            total += path.stat().st_size
    return total


def _strings(reader: _Reader, where: Where, what: str, values: list) -> list[str]:
    good = [v for v in values if isinstance(v, str) and v.strip()]
    if len(good) != len(values):
        reader.problem(where, f"{what}: every item must be non-empty text")
    return good


def _entity_builder(reader: _Reader) -> Callable[[dict, Where], Entity | None]:
    def build(record: dict, where: Where) -> Entity | None:
        values = reader.fields(record, where, "entity", ENTITY_FIELDS)
        if values is None:
            return None
        what = f"entity {values['id']!r}"
        values["aliases"] = _strings(reader, where, f"{what} aliases", values["aliases"])
        values["titles"] = _strings(reader, where, f"{what} titles", values.get("titles", []))
        return Entity(**values, where=where)

    return build


def _fact_builder(reader: _Reader) -> Callable[[dict, Where], Fact | None]:
    def build(record: dict, where: Where) -> Fact | None:
        values = reader.fields(record, where, "fact", FACT_FIELDS)
        if values is None:
            return None
        sources = []
        for raw in values.pop("sources"):
            line = raw.get(LINE, where.line) if isinstance(raw, dict) else where.line
            source = reader.fields(raw, Where(where.path, line), "source", SOURCE_FIELDS)
            if source is not None:
                sources.append(Source(source["article"], source["quote"]))
        if not sources:
            reader.problem(where, f"fact {values['id']!r}: needs at least one source")
            return None
        return Fact(**values, sources=sources, where=where)

    return build


def _read_articles(reader: _Reader, folder: Path) -> dict[str, Article]:
    articles: dict[str, Article] = {}
    if not folder.is_dir():
        reader.problem(display_path(folder), "no articles directory")
        return articles
    texts = {p.stem: p for p in sorted(folder.glob("*.txt"))}
    metas = {p.stem: p for p in sorted(folder.glob("*.yaml"))}
    for stem in sorted(metas.keys() - texts.keys()):
        reader.problem(Where(display_path(metas[stem]), 1), f"no article {stem}.txt beside it")
    for stem, path in texts.items():
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            reader.problem(display_path(path), f"not UTF-8 text: {error}")
            continue
        bad = bad_character(text)
        if bad is not None:
            where = Where(display_path(path), line_of(text, bad[0]))
            reader.problem(where, f"{bad[1]} in the text")
            continue
        article = Article(id=stem, text=text, sha256=hashlib.sha256(raw).hexdigest())
        if stem not in metas:
            reader.problem(Where(display_path(path), 1), f"no metadata file {stem}.yaml beside it")
        else:
            _read_article_meta(reader, metas[stem], article)
        articles[stem] = article
    return articles


def _read_article_meta(reader: _Reader, path: Path, article: Article) -> None:
    data = reader.load_yaml(path)
    if data is None:
        return
    where = Where(display_path(path), data.get(LINE, 1) if isinstance(data, dict) else 1)
    values = reader.fields(data, where, "article metadata", ARTICLE_FIELDS)
    if values is None:
        return
    article.where = where
    article.headline = values.get("headline")
    article.headline_line = values.get("headline_line")
    article.outlet = values.get("outlet")
    article.languages = _strings(reader, where, "languages", values["languages"])

    def items(name: str, spec: dict, make: Callable[..., Any]) -> list[Any]:
        built = []
        for raw in values.get(name, []):
            line = raw.get(LINE, where.line) if isinstance(raw, dict) else where.line
            item_where = Where(where.path, line)
            fields = reader.fields(raw, item_where, name, spec)
            if fields is not None:
                located = make in (Skip, MentionSkip)
                built.append(make(**fields, **({"where": item_where} if located else {})))
        return built

    article.dates = items("dates", DATE_FIELDS, ArticleDate)
    article.boilerplate = items("boilerplate", BOILERPLATE_FIELDS, Boilerplate)
    article.skipped = items("skipped", SKIP_FIELDS, Skip)
    article.skipped_mentions = items("skipped_mentions", MENTION_SKIP_FIELDS, MentionSkip)
