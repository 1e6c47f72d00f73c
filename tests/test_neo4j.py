"""Neo4j as its users expect it: the production store, in a container where Docker answers.

The cases that need a server run on Neo4j 5 (testcontainers) and are skipped, with the reason,
where no Docker engine answers; the checks of kg's own side (URIs, parameters) run everywhere.
Foreign data in the database is tested on both backends in tests/test_foreign_data.py.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg import cypher, dotenv, queries
from kg.errors import InvalidInput
from kg.load import load
from kg.stats import graph_stats
from kg.stores import (
    NEO4J_VARIABLES,
    ReadOnlyViolation,
    Statement,
    Store,
    StoreConfig,
    StoreError,
    open_store,
)
from tests.conftest import NEO4J_PASSWORD, clean
from tests.graph_dump import dump

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
KG = [sys.executable, "-m", "kg"]
UNREACHABLE = "bolt://127.0.0.1:9"


def kg(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, dotenv: bool = False
) -> subprocess.CompletedProcess:
    """`kg` as a user runs it, with the NEO4J_* variables of `env` only; the others are set
    empty (so no .env is read) unless `dotenv`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    if not dotenv:
        base |= dict.fromkeys(NEO4J_VARIABLES.values(), "")
    return subprocess.run(
        [*KG, *args],
        env={**base, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def neo4j(neo4j_store: Store) -> Store:
    """The session's Neo4j, holding an empty graph."""
    return clean(neo4j_store)


@pytest.fixture
def neo4j_env(neo4j_url: str) -> dict[str, str]:
    return {"NEO4J_URI": neo4j_url, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": NEO4J_PASSWORD}


# --- URIs and credentials: checked before any connection -------------------------------------


@pytest.mark.parametrize("uri", ["bolt://localhost:99999", "neo4j://localhost:0", "bolt://h:x"])
def test_a_port_out_of_range_is_refused_not_wrapped_around(uri: str) -> None:
    """The driver would connect to 99999 - 65536 = 34463 and port 0 to 7687 (RFC 3986 ports
    are 16-bit; 0 is no port a server listens on)."""
    with pytest.raises(InvalidInput, match="the port must be 1 to 65535"):
        open_store(StoreConfig(uri=uri, password="x"))


@pytest.mark.parametrize(
    "uri",
    [
        "bolt://neo4j:s3cret-pw@localhost:7687",
        "neo4j+s://neo4j:s3cret-pw@example.databases.neo4j.io",
    ],
)
def test_a_password_in_the_uri_is_never_printed(uri: str, tmp_path: Path) -> None:
    result = kg("cypher", "RETURN 1", env={"NEO4J_URI": uri, "KG_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "neo4j:***@" in result.stderr and "NEO4J_PASSWORD" in result.stderr


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, [1, 2**64], {"deep": [2**70]}])
def test_an_integer_beyond_64_bits_is_refused_before_any_store(value: Any, tmp_path: Path) -> None:
    """Neo4j's driver raises OverflowError on such a value and FalkorDB clamps it to 2**63-1:
    kg refuses it first, whatever the store (here Neo4j at an address where none listens, so
    reaching the store would be exit 1)."""
    param = f"n={json.dumps(value)}"
    for store_env in ({"NEO4J_URI": UNREACHABLE}, {"KG_DATA_DIR": str(tmp_path)}):
        for command in (["cypher", "RETURN $n AS n"], ["query", "most-cited"]):
            name = "limit" if command[0] == "query" else "n"
            result = kg(*command, "-p", param.replace("n=", f"{name}=", 1), env=store_env)
            assert result.returncode == 2, result.stderr
            assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
            if command[0] == "query" and not isinstance(value, int):
                # most-cited's limit is typed `int`: a list is refused for its type.
                assert "limit takes an integer" in result.stderr
            else:
                assert "signed 64-bit integer range" in result.stderr


# --- .env ------------------------------------------------------------------------------------


def test_the_settings_come_from_dotenv_when_the_environment_lacks_them(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "# as docker compose reads it\nNEO4J_PASSWORD='from the file'\n"
        f"export NEO4J_URI={UNREACHABLE}  # the compose service\n",
        encoding="utf-8",
    )
    data = {"KG_DATA_DIR": str(tmp_path / "d")}
    result = kg("cypher", "RETURN 1", cwd=tmp_path, env=data, dotenv=True)
    assert result.returncode == 1  # the .env's URI was used: nothing listens there
    assert f"cannot reach Neo4j at {UNREACHABLE}" in result.stderr
    # The environment wins, even set empty: back to the embedded store.
    result = kg(
        "cypher", "RETURN 1 AS one", cwd=tmp_path, env={**data, "NEO4J_URI": ""}, dotenv=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["one", "1"]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("NEO4J_PASSWORD=plain", "plain"),
        ("NEO4J_PASSWORD = spaced   # a comment", "spaced"),
        ("export NEO4J_PASSWORD=exported", "exported"),
        ("NEO4J_PASSWORD='single # not a comment \\n'", "single # not a comment \\n"),
        ('NEO4J_PASSWORD="double \\"quoted\\" \\\\"', 'double "quoted" \\'),
        ("NEO4J_PASSWORD=", ""),
        ("NEO4J_PASSWORD=a#b", "a#b"),
    ],
)
def test_dotenv_values(line: str, value: str, tmp_path: Path) -> None:
    """The forms docker compose reads the same way."""
    path = tmp_path / ".env"
    path.write_text(f"# comment\n\n{line}\nnot an assignment\n", encoding="utf-8")
    assert dotenv.read(path) == {"NEO4J_PASSWORD": value}


def test_an_unclosed_quote_in_dotenv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("A=1\nNEO4J_PASSWORD='open\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"\.env:2: the value opens a ' and never closes it"):
        dotenv.read(path)


# --- Neo4j Browser ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "cypher").glob("*.cypher")))
def test_every_saved_query_gives_the_browser_param_lines(name: str, store: Store) -> None:
    """Each `// browser:` line is a `:param` command for one parameter with a default, in
    order, whose value a store (Neo4j where Docker answers) evaluates to that default."""
    saved = queries.get(name, ROOT / "cypher")
    with_default = [p for p in saved.params if not p.required]
    assert len(saved.browser) == len(with_default), f"{saved.path}: one `// browser:` per default"
    for line, param in zip(saved.browser, with_default, strict=True):
        command = re.fullmatch(r":param (?P<name>[A-Za-z_]\w*) => (?P<value>.+)", line)
        assert command, f"{saved.path}: not a Browser :param command: {line!r}"
        assert command["name"] == param.name
        assert store.query(f"RETURN {command['value']} AS v").rows == [[param.default]]
    assert list(saved.browser) == queries.browser_params(saved)


# --- docker compose --------------------------------------------------------------------------


def compose_problem() -> str | None:
    """Why `docker compose` cannot render the compose file here, or None (no engine needed)."""
    try:
        done = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"no docker command: {error}"
    return None if done.returncode == 0 else "the docker compose plugin is not installed"


class ComposeRefuses(Exception):
    """What `${VAR:?message}` makes compose stop with."""


# The compose specification's interpolation (compose-spec, "Interpolation"): `$$` is a `$`;
# `${VAR}` and `$VAR` the value; `${VAR:?message}` stops with `message` when VAR is unset or
# empty, `${VAR?message}` when unset; `${VAR:-default}` takes `default` when unset or empty,
# `${VAR-default}` when unset.
INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<bare>[A-Za-z_]\w*)"
    r"|\{(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[?-])(?P<word>[^}]*))?\})"
)


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """`value` (a parsed compose file, or part of it) as compose renders it with `env`."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["bare"] or match["name"]
        op, word, found = match["op"] or "", match["word"] or "", env.get(name)
        missing = found is None or (op.startswith(":") and found == "")
        if op.endswith("?") and missing:
            raise ComposeRefuses(f"required variable {name} is missing a value: {word}")
        if op.endswith("-") and missing:
            return word
        return found or ""

    return INTERPOLATION.sub(one, value)


def compose_file(env_file: str, directory: Path) -> dict[str, Any]:
    """docker-compose.yml rendered as compose renders it with `env_file` as its `.env` (and
    no NEO4J_* variable in the environment)."""
    (directory / ".env").write_text(env_file, encoding="utf-8")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return interpolate(compose, dotenv.read(directory / ".env"))


def test_interpolation_follows_the_compose_specification() -> None:
    """The specification's own examples of the forms, checked before the compose file."""
    env = {"SET": "v", "EMPTY": ""}
    assert interpolate("$$SET ${SET} $SET", env) == "$SET v v"
    assert interpolate("${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", env) == "d  d"
    assert interpolate("${EMPTY?m}", env) == ""
    for refused in ("${EMPTY:?m}", "${UNSET:?m}", "${UNSET?m}"):
        with pytest.raises(ComposeRefuses, match=": m$"):
            interpolate(refused, env)


def test_compose_refuses_the_example_env_and_publishes_on_the_loopback_only(
    tmp_path: Path,
) -> None:
    """`cp .env.example .env` unchanged: compose stops, saying what to set. With a password:
    both ports on 127.0.0.1, the password in NEO4J_AUTH, and the healthcheck's `$${...}` left
    for the container's shell."""
    with pytest.raises(ComposeRefuses, match="NEO4J_PASSWORD is missing a value: set NEO4J_PA"):
        compose_file((ROOT / ".env.example").read_text(encoding="utf-8"), tmp_path)
    with pytest.raises(ComposeRefuses):
        compose_file("", tmp_path)  # a .env without the line

    accepted = compose_file("NEO4J_PASSWORD='a-long-enough-password'\n", tmp_path)
    service = accepted["services"]["neo4j"]
    assert service["ports"] == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]
    assert service["environment"]["NEO4J_AUTH"] == "neo4j/a-long-enough-password"
    assert "${KG_NEO4J_PASSWORD}" in service["healthcheck"]["test"][1]
    assert "a-long-enough-password" not in service["healthcheck"]["test"][1]


