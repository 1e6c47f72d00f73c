"""The Store contract against real databases: the embedded FalkorDB, and Neo4j where Docker runs.

The first tests run on both backends (the `store` fixture); the FalkorDB ones
exercise the embedded server's lifetime across real processes.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from kg import vocab
from kg.errors import InvalidInput
from kg.stores import (
    INT64,
    QueryError,
    ReadOnlyViolation,
    Statement,
    Store,
    StoreConfig,
    StoreError,
    open_store,
    resp,
)
from kg.stores.falkordb import FalkorDBStore
from tests.graph_dump import dump

ROOT = Path(__file__).resolve().parent.parent

SMALL_GRAPH = [
    Statement(
        "UNWIND $rows AS row MERGE (n:Person {id: row.id}) SET n = row.props",
        {
            "rows": [
                {"id": "esper", "props": {"id": "esper", "name": "Mark Esper"}},
                {"id": "bourita", "props": {"id": "bourita", "name": "Nasser Bourita"}},
            ]
        },
    ),
    Statement(
        "MATCH (a:Person {id: 'esper'}), (b:Person {id: 'bourita'}) "
        "MERGE (a)-[:MET {id: 'f1', articles: ['a1']}]->(b)"
    ),
]
# Nodes and relationships, leaving out Neo4j's count of loads (kg/cypher.py).
COUNTS = (
    f"MATCH (n) WHERE NOT n:{vocab.LOAD_COUNTER_LABEL} WITH count(n) AS nodes "
    "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"
)


def count(store: Store, label: str = "") -> int:
    return store.query(f"MATCH (n{':' + label if label else ''}) RETURN count(n) AS n").rows[0][0]


# --- both backends ----------------------------------------------------------------------


def test_query_returns_plain_values(store: Store) -> None:
    store.replace(
        [
            Statement(
                "CREATE (:Person {id: 'p', name: 'Esper', titles: ['Secretary', 'Army'], "
                "born: date('1964-04-23')})-[:VISITED {id: 'v', on: date('2020-10-02')}]->"
                "(:Country {id: 'ma', name: 'Morocco'})"
            )
        ],
        unique_ids=["Person", "Country"],
        reset=True,
    )

    result = store.query(
        "MATCH path = (p:Person)-[v:VISITED]->(c) "
        "RETURN p.titles AS titles, p.born AS born, p, v, path, {n: c.name, k: [1, 2]} AS map, "
        "$given AS given",
        {"given": [1, "two", None, True, 1.5]},
    )

    assert result.columns == ["titles", "born", "p", "v", "path", "map", "given"]
    titles, born, person, visit, path, mapping, given = result.rows[0]
    assert titles == ["Secretary", "Army"] and born == "1964-04-23"
    assert person == {
        "id": "p",
        "name": "Esper",
        "titles": ["Secretary", "Army"],
        "born": "1964-04-23",
        "_labels": ["Person"],
    }
    assert visit == {"id": "v", "on": "2020-10-02", "_type": "VISITED"}
    assert path == {
        "nodes": [person, {"id": "ma", "name": "Morocco", "_labels": ["Country"]}],
        "relationships": [visit],
    }
    assert mapping == {"n": "Morocco", "k": [1, 2]} and type(mapping) is dict
    assert given == [1, "two", None, True, 1.5]
    assert result.records()[0]["born"] == "1964-04-23"


def test_scalar_rows_and_maps_come_back_as_plain_values(store: Store) -> None:
    # Rows of scalars, lists and maps only (what the readers and exports ask for), and a map
    # holding a date, which comes back as its ISO text like any date.
    store.replace(
        [
            Statement(
                "CREATE (:Person {id: 'p', name: 'Esper', titles: ['Secretary', 'Army'], "
                "age: 56, height: 1.8, born: date('1964-04-23')})"
            )
        ],
        unique_ids=["Person"],
        reset=True,
    )

    result = store.query(
        "MATCH (p:Person) RETURN p.id AS id, p.titles AS titles, p.age AS age, "
        "p.height AS height, p.age > 50 AS older, p.missing AS missing, "
        "[p.age, [p.name, null]] AS nested, {name: p.name, titles: p.titles} AS card, "
        "properties(p) AS props"
    )

    assert result.columns == [
        "id", "titles", "age", "height", "older", "missing", "nested", "card", "props"
    ]  # fmt: skip
    assert result.rows == [
        [
            "p",
            ["Secretary", "Army"],
            56,
            1.8,
            True,
            None,
            [56, ["Esper", None]],
            {"name": "Esper", "titles": ["Secretary", "Army"]},
            {
                "id": "p",
                "name": "Esper",
                "titles": ["Secretary", "Army"],
                "age": 56,
                "height": 1.8,
                "born": "1964-04-23",
            },
        ]
    ]
    assert store.query("MATCH (p:Person) WHERE p.age > 100 RETURN p.id AS id").rows == []


def test_query_is_read_only_unless_asked(store: Store) -> None:
    with pytest.raises(ReadOnlyViolation, match="^read-only: this statement writes to the graph"):
        store.query("CREATE (:Person {id: 'x'})")
    assert count(store) == 0

    store.query("CREATE (:Person {id: $id})", {"id": "x"}, write=True)
    assert store.query("MATCH (n:Person) RETURN n.id AS id").rows == [["x"]]


def test_a_bad_query_is_a_store_error_with_the_database_message(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.query("MATCH (n RETURN n")
    assert not isinstance(caught.value, ReadOnlyViolation)
    assert "Traceback" not in str(caught.value) and str(caught.value)


def test_replace_with_reset_replaces(store: Store) -> None:
    store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    store.replace([Statement("CREATE (:Country {id: 'ma'})")], unique_ids=["Country"], reset=True)
    kept = f"MATCH (n) WHERE NOT n:{vocab.LOAD_COUNTER_LABEL} RETURN labels(n) AS l, n.id AS id"
    assert store.query(kept).rows == [[["Country"], "ma"]]


def test_replace_without_reset_merges(store: Store) -> None:
    store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    store.replace(
        [
            Statement("MERGE (n:Person {id: 'esper'}) SET n.rank = 'Secretary'"),
            Statement("CREATE (:Country {id: 'ma'})"),
        ],
        unique_ids=["Person", "Country"],
        reset=False,
    )

    assert store.query(COUNTS).rows == [[3, 1]]
    assert store.query("MATCH (n:Person {id: 'esper'}) RETURN n.name, n.rank").rows == [
        ["Mark Esper", "Secretary"]
    ]


@pytest.mark.parametrize("reset", [True, False])
def test_a_failed_replace_leaves_the_previous_graph(store: Store, reset: bool) -> None:
    store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    before = dump(store)

    with pytest.raises(StoreError, match="statement 2 of 3 failed"):
        store.replace(
            [
                Statement(
                    "MATCH (n:Person {id: 'esper'}) SET n.name = 'changed' "
                    "CREATE (:Country {id: 'ma'})"
                ),
                Statement("CREATE (:Country {id: 'us', name: $missing})"),
                Statement("CREATE (:Country {id: 'fr'})"),
            ],
            unique_ids=["Person", "Country"],
            reset=reset,
        )

    assert store.query(COUNTS).rows == [[2, 1]]
    assert store.query("MATCH (n:Person {id: 'esper'}) RETURN n.name").rows == [["Mark Esper"]]
    assert dump(store) == before


def test_a_replace_takes_its_statements_as_they_are_made(store: Store) -> None:
    """More statements than the embedded store sends ahead of their replies, from a
    generator: every one is written, in order (each MATCHes the node the one before made)."""

    def chain() -> Iterator[Statement]:
        yield Statement("CREATE (:Person {id: 'p0'})")
        for i in range(1, 150):
            yield Statement(
                "MATCH (a:Person {id: $before}) CREATE (a)-[:MET {id: $id}]->(:Person {id: $id})",
                {"before": f"p{i - 1}", "id": f"p{i}"},
            )

    store.replace(chain(), unique_ids=["Person"], reset=True)

    assert store.query(COUNTS).rows == [[150, 149]]


@pytest.mark.parametrize("reset", [True, False])
def test_a_replace_failing_midway_through_a_generator_names_the_statement(
    store: Store, reset: bool
) -> None:
    """The failing statement is numbered among all of them, those made after it included;
    the statements sent after it leave nothing either."""
    store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    before = dump(store)

    def statements() -> Iterator[Statement]:
        yield Statement("MATCH (n:Person {id: 'esper'}) SET n.name = 'changed'")
        yield from (Statement("CREATE (:Country {id: $id})", {"id": f"c{i}"}) for i in range(20))
        yield Statement("CREATE (:Country {id: 'us', name: $missing})")
        yield from (Statement("CREATE (:Country {id: $id})", {"id": f"d{i}"}) for i in range(100))

    with pytest.raises(StoreError, match="statement 22 of 122 failed"):
        store.replace(statements(), unique_ids=["Person", "Country"], reset=reset)

    assert dump(store) == before
    assert count(store, "Country") == 0


class Interrupted(Exception):
    """Stands for a Ctrl-C or a failure in the code that makes the statements."""


def test_a_replace_interrupted_while_its_statements_are_made_leaves_the_previous_graph(
    store: Store,
) -> None:
    """Statements already sent, their replies unread: the store stays usable, the graph whole."""
    store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    before = dump(store)

    def statements() -> Iterator[Statement]:
        yield from (Statement("CREATE (:Country {id: $id})", {"id": f"c{i}"}) for i in range(10))
        raise Interrupted

    with pytest.raises(Interrupted):
        store.replace(statements(), unique_ids=["Person", "Country"], reset=True)

    assert dump(store) == before
    if isinstance(store, FalkorDBStore):
        assert raw_client(store.data_dir).keys("kg:staging:*") == []
    store.replace(SMALL_GRAPH[:1], unique_ids=["Person"], reset=True)
    assert store.query(COUNTS).rows == [[2, 0]]


def test_unique_ids_refuse_a_second_node_with_the_same_id(store: Store) -> None:
    """Both backends hold a unique constraint on `id`: CREATE of a duplicate fails, MERGE reuses."""
    store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    with pytest.raises(StoreError, match="statement 1 of 1 failed"):
        store.replace(
            [Statement("CREATE (:Person {id: 'esper', name: 'twin'})")],
            unique_ids=["Person"],
            reset=False,
        )
    store.replace(
        [Statement("MERGE (n:Person {id: 'esper'}) SET n.seen = true")],
        unique_ids=["Person"],
        reset=False,
    )
    assert store.query("MATCH (n:Person {id: 'esper'}) RETURN n.name, n.seen").rows == [
        ["Mark Esper", True]
    ]
    assert count(store, "Person") == 2


def test_replace_refuses_a_label_that_is_not_a_name(store: Store) -> None:
    with pytest.raises(StoreError, match="not a valid label"):
        store.replace([], unique_ids=["Person) DETACH DELETE (n"], reset=False)


# --- the embedded FalkorDB ----------------------------------------------------------------

CHILD_MERGES = """
import sys
from pathlib import Path
from kg.stores import Statement
from kg.stores.falkordb import FalkorDBStore

