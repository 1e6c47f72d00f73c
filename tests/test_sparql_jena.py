"""The twins in an engine of another lineage: Apache Jena's ARQ (Debian's libapache-jena-java),
run as its command line is, on the Turtle dump, answers each twin like its Cypher query (with
its default parameters and with the other ones tests/test_sparql.py gives).

Debian's package moves Jena's private copy of Xerces to the `xerces` package but leaves its
message bundles under `org/apache/jena/ext/xerces`, so ARQ fails on start ("internal error"
in XSSimpleTypeDecl); the bundles are copied where the classes look for them. Only the jars
Jena needs go on the class path (several SLF4J bindings would clash).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

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
from tests.test_sparql_server import term_value

JARS = Path("/usr/share/java")
# Jena's modules and what Debian's libapache-jena-java depends on, by their unversioned names.
DEPENDENCIES = (
    "commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 "
    "dexx.collection gson guava httpclient httpcore jackson-core jackson-databind "
    "jackson-annotations jsonld-java jakarta.json-api protobuf thrift titanium-json-ld "
    "slf4j-api slf4j-nop caffeine"
).split()


@pytest.fixture(scope="module")
def arq(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs ARQ's `sparql`, with the class path worked around."""
    core = JARS / "jena-core.jar"
    if shutil.which("java") is None or not core.is_file():
        message = "no java or no Jena (apt-get install default-jre-headless libapache-jena-java)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    bundles = tmp_path_factory.mktemp("jena-bundles")
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = bundles / "xerces" / name.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jena = sorted(p for p in JARS.glob("jena-*.jar") if not p.stem[-1].isdigit())
    others = [JARS / f"{name}.jar" for name in DEPENDENCIES if (JARS / f"{name}.jar").is_file()]
    classpath = ":".join(str(p) for p in [bundles, *jena, *others])
    return ["java", "-cp", classpath, "arq.sparql"]


def run_arq(arq: list[str], data: Path, query: str, directory: Path) -> tuple[list[str], list]:
    path = directory / "query.rq"
    path.write_text(query, encoding="utf-8")
    done = subprocess.run(
        [*arq, "--data", str(data), "--query", str(path), "--results", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    columns = results["head"]["vars"]
    rows = [[term_value(b.get(c)) for c in columns] for b in results["results"]["bindings"]]
    return columns, rows


CASES = [
    pytest.param(name, given, id=f"{name}-{label}")
    for name in sorted(TWINS)
    for label, given in (("defaults", {}), ("other", OTHER_PARAMS.get(name)))
    if given is not None
]


@pytest.mark.parametrize(("name", "given"), CASES)
def test_twin_in_jena_arq_answers_like_its_cypher_query(
    arq: list[str],
    rdf_dumps: dict[str, Path],
    loaded_store: Store,
    tmp_path: Path,
    name: str,
    given: dict[str, Any],
) -> None:
    columns, rows = run_arq(arq, rdf_dumps["ttl"], engine.bound(TWINS[name], given), tmp_path)
    assert columns == twin_columns(name)
    expected, lists = cypher_answer(loaded_store, name, given, columns)
    assert expected
    answer = normalized(columns, rows, lists)
    assert answer == expected
    assert len(rows) == len(answer), "the twin repeats rows"
    assert_sorted_by_date(loaded_store, name, given, columns, rows)