def test_docker_compose_refuses_the_example_env_and_binds_the_loopback(tmp_path: Path) -> None:
    problem = compose_problem()
    if problem:
        pytest.skip(f"docker compose config needs the compose plugin: {problem}")
    project = tmp_path / "project"
    project.mkdir()
    (project / "docker-compose.yml").write_bytes((ROOT / "docker-compose.yml").read_bytes())
    (project / "cypher").mkdir()
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}

    def config(env_file: str) -> subprocess.CompletedProcess:
        (project / ".env").write_text(env_file, encoding="utf-8")
        return subprocess.run(
            ["docker", "compose", "config", "--format", "json"],
            cwd=project,
            env=clean_env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    refused = config((ROOT / ".env.example").read_text(encoding="utf-8"))
    assert refused.returncode != 0
    assert "set NEO4J_PASSWORD in .env" in refused.stderr
    accepted = config("NEO4J_PASSWORD=a-long-enough-password\n")
    assert accepted.returncode == 0, accepted.stderr
    ports = json.loads(accepted.stdout)["services"]["neo4j"]["ports"]
    assert {port["host_ip"] for port in ports} == {"127.0.0.1"}


# --- the production store (skipped without Docker) --------------------------------------------


def test_load_creates_the_constraints_first_and_says_so(neo4j: Store, neo4j_env) -> None:
    neo4j.query("DROP CONSTRAINT kg_Person_id IF EXISTS", write=True)
    result = kg("load", "--reset", env=neo4j_env)
    assert result.returncode == 0, result.stderr
    assert "uniqueness constraint(s) on id before the load" in result.stderr
    assert "kg_Person_id" in result.stderr
    again = kg("load", "--reset", env=neo4j_env)
    assert "constraint" not in again.stderr  # all there already: none created


def test_a_failed_load_names_the_constraints_it_leaves(neo4j: Store) -> None:
    neo4j.query("DROP CONSTRAINT kg_Country_id IF EXISTS", write=True)
    with pytest.raises(
        StoreError, match="the constraints created before the load stay: kg_Country"
    ):
        neo4j.replace(
            [Statement("CREATE (:Country {id: 'us', name: $missing})")],
            unique_ids=["Country"],
            reset=True,
        )
    constraints = neo4j.query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
    assert "kg_Country_id" in constraints.rows[0][0]


def test_cypher_write_runs_call_in_transactions(neo4j: Store, neo4j_env) -> None:
    """`CALL { } IN TRANSACTIONS` runs only in an auto-commit transaction (Neo4j refuses it in
    a managed one): `kg cypher --write` uses one."""
    statement = (
        "UNWIND range(1, 10) AS i CALL { WITH i CREATE (:Person {id: 'p' + toString(i)}) } "
        "IN TRANSACTIONS OF 3 ROWS"
    )
    result = kg("cypher", "--write", statement, env=neo4j_env)
    assert result.returncode == 0, result.stderr
    assert neo4j.query("MATCH (n:Person) RETURN count(n) AS n").rows == [[10]]


def test_every_session_shares_one_bookmark_manager(neo4j: Store) -> None:
    """A write leaves its bookmark in the store's manager, which every later session (reads
    included) starts from: on a cluster a read then waits for the write."""
    manager = neo4j._bookmarks  # type: ignore[attr-defined]
    before = set(manager.get_bookmarks())
    neo4j.query("CREATE (:Person {id: 'x'})", write=True)
    after_write = set(manager.get_bookmarks())
    assert after_write and after_write != before
    assert neo4j.query("MATCH (n:Person {id: 'x'}) RETURN n.id").rows == [["x"]]
    load(neo4j, SEEDS, reset=True)
    assert set(manager.get_bookmarks()) not in (before, after_write)


def test_a_saved_query_that_writes_is_refused_by_the_server(neo4j: Store, tmp_path: Path) -> None:
    load(neo4j, SEEDS, reset=True)
    path = tmp_path / "sneaky.cypher"
    path.write_text(
        "// title: Sneaky\n// description: Writes.\nMATCH (n:Event) SET n.name = 'x' RETURN n.id\n",
        encoding="utf-8",
    )
    with pytest.raises(ReadOnlyViolation):
        queries.run(neo4j, queries.parse(path))
    assert neo4j.query("MATCH (n:Event {name: 'x'}) RETURN count(n)").rows == [[0]]


def _comparable(rows: list[list[Any]]) -> list[str]:
    """Rows in a stable order, floats rounded: the stores may order ties differently."""

    def plain(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 6) if not math.isnan(value) else "NaN"
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return sorted(json.dumps(plain(row), sort_keys=True, ensure_ascii=False) for row in rows)


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "cypher").glob("*.cypher")))
def test_saved_queries_answer_as_on_falkordb(
    name: str, neo4j_store: Store, loaded_store: Store
) -> None:
    counts = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n), count(r)"
    if neo4j_store.query(counts).rows != loaded_store.query(counts).rows:  # another test's graph
        load(clean(neo4j_store), SEEDS, reset=True)
    saved = queries.get(name, ROOT / "cypher")
    on_neo4j = queries.run(neo4j_store, saved)
    on_falkordb = queries.run(loaded_store, saved)
    assert on_neo4j.columns == on_falkordb.columns
    assert _comparable(on_neo4j.rows) == _comparable(on_falkordb.rows)