data_dir, prefix, times = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = FalkorDBStore(data_dir)
print("open", flush=True)
sys.stdin.readline()
for i in range(times):
    store.replace([Statement("MERGE (:Person {id: $id})", {"id": f"{prefix}{i}"})],
                  unique_ids=["Person"], reset=False)
print(store.query("MATCH (n:Person) RETURN count(n)").rows[0][0], flush=True)
sys.stdin.readline()
store.close()
print("closed", flush=True)
"""

CHILD_BIG_REPLACE = """
import sys
from pathlib import Path
from kg.stores import Statement
from kg.stores.falkordb import FalkorDBStore

store = FalkorDBStore(Path(sys.argv[1]))
statements = [Statement("UNWIND range(1, 100) AS i CREATE (:Person {id: $p + toString(i)})",
                        {"p": f"s{n}-"}) for n in range(100_000)]
print("replacing", flush=True)
store.replace(statements, unique_ids=["Person"], reset=True)
print("done", flush=True)
"""


def child(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def go(process: subprocess.Popen[str]) -> None:
    """Let a child past its next `readline()`."""
    assert process.stdin
    process.stdin.write("\n")
    process.stdin.flush()


def answer(process: subprocess.Popen[str]) -> str:
    assert process.stdout
    return process.stdout.readline().strip()


def server_pid(data_dir: Path) -> int:
    return int((data_dir / "redis.pid").read_text())


def running(pid: int) -> bool:
    """Whether `pid` runs; the server is reparented to init, which may leave it a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while running(pid):
        assert time.monotonic() < deadline, f"process {pid} still runs"
        time.sleep(0.01)


