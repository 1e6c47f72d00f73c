"""The twins over HTTP: an Oxigraph SPARQL server answers each twin like its Cypher query.

The dump goes in through the SPARQL 1.1 Graph Store protocol and the twins through the SPARQL
protocol, with the standard library only, as any client would. The Turtle dump fills the
default graph; the TriG dump adds its per-article named graphs. Twins query the default graph,
not the server's union of all graphs: that union is a bag (a triple stated in two articles'
graphs, and in the default graph, counts each time), so it would repeat rows.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.rdf import PREFIXES
from kg.rdf import sparql as engine
from kg.stores import Store
from tests.test_sparql import (
    OTHER_PARAMS,
    TWINS,
    cypher_answer,
    normalized,
    twin_columns,
)

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
BASE = "https://w3id.org/kg-us-morocco/"  # the export's default base IRI
STARTUP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(
    url: str, data: bytes | None = None, method: str = "GET", headers: dict[str, str] | None = None
) -> bytes:
    with urllib.request.urlopen(
        urllib.request.Request(url, data=data, headers=headers or {}, method=method), timeout=30
    ) as response:
        return response.read()


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {server.returncode}: {log.read_text()}")
        try:
            request(url)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    pytest.fail(f"oxigraph serve did not answer at {url} within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, rdf_dumps: dict[str, Path]) -> Iterator[str]:
    """An Oxigraph server on a free loopback port, holding the dumps; stopped after the module."""
    if not OXIGRAPH.is_file():
        message = f"no oxigraph executable beside {sys.executable} (pip install oxigraph)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("oxigraph")
    log = directory / "server.log"
    url = f"http://127.0.0.1:{free_port()}"
    with log.open("wb") as log_stream:
        process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(directory / "data"), "--bind", url[7:]],
            stdout=log_stream,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, process, log)
        turtle, trig = rdf_dumps["ttl"].read_bytes(), rdf_dumps["trig"].read_bytes()
        request(f"{url}/store?default", turtle, "PUT", {"Content-Type": "text/turtle"})
        request(f"{url}/store", trig, "POST", {"Content-Type": "application/trig"})
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def select(url: str, query: str) -> tuple[list[str], list[list[Any]]]:
    """Run a SELECT over the SPARQL protocol; terms as `kg.rdf.sparql.value` gives them."""
    headers = {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json",
    }
    body = request(url, query.encode(), "POST", headers)
    results = json.loads(body)
    columns = results["head"]["vars"]
    return columns, [
        [term_value(solution.get(c)) for c in columns]
        for solution in results["results"]["bindings"]
    ]


def term_value(term: dict[str, str] | None) -> Any:
    if term is None:
        return None
    datatype = term.get("datatype", "")
    if datatype == PREFIXES["xsd"] + "integer":
        return int(term["value"])
    if datatype == PREFIXES["xsd"] + "boolean":
        return term["value"] in ("true", "1")
    return term["value"]


CASES = [
    pytest.param(name, given, id=f"{name}-{label}")
    for name in TWINS
    for label, given in (("defaults", None), ("other", OTHER_PARAMS.get(name)))
    if given is not None or label == "defaults"
]


@pytest.mark.parametrize(("name", "given"), CASES)
def test_twin_over_http_answers_like_its_cypher_query(
    server: str, loaded_store: Store, name: str, given: dict[str, Any] | None
) -> None:
    columns, rows = select(f"{server}/query", engine.bound(TWINS[name], given))
    assert columns == twin_columns(name)
    expected, lists = cypher_answer(loaded_store, name, given or {}, columns)
    assert expected
    answer = normalized(columns, rows, lists)
    assert answer == expected
    assert len(rows) == len(answer), "the twin repeats rows"


def test_each_article_is_a_named_graph(server: str) -> None:
    _, rows = select(f"{server}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    articles = {p.stem for p in Path(__file__).parent.parent.glob("seeds/articles/*.txt")}
    assert {g for (g,) in rows} == {f"{BASE}article/{a}" for a in articles}


def test_the_union_of_all_graphs_would_repeat_rows(server: str) -> None:
    """Why the twins query the default graph: the union counts a triple once per graph."""
    met = "PREFIX kg: <https://w3id.org/kg-us-morocco/ontology#> SELECT * WHERE { ?a kg:met ?b }"
    _, default = select(f"{server}/query", met)
    _, union = select(f"{server}/query?union-default-graph", met)
    assert len(default) == len({tuple(r) for r in default}) == len({tuple(r) for r in union})
    assert len(union) > len(default)
