"""An import reads a dump's quotes, articles and mentions a step at a time between the
statements of the entities and the facts, as the server writes them: the problems found
there still refuse the whole import, in the order a reader from the start meets them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ValidationFailed
from kg.load import load
from kg.rdf import importer
from kg.stores import Store
from tests.conftest import SEEDS
from tests.graph_dump import dump
from tests.test_load import children
from tests.test_rdf import sources_as_sets, without_text

KG = "https://w3id.org/kg-us-morocco/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Article 004: "Le secrétaire d'État américain à la Défense [...] Mark Esper a signé à Rabat un
# accord de coopération militaire d’une durée de 10 ans", quoted by a fact of the seeds.
QUOTE = "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans"
EXACT = f'<http://www.w3.org/ns/oa#exact> "{QUOTE}"@fr .'
NOT_THE_QUOTE = f"oa:exact {QUOTE + '.'!r} is not the quote {QUOTE!r}, white space aside"
# Mark Esper's English label, and the predicate of the fact that he signed the agreement.
ENGLISH = f'<{KG}entity/mark-esper> <{SKOS}prefLabel> "Mark Esper"@en'
SIGNED = f"<{KG}fact/esper-signed-morocco-agreement> <{RDF}predicate> <{KG}ontology#signed>"


def changed(dump_path: Path, tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The N-Triples dump with each line holding `old` changed to hold `new`."""
    text = dump_path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "changed.nt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_problem_only_the_articles_reader_finds_refuses_the_import(
    store: Store, rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    """The entities and the facts are sound and already sent when the quote's oa:exact is
    found not to be its quote: the import fails with that line, the graph it would have
    replaced stays, and no process is left behind."""
    load(store, SEEDS, reset=True)
    before = dump(store)
    path = changed(rdf_dumps["nt"], tmp_path, (EXACT, EXACT.replace(' ans"', ' ans."')))
    started = children()

    with pytest.raises(ValidationFailed) as failed:
        importer.import_rdf(store, path, reset=True)

    (problem,) = failed.value.problems
    assert problem.startswith(f"{path}: <{KG}quote/") and problem.endswith(NOT_THE_QUOTE)
    assert dump(store) == before
    assert children() == started


def test_the_problems_of_both_readers_come_as_one_reader_meets_them(
    clean_falkordb: Store, rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    """The first pass meets the entity, then the quote (in file order), then the facts are
    read, then the ids checked (an article's among them): the problems come in that order,
    as `read_dump` and `check` give them, and nothing is written."""
    path = changed(
        rdf_dumps["nt"],
        tmp_path,
        (ENGLISH, ENGLISH.replace("@en", "@de")),
        (EXACT, EXACT.replace(' ans"', ' ans."')),
        (SIGNED, SIGNED.replace("#signed", "#autographed")),
        ('"004_5699831b890fa017"', '"004_5699831b"'),
    )
    with pytest.raises(ValidationFailed) as read:
        importer.check(importer.read_dump(path, "nt"))
    with pytest.raises(ValidationFailed) as failed:
        importer.import_rdf(clean_falkordb, path, reset=True)

    assert failed.value.problems == read.value.problems
    entity, quote, fact, article = failed.value.problems
    assert entity == (
        f"{path}: <{KG}entity/mark-esper>: needs a skos:prefLabel in French (@fr) and in "
        "English (@en)"
    )
    assert quote.endswith(NOT_THE_QUOTE)
    assert fact == (
        f"{path}: <{KG}fact/esper-signed-morocco-agreement>: predicate "
        f"<{KG}ontology#autographed> is not in the kg vocabulary"
    )
    assert article == f"{path}: article id '004_5699831b' is not NNN_ and 16 hex digits"
    assert dump(clean_falkordb) == {"nodes": [], "relationships": []}


def test_an_import_read_a_quote_a_step_comes_back_whole(
    clean_falkordb: Store,
    loaded_store: Store,
    rdf_dumps: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A quote read between each two statements, the rest when the article rows are needed."""
    monkeypatch.setattr(importer, "QUOTES_A_STEP", 1)
    importer.import_rdf(clean_falkordb, rdf_dumps["nt"], reset=True)

    assert without_text(sources_as_sets(dump(clean_falkordb))) == without_text(
        sources_as_sets(dump(loaded_store))
    )
