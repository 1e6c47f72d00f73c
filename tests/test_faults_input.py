"""The fault suite, inputs and output files: every malformed seed, dump, query or output path
is one `error:` line with the right exit code, and leaves the graph and the files as they were.

Each case was once a crash, a hang or a silent change (issue 11). The seed cases edit a copy
of the curated seeds and run `kg load --reset` against a store holding the curated graph.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kg.cli import app
from kg.stores import StoreConfig, connect
from tests.graph_dump import dump

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ESPER_TOUR = "facts/esper-tour.yaml"
PEOPLE = "entities/people.yaml"
ARTICLE_001 = "001_a250b41e4e6ce1db"


def kg(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def assert_one_error(result: Result, code: int, *fragments: str) -> None:
    """Exit `code`, no traceback, one line starting `error:`, and each fragment on stderr."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of its own, holding the curated graph."""
    directory = tmp_path_factory.mktemp("faults")
    result = kg("--data-dir", str(directory), "load", "--reset", "--seeds", str(SEEDS))
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture(scope="module")
def curated_graph(data_dir: Path) -> dict:
    return graph_of(data_dir)


def graph_of(data_dir: Path) -> dict:
    with connect(StoreConfig(data_dir=data_dir)) as store:
        return dump(store)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def at(text: str) -> str:
    """`esper-tour.yaml:N:`, N the line of the curated seeds' esper-tour.yaml holding `text`."""
    lines = (SEEDS / ESPER_TOUR).read_text(encoding="utf-8").splitlines()
    return f"esper-tour.yaml:{next(n for n, line in enumerate(lines, 1) if text in line)}:"


def after(text: str) -> str:
    """The place of a line inserted after the line holding `text`."""
    path, line, _ = at(text).split(":")
    return f"{path}:{int(line) + 1}:"


def load_refused(data_dir: Path, curated: dict, seeds: Path, *fragments: str) -> None:
    """`kg load --reset` of the broken seeds exits 2 with one error line; the graph is intact."""
    result = kg("--data-dir", str(data_dir), "load", "--reset", "--seeds", str(seeds))
    assert_one_error(result, 2, *fragments)
    assert graph_of(data_dir) == curated


# --- identifiers -----------------------------------------------------------------------------


