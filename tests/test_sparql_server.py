"""The twins over HTTP: Oxigraph SPARQL servers answer each twin like its Cypher query.

Two servers, as a Linked Data user would set them up: one started with
`--union-default-graph` holding the TriG dump (its named graphs as they are: every triple is in
exactly one graph, so their union repeats nothing), one holding the Turtle dump in its default
graph. The dumps go in through the SPARQL 1.1 Graph Store protocol and the twins through the
SPARQL protocol, with the standard library only, as any client would.
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
from xml.etree import ElementTree

import pytest

from kg.rdf import PREFIXES
from kg.rdf import sparql as engine
from kg.stores import Store
from tests.test_sparql import (
    OTHER_PARAMS,
    TWINS,
    assert_sorted_by_date,
    cypher_answer,
    normalized,
    twin_columns,
)

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
BASE = "https://w3id.org/kg-us-morocco/"  # the export's default base IRI
STARTUP_SECONDS = 15
TRIG = {"Content-Type": "application/trig"}
TURTLE = {"Content-Type": "text/turtle"}


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


def start(directory: Path, union_default_graph: bool) -> tuple[str, subprocess.Popen[bytes]]:
    """An Oxigraph server on a free loopback port, storing in `directory`."""
    url = f"http://127.0.0.1:{free_port()}"
    log = directory / "server.log"
    options = ["--union-default-graph"] if union_default_graph else []
    with log.open("wb") as log_stream:
        process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(directory / "data"), "--bind", url[7:]]
            + options,
            stdout=log_stream,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, process, log)
    except BaseException:
        process.terminate()
        process.wait(timeout=10)
        raise
    return url, process


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory, rdf_dumps: dict[str, Path]
) -> Iterator[dict[str, str]]:
    """Two servers by dump: TriG (union default graph) and Turtle; stopped after the module."""
    if not OXIGRAPH.is_file():
        message = f"no oxigraph executable beside {sys.executable} (pip install oxigraph)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    processes = []
    try:
        trig, process = start(tmp_path_factory.mktemp("oxigraph-trig"), union_default_graph=True)
        processes.append(process)
        ttl, process = start(tmp_path_factory.mktemp("oxigraph-ttl"), union_default_graph=False)
        processes.append(process)
        request(f"{trig}/store", rdf_dumps["trig"].read_bytes(), "POST", TRIG)
        request(f"{ttl}/store?default", rdf_dumps["ttl"].read_bytes(), "PUT", TURTLE)
        yield {"trig": trig, "ttl": ttl}
    finally:
        for process in processes:
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
    pytest.param(name, given, dump, id=f"{name}-{label}-{dump}")
    for name in TWINS
    for label, given in (("defaults", None), ("other", OTHER_PARAMS.get(name)))
    if given is not None or label == "defaults"
    for dump in ("trig", "ttl")
]


@pytest.mark.parametrize(("name", "given", "dump"), CASES)
def test_twin_over_http_answers_like_its_cypher_query(
    servers: dict[str, str], loaded_store: Store, name: str, given: dict[str, Any] | None, dump: str
) -> None:
    columns, rows = select(f"{servers[dump]}/query", engine.bound(TWINS[name], given))
    assert columns == twin_columns(name)
    expected, lists = cypher_answer(loaded_store, name, given or {}, columns)
    assert expected
    answer = normalized(columns, rows, lists)
    assert answer == expected
    assert len(rows) == len(answer), "the twin repeats rows"
    assert_sorted_by_date(loaded_store, name, given, columns, rows)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_sparql_xml_results_parse(servers: dict[str, str], name: str) -> None:
    """SPARQL's default results format is XML: list columns must hold only XML characters."""
    headers = {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+xml",
    }
    query = engine.bound(TWINS[name])
    body = request(f"{servers['trig']}/query", query.encode(), "POST", headers)
    results = ElementTree.fromstring(body)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    solutions = results.findall(f"{namespace}results/{namespace}result")
    assert len(solutions) == len(select(f"{servers['trig']}/query", query)[1]) > 0


def test_the_union_default_graph_repeats_nothing(servers: dict[str, str]) -> None:
    """Every triple is in one graph: the union of the TriG dump's graphs is the Turtle dump."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    in_trig = select(f"{servers['trig']}/query", count)[1]
    assert in_trig == select(f"{servers['trig']}/query", distinct)[1]
    assert in_trig == select(f"{servers['ttl']}/query", count)[1]
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    articles = {p.stem for p in Path(__file__).parent.parent.glob("seeds/articles/*.txt")}
    expected = {f"{BASE}graph/ontology", f"{BASE}graph/facts", f"{BASE}graph/dataset"}
    expected |= {f"{BASE}graph/provenance/{a}" for a in articles}
    assert {g for (g,) in select(f"{servers['trig']}/query", graphs)[1]} == expected
