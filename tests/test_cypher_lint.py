"""Neo4j's own analyzer checks every Cypher statement kg sends, with no Neo4j server running.

`@neo4j-cypher/language-support` (the parser and semantic analysis of Neo4j Browser) runs under
Node.js: install it with `npm ci --prefix tests/cypher_lint`. The statements are gathered from
every source at once: the saved queries, the loader's statements for the real corpus, the
module-level Cypher constants of kg/, every statement sent to a store while the real flows run
(load, entity cards, every export format, every saved query) and the Cypher export script.
`test_all_cypher_in_kg_is_linted` fails when a piece of Cypher written in kg/ reaches none of
them, so a new module's Cypher cannot be forgotten.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg import dialect, graph, queries, vocab
from kg.errors import InvalidInput
from kg.exporters import FORMATS, ExportOptions, exporter
from kg.stores import Params, QueryResult, Statement, Store, reset_statements

ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = ROOT / "tests" / "cypher_lint"
INSTALL = "npm ci --prefix tests/cypher_lint"
# Modules whose Cypher never reaches the analyzer, and why.
NOT_LINTED = {
    "kg/stores/falkordb.py": "FalkorDB's own dialect (GRAPH.CONSTRAINT, db.labels()), "
    "sent only to FalkorDB",
    "kg/stores/neo4j.py": "its statements run on a real Neo4j 5 in tests/test_stores.py; the "
    "constraints and the count of loads it sends are spelled in kg.dialect",
}
CLAUSE = re.compile(r"^\s*(OPTIONAL\s+MATCH|MATCH|UNWIND|MERGE|CREATE|RETURN|WITH|CALL)\s+\S")


@dataclass(frozen=True)
class Linted:
    name: str
    cypher: str
    parameters: tuple[str, ...] = ()


def analyzer_problem() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (the Cypher analyzer runs under node)"
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        return f"the Neo4j Cypher analyzer is not installed: run `{INSTALL}`"
    return None


@pytest.fixture(scope="module")
def analyzer() -> None:
    problem = analyzer_problem()
    if problem and os.environ.get("CI"):
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


def lint(statements: Sequence[Linted]) -> list[dict[str, Any]]:
    """The analyzer's report: one entry per statement, with its diagnostics."""
    rel_types = sorted(
        {p.rel_type for p in vocab.PREDICATES.values() if not p.is_literal} | {vocab.MENTIONS}
    )
    request = {
        "labels": vocab.node_labels(),
        "relationshipTypes": rel_types,
        "statements": [
            {"name": s.name, "cypher": s.cypher, "parameters": list(s.parameters)}
            for s in statements
        ],
    }
    done = subprocess.run(
        ["node", str(LINT_DIR / "lint.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def errors_of(report: list[dict[str, Any]]) -> list[str]:
    return [
        f"{entry['name']}:{d['line']}:{d['column']}: {d['message']} ({d['text']!r})"
        for entry in report
        for d in entry["diagnostics"]
        if d["severity"] == "error"
    ]


# --- gathering -------------------------------------------------------------------------------


class RecordingStore:
    """A store that notes every statement it is sent, then passes it on."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.name = inner.name
        self.sent: list[Linted] = []

    def query(
        self, cypher: str, params: Params | None = None, *, write: bool = False
    ) -> QueryResult:
        self.sent.append(Linted("sent by kg", cypher, tuple(params or {})))
        return self.inner.query(cypher, params, write=write)

    def replace(
        self, statements: Sequence[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> list[str]:
        self.sent += [Linted("loaded by kg", s.cypher, tuple(s.params)) for s in statements]
        return self.inner.replace(statements, unique_ids=unique_ids, reset=reset)

    def reading(self) -> AbstractContextManager[None]:
        return self.inner.reading()

    def close(self) -> None:
        self.inner.close()


def saved_queries() -> Iterator[Linted]:
    for name, saved in queries.load_all(ROOT / "cypher").items():
        yield Linted(f"cypher/{name}.cypher", saved.text, tuple(p.name for p in saved.params))


def loader_statements(seeds_dir: Path) -> Iterator[Linted]:
    from kg.validate import load_corpus

    for statement in graph.statements(load_corpus(seeds_dir)):
        yield Linted("kg.graph.statements", statement.cypher, tuple(statement.params))
    yield Linted("kg.graph.OUR_RELATIONSHIPS", graph.OUR_RELATIONSHIPS, tuple(graph.ours_params()))
    counts = [*graph.node_count_queries(), *graph.relationship_count_queries()]
    for name, cypher in [*counts, ("all", graph.ALL_NODES)]:
        yield Linted(f"kg.graph counts {name}", cypher)
    for statement in reset_statements():
        yield Linted("kg.stores.reset_statements", statement.cypher, tuple(statement.params))
    # Sent by the Neo4j store only (a load counts itself; a reading command reads the count).
    yield Linted("kg.dialect.COUNT_LOAD", dialect.COUNT_LOAD)
    yield Linted("kg.dialect.LOADS", dialect.LOADS)


def module_constants() -> Iterator[Linted]:
    """Module-level Cypher constants of kg/ (FIND, NODES...): each is a whole statement."""
    for path, tree in kg_modules():
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and CLAUSE.match(node.value.value)
            ):
                names = ", ".join(t.id for t in node.targets if isinstance(t, ast.Name))
                yield Linted(
                    f"{path}: {names}",
                    node.value.value,
                    tuple(re.findall(r"\$(\w+)", node.value.value)),
                )


def flows(store: Store, seeds_dir: Path) -> tuple[list[Linted], dict[str, str]]:
    """Statements sent while kg runs its flows on `store`, and every export's output."""
    from kg.load import load
    from kg.show import article_notes, entity_card, find_entity
    from kg.stats import graph_stats
    from kg.stores import require_graph
    from kg.timeline import timeline
    from kg.viz import picture

    recorder = RecordingStore(store)
    load(recorder, seeds_dir, reset=True)
    require_graph(recorder)
    article_notes(recorder)
    timeline(recorder)
    for label in vocab.node_labels():
        if label == vocab.ARTICLE_LABEL:
            continue
        some = store.query(
            f"MATCH (n:{vocab.check_label(label)}) RETURN n.id ORDER BY n.id LIMIT 1"
        ).rows
        if some:
            entity_card(recorder, some[0][0])
    find_entity(recorder, "Mark Esper")  # a name, not an id: searched by its keys
    find_entity(recorder, "saied")  # a word of a name
    with contextlib.suppress(InvalidInput):
        find_entity(recorder, "Ministre")  # no entity: the names to suggest
    for saved in queries.load_all(ROOT / "cypher").values():
        queries.run(recorder, saved)
    graph_stats(recorder, seeds_dir)
    for mentions in (False, True):
        picture(recorder, mentions=mentions)
        picture(recorder, entity="mark-esper", mentions=mentions)
    picture(recorder, query="meetings", queries_dir=ROOT / "cypher")
    outputs = {}
    for name in FORMATS:
        stream = io.BytesIO()
        exporter(name)(recorder, stream, ExportOptions(format=name, progress=lambda *_: None))
        outputs[name] = stream.getvalue().decode("utf-8", errors="replace")
    return recorder.sent, outputs


def distinct(statements: Sequence[Linted]) -> list[Linted]:
    seen: dict[tuple[str, tuple[str, ...]], Linted] = {}
    for statement in statements:
        seen.setdefault((statement.cypher, tuple(sorted(statement.parameters))), statement)
    return list(seen.values())


def kg_modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((ROOT / "kg").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def cypher_pieces() -> Iterator[tuple[str, int, str]]:
    """(module, line, text) of each piece of Cypher written in kg/: whole strings, and the
    literal parts of f-strings that build a statement."""
    for path, tree in kg_modules():
        if path in NOT_LINTED:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if CLAUSE.match(node.value):
                    yield path, node.lineno, node.value
            elif isinstance(node, ast.JoinedStr):
                parts = [
                    p.value
                    for p in node.values
                    if isinstance(p, ast.Constant) and isinstance(p.value, str)
                ]
                if parts and CLAUSE.match(parts[0]):
                    yield from (
                        (path, node.lineno, part) for part in parts if len(part.strip()) >= 3
                    )


@pytest.fixture(scope="module")
def everything(
    analyzer: None, seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[Linted]:
    """Every statement kg sends, from every source, run once in a store of this module's own."""
    from kg.stores.falkordb import FalkorDBStore

    store = FalkorDBStore(tmp_path_factory.mktemp("lint"))
    try:
        sent, outputs = flows(store, seeds_dir)
    finally:
        store.close()
    statements = [*saved_queries(), *loader_statements(seeds_dir), *module_constants(), *sent]
    statements.append(Linted("kg export --format cypher", outputs["cypher"]))
    return distinct(statements)


# --- tests -----------------------------------------------------------------------------------


def test_every_statement_passes_neo4j_analysis(everything: list[Linted]) -> None:
    report = lint(everything)
    warnings = [
        f"{e['name']}: {d['message'][:120]}"
        for e in report
        for d in e["diagnostics"]
        if d["severity"] != "error"
    ]
    print(f"{len(everything)} statements linted, {len(warnings)} warning(s)")
    print("\n".join(sorted(set(warnings))))
    assert errors_of(report) == []


def test_all_cypher_in_kg_is_linted(everything: list[Linted]) -> None:
    linted = " ".join(" ".join(s.cypher.split()) for s in everything)
    forgotten = [
        f"{path}:{line}: {' '.join(text.split())!r}"
        for path, line, text in cypher_pieces()
        if " ".join(text.split()) not in linted
    ]
    assert forgotten == [], (
        "Cypher in kg/ that no linted statement contains: gather it in tests/test_cypher_lint.py "
        "(run its flow in `flows`, or make it a module-level constant)"
    )


@pytest.mark.parametrize(
    "cypher, message",
    [
        ("MATCH (n:Person RETURN n.id AS id", "Invalid input"),
        ("MATCH (n:Person) RETURN m.id AS id", "Variable `m` not defined"),
        (
            "MATCH (n:Person) RETURN nosuchfunction(n) AS x",
            "Function nosuchfunction is not present",
        ),
        ("MATCH (n:Person {id: $nobody}) RETURN n.id AS id", "Parameter $nobody is not defined"),
    ],
)
def test_a_planted_error_fails_the_check(analyzer: None, cypher: str, message: str) -> None:
    report = lint([Linted("planted", cypher)])
    assert any(message in error for error in errors_of(report)), report


def test_a_planted_error_in_a_saved_query_is_caught(analyzer: None, tmp_path: Path) -> None:
    edited = tmp_path / "cypher"
    shutil.copytree(ROOT / "cypher", edited)
    path = edited / "chairs.cypher"
    path.write_text(
        path.read_text(encoding="utf-8").replace("RETURN chair.id", "RETURN chiar.id"),
        encoding="utf-8",
    )
    saved = queries.parse(path)
    report = lint([Linted("chairs", saved.text, tuple(p.name for p in saved.params))])
    assert any("Variable `chiar` not defined" in e for e in errors_of(report))


def test_without_the_analyzer_the_check_names_the_install_command(monkeypatch) -> None:
    monkeypatch.setattr(f"{__name__}.LINT_DIR", Path("/nonexistent"))
    if shutil.which("node"):
        assert INSTALL in (analyzer_problem() or "")
