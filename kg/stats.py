"""How big the graph is and how well its facts are sourced, as plain data.

Counts are read from the store, so they describe what was loaded (or imported); the share of
each article's sentences that facts cite is computed from the seeds (kg.coverage).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from kg import contract, cypher, vocab
from kg.coverage import ArticleCoverage, article_coverage
from kg.stores import Store
from kg.validate import load_corpus


def graph_stats(store: Store, seeds_dir: Path) -> dict[str, Any]:
    """Counts by type and predicate, sources per fact, per-article entities, facts and coverage."""
    ours = cypher.ours_params()
    literal = list(contract.LITERAL_PREDICATES)
    with store.reading():
        labels = dict(store.query(cypher.NODES, ours).rows)
        relationship_facts = store.query(
            cypher.RELATIONSHIP_FACTS, {"mentions": vocab.MENTIONS, **ours}
        ).records()
        literal_facts = store.query(cypher.LITERAL_FACTS, {"predicates": literal, **ours}).records()
        mentions = dict(store.query(cypher.MENTIONS_PER_ARTICLE, ours).rows)
    facts = relationship_facts + literal_facts
    by_predicate = Counter(f["predicate"] for f in facts)
    sources = [len(f["articles"]) for f in facts]
    facts_citing = Counter(a for f in facts for a in set(f["articles"]))
    corpus = load_corpus(seeds_dir)
    reports = {a.id: article_coverage(corpus, a) for a in corpus.articles.values()}
    return {
        "articles": labels.get(vocab.ARTICLE_LABEL, 0),
        "entities": sum(labels.get(t, 0) for t in vocab.ENTITY_TYPES),
        "entities_by_type": {t: labels.get(t, 0) for t in vocab.ENTITY_TYPES},
        "facts": {
            "total": len(facts),
            "relationship": len(relationship_facts),
            "literal": len(literal_facts),
            "inferred": sum(f["inferred"] for f in facts),
            "claims": sum(f["claim"] for f in facts),
        },
        "facts_by_predicate": {p: by_predicate[p] for p in vocab.PREDICATES},
        "sources_per_fact": {
            "min": min(sources, default=0),
            "mean": round(sum(sources) / len(sources), 2) if sources else 0,
            "max": max(sources, default=0),
            "distribution": dict(sorted(Counter(sources).items())),
        },
        "per_article": {
            article: _article_row(mentions[article], facts_citing[article], reports.get(article))
            for article in sorted(mentions)
        },
    }


def _article_row(entities: int, facts: int, report: ArticleCoverage | None) -> dict[str, Any]:
    """An article's entities and facts (from the store) and its sentences cited (seeds)."""
    return {
        "entities": entities,
        "facts": facts,
        "sentences": report.total if report else None,
        "cited": len(report.cited) if report else None,
        "cited_share": round(report.share_cited, 3) if report else None,
    }


def flatten(value: Any, prefix: str = "") -> list[list[Any]]:
    """`[statistic, value]` rows, the statistic a dotted path: the stats as one CSV table."""
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in flatten(v, f"{prefix}{k}.")]
    return [[prefix.rstrip("."), value]]


def tables(stats: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The stats as small `(title, columns, rows)` tables, for a terminal."""
    spread = stats["sources_per_fact"]
    totals = flatten({k: stats[k] for k in ("articles", "entities", "facts")})
    totals += [[f"sources_per_fact.{k}", spread[k]] for k in ("min", "mean", "max")]
    return [
        ("Totals", ["statistic", "value"], totals),
        ("Entities by type", ["type", "entities"], list(stats["entities_by_type"].items())),
        ("Facts by predicate", ["predicate", "facts"], list(stats["facts_by_predicate"].items())),
        ("Sources per fact", ["sources", "facts"], list(spread["distribution"].items())),
        (
            "Articles",
            ["article", "entities", "facts", "sentences", "cited", "cited_share"],
            [[a, *row.values()] for a, row in stats["per_article"].items()],
        ),
    ]