def raw_client(data_dir: Path) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(data_dir / "redis.sock"), decode_responses=True)


def _readers() -> list[str]:
    try:
        import hiredis  # noqa: F401
    except ImportError:
        return ["python"]
    return ["python", "hiredis"]


@pytest.mark.parametrize("reader", _readers())
def test_the_protocol_client_reads_every_kind_of_reply(
    falkordb_store: FalkorDBStore, reader: str
) -> None:
    """RESP2 (redis.io/docs/latest/develop/reference/protocol-spec): simple strings, errors,
    integers, bulk strings (whose bytes may hold CR LF), null, arrays, in a pipeline and in
    MULTI/EXEC, with hiredis's parser and with kg's own."""
    client = resp.Connection(str(falkordb_store.socket), 10)
    if reader == "python":
        client._reader = None
    text, big = "é\r\n“x”", "x" * 300_000  # several reads from the socket
    keys = ["test:resp:text", "test:resp:count", "test:resp:big"]
    try:
        assert client.execute("PING") == "PONG"
        assert client.execute("SET", keys[0], text) == "OK"
        assert client.execute("GET", keys[0]) == text
        assert client.execute("GET", "test:resp:missing") is None
        assert client.execute("INCR", keys[1]) == 1
        assert client.execute("SET", keys[2], big) == "OK"
        assert client.execute("MGET", keys[2], "test:resp:missing") == [big, None]
        wrong, pong = client.pipeline([("INCR", keys[0]), ("PING",)])
        assert isinstance(wrong, resp.ReplyError) and pong == "PONG"
        with pytest.raises(resp.ReplyError, match="not an integer"):
            client.execute("INCR", keys[0])
        assert client.transaction([("INCR", keys[1]), ("GET", keys[1])]) == [2, "2"]
        with pytest.raises(resp.ReplyError, match="not an integer"):
            client.transaction([("INCR", keys[0])])
        with pytest.raises(resp.ReplyError, match="Division by zero"):
            client.execute("GRAPH.QUERY", "test:resp:graph", "UNWIND [1, 0] AS x RETURN 1 / x")
        assert client.execute("PING") == "PONG"  # still in step after each error
    finally:
        client.execute("DEL", *keys, "test:resp:graph")
        client.close()