def test_cypher_shell_replays_the_export(
    neo4j_container, neo4j: Store, loaded_store: Store, tmp_path: Path
) -> None:
    """`kg export --format cypher`, run by Neo4j's own cypher-shell inside the container."""
    script = tmp_path / "graph.cypher"
    result = kg(
        "--data-dir", str(loaded_store.data_dir), "export", "--format", "cypher", "-o", str(script)
    )
    assert result.returncode == 0, result.stderr
    neo4j_container.copy_into_container(script.read_bytes(), "/tmp/graph.cypher")
    for _ in range(2):  # idempotent: a second run changes nothing
        done = neo4j_container.exec(
            ["cypher-shell", "-u", "neo4j", "-p", NEO4J_PASSWORD, "-f", "/tmp/graph.cypher"]
        )
        assert done.exit_code == 0, done.output.decode(errors="replace")
        assert dump(neo4j) == dump(loaded_store)


# --- one graph per command, under concurrent loads ---------------------------------------------

RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"


def test_a_command_whose_reads_span_a_load_fails(
    neo4j: Store, neo4j_url: str, seeds_b: Path
) -> None:
    """Neo4j's read transactions are read committed: a load committed between two reads of
    one transaction shows in the second. The count of loads tells, and the command fails."""
    from kg.stores.neo4j import GraphChanged, Neo4jStore

    load(neo4j, SEEDS, reset=True)
    loads = neo4j.query(cypher.LOADS).rows[0][0]
    other = Neo4jStore(neo4j_url, "neo4j", NEO4J_PASSWORD)
    try:
        with pytest.raises(GraphChanged, match="run the command again"), neo4j.reading():
            before = neo4j.query(RELATIONSHIPS).rows
            load(other, seeds_b, reset=True)  # without the exercises' facts
            assert neo4j.query(RELATIONSHIPS).rows != before  # no snapshot: the load shows
    finally:
        other.close()
    assert neo4j.query(cypher.LOADS).rows == [[loads + 1]]
    with neo4j.reading():  # no load in between: the reads stand
        assert graph_stats(neo4j, SEEDS)


