"""`kg stats`: its counts agree with the seed files, counted here on their own, and the store.

The seed records are read with yaml.safe_load, without kg's reader or vocabulary: a fact with a
`value` is a literal fact, one with an `object` a relationship.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg import queries


def records(folder: Path) -> list[dict[str, Any]]:
    return [r for path in sorted(folder.glob("*.yaml")) for r in yaml.safe_load(path.read_text())]


@pytest.fixture(scope="module")
def seed_counts(seeds_dir: Path) -> dict[str, Any]:
    entities = records(seeds_dir / "entities")
    facts = records(seeds_dir / "facts")
    sources = Counter(len(f["sources"]) for f in facts)
    return {
        "articles": len(list((seeds_dir / "articles").glob("*.txt"))),
        "entities": len(entities),
        "entities_by_type": Counter(e["type"] for e in entities),
        "facts": {
            "total": len(facts),
            "relationship": sum("object" in f for f in facts),
            "literal": sum("value" in f for f in facts),
            "inferred": sum(f.get("inferred") is not None for f in facts),
            "claims": sum(f.get("stated_by") is not None for f in facts),
        },
        "facts_by_predicate": Counter(f["predicate"] for f in facts),
        "sources": sources,
        "facts_per_article": Counter(
            a for f in facts for a in {s["article"] for s in f["sources"]}
        ),
    }


@pytest.fixture
def stats(run_kg, seeds_dir: Path) -> dict[str, Any]:
    result = run_kg("stats", "--seeds", str(seeds_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_counts_agree_with_the_seed_files(stats, seed_counts) -> None:
    assert stats["articles"] == seed_counts["articles"]
    assert stats["entities"] == seed_counts["entities"]
    by_type = {t: n for t, n in stats["entities_by_type"].items() if n}
    assert by_type == dict(seed_counts["entities_by_type"])
    assert stats["facts"] == seed_counts["facts"]
    by_predicate = {p: n for p, n in stats["facts_by_predicate"].items() if n}
    assert by_predicate == dict(seed_counts["facts_by_predicate"])


def test_sources_per_fact_agree_with_the_seed_files(stats, seed_counts) -> None:
    sources = seed_counts["sources"]
    spread = stats["sources_per_fact"]
    assert {int(k): v for k, v in spread["distribution"].items()} == dict(sources)
    assert (spread["min"], spread["max"]) == (min(sources), max(sources))
    mean = sum(n * count for n, count in sources.items()) / sum(sources.values())
    assert spread["mean"] == pytest.approx(mean, abs=0.005)


def test_per_article_figures_agree_with_the_seeds_and_the_store(
    stats, seed_counts, loaded_store, run_kg, seeds_dir
) -> None:
    per_article = stats["per_article"]
    assert {a: row["facts"] for a, row in per_article.items()} == dict(
        seed_counts["facts_per_article"]
    )
    # The saved query counts the same figures in Cypher of its own.
    saved = queries.run(loaded_store, queries.get("facts-per-article")).records()
    assert {r["article"]: (r["entities"], r["facts"]) for r in saved} == {
        a: (row["entities"], row["facts"]) for a, row in per_article.items()
    }
    coverage = json.loads(run_kg("coverage", "--seeds", str(seeds_dir), "-f", "json").stdout)
    assert {c["article"]: (c["sentences"], c["cited"]) for c in coverage} == {
        a: (row["sentences"], row["cited"]) for a, row in per_article.items()
    }
    for row in per_article.values():
        assert row["cited_share"] == pytest.approx(row["cited"] / row["sentences"], abs=0.001)


def test_csv_and_table_give_the_same_figures(run_kg, stats, seeds_dir: Path) -> None:
    result = run_kg("stats", "--seeds", str(seeds_dir), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["statistic", "value"]
    flat = dict(rows[1:])
    assert flat["facts.total"] == str(stats["facts"]["total"])
    assert flat["entities_by_type.Person"] == str(stats["entities_by_type"]["Person"])
    article, row = next(iter(stats["per_article"].items()))
    assert flat[f"per_article.{article}.entities"] == str(row["entities"])

    table = run_kg("stats", "--seeds", str(seeds_dir)).stdout
    assert table.splitlines()[0].split() == ["statistic", "value"]
    assert ["facts.total", str(stats["facts"]["total"])] in [
        line.split() for line in table.splitlines()
    ]
    assert "cited_share" in table and "predicate" in table
