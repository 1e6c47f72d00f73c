"""Typed parameters of saved queries and their SPARQL twins, through the command line: a value
of the wrong type, or a scalar given twice, is one `error:` line naming the parameter before
anything runs; `--describe` says what a query takes; `kg sparql NAME` finds twins and entity
names as `kg query` does."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from kg import queries

QUERIES_DIR = Path(__file__).resolve().parent.parent / "cypher"


def one_error_line(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["most-cited", "-p", "limit=abc"], ["limit", "an integer (int)", "'abc'"]),
        (["timeline", "-p", "year=twenty"], ["year", "an integer (int)", "'twenty'"]),
        (["meetings", "-p", "person=Esper", "-p", "person=Bourita"], ["person", "one value"]),
        (["meetings", "-p", "modality=announced"], ["modality", "a modality (actual, planned"]),
    ],
)
def test_a_mistyped_or_repeated_value_is_one_error(run_kg, args: list[str], words) -> None:
    one_error_line(run_kg("query", *args), *words)


def test_an_integer_parameter_takes_digits(run_kg) -> None:
    result = run_kg("query", "most-cited", "-p", "limit=3", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3


@pytest.fixture
def typed_queries(tmp_path: Path) -> Path:
    (tmp_path / "since.cypher").write_text(
        "// title: Events since a date\n// description: Dated events from a date on.\n"
        '// param: since (date) = "2022"\n'
        "MATCH (n:Event) WHERE n.date >= $since RETURN n.id AS id ORDER BY id\n",
        encoding="utf-8",
    )
    (tmp_path / "names.cypher").write_text(
        "// title: Names\n// description: The names of some entities.\n"
        "// param: ids (list) = []\n"
        "MATCH (n) WHERE n.id IN $ids RETURN n.name AS name ORDER BY name\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_date_parameter_takes_an_iso_date(run_kg, typed_queries: Path) -> None:
    def since(value: str):
        return run_kg("query", "since", "--queries", str(typed_queries), "-p", f"since={value}")

    ok = run_kg("query", "since", "--queries", str(typed_queries), "--format", "json")
    assert ok.exit_code == 0, ok.output
    # 002: Blinken "se rendra en mai prochain au Maroc" for the coalition meeting in Marrakech.
    assert "coalition-meeting-marrakech" in {row["id"] for row in json.loads(ok.stdout)}
    assert since("2020-09-30").exit_code == 0
    one_error_line(since("2022-13"), "since", "an ISO date")
    one_error_line(since("mai 2022"), "since", "an ISO date")


def test_a_list_parameter_is_repeated_or_a_json_array(run_kg, typed_queries: Path) -> None:
    def names(*params: str) -> list[str]:
        args = [a for p in params for a in ("-p", p)]
        result = run_kg("query", "names", "--queries", str(typed_queries), *args, "-f", "json")
        assert result.exit_code == 0, result.output
        return [row["name"] for row in json.loads(result.stdout)]

    # 003: "Mark Esper" went to "la Tunisie".
    assert names("ids=mark-esper", "ids=tunisia") == ["Mark Esper", "Tunisie"]
    assert names('ids=["mark-esper", "tunisia"]') == ["Mark Esper", "Tunisie"]
    assert names("ids=tunisia") == ["Tunisie"]


def test_every_saved_parameter_declares_a_type() -> None:
    for saved in queries.load_all(QUERIES_DIR).values():
        for param in saved.params:
            assert param.type in queries.PARAM_TYPES, f"{saved.name}: {param.name}"


def test_describe_prints_the_description_parameters_and_an_example(run_kg) -> None:
    result = run_kg("query", "meetings", "--describe")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    # The header of cypher/meetings.cypher.
    assert text.startswith("meetings: Who met whom, where and when")
    assert "Every meeting between two people" in text
    assert "person (entity, default null)" in text
    assert "kg query meetings -p 'person=<entity>'" in text
    again = run_kg("query", "--describe", "most-cited", "--format", "json")
    described = json.loads(again.stdout)
    assert described["parameters"] == [
        {"name": "limit", "type": "int", "takes": "an integer", "default": 10}
    ]


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES_DIR.glob("*.cypher")))
def test_the_described_example_runs(run_kg, name: str) -> None:
    described = json.loads(run_kg("query", name, "--describe", "-f", "json").stdout)
    words = shlex.split(described["example"])
    assert words[:3] == ["kg", "query", name]
    if any("=<" in word for word in words):  # a value to fill in: use the defaults instead
        words = words[:3]
    result = run_kg(*words[1:], "--format", "json")
    assert result.exit_code == 0, result.output


# --- kg sparql -------------------------------------------------------------------------------


def test_a_mistyped_twin_name_lists_the_twins(run_kg, rdf_dumps: dict[str, Path]) -> None:
    result = run_kg("sparql", "chair", "--data", str(rdf_dumps["ttl"]))
    one_error_line(result, "no SPARQL twin named 'chair'", "chairs", "meetings")


def test_a_twin_takes_names_and_aliases_like_cypher(run_kg, rdf_dumps: dict[str, Path]) -> None:
    def others(*command: str) -> set[str]:
        result = run_kg(*command, "-p", "person=Esper", "--format", "json")
        assert result.exit_code == 0, result.output
        return {row["other"] for row in json.loads(result.stdout)}

    dump = ("--data", str(rdf_dumps["trig"]))
    met = others("sparql", "meetings", *dump)
    # 004: "Nasser Bourita, après avoir vu le secrétaire d’État américain à la Défense"
    assert "nasser-bourita" in met
    assert met == others("query", "meetings")
    # 003: the AFP announces "des entretiens bilatéraux avec le président Kais Ssaied": planned.
    planned = others("sparql", "meetings", *dump, "-p", "modality=planned")
    assert "kais-saied" in planned
    assert planned == others("query", "meetings", "-p", "modality=planned")


def test_a_twin_checks_types_before_reading_the_dump(run_kg, tmp_path: Path) -> None:
    missing = tmp_path / "never.ttl"
    one_error_line(run_kg("sparql", "timeline", "--data", str(missing), "-p", "year=x"), "year")
    result = run_kg("sparql", "chairs", "--data", str(missing), "-p", "event=a", "-p", "event=b")
    one_error_line(result, "event", "one value")


def test_an_unknown_entity_name_in_a_twin_is_refused(run_kg, rdf_dumps) -> None:
    result = run_kg("sparql", "entity", "--data", str(rdf_dumps["ttl"]), "-p", "entity=Napoléon")
    one_error_line(result, "no entity is named 'Napoléon'")


def test_a_twin_describes_itself(run_kg) -> None:
    result = run_kg("sparql", "--describe", "chairs")
    assert result.exit_code == 0, result.output
    assert "kg sparql chairs --data graph.trig -p event=strategic-dialogue-session-4" in (
        result.stdout
    )
