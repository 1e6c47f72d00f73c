"""Neo4j's own analyzer checks every Cypher statement kg sends, with no Neo4j server running.

`@neo4j-cypher/language-support` (the parser and semantic analysis of Neo4j Browser) runs under
Node.js: install it with `npm ci --prefix tests/cypher_lint`. The statements come from their
one home, `kg.cypher.statements()` (every statement kg builds, for every argument the
vocabulary allows), with the saved queries and a Cypher export script of the real graph.
The real flows (load, entity cards, every export format, every saved query...) run on a
recording store: every statement they send must be one of those. `test_no_cypher_outside_kg_cypher`
fails when a string in another module of kg/ holds Cypher, so none can escape the check.
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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg import cypher, queries, vocab
from kg.errors import InvalidInput
from kg.exporters import FORMATS, ExportOptions, exporter
from kg.stores import Params, QueryResult, Statement, Store

ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = ROOT / "tests" / "cypher_lint"
INSTALL = "npm ci --prefix tests/cypher_lint"
HOME = "kg/cypher.py"
# A clause of Cypher in a string: a keyword in capitals followed by what a clause holds.
CLAUSE = re.compile(
    r"\b(OPTIONAL\s+MATCH|MATCH|UNWIND|MERGE|CREATE|DETACH\s+DELETE|RETURN|CALL)\s+[\w($`{*\[']"
)


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
        self, statements: Iterable[Statement], *, unique_ids: Sequence[str], reset: bool
    ) -> list[str]:
        statements = list(statements)  # a generator (kg.graph.stream) is read once
        self.sent += [Linted("loaded by kg", s.cypher, tuple(s.params)) for s in statements]
        return self.inner.replace(statements, unique_ids=unique_ids, reset=reset)

    def reading(self) -> AbstractContextManager[None]:
        return self.inner.reading()

    def close(self) -> None:
        self.inner.close()


def saved_queries() -> Iterator[Linted]:
    for name, saved in queries.load_all(ROOT / "cypher").items():
        yield Linted(f"cypher/{name}.cypher", saved.text, tuple(p.name for p in saved.params))


def module_statements() -> Iterator[Linted]:
    """Every statement of kg.cypher, with the parameters it uses."""
    for name, statement in cypher.statements():
        yield Linted(f"kg.cypher.{name}", statement, tuple(re.findall(r"\$(\w+)", statement)))


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


def strings_outside_home(root: Path = ROOT) -> Iterator[tuple[str, int, str]]:
    """(module, line, text) of every string literal of `root`/kg/ but kg/cypher.py,
    docstrings aside; an f-string's text with `{}` where its values go."""
    for path in sorted((root / "kg").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative == HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        parts_of_fstrings = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    p.value if isinstance(p, ast.Constant) else "{}" for p in node.values
                )
                yield relative, node.lineno, text
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings | parts_of_fstrings
            ):
                yield relative, node.lineno, node.value


def cypher_outside_home(root: Path = ROOT) -> list[str]:
    return [
        f"{path}:{line}: {' '.join(text.split())!r}"
        for path, line, text in strings_outside_home(root)
        if CLAUSE.search(text)
    ]


@pytest.fixture(scope="module")
def sent_and_outputs(
    seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Linted], dict[str, str]]:
    """The flows run once, in a store of this module's own."""
    from kg.stores.falkordb import FalkorDBStore

    store = FalkorDBStore(tmp_path_factory.mktemp("lint"))
    try:
        return flows(store, seeds_dir)
    finally:
        store.close()


@pytest.fixture(scope="module")
def everything(
    analyzer: None, sent_and_outputs: tuple[list[Linted], dict[str, str]]
) -> list[Linted]:
    """Every statement kg sends: kg.cypher's (each shape once: what the flows send is among
    them, see below), the saved queries, an export script."""
    _, outputs = sent_and_outputs
    statements = [*module_statements(), *saved_queries()]
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


def test_every_statement_sent_is_kg_cyphers(
    sent_and_outputs: tuple[list[Linted], dict[str, str]],
) -> None:
    """What the flows sent is kg.cypher's (or a saved query): the analyzer saw all of it."""
    known = {statement for _, statement in cypher.statements(every=True)}
    assert not known & {statement for _, statement in cypher.falkordb_statements()}
    known |= {saved.cypher for saved in saved_queries()}
    sent, _ = sent_and_outputs
    assert len(sent) > 100
    assert [s.cypher for s in sent if s.cypher not in known] == []


def test_no_cypher_outside_kg_cypher() -> None:
    assert cypher_outside_home() == [], (
        "Cypher written outside kg/cypher.py: move it there (a constant, or a function of "
        "the vocabulary's labels and types, listed by kg.cypher.statements())"
    )


def test_a_planted_statement_outside_kg_cypher_is_caught(tmp_path: Path) -> None:
    (tmp_path / "kg").mkdir()
    (tmp_path / "kg" / "cypher.py").write_text('NODES = "MATCH (n) RETURN n"\n')
    (tmp_path / "kg" / "planted.py").write_text(
        '"""Runs MATCH (n) RETURN n, in a docstring: not Cypher sent."""\n'
        'PROTOCOL = ("SCAN", 0, "MATCH", "kg:*")\n'
        "def count(label):\n"
        '    return f"MATCH (n:{label}) RETURN count(n)"\n'
    )
    assert cypher_outside_home(tmp_path) == ["kg/planted.py:4: 'MATCH (n:{}) RETURN count(n)'"]


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
