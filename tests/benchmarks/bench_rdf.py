"""RDF export, import and SHACL on a synthetic graph: throughput and peak memory per format.

Run: python tests/benchmarks/bench_rdf.py [--entities 20000] [--pyshacl]
Prints figures; asserts nothing. The graph is the synthetic corpus of bench_load.py (people
meeting the next one, one quote each), written to an embedded store first. Peak memory is the
process's peak resident size after each step (it only grows), so a streamed export shows as
a flat line while the graph grows.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import synthetic  # noqa: E402

from kg import graph  # noqa: E402
from kg.exporters import ExportOptions  # noqa: E402
from kg.rdf.export import FORMATS, export  # noqa: E402
from kg.rdf.importer import import_rdf  # noqa: E402
from kg.rdf.shacl import validate_file, validate_with_pyshacl  # noqa: E402
from kg.stores.falkordb import FalkorDBStore  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--pyshacl", action="store_true", help="time the reference too (slow)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-bench-rdf-"))
    store = FalkorDBStore(work / "store")
    try:
        corpus = synthetic(args.entities)
        for fact in corpus.facts:
            fact.modality = "actual"
        for article in corpus.articles.values():
            article.sha256 = hashlib.sha256(article.text.encode()).hexdigest()
        store.replace(graph.statements(corpus), unique_ids=graph.unique_labels(), reset=True)
        print(f"graph: {args.entities} people, {args.entities - 1} facts")
        print(f"{'step':<26} {'seconds':>8} {'triples':>9} {'triples/s':>10} {'peak MB':>8}")
        for fmt in FORMATS:
            path = work / f"graph.{fmt}"
            start = time.perf_counter()
            with path.open("wb") as stream:
                export(store, stream, ExportOptions(format=fmt))
            seconds = time.perf_counter() - start
            lines = sum(1 for _ in path.open("rb")) if fmt in ("nt", "nq") else 0
            rate = f"{lines / seconds:10.0f}" if lines else f"{'':>10}"
            count = f"{lines:9d}" if lines else f"{'':>9}"
            print(f"export {fmt:<19} {seconds:8.2f} {count} {rate} {peak_mb():8.0f}")
        triples = sum(1 for _ in (work / "graph.nt").open("rb"))
        for fmt in ("nt", "trig"):
            target = FalkorDBStore(work / f"import-{fmt}")
            try:
                start = time.perf_counter()
                import_rdf(target, work / f"graph.{fmt}", reset=True)
                seconds = time.perf_counter() - start
                print(
                    f"import {fmt:<19} {seconds:8.2f} {triples:9d} {triples / seconds:10.0f} "
                    f"{peak_mb():8.0f}"
                )
            finally:
                target.close()
        checks = [("kg validate --rdf", validate_file)]
        if args.pyshacl:
            checks.append(("shacl (pyshacl)", validate_with_pyshacl))
        for what, check in checks:
            start = time.perf_counter()
            report = check(work / "graph.nt")
            seconds = time.perf_counter() - start
            print(
                f"{what:<26} {seconds:8.2f} {triples:9d} {triples / seconds:10.0f} "
                f"{peak_mb():8.0f}  conforms={report.conforms}"
            )
    finally:
        store.close()  # stops the embedded server, which would otherwise outlive the run
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