NEO4J_LOADER = """
import os, sys, time
from pathlib import Path
from kg import graph
from kg.stores.neo4j import Neo4jStore
from kg.validate import load_corpus

uri, stop, limit = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
sets = [graph.statements(load_corpus(Path(seeds))) for seeds in sys.argv[4:]]
store = Neo4jStore(uri, "neo4j", os.environ["NEO4J_PASSWORD"])
print("ready", flush=True)
swaps, deadline = 0, time.monotonic() + limit
while not stop.exists() and time.monotonic() < deadline:
    store.replace(sets[swaps % len(sets)], unique_ids=graph.unique_labels(), reset=True)
    swaps += 1
store.close()
print(swaps, flush=True)
"""


def test_stats_and_export_read_one_graph_during_loads(
    neo4j: Store, neo4j_env: dict[str, str], seeds_b: Path, tmp_path: Path
) -> None:
    """`kg stats` and `kg export` against a loader alternating two seed sets: each prints one
    of the two graphs, or fails saying a load replaced the graph (exit 1), never a mix."""
    commands = {"stats": ["stats", "-f", "json"], "export": ["-q", "export", "-f", "cypher"]}
    expected: dict[str, set[str]] = {name: set() for name in commands}
    for seeds in (SEEDS, seeds_b):
        assert kg("-q", "load", "--reset", "--seeds", str(seeds), env=neo4j_env).returncode == 0
        for name, args in commands.items():
            expected[name].add(kg(*args, env=neo4j_env).stdout)
    assert all(len(outputs) == 2 for outputs in expected.values())

    stop = tmp_path / "stop"
    loader = subprocess.Popen(
        [sys.executable, "-c", NEO4J_LOADER, *map(str, (neo4j_env["NEO4J_URI"], stop, 120))]
        + [str(SEEDS), str(seeds_b)],
        cwd=ROOT,
        env={**os.environ, **neo4j_env},
        stdout=subprocess.PIPE,
        text=True,
    )
    answered = 0
    try:
        assert loader.stdout and loader.stdout.readline().strip() == "ready"
        for _ in range(5):
            for name, args in commands.items():
                result = kg(*args, env=neo4j_env)
                if result.returncode == 0:
                    assert result.stdout in expected[name], f"kg {name} read a mixed graph"
                    answered += 1
                else:
                    assert result.returncode == 1, result.stderr
                    assert result.stderr.startswith("error: the graph was replaced while")
    finally:
        stop.touch()
        out, _ = loader.communicate(timeout=120)
    assert loader.returncode == 0
    assert int(out.split()[-1]) >= 2, "the loader never swapped while the commands read"
    assert answered, "no command got through"
