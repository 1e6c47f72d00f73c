"""The `kg` command line: each command parses its options and calls one library function.

The library never prints; this module renders what it returns. Errors a user can
act on (`KgError`) become one line on stderr and exit code 1 (runtime) or 2
(bad usage or invalid input); `--debug` shows the traceback instead.

No `from __future__ import annotations` here: Typer reads every command's annotations at
each start, and evaluating them from strings took most of the time it spends building the
commands (22 of 28 ms of CPU); the few names imported only for type checking are quoted.
"""

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from kg.errors import EXIT_INVALID, EXIT_RUNTIME, InvalidInput, KgError, ValidationFailed
from kg.exporters import DEFAULT_BASE, FORMATS
from kg.files import atomic_output, check_output_path
from kg.render import CardFormat, Format, Screen, rows_table, rows_text, to_json

if TYPE_CHECKING:
    from kg.coverage import ArticleCoverage
    from kg.load import Summary
    from kg.stores import Store, StoreConfig


# Click's exception classes, wherever this version of Typer takes them from.
_UsageError = typer.BadParameter.__mro__[1]
_ClickException = typer.BadParameter.__mro__[2]


class _Group(TyperGroup):
    """Click parses; this group renders: a library error or a usage mistake is one `error:`
    line (plus the usage for the latter) and its exit code, global options may follow the
    command too (`kg load -q`), and a reader that stops early (`kg export | head`) ends the
    command quietly."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except _UsageError as error:
            typer.echo(f"error: {_sentence(error.format_message())}", err=True)
            if error.ctx is not None:
                usage = error.ctx.get_usage().removeprefix("Usage: ")
                typer.echo(f"usage: {usage}  (see {error.ctx.command_path} --help)", err=True)
            code = error.exit_code
        except _ClickException as error:
            typer.echo(f"error: {_sentence(error.format_message())}", err=True)
            code = error.exit_code
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            code = EXIT_RUNTIME
        sys.exit(code if isinstance(code, int) else 0)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._globals_first(ctx, args))

    def _globals_first(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """`args` with the global options given after the command moved before it."""
        flags, valued = _option_names(self.params)
        position = 0
        while position < len(args) and args[position].startswith("-"):
            name = args[position].split("=", 1)[0]
            position += 2 if name in valued and "=" not in args[position] else 1
        if position >= len(args) or (command := self.get_command(ctx, args[position])) is None:
            return args
        own_flags, own_valued = _option_names(command.params)
        moved: list[str] = []
        kept = args[: position + 1]
        rest = iter(args[position + 1 :])
        for arg in rest:
            name = arg.split("=", 1)[0]
            if arg == "--":
                kept += [arg, *rest]
            elif name in own_valued and "=" not in arg:
                kept += [arg, *islice(rest, 1)]  # the option's value, whatever it looks like
            elif name in flags and name not in own_flags:
                moved.append(arg)
            elif name in valued and name not in own_valued:
                moved += [arg] if "=" in arg else [arg, *islice(rest, 1)]
            else:
                kept.append(arg)
        return [*moved, *kept]

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            typer.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(0)

    def make_context(self, info_name: str | None, args: list[str], **extra: Any) -> Any:
        """Refuse an argument that is not valid UTF-8 before anything reads it: Python keeps
        its bytes as lone surrogates, which no store, file or terminal takes."""
        for number, arg in enumerate(args, start=1):
            if any("\ud800" <= c <= "\udfff" for c in arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                typer.echo(f"error: argument {number} ({shown!r}) is not valid UTF-8", err=True)
                raise typer.Exit(EXIT_INVALID)
        return super().make_context(info_name, args, **extra)


def _option_names(params: list[Any]) -> tuple[set[str], set[str]]:
    """The names of `params`' options: (flags, options that take a value)."""
    flags: set[str] = set()
    valued: set[str] = set()
    for param in params:
        if param.param_type_name != "option":
            continue
        names = {*param.opts, *param.secondary_opts}
        (flags if param.is_flag or param.count else valued).update(names)
    return flags, valued


