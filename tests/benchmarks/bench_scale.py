"""Every phase of kg's main commands on synthetic seeds of growing size, beside its ceilings.

    python tests/benchmarks/bench_scale.py --sizes 10k,100k [--work DIR] [--skip shacl,naive]

For each size (facts) it writes synthetic seeds shaped like the real ones
(tests/benchmarks/synthetic.py), then times, on an embedded store in a fresh data directory:
read YAML, validate, mention scan, build the statements, write (the atomic replace), the
counts after the load, each alone, then the whole load end to end (`kg.load.load`, whose
phases overlap), each saved query, `kg --help` and `kg query chairs` as a user runs
them, export N-Triples and Turtle, import-rdf and validate --rdf. Per phase it prints
seconds, rows, rows/s and the peak resident memory of the client and of the FalkorDB server
during that phase (Linux: the high-water marks are reset before each phase), and at the end
the log-log slope of time against size between sizes (1.0 is linear, 2.0 quadratic).

Beside them, the ceilings on the same rows: FalkorDB `UNWIND ... CREATE` of the same
statements (as `kg load --reset` sends them) through the `falkordb` client on a plain graph
(no staging, no save); pyoxigraph serializing the same triples from ready terms; a plain
Python N-Triples writer; and what a naive tool gets, rdflib `Graph.serialize` Turtle. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_seeds  # noqa: E402

from kg import graph, queries, vocab  # noqa: E402
from kg.load import load, summarize  # noqa: E402
from kg.seeds import ARTICLES_DIR, read_corpus  # noqa: E402
from kg.stores import StoreError  # noqa: E402
from kg.stores.falkordb import MAX_TIMEOUT, FalkorDBStore  # noqa: E402
from kg.validate import check_checksums, check_corpus  # noqa: E402

KG = Path(sys.executable).with_name("kg")
PHASES = (
    "read",
    "validate",
    "mentions",
    "build",
    "write",
    "counts",
    "load total",
    "raw write",
    "queries",
    "cli",
    "export nt",
    "export ttl",
    "oxigraph nt",
    "oxigraph ttl",
    "python nt",
    "rdflib ttl",
    "import nt",
    "shacl",
)
# Which entity a saved query's (entity) parameter names in the synthetic graph, by its name.
PARAM_TYPES = {
    "event": vocab.EVENT,
    "tour": vocab.EVENT,
    "country": vocab.COUNTRY,
    "speaker": vocab.PERSON,
    "person": vocab.PERSON,
    "entity": vocab.PERSON,
    "other": vocab.COUNTRY,
}


@dataclass
class Figure:
    seconds: float
    rows: int
    client_mb: float | None
    server_mb: float | None
    note: str = ""
    client_cpu: float | None = None  # CPU seconds: what wall time hides on a shared machine
    server_cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Run:
    facts: int
    figures: dict[str, Figure] = field(default_factory=dict)
    query_seconds: dict[str, float] = field(default_factory=dict)
    query_server_cpu: dict[str, float | None] = field(default_factory=dict)
    timed_out: set[str] = field(default_factory=set)


# --- memory ---------------------------------------------------------------------------------


def _reset_peak(pid: int | str) -> None:
    """Reset a process's peak resident size (Linux: clear_refs 5); quietly not elsewhere."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def _cpu_seconds(pid: int | str | None) -> float | None:
    """User + system CPU time of a process so far (Linux /proc)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """CPU seconds of this process and of the children it reaped (the load's checks)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _peak_mb(pid: int | str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Meter:
    """Times phases and records the client's and the server's peak memory during each."""

    def __init__(self, run: Run, server_pid: Callable[[], int | None]) -> None:
        self.run = run
        self.server_pid = server_pid

    @contextlib.contextmanager
    def phase(self, name: str, rows: int = 0, note: str = "") -> Iterator[dict[str, Any]]:
        gc.collect()
        server = self.server_pid()
        for pid in ("self", server):
            if pid is not None:
                _reset_peak(pid)
        box: dict[str, Any] = {"rows": rows, "note": note}
        cpu = _own_cpu()
        server_cpu = _cpu_seconds(server)
        start = time.perf_counter()
        yield box
        seconds = time.perf_counter() - start
        server_after = _cpu_seconds(server)
        self.run.figures[name] = Figure(
            seconds,
            box["rows"],
            box.get("client_mb", _peak_mb("self")),  # a phase run as a command gives its own
            _peak_mb(server) if server is not None else None,
            box["note"],
            box.get("client_cpu", _own_cpu() - cpu),
            server_after - server_cpu if server_cpu is not None and server_after else None,
        )
        print(_line(name, self.run.figures[name]), flush=True)

    @contextlib.contextmanager
    def accumulated(self, name: str) -> Iterator[Callable[[int], Any]]:
        """A phase timed only inside the blocks it hands out (`with timed(rows): ...`)."""
        total = {"seconds": 0.0, "cpu": 0.0, "server_cpu": 0.0, "rows": 0, "peak": 0.0}
        server = self.server_pid()

        @contextlib.contextmanager
        def timed(rows: int) -> Iterator[None]:
            _reset_peak("self")
            cpu, server_cpu = time.process_time(), _cpu_seconds(server) or 0.0
            start = time.perf_counter()
            yield
            total["seconds"] += time.perf_counter() - start
            total["cpu"] += time.process_time() - cpu
            total["server_cpu"] += (_cpu_seconds(server) or 0.0) - server_cpu
            total["rows"] += rows
            total["peak"] = max(total["peak"], _peak_mb("self") or 0.0)

        gc.collect()
        yield timed
        figure = Figure(
            total["seconds"],
            total["rows"],
            total["peak"],
            _peak_mb(server) if server else None,
            "",
            total["cpu"],
            total["server_cpu"] if server else None,
        )
        self.run.figures[name] = figure
        print(_line(name, figure), flush=True)


# --- ceilings -------------------------------------------------------------------------------


def raw_write(store: FalkorDBStore, statements: list, labels: list[str]) -> None:
    """The same statements through the falkordb client on a plain graph: no staging, no save."""
    from falkordb import FalkorDB

    db = FalkorDB(unix_socket_path=str(store.socket))
    target = db.select_graph("bench_raw")
    with contextlib.suppress(Exception):
        target.delete()
    for label in labels:
        target.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
    for statement in statements:
        target.query(statement.cypher, dict(statement.params))
    target.delete()
    db.connection.close()


def plain_nt(rows: list[tuple[str, str, str, str | None, str | None]], out: io.BufferedWriter):
    """N-Triples by hand from plain rows (subject, predicate, object, datatype, language)."""
    write = out.write
    for s, p, o, datatype, language in rows:
        if datatype is None and language is None:
            write(f"<{s}> <{p}> <{o}> .\n".encode())
            continue
        text = o.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if language:
            write(f'<{s}> <{p}> "{text}"@{language} .\n'.encode())
        elif datatype == "http://www.w3.org/2001/XMLSchema#string":
            write(f'<{s}> <{p}> "{text}" .\n'.encode())
        else:
            write(f'<{s}> <{p}> "{text}"^^<{datatype}> .\n'.encode())


CEILING_CHUNK = 2_000_000  # triples held as terms at a time: 35M would not fit in memory


def _chunks(nt: Path) -> Iterator[list]:
    from pyoxigraph import RdfFormat, parse

    chunk: list = []
    for quad in parse(path=str(nt), format=RdfFormat.N_TRIPLES):
        chunk.append(quad.triple)
        if len(chunk) == CEILING_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ceilings(meter: Meter, nt: Path, work: Path, naive_max: int) -> None:
    """The serializers on the same triples, a chunk at a time (only the writing is timed)."""
    from pyoxigraph import Literal, RdfFormat, serialize

    out_path = work / "ceiling.out"
    for name, fmt in (("oxigraph nt", RdfFormat.N_TRIPLES), ("oxigraph ttl", RdfFormat.TURTLE)):
        with out_path.open("wb") as out, meter.accumulated(name) as timed:
            for triples in _chunks(nt):
                with timed(len(triples)):
                    serialize(triples, out, fmt)
    with out_path.open("wb") as out, meter.accumulated("python nt") as timed:
        for triples in _chunks(nt):
            rows = []
            for t in triples:
                o = t.object
                if isinstance(o, Literal):
                    rows.append(
                        (t.subject.value, t.predicate.value, o.value, o.datatype.value, o.language)
                    )
                else:
                    rows.append((t.subject.value, t.predicate.value, o.value, None, None))
            del triples
            with timed(len(rows)):
                plain_nt(rows, out)
    count = meter.run.figures["python nt"].rows
    if count > naive_max:
        print(f"{'rdflib ttl':<14} skipped: {count:,} triples > --naive-max {naive_max:,}")
        out_path.unlink()
        return
    from rdflib import Graph

    naive = Graph()
    naive.parse(str(nt), format="nt")
    with meter.phase("rdflib ttl", count):
        naive.serialize(destination=str(out_path), format="turtle")
    out_path.unlink()


# --- one size -------------------------------------------------------------------------------


def hubs(corpus: Any) -> dict[str, str]:
    """The first entity of each type: the generator makes them the most cited ones."""
    first: dict[str, str] = {}
    for entity in corpus.entities.values():
        first.setdefault(entity.type, entity.id)
    tour = next((e.id for e in corpus.entities.values() if e.kind == "tour"), first[vocab.EVENT])
    return {**first, "tour": tour}


def saved_query_params(query: queries.SavedQuery, firsts: dict[str, str], article: str) -> dict:
    params: dict[str, Any] = {}
    for param in query.params:
        if param.name == "article":
            params[param.name] = article
        elif param.entity:
            kind = "tour" if param.name == "tour" else PARAM_TYPES.get(param.name, vocab.PERSON)
            params[param.name] = firsts[kind]
    return params


def command(args: list[str], data_dir: Path | None = None) -> tuple[int, str, float, float]:
    """Run `kg ARGS` as a user does (on the store in `data_dir`): its exit code, output, CPU
    seconds (with its worker processes') and the sum of the peak resident sizes of it and
    its worker processes, in MB. The peaks are read from /proc while they run: the rusage
    of a child counts what it shared with this process before it started `kg`."""
    env = {**os.environ, "KG_DATA_DIR": str(data_dir)} if data_dir else None
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [str(KG), *args], stdout=output, stderr=subprocess.STDOUT, env=env
        )
        peaks: dict[int, float] = {}
        while True:
            for pid in (process.pid, *_children(process.pid)):
                peaks[pid] = max(peaks.get(pid, 0.0), _peak_mb(pid) or 0.0)
            done, status, usage = os.wait4(process.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode()
    return process.returncode, text, usage.ru_utime + usage.ru_stime, sum(peaks.values())


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cli_seconds(args: list[str], data_dir: Path, runs: int = 5) -> tuple[float, float]:
    """`kg ARGS` as a user's install runs it, bytecode caches written (a first run writes
    them; PYTHONDONTWRITEBYTECODE would make every start compile kg's modules again): the
    minimum wall and CPU seconds of `runs` runs."""
    env = {**os.environ, "KG_DATA_DIR": str(data_dir)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([str(KG), *args], env=env, check=True, capture_output=True)
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([str(KG), *args], env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"kg {' '.join(args)} failed")
    return min(walls), min(cpus)


def measure(
    facts: int, work: Path, skip: set[str], naive_max: int, shacl_max: int, query_timeout: float
) -> Run:
    seeds = work / f"seeds-{facts}"
    if not (seeds / "done").exists():
        shutil.rmtree(seeds, ignore_errors=True)
        start = time.perf_counter()
        written = write_seeds(seeds, facts)
        (seeds / "done").write_text(str(dict(written)))
        print(f"generated {dict(written)} in {time.perf_counter() - start:.1f} s", flush=True)
    data_dir = Path(tempfile.mkdtemp(prefix="kgb-", dir="/tmp"))  # short: a unix socket path
    store = FalkorDBStore(data_dir, timeout=MAX_TIMEOUT)  # the load's statements, unbounded
    run = Run(facts)
    meter = Meter(run, lambda: _read_pid(store.pid_file))
    try:
        print(f"\n## {facts:,} facts\n\n{HEADER}", flush=True)
        with meter.phase("read", facts) as box:
            corpus = read_corpus(seeds)
        with meter.phase("validate", facts) as box:
            problems = check_corpus(corpus) + check_checksums(seeds / ARTICLES_DIR, corpus)
        if problems:
            raise SystemExit(f"the synthetic seeds do not validate: {problems[:5]}")
        with meter.phase("mentions", len(corpus.articles)) as box:
            pairs = graph.mentions(corpus)
            box["note"] = f"{len(pairs):,} pairs"
        with meter.phase("build", facts) as box:  # into an empty graph: CREATE, as a reset
            statements = graph.graph_statements(
                corpus.entities, corpus.facts, graph.article_props(corpus), pairs, fresh=True
            )
        rows = sum(len(s.params["rows"]) for s in statements)
        with meter.phase("write", rows, "nodes+relationships") as box:
            store.replace(statements, unique_ids=graph.unique_labels(), reset=True)
        with meter.phase("counts", rows) as box:
            summarize(store)
        # The whole load as `kg load --reset` runs it, whose phases overlap (the store writes
        # while the statements are built), into an empty graph as the raw write's is.
        store.replace([], unique_ids=[], reset=True)
        with meter.phase("load total", facts) as box:
            load(store, seeds, reset=True)
            checks_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            box["note"] = f"facts, kg.load.load end to end; its checks' process {checks_mb:.0f} MB"
        if "raw" not in skip:
            with meter.phase("raw write", rows, "falkordb client, plain graph"):
                raw_write(store, statements, graph.unique_labels())
        del statements

        firsts = hubs(corpus)
        article = next(iter(corpus.articles))
        del corpus, pairs
        if "queries" not in skip:
            saved_queries(meter, run, data_dir, firsts, article, query_timeout)
        if "cli" not in skip:
            with meter.phase("cli", 2) as box:
                helps = cli_seconds(["--help"], data_dir)
                chairs = cli_seconds(
                    ["-q", "query", "chairs", "-p", f"event={firsts[vocab.EVENT]}"], data_dir
                )
                box["note"] = (
                    f"min of 5: kg --help {helps[0]:.3f} s ({helps[1]:.3f} cpu), "
                    f"kg query chairs {chairs[0]:.3f} s ({chairs[1]:.3f} cpu)"
                )
        if "export" not in skip:  # and with it what reads the dump: ceilings, import, SHACL
            dump_phases(meter, store, data_dir, work, skip, naive_max, shacl_max)
    finally:
        store.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    if run.query_seconds:
        _print_queries(run)
    return run


def saved_queries(
    meter: Meter,
    run: Run,
    data_dir: Path,
    firsts: dict[str, str],
    article: str,
    query_timeout: float,
) -> None:
    saved = queries.load_all()
    # A saved query that runs longer than --query-timeout is stopped by the server (the
    # store's own query timeout) and reported as such.
    reader = FalkorDBStore(data_dir, timeout=query_timeout)
    with meter.phase("queries", len(saved), f"{len(saved)} saved queries"):
        for name, query in saved.items():
            params = saved_query_params(query, firsts, article)
            server_cpu = _cpu_seconds(meter.server_pid())
            start = time.perf_counter()
            try:
                queries.run(reader, query, params)
            except StoreError as error:
                if "stopped the query" not in str(error):
                    raise
                run.timed_out.add(name)
            run.query_seconds[name] = time.perf_counter() - start
            after = _cpu_seconds(meter.server_pid())
            run.query_server_cpu[name] = (
                None if server_cpu is None or after is None else after - server_cpu
            )
    reader.close()


def dump_phases(
    meter: Meter,
    store: FalkorDBStore,
    data_dir: Path,
    work: Path,
    skip: set[str],
    naive_max: int,
    shacl_max: int,
) -> None:
    """Export, the serializers' ceilings on the dump, import it back, SHACL on it."""
    work = Path(tempfile.mkdtemp(prefix="dump-", dir=work))  # runs sharing --work never collide
    nt, ttl = work / "graph.nt", work / "graph.ttl"
    # `kg export` as users run it, on the running server: its own CPU and memory.
    with meter.phase("export nt") as box:
        code, output, box["client_cpu"], box["client_mb"] = command(
            ["-q", "export", "-f", "nt", "-o", str(nt)], data_dir
        )
        if code:
            raise SystemExit(f"kg export failed: {output}")
        box["rows"] = triples = _count_lines(nt)
    with meter.phase("export ttl", triples) as box:
        code, output, box["client_cpu"], box["client_mb"] = command(
            ["-q", "export", "-f", "ttl", "-o", str(ttl)], data_dir
        )
        if code:
            raise SystemExit(f"kg export failed: {output}")
    if "ceilings" not in skip:
        ceilings(meter, nt, work, naive_max if "naive" not in skip else -1)
    ttl.unlink()
    if "import" not in skip:
        with meter.phase("import nt", triples) as box:  # `kg import-rdf`, as users run it
            code, output, box["client_cpu"], box["client_mb"] = command(
                ["import-rdf", "--reset", str(nt)], store.data_dir
            )
            if code != 0:
                raise SystemExit(f"kg import-rdf failed: {output}")
    if "shacl" not in skip and triples <= shacl_max:
        with meter.phase("shacl", triples) as box:  # `kg validate --rdf`, as users run it
            code, output, box["client_cpu"], box["client_mb"] = command(
                ["validate", "--rdf", str(nt)]
            )
            box["note"] = f"kg validate --rdf: exit {code}, {output.splitlines()[-1][:60]}"
    elif "shacl" not in skip:
        print(f"{'shacl':<14} skipped: {triples:,} triples > --shacl-max {shacl_max:,}")
    shutil.rmtree(work)


# --- printing -------------------------------------------------------------------------------

HEADER = (
    f"| {'phase':<12} | {'seconds':>8} | {'rows':>10} | {'rows/s':>10} | {'client MB':>9} "
    f"| {'server MB':>9} | {'client cpu':>10} | {'server cpu':>10} | note\n"
    f"|{'-' * 14}|{'-' * 10}|{'-' * 12}|{'-' * 12}|{'-' * 11}|{'-' * 11}|{'-' * 12}"
    f"|{'-' * 12}|------"
)


def _mb(value: float | None) -> str:
    return f"{value:9.0f}" if value is not None else f"{'':>9}"


def _cpu(value: float | None) -> str:
    return f"{value:10.2f}" if value is not None else f"{'':>10}"


def _line(name: str, f: Figure) -> str:
    return (
        f"| {name:<12} | {f.seconds:8.2f} | {f.rows:>10,} | {f.rate:>10,.0f} | {_mb(f.client_mb)} "
        f"| {_mb(f.server_mb)} | {_cpu(f.client_cpu)} | {_cpu(f.server_cpu)} | {f.note}"
    )


def _print_queries(run: Run) -> None:
    print(f"\nsaved queries at {run.facts:,} facts (wall seconds, server cpu seconds):")
    for name, seconds in sorted(run.query_seconds.items(), key=lambda item: -item[1]):
        stopped = "  stopped: longer than --query-timeout" if name in run.timed_out else ""
        print(f"  {name:<22} {seconds:8.3f} {_cpu(run.query_server_cpu.get(name))}{stopped}")


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(size)."""
    points = [(n, s) for n, s in points if s > 0]
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


def _ratio(run: Run, ours: str, ceiling: str) -> str:
    a, b = run.figures.get(ours), run.figures.get(ceiling)
    if a is None or b is None or not a.rate or not b.rate:
        return "-"
    return f"{a.rate / b.rate:.2f}"


def _over(run: Run, a: str, b: str, value: Callable[[Figure], float]) -> str:
    """value(a) / value(b): for the same rows, b's rate over a's."""
    if a not in run.figures or b not in run.figures or not value(run.figures[b]):
        return "-"
    return f"{value(run.figures[a]) / value(run.figures[b]):.2f}"


def _cpu_total(f: Figure) -> float:
    return (f.client_cpu or 0.0) + (f.server_cpu or 0.0)


def _by_size(runs: list[Run], title: str, value: Callable[[Figure], float]) -> None:
    sizes = " | ".join(f"{r.facts:>9,}" for r in runs)
    print(f"\n## {title}, and the log-log slope\n\n| {'phase':<12} | {sizes} | slope")
    print(f"|{'-' * 14}|" + "|".join("-" * 11 for _ in runs) + "|------")
    for phase in PHASES:
        points = [(r.facts, value(r.figures[phase])) for r in runs if phase in r.figures]
        if not points:
            continue
        cells = " | ".join(
            f"{value(r.figures[phase]):9.2f}" if phase in r.figures else f"{'':>9}" for r in runs
        )
        fitted = slope(points)
        print(f"| {phase:<12} | {cells} | {fitted:.2f}" if fitted else f"| {phase:<12} | {cells} |")


def summary(runs: list[Run]) -> None:
    sizes = " | ".join(f"{r.facts:>9,}" for r in runs)
    _by_size(runs, "wall seconds by size", lambda f: f.seconds)
    _by_size(runs, "CPU seconds (client + server) by size", _cpu_total)
    print("\n## ratios (rows/s of ours over rows/s of the reference; 1.00 = at the ceiling)\n")
    pairs = (
        ("write", "raw write", "store write / FalkorDB UNWIND…CREATE, falkordb client"),
        ("export nt", "python nt", "export nt / plain Python N-Triples writer"),
        ("export nt", "oxigraph nt", "export nt / pyoxigraph N-Triples from ready terms"),
        ("export ttl", "oxigraph ttl", "export ttl / pyoxigraph Turtle from ready terms"),
        ("export ttl", "rdflib ttl", "export ttl / rdflib Graph.serialize Turtle (naive)"),
    )
    print(f"| {'ratio':<56} | {sizes}")
    print(f"|{'-' * 58}|" + "|".join("-" * 11 for _ in runs))
    for ours, ceiling, what in pairs:
        print(f"| {what:<56} | " + " | ".join(f"{_ratio(r, ours, ceiling):>9}" for r in runs))
    # The load writes the raw write's rows and does everything else besides: at half the
    # raw write's rate or better, the rest costs no more than the write itself.
    print(
        f"| {'load / raw write, same rows, wall (target >= 0.50)':<56} | "
        + " | ".join(f"{_over(r, 'raw write', 'load total', lambda f: f.seconds):>9}" for r in runs)
    )
    print(
        f"| {'load / raw write, same rows, CPU client + server':<56} | "
        + " | ".join(f"{_over(r, 'raw write', 'load total', _cpu_total):>9}" for r in runs)
    )
    print(
        f"| {'load facts/s, wall (target 25,000)':<56} | "
        + " | ".join(f"{r.figures['load total'].rate:>9,.0f}" for r in runs)
    )
    print(
        f"| {'load facts/s, CPU seconds of client + server':<56} | "
        + " | ".join(f"{r.facts / _cpu_total(r.figures['load total']):>9,.0f}" for r in runs)
    )


# --- main -----------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k", help="facts per run, e.g. 10k,100k,1m")
    parser.add_argument("--work", type=Path, help="keep generated seeds here (reused next time)")
    parser.add_argument(
        "--skip",
        default="",
        help="phases to leave out: raw, queries, cli, export (with what reads its dump), "
        "ceilings, naive, import, shacl (comma-separated)",
    )
    parser.add_argument("--naive-max", type=int, default=2_000_000, help="rdflib up to N triples")
    parser.add_argument("--shacl-max", type=int, default=2_000_000, help="SHACL up to N triples")
    parser.add_argument(
        "--query-timeout", type=float, default=60.0, help="seconds a saved query may run"
    )
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; work: {work}")
    try:
        runs = [
            measure(n, work, skip, args.naive_max, args.shacl_max, args.query_timeout)
            for n in sizes
        ]
        summary(runs)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
