"""`kg export --format cypher`: a script that recreates the whole graph, idempotently.

It is replayed into an empty embedded store and the two graphs compared. FalkorDB has no
CREATE CONSTRAINT statement (see kg/cypher.py), so the replay leaves the schema lines out;
everything else runs as written. The script also goes through Neo4j's analyzer
(tests/test_cypher_lint.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import cypher
from kg.exporters.cypher import literal
from kg.stores import Store
from tests.graph_dump import dump


def replay(store: Store, script: str) -> int:
    """Run the script's statements one by one (schema lines left out); how many ran."""
    count = 0
    for line in script.splitlines():
        statement = line.strip().removesuffix(";")
        if not statement or statement.startswith("//") or cypher.is_schema_statement(statement):
            continue
        store.query(statement, write=True)
        count += 1
    return count


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory, loaded_store: Store) -> str:
    from typer.testing import CliRunner

    from kg.cli import app

    output = tmp_path_factory.mktemp("export") / "graph.cypher"
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(loaded_store.data_dir),
            "export",
            "--format",
            "cypher",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def test_replayed_script_recreates_the_graph(
    script: str, loaded_store: Store, clean_falkordb: Store
) -> None:
    replay(clean_falkordb, script)
    expected, replayed = dump(loaded_store), dump(clean_falkordb)
    assert len(replayed["nodes"]) == len(expected["nodes"])
    assert len(replayed["relationships"]) == len(expected["relationships"])
    assert replayed == expected  # every label, property and relationship


def test_running_the_script_twice_gives_the_same_graph(
    script: str, loaded_store: Store, clean_falkordb: Store
) -> None:
    replay(clean_falkordb, script)
    replay(clean_falkordb, script)
    assert dump(clean_falkordb) == dump(loaded_store)


def test_the_script_opens_with_the_constraints(script: str) -> None:
    statements = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in statements)
    schema = [line for line in statements if cypher.is_schema_statement(line)]
    assert statements[: len(schema)] == schema
    assert (
        "CREATE CONSTRAINT kg_Person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;"
        in schema
    )


def test_the_quotes_survive_verbatim(script: str) -> None:
    # 002: «"Le Maroc est un partenaire et un fournisseur de sécurité établi [...]", a déclaré
    # Blinken.» — double quotes and apostrophes inside a quote.
    assert "'\"Le Maroc est un partenaire et un fournisseur de sécurité établi" in script
    # 000: « le “danger posé par l’Iran et ses satellites” » — curly quotes, written as themselves.
    assert "le “danger posé par l’Iran et ses satellites”" in script


@pytest.mark.parametrize(
    "value, cypher",
    [
        (None, "null"),
        (True, "true"),
        (10, "10"),
        (1.5, "1.5"),
        ("l’Iran « x » “y”", "'l’Iran « x » “y”'"),
        ("d'État", "'d\\'État'"),
        ('say "hi"', "'say \"hi\"'"),
        ("back\\slash", "'back\\\\slash'"),
        ("two\nlines\ttab\r", "'two\\nlines\\ttab\\r'"),
        ("bell\x07", "'bell\\u0007'"),
        (["a", "b'"], "['a', 'b\\'']"),
        ({"id": "x", "odd key": 1}, "{id: 'x', `odd key`: 1}"),
        ([], "[]"),
    ],
)
def test_literal(value: object, cypher: str) -> None:
    assert literal(value) == cypher


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_literal_refuses_what_cypher_cannot_hold(value: object) -> None:
    with pytest.raises(ValueError):
        literal(value)


@pytest.mark.parametrize(
    "text",
    [
        "l’Iran « x » “y” ‘z’",
        'd\'État "q"',
        "back\\slash \\n not a newline",
        "a\nb\tc\rd",
        "emoji 🇲🇦 and ‹›",
        "",
    ],
)
def test_literal_reads_back_unchanged(text: str, clean_falkordb: Store) -> None:
    assert clean_falkordb.query(f"RETURN {literal(text)} AS v").rows == [[text]]


def test_export_to_stdout(run_kg, script: str) -> None:
    result = run_kg("export", "--format", "cypher")
    assert result.exit_code == 0, result.output
    assert result.stdout == script


def test_export_only_reads_the_store(loaded_store: Store, tmp_path: Path) -> None:
    before = dump(loaded_store)
    from kg.exporters import ExportOptions
    from kg.exporters.cypher import export

    with (tmp_path / "out.cypher").open("wb") as stream:
        export(loaded_store, stream, ExportOptions(format="cypher"))
    assert dump(loaded_store) == before
