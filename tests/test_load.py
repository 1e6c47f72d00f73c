"""`kg load` is idempotent, atomic and survives being killed, on the embedded store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kg.cli import app
from kg.stores import Store, StoreConfig, connect
from tests.graph_dump import dump

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of its own: these tests replace the graph again and again."""
    return tmp_path_factory.mktemp("load")


def kg(data_dir: Path, *args: str):
    return CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])


def graph_of(data_dir: Path) -> dict:
    with connect(StoreConfig(data_dir=data_dir)) as store:
        return dump(store)


def count_seeds() -> tuple[int, int]:
    """Entities and articles as the seed files list them (what a load must write)."""
    entities = sum(
        len(yaml.safe_load(p.read_text()) or []) for p in (SEEDS / "entities").glob("*.yaml")
    )
    articles = len(list((SEEDS / "articles").glob("*.txt")))
    return entities, articles


def test_load_twice_gives_the_same_graph(data_dir: Path) -> None:
    first = kg(data_dir, "load", "--reset", "--format", "json")
    assert first.exit_code == 0, first.output
    before = graph_of(data_dir)
    second = kg(data_dir, "load", "--format", "json")
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert graph_of(data_dir) == before


def test_count_answers_as_json(data_dir: Path) -> None:
    assert kg(data_dir, "load", "--reset").exit_code == 0
    result = kg(data_dir, "cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json")
    assert result.exit_code == 0, result.output
    entities, articles = count_seeds()
    assert json.loads(result.stdout) == [{"n": entities + articles}]


def test_every_entity_node_honours_the_contract(data_dir: Path) -> None:
    assert kg(data_dir, "load", "--reset").exit_code == 0
    graph = graph_of(data_dir)
    for labels, props in graph["nodes"]:
        assert len(labels) == 1, labels
        assert props["id"]
        if labels != ["Article"]:
            # Events and agreements the articles only describe have no alias.
            assert props["name"] and isinstance(props["aliases"], list), props


def test_broken_seed_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    assert kg(data_dir, "load", "--reset").exit_code == 0
    before = graph_of(data_dir)
    broken = tmp_path / "seeds"
    subprocess.run(["cp", "-r", str(SEEDS), str(broken)], check=True)
    facts = sorted((broken / "facts").glob("*.yaml"))[0]
    lines = facts.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("predicate:"))
    lines[number] = lines[number].replace("predicate:", "predicate: no_such_", 1)
    facts.write_text("".join(lines))

    result = kg(data_dir, "load", "--reset", "--seeds", str(broken))
    assert result.exit_code == 2
    assert f"{facts.name}:" in result.stderr and "unknown predicate 'no_such_" in result.stderr
    assert "Traceback" not in result.output
    assert graph_of(data_dir) == before


