"""Honest messages, as a user meets them: an empty graph says so, a usage mistake is one
`error:` line and the usage, global options go after the command too, a reader that stops
early ends the command quietly, and the load summary counts what the README counts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg.cli import app

KG = [sys.executable, "-m", "kg"]
ROOT = Path(__file__).resolve().parent.parent
EMPTY = "the graph is empty — run `kg load`"
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]

READERS = [
    ["show", "Esper"],
    ["query", "chairs"],
    ["query", "meetings", "-p", "person=Esper"],
    ["stats"],
    ["export", "--format", "ttl"],
    ["viz", "-o", "never.html"],
    ["timeline", "-o", "never.html"],
]


def kg(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KG_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [*KG, *args], env=env, capture_output=True, text=True, timeout=120, cwd=data_dir.parent
    )


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a[:2]))
def test_every_reader_says_the_graph_is_empty(clean_falkordb, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(clean_falkordb.data_dir), *args])
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {EMPTY}")
    assert result.stdout == ""


def test_a_graph_never_loaded_is_empty_too(tmp_path: Path) -> None:
    result = kg(tmp_path / "fresh", "show", "Esper")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {EMPTY}")
    assert "Esper" not in result.stderr  # the name is not to blame


def test_writing_to_an_empty_graph_is_allowed(clean_falkordb) -> None:
    result = CliRunner().invoke(
        app,
        ["--data-dir", str(clean_falkordb.data_dir), "cypher", "--write", "RETURN 1 AS one"],
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message", "usage"),
    [
        (["show", "--nope"], "no such option: --nope", " show [OPTIONS]"),
        (["show"], "missing argument", " show [OPTIONS]"),
        (["shwo", "Esper"], "no such command 'shwo'", " [OPTIONS] COMMAND"),
        (["query", "chairs", "--format", "xml"], "'xml' is not one of", " query [OPTIONS]"),
        (["show", "Esper", "--format", "csv"], "'csv' is not one of", " show [OPTIONS]"),
        (["viz", "--hops", "many"], "'--hops'", " viz [OPTIONS]"),
    ],
)
def test_a_usage_mistake_is_one_error_line_and_the_usage(
    run_kg, args: list[str], message: str, usage: str
) -> None:
    result = run_kg(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0]
    assert lines[1].startswith("usage: ") and usage in lines[1]  # the program's name varies
    assert "Error:" not in result.stderr and "Try '" not in result.stderr


def test_global_options_go_after_the_command_too(run_kg) -> None:
    before = run_kg("-q", "load", "--format", "json")
    after = run_kg("load", "-q", "--format", "json")
    assert before.exit_code == after.exit_code == 0, after.output
    assert after.stderr == before.stderr == ""
    assert after.stdout == before.stdout
    from kg.errors import InvalidInput

    # --debug after the command: the traceback (here, the exception) instead of one line.
    assert isinstance(run_kg("show", "Nobody Atall", "--debug").exception, InvalidInput)


def test_an_option_value_that_looks_global_stays_with_its_option(run_kg) -> None:
    result = run_kg("cypher", "RETURN $x AS x", "-p", "x=-q", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"x": "-q"' in result.stdout


def test_a_reader_that_stops_early_ends_the_command_quietly(loaded_store) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KG_DATA_DIR"] = str(loaded_store.data_dir)
    process = subprocess.Popen(
        [*KG, "export", "--format", "nt"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"<")
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 0
    assert stderr == b""


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_python_types(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert not re.search(r"<(list|dict|tuple)\[", result.stdout), result.stdout


def test_show_help_offers_only_the_formats_it_accepts() -> None:
    result = CliRunner().invoke(app, ["show", "--help"])
    assert "<table|json>" in result.stdout and "csv" not in result.stdout


def test_the_load_summary_counts_what_the_readme_counts(run_kg) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # README: "Five articles, N entities and M facts (`kg stats` gives the current figures)":
    # the load's summary says the same (when the seeds change, the README follows).
    stated = re.search(r"Five articles, (\d+) entities and (\d+) facts", readme)
    assert stated
    result = run_kg("load")
    assert result.exit_code == 0, result.output
    said = re.search(
        r"loaded (\d+) entities, (\d+) articles, (\d+) facts \((\d+) relationships, "
        r"(\d+) values\) and (\d+) mentions",
        result.stderr,
    )
    assert said, result.stderr
    entities, articles, facts, relationships, values, _ = map(int, said.groups())
    assert (entities, articles, facts) == (int(stated[1]), 5, int(stated[2]))
    assert relationships + values == facts


def test_the_tour_leaves_nothing_untracked_in_the_repository() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    written = set(re.findall(r"-o (\S+)", tour)) | {"graph.html", "timeline.html"}  # defaults
    assert written
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", *sorted(written)],
        capture_output=True,
        text=True,
    )
    assert set(result.stdout.split()) == written