def test_fact_id_ending_in_a_newline(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # `$` matched before a final newline: this id validated, and its node crashed the server.
    edit(seeds / ESPER_TOUR, "- id: morocco-agreement-duration", '- id: "morocco-agreement\\n"')
    load_refused(
        data_dir,
        curated_graph,
        seeds,
        at("- id: morocco-agreement-duration"),
        "id must be a lowercase slug",
    )


def test_entity_id_ending_in_a_newline(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    path = seeds / PEOPLE
    text = path.read_text(encoding="utf-8")
    first_id = text.split("- id: ", 1)[1].split("\n", 1)[0]
    edit(path, f"- id: {first_id}\n", f'- id: "{first_id}\\n"\n')
    load_refused(data_dir, curated_graph, seeds, "people.yaml:", "id must be a lowercase slug")


def test_impossible_date(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / "facts" / "esper-tour.yaml", '"2020-10-01"', '"2022-13-45"')
    load_refused(data_dir, curated_graph, seeds, "'2022-13-45' is not YYYY, YYYY-MM or YYYY-MM-DD")


def test_date_ending_in_a_newline(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / "facts" / "esper-tour.yaml", '"2020-10-01"', '"2020-10-01\\n"')
    load_refused(data_dir, curated_graph, seeds, "'2020-10-01\\n' is not YYYY")


def test_article_id_that_is_not_a_kg_id(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    articles = seeds / "articles"
    for suffix in (".txt", ".yaml"):
        (articles / f"{ARTICLE_001}{suffix}").rename(articles / f"{ARTICLE_001}-x{suffix}")
    load_refused(data_dir, curated_graph, seeds, f"article id '{ARTICLE_001}-x' is not NNN_")


# --- characters ------------------------------------------------------------------------------


def test_escaped_nul_in_a_string(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # Validation passed; the load failed without naming the file.
    edit(seeds / ESPER_TOUR, "  value: 10\n", '  value: 10\n  note: "ten\\0years"\n')
    load_refused(
        data_dir, curated_graph, seeds, after("  value: 10"), "a control character (U+0000)"
    )


def test_raw_control_character_in_a_seed_file(
    data_dir: Path, curated_graph: dict, seeds: Path
) -> None:
    edit(seeds / ESPER_TOUR, "Cet accord décennal", "Cet accord\x07 décennal")
    load_refused(
        data_dir, curated_graph, seeds, at("Cet accord décennal"), "a control character (U+0007)"
    )


def test_lone_surrogate(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # A string no UTF-8 store can keep (UnicodeEncodeError on load).
    edit(seeds / ESPER_TOUR, "  value: 10\n", '  value: 10\n  note: "ten \\ud800years"\n')
    load_refused(data_dir, curated_graph, seeds, after("  value: 10"), "invalid YAML")


def test_control_character_in_an_article(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    path = seeds / "articles" / f"{ARTICLE_001}.txt"
    text = path.read_text(encoding="utf-8").split("\n")
    text[2] = "\x00" + text[2]
    path.write_text("\n".join(text), encoding="utf-8")
    load_refused(
        data_dir, curated_graph, seeds, f"{ARTICLE_001}.txt:3:", "a control character (U+0000)"
    )


# --- YAML ------------------------------------------------------------------------------------


def test_duplicate_key(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # YAML keeps the last of two equal keys: the first value would vanish without a word.
    edit(seeds / ESPER_TOUR, "  value: 10\n", "  value: 10\n  value: 12\n")
    load_refused(
        data_dir,
        curated_graph,
        seeds,
        after("  value: 10"),
        f"duplicate key 'value' (first on line {at('  value: 10').split(':')[1]})",
    )


def test_deeply_nested_yaml(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    (seeds / "facts" / "deep.yaml").write_text("[" * 20_000 + "]" * 20_000 + "\n")
    load_refused(data_dir, curated_graph, seeds, "deep.yaml:1:", "invalid YAML")


def test_empty_article_metadata(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # A 0-byte metadata file erased the article's headline, languages and dates.
    (seeds / "articles" / f"{ARTICLE_001}.yaml").write_bytes(b"")
    load_refused(data_dir, curated_graph, seeds, f"{ARTICLE_001}.yaml:1:", "the file is empty")


# --- values ----------------------------------------------------------------------------------


def test_integer_beyond_64_bits(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / ESPER_TOUR, "  value: 10\n", "  value: 99999999999999999999\n")
    load_refused(
        data_dir,
        curated_graph,
        seeds,
        at("- id: morocco-agreement-duration"),
        "does not fit in 64 bits",
    )


def test_list_value_on_a_literal_fact(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / ESPER_TOUR, "  value: 10\n", "  value: [10, 11]\n")
    load_refused(
        data_dir,
        curated_graph,
        seeds,
        at("- id: morocco-agreement-duration"),
        "field 'value' must be text or a whole number",
    )


def test_quote_running_into_boilerplate(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # Line 2 of article 001 declared page furniture; a quote from the end of line 1 into
    # line 2 cites it.
    edit(
        seeds / "articles" / f"{ARTICLE_001}.yaml",
        "boilerplate: []",
        "boilerplate:\n  - line: 2\n    reason: test\n",
    )
    (seeds / "facts" / "spanning.yaml").write_text(
        "- id: pompeo-met-bourita-spanning\n"
        "  subject: mike-pompeo\n"
        "  predicate: met\n"
        "  object: nasser-bourita\n"
        "  modality: actual\n"
        "  sources:\n"
        f"    - article: {ARTICLE_001}\n"
        '      quote: "entre le Maroc et les Etats-Unis. Dans un communiqué conjoint"\n',
        encoding="utf-8",
    )
    load_refused(data_dir, curated_graph, seeds, "spanning.yaml:1:", "runs into boilerplate line 2")


# --- output files ----------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_export_under_proc_is_a_runtime_failure(run_kg: Callable[..., Result]) -> None:
    result = run_kg("export", "--format", "ttl", "-o", "/proc/nope/x.ttl")
    assert_one_error(result, 1, "cannot write /proc/nope/x.ttl")


def test_output_naming_a_directory(run_kg: Callable[..., Result], tmp_path: Path) -> None:
    for command in (["export", "--format", "ttl"], ["viz"]):
        result = run_kg(*command, "-o", str(tmp_path))
        assert_one_error(result, 2, f"{tmp_path}: is a directory")
    assert list(tmp_path.iterdir()) == []


def test_output_under_a_file(run_kg: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("kept")
    result = run_kg("viz", "-o", str(tmp_path / "file" / "graph.html"))
    assert_one_error(result, 2, "is not a directory")
    assert (tmp_path / "file").read_text() == "kept"


def test_viz_under_proc(run_kg: Callable[..., Result]) -> None:
    assert_one_error(run_kg("viz", "-o", "/proc/nope/graph.html"), 1, "cannot write")


def test_suggest_output_naming_a_directory(tmp_path: Path) -> None:
    article = SEEDS / "articles" / f"{ARTICLE_001}.txt"
    result = kg("suggest", str(article), "--seeds", str(SEEDS), "-o", str(tmp_path))
    assert_one_error(result, 2, "is a directory")
    assert list(tmp_path.iterdir()) == []


def test_base_with_a_space(run_kg: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    result = run_kg(
        "export", "--format", "ttl", "--base", "http://example.org/a b/", "-o", str(out)
    )
    assert_one_error(result, 2, "--base 'http://example.org/a b/' is not an absolute IRI")
    assert not out.exists()


def test_outputs_follow_the_umask(
    run_kg: Callable[..., Result], tmp_path: Path, umask_022: None
) -> None:
    # A dump must be readable by a triple store running as another user: 0644, not 0600.
    out = tmp_path / "graph.nt"
    assert run_kg("export", "--format", "nt", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    os.umask(0o027)
    fresh = tmp_path / "graph.html"
    assert run_kg("viz", "--entity", "Esper", "-o", str(fresh)).exit_code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_overwriting_keeps_the_mode(
    run_kg: Callable[..., Result], tmp_path: Path, umask_022: None
) -> None:
    out = tmp_path / "graph.nt"
    out.write_text("old")
    out.chmod(0o644)
    assert run_kg("export", "--format", "nt", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert out.read_text() != "old"


def test_the_temporary_file_is_private(tmp_path: Path, umask_022: None) -> None:
    from kg.files import atomic_output

    out = tmp_path / "out.txt"
    with atomic_output(out) as stream:
        stream.write(b"half")
        (temp,) = tmp_path.iterdir()
        assert temp.name.startswith(".out.txt.")
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600
    assert out.read_bytes() == b"half"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


# --- kg import-rdf ---------------------------------------------------------------------------

INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
IDENTIFIER = "<http://purl.org/dc/terms/identifier>"


@pytest.fixture(scope="module")
def dump_nt(data_dir: Path, curated_graph: dict, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The curated graph as N-Triples, one triple a line: easy to break one term of."""
    path = tmp_path_factory.mktemp("dump") / "graph.nt"
    result = kg("--data-dir", str(data_dir), "export", "--format", "nt", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def import_refused(data_dir: Path, curated: dict, path: Path, *fragments: str) -> None:
    """`kg import-rdf --reset` of a broken dump: exit 2, one error line, the graph intact."""
    result = kg("--data-dir", str(data_dir), "import-rdf", str(path), "--reset")
    assert_one_error(result, 2, *fragments)
    assert graph_of(data_dir) == curated


def test_import_identifier_ending_in_a_newline(
    data_dir: Path, curated_graph: dict, dump_nt: str, tmp_path: Path
) -> None:
    path = tmp_path / "nl.nt"
    old = f'{IDENTIFIER} "mark-esper" .'
    assert old in dump_nt
    path.write_text(dump_nt.replace(old, f'{IDENTIFIER} "mark-esper\\n" .'), encoding="utf-8")
    import_refused(data_dir, curated_graph, path, "entity id 'mark-esper\\n' is not a lowercase")


def test_import_integer_that_is_not_a_number(
    data_dir: Path, curated_graph: dict, dump_nt: str, tmp_path: Path
) -> None:
    path = tmp_path / "ten.nt"
    old = f'"10"^^{INTEGER}'
    assert old in dump_nt
    path.write_text(dump_nt.replace(old, f'"ten"^^{INTEGER}'), encoding="utf-8")
    import_refused(data_dir, curated_graph, path, "duration_years", "is not a whole number")


def test_import_integer_beyond_64_bits(
    data_dir: Path, curated_graph: dict, dump_nt: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.nt"
    path.write_text(dump_nt.replace('"10"^^', '"99999999999999999999"^^'), encoding="utf-8")
    import_refused(data_dir, curated_graph, path, "does not fit in 64 bits")


def test_import_control_character(
    data_dir: Path, curated_graph: dict, dump_nt: str, tmp_path: Path
) -> None:
    path = tmp_path / "nul.nt"
    old = f'{IDENTIFIER} "mark-esper" .'
    path.write_text(dump_nt.replace(old, f'{IDENTIFIER} "mark\\u0000esper" .'), encoding="utf-8")
    import_refused(data_dir, curated_graph, path, "a control character (U+0000) in a literal")


def test_import_literal_over_16_mib(data_dir: Path, curated_graph: dict, tmp_path: Path) -> None:
    path = tmp_path / "huge.nt"
    path.write_text(f'<http://e.org/a> <http://e.org/b> "{"x" * (17 << 20)}" .\n')
    import_refused(data_dir, curated_graph, path, "a term longer than 16 MiB")


def test_import_literal_over_the_limit(
    data_dir: Path, curated_graph: dict, dump_nt: str, tmp_path: Path
) -> None:
    path = tmp_path / "long.nt"
    old = f'{IDENTIFIER} "mark-esper" .'
    path.write_text(dump_nt.replace(old, f'{IDENTIFIER} "{"x" * (2 << 20)}" .'), encoding="utf-8")
    import_refused(data_dir, curated_graph, path, "a literal of 2097152 characters")


@pytest.mark.parametrize(
    "content",
    ["", "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"],
    ids=["empty", "not-kg"],
)
def test_import_of_nothing_never_wipes_the_graph(
    data_dir: Path, curated_graph: dict, tmp_path: Path, content: str
) -> None:
    # `--reset` with a file holding nothing of kg's replaced the graph by nothing, exit 0.
    path = tmp_path / "nothing.nt"
    path.write_text(content)
    import_refused(data_dir, curated_graph, path, "nothing to import")


# Two resources giving one id: a reset writes each node and relationship with CREATE, without
# looking for it first, so a dump whose resources share an id is refused (issue 13). The dump
# is written by hand: article 004 says "Mark Esper était au Maroc".
ARTICLE_004 = "004_5699831b890fa017"
TWO_RESOURCES = f"""\
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kg: <https://w3id.org/kg-us-morocco/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix e: <https://example.org/> .

e:article a schema:NewsArticle ; dcterms:identifier "{ARTICLE_004}" ;
    kg:sha256 "9ec7191839b9d1ea4962fb00b55b7a5a6ad705b661acccb8b18ef755e0cb916b" .
e:morocco a schema:Country ; dcterms:identifier "morocco" ; schema:name "Maroc"@fr ;
    skos:prefLabel "Maroc"@fr, "Morocco"@en .
e:quote a kg:Quote ; prov:value "Mark Esper était au Maroc"@fr ; prov:wasQuotedFrom e:article .
e:esper a schema:Person ; dcterms:identifier "mark-esper" ; schema:name "Mark Esper"@fr ;
    skos:prefLabel "Mark Esper"@fr, "Mark Esper"@en .
e:visit a rdf:Statement ; dcterms:identifier "esper-visited-morocco" ; rdf:subject e:esper ;
    rdf:predicate kg:visited ; rdf:object e:morocco ; kg:modality kg:actual ;
    prov:wasDerivedFrom e:quote .
"""
# A second resource for Mark Esper, a second statement of his visit and a second resource for
# the article, each under the id of the first.
SECOND_ENTITY = """\
e:secretary a schema:Person ; dcterms:identifier "mark-esper" ; schema:name "Mark Esper"@fr ;
    skos:prefLabel "Mark Esper"@fr, "Mark Esper"@en .
"""
SECOND_FACT = """\
e:stay a rdf:Statement ; dcterms:identifier "esper-visited-morocco" ; rdf:subject e:esper ;
    rdf:predicate kg:visited ; rdf:object e:morocco ; kg:modality kg:actual ;
    prov:wasDerivedFrom e:quote .
"""
SECOND_ARTICLE = f"""\
e:article-again a schema:NewsArticle ; dcterms:identifier "{ARTICLE_004}" ;
    kg:sha256 "9ec7191839b9d1ea4962fb00b55b7a5a6ad705b661acccb8b18ef755e0cb916b" .
"""


def test_the_hand_written_dump_is_read_without_a_problem(tmp_path: Path) -> None:
    """What the two tests below add to it is the only problem they find."""
    from kg.rdf.importer import check, read_dump

    path = tmp_path / "one.ttl"
    path.write_text(TWO_RESOURCES, encoding="utf-8")
    dump = read_dump(path, "ttl")
    check(dump)
    assert sorted(dump.entities) == ["mark-esper", "morocco"]
    assert [(f.id, f.subject, f.predicate, f.object) for f in dump.facts] == [
        ("esper-visited-morocco", "mark-esper", "visited", "morocco")
    ]
    assert [a["id"] for a in dump.articles] == [ARTICLE_004]


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        (SECOND_ENTITY, "entity id 'mark-esper' is given by <{0}esper> and <{0}secretary>"),
        (SECOND_FACT, "fact id 'esper-visited-morocco' is given by <{0}visit> and <{0}stay>"),
        (
            SECOND_ARTICLE,
            f"article id '{ARTICLE_004}' is given by <{{0}}article> and <{{0}}article-again>",
        ),
    ],
    ids=["entity", "fact", "article"],
)
def test_import_of_two_resources_with_one_id(
    data_dir: Path, curated_graph: dict, tmp_path: Path, second: str, problem: str
) -> None:
    from kg.errors import ValidationFailed
    from kg.rdf.importer import check, read_dump

    path = tmp_path / "two.ttl"
    path.write_text(TWO_RESOURCES + second, encoding="utf-8")
    expected = f"{path}: {problem.format('https://example.org/')}"
    with pytest.raises(ValidationFailed) as refused:
        check(read_dump(path, "ttl"))
    assert refused.value.problems == [expected]
    import_refused(data_dir, curated_graph, path, expected)


# --- kg sparql -------------------------------------------------------------------------------


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[bytes]]]:
    """A local HTTP server that records each request and answers 500: a SERVICE target."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)
    requests: list[bytes] = []

    def serve() -> None:
        try:
            connection, _ = server.accept()
        except OSError:
            return
        with connection:
            requests.append(connection.recv(65536))
            connection.sendall(b"HTTP/1.1 500 Broken\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", requests
    server.close()
    thread.join(timeout=10)


def test_service_is_refused_and_never_called(
    rdf_dumps: dict[str, Path], endpoint: tuple[str, list[bytes]]
) -> None:
    url, requests = endpoint
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    result = kg("sparql", query, "--data", str(rdf_dumps["ttl"]))
    assert_one_error(result, 2, "SERVICE", "--allow-service")
    assert requests == []


def test_allowed_service_failing_is_one_line(
    rdf_dumps: dict[str, Path], endpoint: tuple[str, list[bytes]]
) -> None:
    url, requests = endpoint
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    result = kg("sparql", query, "--data", str(rdf_dumps["ttl"]), "--allow-service")
    assert_one_error(result, 1, "SPARQL query failed")
    assert len(requests) == 1


def test_deeply_nested_sparql(rdf_dumps: dict[str, Path]) -> None:
    # 3,000 nested groups crashed the process (the parser recursed): run it apart.
    query = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    result = subprocess.run(
        [sys.executable, "-m", "kg", "sparql", query, "--data", str(rdf_dumps["ttl"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == ["error: the query nests brackets deeper than 100 levels"]


# --- command-line arguments ------------------------------------------------------------------


def test_argument_that_is_not_utf8(run_kg: Callable[..., Result]) -> None:
    # Python keeps undecodable bytes of argv as lone surrogates: `kg show $'Esper\xff'`.
    result = run_kg("show", "Esper\udcff")
    assert_one_error(result, 2, "is not valid UTF-8")


def test_parameter_with_a_lone_surrogate(run_kg: Callable[..., Result]) -> None:
    result = run_kg("cypher", "RETURN $x AS x", "-p", 'x="\\ud800"')
    assert_one_error(result, 2, "--param x: a lone surrogate is not text")


def test_parameter_name_that_is_not_a_name(run_kg: Callable[..., Result]) -> None:
    result = run_kg("cypher", "RETURN 1 AS x", "-p", "a RETURN 2 AS x //=1")
    assert_one_error(result, 2, "a name is letters, digits and _")


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("[" * 20_000 + "]" * 20_000, "nested deeper than 100 levels", 1),
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first on line 1)", 3),
        ('a: "x\\ud800"\n', "a lone surrogate (U+D800) in a string", 1),
    ],
)
def test_the_pure_python_parser_has_the_same_checks(text: str, problem: str, line: int) -> None:
    # Where libyaml is not built, PyYAML's own parser is used; it recurses, so the depth
    # limit is kg's.
    import yaml

    from kg.seeds import Checks

    class PurePython(Checks, yaml.SafeLoader):  # type: ignore[misc]
        pass

    PurePython.add_constructor("tag:yaml.org,2002:str", Checks.construct_yaml_str)
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.load(text, Loader=PurePython)
    assert raised.value.problem == problem
    assert raised.value.problem_mark.line + 1 == line