def _sentence(message: str) -> str:
    """Click's message as the rest of an `error:` line: lower case first, no final period."""
    message = " ".join(message.split()).rstrip(".")
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def _silence_stdout() -> None:
    """The reader of stdout has gone: send what is left to /dev/null, so that exiting (which
    flushes stdout) raises nothing more."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


app = typer.Typer(
    cls=_Group,
    help="Build, query and publish the US–Morocco security cooperation knowledge graph.\n\n"
    "Its options go before or after the command: kg -q load, or kg load -q.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

SeedsOption = Annotated[
    Path | None,
    typer.Option("--seeds", help="Seeds directory (default: ./seeds, else the packaged seeds)."),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="<name=value>",
        help="A query parameter as name=value; repeat it for each parameter.",
    ),
]


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(envvar="KG_DATA_DIR", help="Embedded store directory (default: per-user)."),
    ] = None,
    uri: Annotated[
        str | None,
        typer.Option(
            envvar="NEO4J_URI", help="Use Neo4j at this URI (bolt://, neo4j://, neo4j+s://)."
        ),
    ] = None,
    user: Annotated[str | None, typer.Option(envvar="NEO4J_USERNAME", help="Neo4j user.")] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="NEO4J_PASSWORD", help="Neo4j password.", show_default=False),
    ] = None,
    database: Annotated[
        str | None, typer.Option(envvar="NEO4J_DATABASE", help="Neo4j database.")
    ] = None,
    timeout: Annotated[
        str | None,
        typer.Option(
            envvar="KG_TIMEOUT",
            help="Seconds a query may run on the embedded store (default: 30).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only results and errors.")
    ] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Without --uri or NEO4J_URI, kg uses its embedded FalkorDB store (started on demand).

    NEO4J_* variables that the environment does not set are read from ./.env, if any.
    These options go before or after the command: kg -q load, or kg load -q.
    """
    from kg.stores import StoreConfig, parse_timeout, with_dotenv

    _exit_on_termination()
    config = StoreConfig(
        uri=uri,
        user=user,
        password=password,
        database=database,
        data_dir=data_dir,
        timeout=None if timeout is None else parse_timeout(timeout),
    )
    ctx.obj = {
        "config": with_dotenv(config, Path.cwd() / ".env"),
        "quiet": quiet,
        "debug": debug,
    }


def _exit_on_termination() -> None:
    """SIGTERM and SIGHUP exit through the cleanup, as Ctrl-C does: the last kg stops the server."""

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for number in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, leave)


def _config(ctx: typer.Context) -> "StoreConfig":
    return ctx.obj["config"]


def _seeds(seeds: Path | None) -> Path:
    from kg.seeds import default_seeds_dir

    return seeds or default_seeds_dir()


def _say(ctx: typer.Context, message: str) -> None:
    """Progress and summaries go to stderr, so stdout stays clean for results."""
    if not ctx.obj["quiet"]:
        typer.echo(message, err=True)


def _on_terminal(fmt: Format) -> bool:
    return fmt is Format.table and sys.stdout.isatty()


def _print_rows(
    columns: list[str],
    rows: list[list[Any]],
    fmt: Format,
    title: str | None = None,
    articles: dict[str, str] | None = None,
) -> None:
    """A table that fits the terminal, or plain columns, JSON or CSV. `articles` gives the note
    shown under an article id on a terminal."""
    if not _on_terminal(fmt):
        sys.stdout.write(rows_text(columns, rows, fmt))
        return
    from rich.console import Console

    console = Console()
    screen = Screen(console.width, articles or {})
    console.print(rows_table(columns, rows, title, screen))
    if screen.cut:
        typer.echo("note: long values are cut short (…); --format json shows them whole", err=True)