def test_a_fresh_store_is_an_empty_graph(tmp_path: Path) -> None:
    store = FalkorDBStore(tmp_path / "fresh")
    try:
        assert store.query("MATCH (n) RETURN count(n) AS n").rows == [[0]]
        assert store.query("MATCH (n) RETURN n").rows == []
    finally:
        store.close()


def test_the_data_dir_is_private(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    for data_dir in (tmp_path / "new", loose):
        FalkorDBStore(data_dir).close()
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_the_server_listens_on_the_unix_socket_only(falkordb_data_dir: Path) -> None:
    with raw_client(falkordb_data_dir) as client:
        assert client.config_get("port") == {"port": "0"}
        assert client.config_get("unixsocketperm") == {"unixsocketperm": "700"}
    assert stat.S_ISSOCK((falkordb_data_dir / "redis.sock").stat().st_mode)


def test_a_too_long_data_dir_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="too long for a unix socket"):
        FalkorDBStore(tmp_path / ("x" * 120))


def test_two_processes_share_the_server_and_the_last_stops_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "shared"
    first, second = child(CHILD_MERGES, data_dir, "a", 20), child(CHILD_MERGES, data_dir, "b", 20)
    try:
        assert answer(first) == answer(second) == "open"
        pid = server_pid(data_dir)
        go(first)
        go(second)  # both merge at the same time
        assert int(answer(first)) >= 20 and int(answer(second)) >= 20

        go(first)
        assert answer(first) == "closed" and first.wait(timeout=30) == 0
        assert running(pid), "the server stopped while a user remained"
        go(second)
        assert answer(second) == "closed" and second.wait(timeout=30) == 0
        wait_gone(pid)
        assert not (data_dir / "redis.sock").exists()
    finally:
        for process in (first, second):
            process.kill()
            process.communicate()

    store = FalkorDBStore(data_dir)  # serialized merges: none lost the other's nodes
    try:
        assert count(store, "Person") == 40
    finally:
        store.close()


