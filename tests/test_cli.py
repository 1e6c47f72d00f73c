"""The command line as a user meets it: help with an example everywhere, shell completion,
one clear line and the right exit code for every mistake, and a fast start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from kg.cli import app

KG = [sys.executable, "-m", "kg"]
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_is_there() -> None:
    expected = {"validate", "load", "cypher", "query", "show", "coverage", "vocab", "export"}
    expected |= {"import-rdf", "sparql", "viz", "stats", "suggest", "add-article"}
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    example = next(line for line in result.stdout.splitlines() if "Example" in line)
    assert f"kg {command}" in example


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"kg {command}" in readme


def complete(*words: str) -> list[str]:
    """What the shell's completion offers after `words` (bash protocol)."""
    env = {**os.environ, "_KG_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(["kg", *words])}
    env["COMP_CWORD"] = str(len(words))
    result = subprocess.run(KG, env=env, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_completion_of_commands_saved_queries_and_formats() -> None:
    assert "export" in complete("ex")
    assert complete("query", "tour") == ["tour-stops"]
    assert set(complete("export", "--format", "t")) == {"ttl", "trig"}


def test_help_imports_no_database_client_or_rdf_library() -> None:
    heavy = ["neo4j", "falkordb", "rdflib", "pyoxigraph", "pyshacl", "spacy", "neo4j_viz", "yaml"]
    code = (
        "import sys; from typer.testing import CliRunner; from kg.cli import app; "
        "CliRunner().invoke(app, ['--help']); "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_saved_query_imports_no_client_library_nor_pydantic(loaded_store) -> None:
    """A `kg query` on the embedded store speaks the protocol itself: `redis` imports its
    asyncio client and more, `falkordb` imports `redis`, and typer 0.29 imports pydantic to
    coerce every option; each cost as much as the rest of the start (BENCHMARKS.md)."""
    heavy = ["redis", "falkordb", "asyncio", "pydantic", "neo4j", "yaml", "rdflib"]
    code = (
        "import sys; from typer.testing import CliRunner; from kg.cli import app; "
        f"r = CliRunner().invoke(app, ['--data-dir', {str(loaded_store.data_dir)!r}, "
        "'query', 'chairs']); "
        "print(r.exit_code, 'Nasser Bourita' in r.stdout, "
        f"[m for m in {heavy!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0 True []", result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "Nobody Atall"], "no entity is named 'Nobody Atall'"),
        (["query", "no-such-query"], "no saved query named 'no-such-query'"),
        (["query", "chairs", "--param", "event"], "expected name=value"),
        (["cypher", "MATCH (n RETURN n"], ""),
        (["cypher", "CREATE (:Person {id: 'x'})"], "--write"),
        (["export", "--format", "xml"], "unknown export format 'xml'"),
        (["sparql", "SELECT nothing", "--data", "missing.ttl"], "missing.ttl"),
        (["validate", "--seeds", "no/such/dir"], "no such seeds directory"),
    ],
)
def test_a_users_mistake_is_one_line_and_exit_2(run_kg, args: list[str], message: str) -> None:
    result = run_kg(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") or lines[0].startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_unreachable_neo4j_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env |= {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x", "KG_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [*KG, "cypher", "RETURN 1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")


def test_quiet_keeps_stdout_and_drops_the_summary(run_kg) -> None:
    loud = run_kg("load", "--format", "json")
    quiet_result = run_kg("--quiet", "load", "--format", "json")
    assert loud.exit_code == quiet_result.exit_code == 0
    assert "loaded" in loud.stderr
    assert quiet_result.stderr == ""
    assert quiet_result.stdout == loud.stdout


def test_debug_shows_the_traceback(run_kg) -> None:
    from kg.errors import InvalidInput

    result = run_kg("--debug", "show", "Nobody Atall")
    assert isinstance(result.exception, InvalidInput)


def test_vocab_lists_the_modalities() -> None:
    # The truth model's closed set: "Blinken ... présidera" (002) is planned, "a signé" (004)
    # actual, "L’événement de cette année, cependant, a été annulé" (003) cancelled.
    result = subprocess.run(
        [*KG, "vocab", "--modalities", "--format", "csv"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    names = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert names == ["actual", "planned", "recurring", "cancelled", "negated", "possible"]


def test_vocab_lists_the_kinds() -> None:
    # "la Direction générale de la surveillance du territoire (DGST)" (003) is a security
    # service, a government agency: schema:GovernmentOrganization in RDF.
    result = subprocess.run(
        [*KG, "vocab", "--kinds", "--format", "csv"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    assert ["Organization", "security_service"] in [row[:2] for row in rows]
    assert {row[1]: row[4] for row in rows}["security_service"] == "schema:GovernmentOrganization"