def _article_notes(store: "Store", fmt: Format) -> dict[str, str]:
    """Notes for the article ids of a table, read only when a terminal shows them."""
    from kg.show import article_notes

    return article_notes(store) if _on_terminal(fmt) else {}


DescribeOption = Annotated[
    bool, typer.Option("--describe", help="Print its description, parameters and an example.")
]


def _print_description(description: dict[str, Any], fmt: Format) -> None:
    """A saved query's --describe: text wrapped to the terminal, or JSON."""
    if fmt is not Format.table:
        sys.stdout.write(to_json(description) + "\n")
        return
    from kg.render import describe_text

    sys.stdout.write(describe_text(description))


def _saved_names(incomplete: str) -> list[str]:
    """Shell completion of saved query names (nothing when the directory cannot be read)."""
    from kg import queries

    try:
        return [n for n in queries.load_all() if n.startswith(incomplete)]
    except KgError:
        return []


def _twin_names(incomplete: str) -> list[str]:
    from kg.rdf.sparql import saved_twins

    try:
        return [n for n in saved_twins() if n.startswith(incomplete)]
    except KgError:
        return []


def _params(pairs: list[str] | None) -> dict[str, Any]:
    """--param pairs as given (saved queries check them against their header)."""
    from kg.queries import command_line

    return command_line(pairs)


@app.command()
def validate(
    ctx: typer.Context,
    seeds: SeedsOption = None,
    rdf: Annotated[
        Path | None,
        typer.Option(help="Check this RDF dump against the SHACL shapes instead of the seeds."),
    ] = None,
    rdf_format: Annotated[
        str | None, typer.Option(help="The dump's format (default: from its suffix).")
    ] = None,
) -> None:
    """Check the seeds: schema, references, domain and range, aliases, duplicates, quotes.

    With --rdf, check an RDF dump against the project's SHACL shapes (kg/rdf/shapes.ttl).

    Example: kg validate --rdf graph.ttl
    """
    if rdf is not None:
        from kg.rdf.shacl import validate_file

        report = validate_file(rdf, rdf_format)
        if not report.conforms:
            raise ValidationFailed([f"{rdf}: {v}" for v in report.violations])
        _say(ctx, f"ok: {rdf} conforms to the shapes")
        return
    from kg.seeds import display_path
    from kg.validate import load_corpus

    seeds_dir = _seeds(seeds)
    corpus = load_corpus(seeds_dir)
    _say(
        ctx,
        f"ok: {len(corpus.articles)} articles, {len(corpus.entities)} entities, "
        f"{len(corpus.facts)} facts in {display_path(seeds_dir)}",
    )