@pytest.mark.parametrize("owner", ["dead process", "live process that is not redis"])
def test_a_stale_pid_file_and_socket_are_recovered(tmp_path: Path, owner: str) -> None:
    data_dir = tmp_path / "stale"
    data_dir.mkdir(mode=0o700)
    if owner == "dead process":
        gone = subprocess.Popen(["true"])
        gone.wait()
        pid = gone.pid
    else:
        pid = os.getpid()
    (data_dir / "redis.pid").write_text(f"{pid}\n")
    orphan = socket.socket(socket.AF_UNIX)
    orphan.bind(str(data_dir / "redis.sock"))
    orphan.close()

    store = FalkorDBStore(data_dir)
    try:
        assert count(store) == 0
        assert server_pid(data_dir) != pid
    finally:
        store.close()


def test_a_killed_server_is_restarted_with_its_saved_graph(tmp_path: Path) -> None:
    data_dir = tmp_path / "killed"
    old = FalkorDBStore(data_dir)
    try:
        old.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
        pid = server_pid(data_dir)
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid)
        with pytest.raises(StoreError, match="lost the FalkorDB server"):
            old.query("RETURN 1")

        new = FalkorDBStore(data_dir)  # finds the dead server's socket and pid file
        try:
            restarted = server_pid(data_dir)
            assert restarted != pid
            assert new.query(COUNTS).rows == [[2, 1]]
        finally:
            new.close()
    finally:
        old.close()
    wait_gone(restarted)
    assert not (data_dir / "redis.sock").exists()


def test_the_graph_persists_across_a_shutdown(tmp_path: Path) -> None:
    data_dir = tmp_path / "persist"
    first = FalkorDBStore(data_dir)
    first.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
    before = dump(first)
    pid = server_pid(data_dir)
    first.close()
    wait_gone(pid)

    second = FalkorDBStore(data_dir)
    try:
        assert server_pid(data_dir) != pid
        assert dump(second) == before
    finally:
        second.close()


def test_a_replace_killed_midway_leaves_the_previous_graph(tmp_path: Path) -> None:
    data_dir = tmp_path / "sigkill"
    store = FalkorDBStore(data_dir)  # keeps the server up while the loader dies
    try:
        store.replace(SMALL_GRAPH, unique_ids=["Person"], reset=True)
        before = dump(store)
        loader = child(CHILD_BIG_REPLACE, data_dir)
        assert answer(loader) == "replacing"
        time.sleep(0.5)
        assert loader.poll() is None, "the replace ended before the kill"
        loader.send_signal(signal.SIGKILL)
        loader.communicate(timeout=30)

        assert dump(store) == before
        with raw_client(data_dir) as client:
            assert client.keys("kg:staging:*"), "the killed loader left no staging key"

        again = FalkorDBStore(data_dir)
        try:
            again.replace(
                [Statement("CREATE (:Country {id: 'ma'})")], unique_ids=["Country"], reset=False
            )
            assert again.query(COUNTS).rows == [[3, 1]]
        finally:
            again.close()
        with raw_client(data_dir) as client:
            assert client.keys("kg:staging:*") == [], "the stale staging key was not deleted"
    finally:
        store.close()


# --- Neo4j ------------------------------------------------------------------------------


def test_an_unreachable_neo4j_fails_within_seconds() -> None:
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"^cannot reach Neo4j at bolt://127\.0\.0\.1:1: "):
        open_store(StoreConfig(uri="bolt://127.0.0.1:1", password="secret"))
    assert time.monotonic() - started < 15


def test_a_malformed_neo4j_uri_is_one_clear_error() -> None:
    with pytest.raises(InvalidInput, match="not a Neo4j URI"):
        open_store(StoreConfig(uri="http//localhost:7687"))


def test_a_wrong_neo4j_password_is_one_clear_error(neo4j_url: str) -> None:
    with pytest.raises(StoreError, match="^Neo4j refused the credentials for user 'neo4j'"):
        open_store(StoreConfig(uri=neo4j_url, user="neo4j", password="not-the-password"))


def test_a_malformed_statement_is_a_usage_error(store: Store) -> None:
    with pytest.raises(QueryError) as caught:
        store.query("MATCH (n RETURN n")
    assert caught.value.exit_code == 2


def test_the_64_bit_bounds_round_trip(store: Store) -> None:
    """Both stores hold the signed 64-bit integers, the range kg lets through (kg.stores.INT64)."""
    for n in (INT64.start, INT64.stop - 1):
        assert store.query("RETURN $n AS n", {"n": n}).rows == [[n]]
