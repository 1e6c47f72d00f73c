"""README's examples run as written: every `kg` line of its ```sh blocks, in order, in a
scratch directory with a private data directory, exits 0 (or the code its comment gives:
"# exits 2: ..."). Every other line is listed below with the reason it is not run here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

# Sections whose blocks are run elsewhere or need what the tests do not have.
SECTIONS_NOT_RUN = {
    "Adding a sixth article": "tests/test_curation.py runs this section as written, in a copy",
    "Neo4j with docker compose": "needs Docker and Neo4j (tests/test_stores.py uses a container)",
}
# Lines that are not `kg` commands, by how they start.
LINES_NOT_RUN = {
    "python3 -m venv": "installs the package; the test runs the kg installed with it",
    "(cat kg/sparql/chairs.rq;": "prepares a query for another SPARQL tool (below)",
    "arq ": "tests/test_sparql_jena.py runs the twins in Apache Jena's ARQ",
    "oxigraph serve": "tests/test_sparql_server.py serves the dump and queries it over HTTP",
    "curl ": "talks to the Oxigraph server above",
}
_BLOCK = re.compile(r"^## (?P<section>.*?)$|^```sh\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
_EXITS = re.compile(r"#.*\bexits (\d+)")


def readme_lines() -> list[tuple[str, str]]:
    """(section, command line) of every ```sh block, continuation lines joined."""
    found, section = [], ""
    for match in _BLOCK.finditer(README.read_text(encoding="utf-8")):
        if match["section"]:
            section = match["section"]
            continue
        command = ""
        for line in match["body"].splitlines():
            command += line.strip()
            if command.endswith(("\\", "|")):
                command = command.rstrip("\\").rstrip() + " "
                continue
            if command:
                found.append((section, command))
            command = ""
    return found


def kg_commands() -> list[tuple[str, int]]:
    """The `kg` lines to run, with the exit code each should give."""
    commands = []
    for section, line in readme_lines():
        if section in SECTIONS_NOT_RUN:
            continue
        if line.startswith("kg "):
            expected = _EXITS.search(line)
            commands.append((line, int(expected.group(1)) if expected else 0))
        else:
            assert any(line.startswith(p) for p in LINES_NOT_RUN), (
                f"README line neither run nor listed with a reason: {line!r}"
            )
    return commands


def test_readme_has_examples_to_run() -> None:
    commands = [line for line, _ in kg_commands()]
    assert "kg load" in {c.split("#")[0].strip() for c in commands}
    assert any(c.startswith("kg query evidence") for c in commands)


def test_every_readme_example_runs_as_written(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "KG_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("NEO4J_URI", None)
    work = tmp_path / "work"
    work.mkdir()
    failures = []
    for line, expected in kg_commands():
        result = subprocess.run(
            ["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        if result.returncode != expected:
            failures.append(f"{line!r} exited {result.returncode}: {result.stderr.strip()}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("section", sorted(SECTIONS_NOT_RUN))
def test_sections_not_run_here_still_exist(section: str) -> None:
    assert section in {s for s, _ in readme_lines()}