@app.command()
def load(
    ctx: typer.Context,
    seeds: SeedsOption = None,
    reset: Annotated[
        bool, typer.Option(help="Replace the whole graph instead of merging.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Validate the seeds, then write them to the active store, all or nothing.

    Example: kg load --reset
    """
    from kg.load import load as load_seeds
    from kg.stores import connect

    with connect(_config(ctx)) as store:
        summary = load_seeds(store, _seeds(seeds), reset=reset)
    _say_constraints(ctx, summary)
    _say(ctx, f"loaded {summary.sentence()} into {store.name}")
    _print_summary(summary, fmt)


def _say_constraints(ctx: typer.Context, summary: "Summary") -> None:
    if summary.constraints_created:
        _say(
            ctx,
            f"created {len(summary.constraints_created)} uniqueness constraint(s) on id before "
            f"the load, outside its transaction: {', '.join(summary.constraints_created)}",
        )


def _print_summary(summary: "Summary", fmt: Format) -> None:
    rows = [["node", k, v] for k, v in summary.nodes.items()]
    rows += [["relationship", k, v] for k, v in summary.relationships.items()]
    rows += [["value", k, v] for k, v in summary.values.items()]
    _print_rows(["kind", "name", "count"], rows, fmt, title="Graph")


@app.command()
def cypher(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A Cypher statement.")],
    param: ParamOption = None,
    write: Annotated[bool, typer.Option(help="Allow the statement to write.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Run ad hoc Cypher on the active store; read-only unless --write.

    Example: kg cypher "MATCH (p:Person) RETURN p.name AS name" --format json
    """
    from kg.queries import loose
    from kg.stores import ReadOnlyViolation, check_params, connect

    params = check_params(loose(_params(param)))
    with connect(_config(ctx)) as store:  # ad hoc: may probe (RETURN 1) or write an empty store
        try:
            result = store.query(query, params, write=write)
        except ReadOnlyViolation as error:
            raise ReadOnlyViolation(f"{error} (add --write to allow it)") from error
        notes = _article_notes(store, fmt)
    _print_rows(result.columns, result.rows, fmt, articles=notes)


@app.command()
def show(
    ctx: typer.Context,
    entity: Annotated[
        str,
        typer.Argument(help="An id, name, alias or word of a name (case and accents ignored)."),
    ],
    fmt: Annotated[
        CardFormat, typer.Option("--format", "-f", help="A card on the terminal, or JSON.")
    ] = CardFormat.table,
) -> None:
    """Show an entity card: type, labels, aliases, and every fact with its quotes.

    Example: kg show "Daech"
    """
    from kg.render import card_text, width
    from kg.show import article_notes, entity_card
    from kg.stores import connect_loaded

    with connect_loaded(_config(ctx)) as store:
        card = entity_card(store, entity)
        notes = article_notes(store)
    if fmt is CardFormat.json:
        sys.stdout.write(to_json(card) + "\n")
        return
    sys.stdout.write(card_text(card, notes, width() if sys.stdout.isatty() else None))


@app.command()
def coverage(
    ctx: typer.Context,
    seeds: SeedsOption = None,
    fmt: FormatOption = Format.table,
    details: Annotated[
        bool, typer.Option(help="List every skipped sentence and mention too.")
    ] = False,
) -> None:
    """Per article: sentences cited or skipped, and named mentions used, skipped or unaccounted.

    A name in a sentence is used when a fact citing that sentence is about it, or skipped
    with a reason in the article's metadata (seeds/README.md). Also lists the facts stated
    as actual whose quote holds a future or conditional verb, for review. Names no alias
    covers and verb forms need spaCy (pip install -e '.[nlp]'); without it the rest is
    reported. Exits 2 while any sentence is neither cited nor skipped.

    Example: kg coverage --details
    """
    from kg.coverage import SKIPPED, UNACCOUNTED, USED
    from kg.coverage import coverage as compute
    from kg.stores import default_data_dir
    from kg.validate import load_corpus

    config = _config(ctx)
    result = compute(load_corpus(_seeds(seeds)), cache_dir=config.data_dir or default_data_dir())
    reports = result.articles
    if fmt is Format.json:
        sys.stdout.write(to_json([_coverage_json(r) for r in reports]) + "\n")
    else:
        columns = ["article", "sentences", "cited", "skipped", "uncovered", "cited_%"]
        columns += ["mentions", "used", "mentions_skipped", "unaccounted", "no_fact", "review"]
        rows = [
            [
                r.article,
                r.total,
                len(r.cited),
                len(r.skipped),
                len(r.uncovered),
                round(100 * r.share_cited, 1),
                len(r.mentions),
                r.count(USED),
                r.count(SKIPPED),
                r.count(UNACCOUNTED),
                sum(1 for reasons in r.no_fact.values() if not reasons),
                len(r.review),
            ]
            for r in reports
        ]
        _print_rows(columns, rows, fmt)
    if result.nlp_missing:
        _say(ctx, f"note: {result.nlp_missing}")
    for r in reports:
        for sentence in r.uncovered:
            _say(ctx, f"uncovered {r.article}:{sentence.line}: {sentence.text}")
        for m in r.mentions:
            what = ", ".join(m.entities) or m.ner_label
            if m.status == UNACCOUNTED:
                _say(ctx, f"unaccounted {r.article}:{m.line}: {m.text!r} ({what})")
            elif details and m.status == SKIPPED:
                _say(ctx, f"skipped {r.article}:{m.line}: {m.text!r} ({what}): {m.reason}")
        for entity, reasons in r.no_fact.items():
            if not reasons:
                _say(ctx, f"no fact {r.article}: {entity} is named, no fact citing it uses it")
        for item in r.review:
            form = "future" if item.form == "Fut" else "conditional"
            _say(
                ctx,
                f"review {r.article}:{item.line}: fact {item.fact} is actual, "
                f"but {item.verb!r} is {form}",
            )
        for text in r.unused_skips:
            _say(ctx, f"unused skip {r.article}: skipped_mentions {text!r} matches no mention")
        if details:
            for sentence, reason in r.skipped:
                _say(ctx, f"skipped {r.article}:{sentence.line} ({reason}): {sentence.text}")
    if any(not r.complete for r in reports):
        raise typer.Exit(EXIT_INVALID)


def _coverage_json(report: "ArticleCoverage") -> dict[str, Any]:
    from kg.coverage import SKIPPED, UNACCOUNTED, USED

    return {
        "article": report.article,
        "sentences": report.total,
        "cited": len(report.cited),
        "skipped": len(report.skipped),
        "uncovered": len(report.uncovered),
        "cited_%": round(100 * report.share_cited, 1),
        "mentions": len(report.mentions),
        "mentions_used": report.count(USED),
        "mentions_skipped": report.count(SKIPPED),
        "mentions_unaccounted": report.count(UNACCOUNTED),
        "unaccounted": [
            {"line": m.line, "text": m.text, "entities": list(m.entities), "label": m.ner_label}
            for m in report.mentions
            if m.status == UNACCOUNTED
        ],
        "no_fact": [{"entity": e, "reasons": reasons} for e, reasons in report.no_fact.items()],
        "review": [
            {"fact": i.fact, "line": i.line, "verb": i.verb, "form": i.form} for i in report.review
        ],
        "unused_skips": report.unused_skips,
    }


# --- curating a new article ------------------------------------------------------------------


@app.command("add-article")
def add_article(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The article's text: a UTF-8 .txt file.")],
    headline: Annotated[str | None, typer.Option(help="The headline, as written.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet, if the text names it.")] = None,
    language: Annotated[
        list[str] | None,
        typer.Option(metavar="<lang>", help="A language the text uses (default: fr)."),
    ] = None,
    date: Annotated[
        list[str] | None,
        typer.Option(
            metavar="<value=words>",
            help="A date the text states, as VALUE=WORDS: '2022-03-22=mardi 22 mars'.",
        ),
    ] = None,
    seeds: SeedsOption = None,
) -> None:
    """Register an article: its text byte for byte, its metadata and its SHA256SUMS line.

    Prints the new article's id; kg validate, coverage and load then read it.

    Example: kg add-article article.txt --date "2022-03-22=mardi 22 mars 2022"
    """
    from kg.articles import add_article as register

    added = register(
        file, _seeds(seeds), headline=headline, outlet=outlet, languages=language, dates=date
    )
    _say(ctx, f"registered {added.id}: wrote {added.text_path.name} and {added.meta_path.name}")
    typer.echo(added.id)


@app.command()
def suggest(
    ctx: typer.Context,
    article: Annotated[Path, typer.Argument(help="The article's text (.txt).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The draft file (default: stdout).")
    ] = None,
    seeds: SeedsOption = None,
) -> None:
    """Draft an article's entities and fact stubs (YAML) for the curator to complete.

    Curated entities are found by alias; names no alias covers by spaCy's French model
    (pip install -e '.[nlp]' in the repository; without it, a note on stderr and known
    entities only).

    Example: kg suggest seeds/articles/004_5699831b890fa017.txt -o draft.yaml
    """
    from kg.suggest import draft_yaml
    from kg.suggest import suggest as find

    if output is not None:
        check_output_path(output)
    found = find(article, _seeds(seeds))
    if found.ner_missing:
        typer.echo(f"note: {found.ner_missing}", err=True)
    draft = draft_yaml(found)
    if output is None:
        sys.stdout.write(draft)
    else:
        with atomic_output(output) as stream:
            stream.write(draft.encode("utf-8"))
    _say(
        ctx,
        f"{found.article.id}: {len(found.known)} known entities, {len(found.candidates)} "
        f"candidates, {len(found.stubs)} fact stubs" + (f"; wrote {output}" if output else ""),
    )


@app.command()
def vocab(
    fmt: FormatOption = Format.table,
    modalities: Annotated[
        bool, typer.Option("--modalities", help="List the modalities a fact may have instead.")
    ] = False,
    kinds: Annotated[
        bool, typer.Option("--kinds", help="List the kinds each entity type allows instead.")
    ] = False,
) -> None:
    """List the predicates: definition, domain, range and RDF term (or the modalities, or the
    kinds with the schema.org class each adds in RDF).

    Example: kg vocab --format csv
    """
    from kg import vocab as v

    if modalities:
        rows = [[m.name, m.label_fr, m.label_en, m.definition] for m in v.MODALITIES.values()]
        _print_rows(["modality", "label_fr", "label_en", "definition"], rows, fmt)
        return
    if kinds:
        rows = [
            [v.TYPE_OF_KIND[k.name], k.name, k.label_fr, k.label_en, k.rdf_class or ""]
            for k in v.KINDS.values()
        ]
        _print_rows(["type", "kind", "label_fr", "label_en", "rdf"], rows, fmt)
        return
    rows = [
        [
            p.name,
            p.rel_type if not p.is_literal else f"(property) {p.name}",
            " | ".join(p.domain),
            " | ".join(p.range) or p.datatype,
            p.rdf_term,
            p.definition,
        ]
        for p in v.PREDICATES.values()
    ]
    _print_rows(["predicate", "cypher", "domain", "range", "rdf", "definition"], rows, fmt)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"One of: {', '.join(FORMATS)}.",
            autocompletion=lambda incomplete: [f for f in FORMATS if f.startswith(incomplete)],
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
    base: Annotated[
        str, typer.Option(help="Base IRI under which entities, articles and facts are named.")
    ] = DEFAULT_BASE,
    with_text: Annotated[
        bool,
        typer.Option(
            "--with-text", help="RDF: add each article's whole text, which quotes point into."
        ),
    ] = False,
) -> None:
    """Export the active graph, read back from the store a page at a time.

    Formats: cypher (a script for Neo4j), ttl, nt, jsonld (RDF, facts linked to their quotes),
    trig and nq (RDF, named graphs: ontology, facts, one provenance graph per article); grass,
    the Neo4j Browser style sheet with kg viz's colours and captions (from the vocabulary: no
    store is opened).

    Example: kg export --format ttl -o graph.ttl  (add --with-text for the articles' text)
    """
    from kg.exporters import VOCABULARY_ONLY, ExportOptions, exporter
    from kg.stores import connect_loaded

    write = exporter(fmt)
    ExportOptions(format=fmt, base=base, with_text=with_text)  # checked before any work
    store_or_none = nullcontext() if fmt in VOCABULARY_ONLY else connect_loaded(_config(ctx))
    with store_or_none as store, _progress(ctx, "exporting") as progress:
        options = ExportOptions(format=fmt, base=base, progress=progress, with_text=with_text)
        if output is None:
            write(store, sys.stdout.buffer, options)
            sys.stdout.flush()
            return
        with atomic_output(output) as stream:
            write(store, stream, options)
    _say(ctx, f"wrote {output}")


@contextmanager
def _progress(ctx: typer.Context, what: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal (and not --quiet); else nothing."""
    if ctx.obj["quiet"] or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@app.command("import-rdf")
def import_rdf(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An RDF dump written by kg export.")],
    rdf_format: Annotated[
        str | None,
        typer.Option(help="ttl, nt, jsonld, trig or nq (default: from the file's suffix)."),
    ] = None,
    reset: Annotated[
        bool, typer.Option(help="Replace the whole graph instead of merging.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Load an RDF dump in kg's vocabulary into the active store, all or nothing.

    Example: kg import-rdf graph.trig --reset
    """
    from kg.rdf.importer import import_rdf as load_dump
    from kg.stores import connect

    with connect(_config(ctx)) as store:
        summary = load_dump(store, path, fmt=rdf_format, reset=reset)
    _say_constraints(ctx, summary)
    _say(ctx, f"imported {summary.sentence()} into {store.name}")
    _print_summary(summary, fmt)


@app.command()
def sparql(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Argument(
            help="SPARQL text, a .rq file, or a saved twin's name (--list).",
            autocompletion=_twin_names,
        ),
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", "-d", help="The RDF dump to query (kg export).")
    ] = None,
    param: ParamOption = None,
    rdf_format: Annotated[
        str | None, typer.Option(help="The dump's format (default: from its suffix).")
    ] = None,
    list_twins: Annotated[
        bool, typer.Option("--list", help="List the saved SPARQL twins.")
    ] = False,
    describe: DescribeOption = False,
    allow_service: Annotated[
        bool, typer.Option(help="Let SERVICE clauses query remote endpoints (off: no network).")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Run SPARQL on an RDF dump (its named graphs seen as one default graph).

    The query reads the dump only: SERVICE (a remote endpoint) needs --allow-service.

    Example: kg sparql chairs --data graph.trig --param event=strategic-dialogue-session-4
    """
    from kg.rdf import sparql as engine

    if list_twins:
        rows = [[t.name, t.title, t.signature()] for t in engine.saved_twins().values()]
        _print_rows(["name", "title", "parameters"], rows, fmt, title="SPARQL twins")
        return
    if describe:
        twin = engine.twin_named(query) if query else None
        if twin is None:
            raise InvalidInput("--describe takes a twin's name (kg sparql --list)")
        _print_description(twin.describe("kg sparql", "--data", "graph.trig"), fmt)
        return
    if query is None or data is None:
        raise InvalidInput("give a query (or a twin's name) and --data DUMP; --list shows twins")
    answer = engine.answer(query, data, _params(param), rdf_format, allow_service=allow_service)
    if answer.graph is not None:
        sys.stdout.buffer.write(answer.graph)
        return
    _print_rows(answer.columns, answer.rows, fmt)


# --- saved queries ---------------------------------------------------------------------------


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(help="A saved query (kg query --list).", autocompletion=_saved_names),
    ] = None,
    param: ParamOption = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the saved queries.")] = False,
    describe: DescribeOption = False,
    queries_dir: Annotated[
        Path | None,
        typer.Option(
            "--queries", help="Saved queries (default: ./cypher, else the packaged ones)."
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Run a saved Cypher query, read-only. Entity parameters take an id, a name or an alias.

    Parameters are typed (int, string, date, entity, list): --describe NAME says which.

    Example: kg query meetings --param person=Esper --format json
    """
    from kg import queries
    from kg.stores import connect_loaded

    if list_queries:
        rows = [[q.name, q.title, q.signature()] for q in queries.load_all(queries_dir).values()]
        _print_rows(["name", "title", "parameters"], rows, fmt, title="Saved queries")
        return
    if name is None:
        raise InvalidInput("name a saved query, or use --list to see them")
    saved = queries.get(name, queries_dir)
    if describe:
        _print_description(saved.describe(), fmt)
        return
    params = queries.bind(saved, _params(param))  # types checked before a store is reached
    with connect_loaded(_config(ctx)) as store:
        result = queries.run(store, saved, params)
        notes = _article_notes(store, fmt)
    _print_rows(result.columns, result.rows, fmt, title=saved.title, articles=notes)


# --- looking at the graph ------------------------------------------------------------------


@app.command()
def viz(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file.")] = Path(
        "graph.html"
    ),
    entity: Annotated[
        str | None,
        typer.Option(help="Draw only this entity's neighbourhood (id, name, alias or word)."),
    ] = None,
    hops: Annotated[int, typer.Option(help="With --entity: how many steps out.")] = 1,
    query: Annotated[
        str | None, typer.Option(help="Draw what this saved query returns (kg query --list).")
    ] = None,
    param: ParamOption = None,
    mentions: Annotated[
        bool, typer.Option(help="Draw the articles and what they mention too.")
    ] = False,
    queries_dir: Annotated[
        Path | None,
        typer.Option(
            "--queries", help="Saved queries (default: ./cypher, else the packaged ones)."
        ),
    ] = None,
) -> None:
    """Draw the graph as one interactive HTML page that opens offline.

    Nodes are coloured by type; select a node or relationship and open Details (top right)
    for its card: type, aliases, titles, note, or predicate, qualifiers and quotes.

    Example: kg viz --entity Esper --hops 2 -o esper.html
    """
    from kg.stores import connect_loaded
    from kg.viz import picture

    check_output_path(output)
    with connect_loaded(_config(ctx)) as store:
        drawn = picture(
            store,
            entity=entity,
            hops=hops,
            query=query,
            params=_params(param),
            mentions=mentions,
            queries_dir=queries_dir,
        )
    with atomic_output(output) as stream:
        stream.write(drawn.html.encode("utf-8"))
    _say(ctx, f"wrote {output} ({drawn.nodes} nodes, {drawn.relationships} relationships)")
    if drawn.capped:
        from kg.viz import NODE_CAP

        _say(ctx, f"note: --hops stopped at {NODE_CAP} nodes; draw fewer hops to see the edge")


@app.command()
def timeline(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file.")] = Path(
        "timeline.html"
    ),
) -> None:
    """Draw what the articles date on a time axis, one lane per article, as one HTML page.

    A dot is a day, a bar a month or a year; planned or possible facts are hollow and dashed.
    The page holds one SVG: it opens offline and weighs a few tens of kilobytes.

    Example: kg timeline -o timeline.html
    """
    from kg.stores import connect_loaded
    from kg.timeline import timeline as draw

    with connect_loaded(_config(ctx)) as store:
        drawn = draw(store)
    with atomic_output(output) as stream:
        stream.write(drawn.html.encode("utf-8"))
    _say(ctx, f"wrote {output} ({drawn.dated} dated facts, {drawn.undated} undated events)")


@app.command()
def stats(ctx: typer.Context, seeds: SeedsOption = None, fmt: FormatOption = Format.table) -> None:
    """Count the graph: entities by type, facts by predicate, sources per fact, per article.

    Counts are read from the active store; the share of sentences cited, from the seeds.

    Example: kg stats --format json
    """
    from kg.stats import flatten, graph_stats, tables
    from kg.stores import connect_loaded

    with connect_loaded(_config(ctx)) as store:
        figures = graph_stats(store, _seeds(seeds))
    if fmt is Format.json:
        sys.stdout.write(to_json(figures) + "\n")
    elif fmt is Format.csv:
        _print_rows(["statistic", "value"], flatten(figures), fmt)
    else:
        for number, (title, columns, rows) in enumerate(tables(figures)):
            if number:
                typer.echo()
            _print_rows(columns, rows, fmt, title=title)