def test_sigkill_during_load_leaves_a_whole_graph(data_dir: Path, tmp_path: Path) -> None:
    """Kill `kg load --reset` at many moments: the graph is always the old one or the new one."""
    mini = tmp_path / "mini"
    (mini / "articles").mkdir(parents=True)
    article = sorted((SEEDS / "articles").glob("*.txt"))[0]
    subprocess.run(
        ["cp", str(article), str(article.with_suffix(".yaml")), str(mini / "articles")], check=True
    )
    for folder in ("entities", "facts"):
        (mini / folder).mkdir()
    assert kg(data_dir, "load", "--reset", "--seeds", str(mini)).exit_code == 0, "mini corpus"
    old = graph_of(data_dir)
    assert kg(data_dir, "load", "--reset").exit_code == 0
    new = graph_of(data_dir)
    assert old != new

    env = {**os.environ, "KG_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "kg", "load", "--reset"]
    for attempt in range(8):
        assert kg(data_dir, "load", "--reset", "--seeds", str(mini)).exit_code == 0
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(0.15 + 0.12 * attempt)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        graph = graph_of(data_dir)
        assert graph in (old, new), f"partial graph after a kill at attempt {attempt}"
    # The next call works, and a load still succeeds after all those kills.
    assert kg(data_dir, "load", "--reset").exit_code == 0
    assert graph_of(data_dir) == new


def test_load_on_each_backend_is_idempotent_and_all_or_nothing(store, tmp_path: Path) -> None:
    """The same load cases on every backend (Neo4j runs where a Docker engine answers)."""
    from kg.errors import ValidationFailed
    from kg.load import load

    first = load(store, SEEDS, reset=True)
    before = dump(store)
    assert load(store, SEEDS) == first
    assert dump(store) == before

    broken = tmp_path / "seeds"
    subprocess.run(["cp", "-r", str(SEEDS), str(broken)], check=True)
    with (broken / "entities" / "people.yaml").open("a") as people:
        people.write("- id: Not A Slug\n")
    with pytest.raises(ValidationFailed, match="people.yaml"):
        load(store, broken, reset=True)
    assert dump(store) == before


def nt_export(data_dir: Path, path: Path) -> bytes:
    result = kg(data_dir, "export", "--format", "nt", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def test_a_reset_writes_what_a_write_into_an_empty_store_writes(
    data_dir: Path, tmp_path: Path
) -> None:
    """A reset writes every node and relationship with CREATE, a write without it with
    MERGE (issue 13): both give the same graph, exported byte for byte, for a load and for
    the import of its dump (whose reset replaces the loaded graph)."""
    empty, also_empty = tmp_path / "empty", tmp_path / "also-empty"
    assert kg(empty, "load", "--seeds", str(SEEDS)).exit_code == 0
    merged = nt_export(empty, tmp_path / "merged.nt")
    assert "<https://w3id.org/kg-us-morocco/entity/mark-esper>" in merged.decode("utf-8")

    assert kg(data_dir, "load", "--seeds", str(SEEDS), "--reset").exit_code == 0
    assert nt_export(data_dir, tmp_path / "created.nt") == merged

    dump_path = tmp_path / "merged.nt"
    assert kg(also_empty, "import-rdf", str(dump_path)).exit_code == 0
    imported = nt_export(also_empty, tmp_path / "imported.nt")
    assert imported == merged
    result = kg(data_dir, "import-rdf", str(dump_path), "--reset")
    assert result.exit_code == 0, result.output
    assert nt_export(data_dir, tmp_path / "imported-again.nt") == merged


class Sent:
    """The real store, noting the statements a write sends it."""

    def __init__(self, inner: Store) -> None:
        self.inner, self.name, self.cypher = inner, inner.name, set[str]()

    def query(self, cypher: str, params: Any = None, *, write: bool = False) -> Any:
        return self.inner.query(cypher, params, write=write)

    def replace(self, statements: Any, *, unique_ids: Any, reset: bool) -> list[str]:
        statements = list(statements)
        self.cypher |= {statement.cypher for statement in statements}
        return self.inner.replace(statements, unique_ids=unique_ids, reset=reset)


@pytest.mark.parametrize("reset", [True, False])
def test_a_reset_creates_and_a_write_into_the_graph_merges(
    clean_falkordb: Store, rdf_dumps: dict[str, Path], reset: bool
) -> None:
    """What the test above compares: a reset sends CREATE, a write without it MERGE, for
    the load and for the import alike."""
    from kg.load import load
    from kg.rdf.importer import import_rdf

    clause, other = ("CREATE", "MERGE") if reset else ("MERGE", "CREATE")
    for write in (load, import_rdf):
        sent = Sent(clean_falkordb)
        write(sent, SEEDS if write is load else rdf_dumps["nt"], reset=reset)
        assert len(sent.cypher) > 20, sent.cypher  # nodes, relationships, mentions by label
        for cypher in sent.cypher:
            assert f" {clause} (" in cypher and f" {other} (" not in cypher, cypher


def children() -> list[int]:
    """The processes this one started and has not reaped (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_load_failing_its_checks_says_what_kg_validate_says(
    data_dir: Path, tmp_path: Path
) -> None:
    """The checks run beside the write: seeds the statements can be built from (a modality
    outside the vocabulary) and seeds they cannot (an unknown subject) both fail with the
    validator's own lines, the graph untouched and no process left behind."""
    assert kg(data_dir, "load", "--reset").exit_code == 0
    before = graph_of(data_dir)
    broken = tmp_path / "seeds"
    subprocess.run(["cp", "-r", str(SEEDS), str(broken)], check=True)
    facts = sorted((broken / "facts").glob("*.yaml"))[-1]
    text = facts.read_text()
    for old, new in (("modality: actual", "modality: rumoured"), ("subject: ", "subject: x-")):
        facts.write_text(text.replace(old, new, 1))
        assert text != facts.read_text()
        started = children()

        validated = kg(data_dir, "validate", "--seeds", str(broken))
        loaded = kg(data_dir, "load", "--reset", "--seeds", str(broken))

        assert validated.exit_code == loaded.exit_code == 2
        assert loaded.stderr == validated.stderr and facts.name in loaded.stderr
        assert graph_of(data_dir) == before
        assert children() == started


class Interrupting:
    """A store that passes the load on to `inner`, and is interrupted (as by Ctrl-C) once it
    has sent some statements."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, inner.name

    def replace(self, statements, *, unique_ids, reset) -> list[str]:
        def some():
            for number, statement in enumerate(statements):
                if number == 5:
                    raise KeyboardInterrupt
                yield statement

        return self.inner.replace(some(), unique_ids=unique_ids, reset=reset)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_an_interrupted_load_leaves_the_graph_and_no_process(data_dir: Path) -> None:
    from kg.load import load

    assert kg(data_dir, "load", "--reset").exit_code == 0
    before = graph_of(data_dir)
    started = children()
    with connect(StoreConfig(data_dir=data_dir)) as store:
        with pytest.raises(KeyboardInterrupt):
            load(Interrupting(store), SEEDS, reset=True)
        assert children() == started
        assert dump(store) == before


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked")
def test_facts_parsed_by_a_helper_read_as_the_reader_alone_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts files parsed in a helper process give the very corpus, and the very problems,
    of the reader alone, and no process is left: seeds as they are; a file the subset
    reader leaves to the full loader; a date (which marshal cannot carry); a malformed file."""
    from kg import seeds
    from kg.errors import ValidationFailed

    def read(where: Path, helper: bool) -> object:
        monkeypatch.setattr(seeds, "PARALLEL_BYTES", 0 if helper else 1 << 60)
        try:
            return seeds.read_corpus(where)
        except ValidationFailed as failed:
            return failed.problems

    started = children()
    assert read(SEEDS, helper=True) == read(SEEDS, helper=False)
    broken = tmp_path / "seeds"
    subprocess.run(["cp", "-r", str(SEEDS), str(broken)], check=True)
    files = sorted((broken / "facts").glob("*.yaml"))
    anchored = files[0].read_text().replace("- id: ", "- &first\n  id: ", 1)
    files[0].write_text(anchored)  # an anchor: the full loader reads this file
    dated = files[1].read_text().replace("modality:", "when: 2020-09-30\n  modality:", 1)
    files[1].write_text(dated)  # a date: pickled
    assert isinstance(read(broken, helper=True), type(read(broken, helper=False)))
    assert read(broken, helper=True) == read(broken, helper=False)
    files[-1].write_text(files[-1].read_text() + "- id: [unclosed\n")
    problems = read(broken, helper=True)
    assert isinstance(problems, list) and files[-1].name in problems[-1]
    assert problems == read(broken, helper=False)
    assert children() == started
