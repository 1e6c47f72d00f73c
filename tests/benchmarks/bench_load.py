"""How long each step of `kg load` takes, on the real seeds and on a synthetic corpus.

Run: python tests/benchmarks/bench_load.py [--entities 20000]
Prints figures; asserts nothing. The synthetic corpus skips validation (its
quotes are made up) and measures graph building and the atomic write.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from kg import graph
from kg.model import Article, Corpus, Entity, Fact, Source
from kg.stores.falkordb import FalkorDBStore
from kg.validate import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def synthetic(entities: int) -> Corpus:
    """`entities` people in one article, each meeting the next: one fact per entity."""
    text = "Synthetic article.\n"
    article = Article(id="999_synthetic", text=text, languages=["en"])
    people = {
        f"person-{i}": Entity(
            f"person-{i}",
            "Person",
            f"Person {i}",
            f"Personne {i}",
            f"Person {i}",
            aliases=[f"Person {i}"],
        )
        for i in range(entities)
    }
    facts = [
        Fact(
            f"met-{i}",
            f"person-{i}",
            "met",
            [Source(article.id, "Synthetic article.")],
            object=f"person-{i + 1}",
        )
        for i in range(entities - 1)
    ]
    return Corpus({article.id: article}, people, facts)


def timed(what: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{what:<44} {1000 * (time.perf_counter() - start):9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=20_000)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    store = FalkorDBStore(data_dir)
    try:
        corpus = timed("real seeds: read and validate", lambda: load_corpus(SEEDS))
        statements = timed("real seeds: build statements", lambda: graph.statements(corpus))
        timed(
            "real seeds: replace (reset)",
            lambda: store.replace(statements, unique_ids=graph.unique_labels(), reset=True),
        )
        timed(
            "real seeds: replace (merge into existing)",
            lambda: store.replace(statements, unique_ids=graph.unique_labels(), reset=False),
        )

        big = synthetic(args.entities)
        statements = timed(
            f"synthetic {args.entities} people: build statements", lambda: graph.statements(big)
        )
        start = time.perf_counter()
        store.replace(statements, unique_ids=graph.unique_labels(), reset=True)
        seconds = time.perf_counter() - start
        rows = 2 * args.entities - 1
        print(
            f"{'synthetic: replace (reset)':<44} {1000 * seconds:9.1f} ms"
            f"   {rows / seconds:,.0f} nodes+relationships/s"
        )
    finally:
        store.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
