"""The synthetic seeds of the scale benchmark are valid seeds, shaped as the benchmark says."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))

from synthetic import TYPE_KINDS, write_seeds  # noqa: E402

from kg import vocab  # noqa: E402
from kg.validate import load_corpus  # noqa: E402


def test_synthetic_seeds_pass_validation_with_the_promised_shape(tmp_path: Path) -> None:
    written = write_seeds(tmp_path, 600)
    corpus = load_corpus(tmp_path)  # raises ValidationFailed, listing every problem
    assert len(corpus.facts) == written["facts"] == 600
    assert len(corpus.articles) == 15  # 40 facts an article
    # Types in the proportions of the curated seeds (22 people in 90 entities...).
    types = Counter(e.type for e in corpus.entities.values())
    real = Counter()
    for (type_, _), count in TYPE_KINDS.items():
        real[type_] += count
    for type_, count in real.items():
        share = count / sum(real.values())
        assert abs(types[type_] / len(corpus.entities) - share) < 0.05, type_
    two = sum(len(f.sources) == 2 for f in corpus.facts) / len(corpus.facts)
    assert 0.2 < two < 0.4
    assert all(f.modality in vocab.MODALITIES for f in corpus.facts)
    assert {f.modality for f in corpus.facts} == set(vocab.MODALITIES)
    literal = [f for f in corpus.facts if vocab.PREDICATES[f.predicate].is_literal]
    assert any(f.predicate == "date" for f in literal)
    assert all(isinstance(f.value, int) for f in literal if f.predicate == "duration_years")
    assert any(f.during for f in corpus.facts) and any(f.stated_by for f in corpus.facts)


def test_the_same_size_gives_the_same_seeds(tmp_path: Path) -> None:
    write_seeds(tmp_path / "a", 200)
    write_seeds(tmp_path / "b", 200)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert files
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
