"""The RDF dump: every format parses with rdflib and pyoxigraph, carries the ontology and the
provenance of each fact, conforms to the SHACL shapes, and comes back whole through import-rdf.

Expected facts are read from the articles: article 004 says "Mark Esper a signé à Rabat un
accord de coopération militaire d’une durée de 10 ans avec [...] Abdellatif Loudiyi".
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import vocab
from kg.exporters import ExportOptions
from kg.model import Fact
from kg.rdf import KG, ONTOLOGY, ONTOLOGY_VERSION_IRI, PREDICATE_IRI, RDF, Iris
from kg.rdf.export import export
from kg.rdf.importer import OXIGRAPH_FORMATS
from kg.rdf.shacl import shapes, validate_file
from kg.stores import Store
from kg.validate import load_corpus
from tests.graph_dump import dump

FORMATS = ("ttl", "nt", "jsonld", "jsonld-expanded", "trig", "nq")
RDFLIB_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "jsonld-expanded": "json-ld",
    "trig": "trig",
    "nq": "nquads",
}
BASE = "https://w3id.org/kg-us-morocco/"
ARTICLE_IDS = sorted(
    p.stem for p in (Path(__file__).parent.parent / "seeds/articles").glob("*.txt")
)
PREFIXES = """
PREFIX kg: <https://w3id.org/kg-us-morocco/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


def write_export(store: Store, path: Path, fmt: str, base: str = BASE) -> Path:
    with path.open("wb") as stream:
        export(store, stream, ExportOptions(format=fmt, base=base))
    return path


def graphs(path: Path, fmt: str) -> dict[str, rdflib.Graph]:
    """The dump's non-empty graphs by name (the default graph's name is rdflib's)."""
    data = rdflib.Dataset()
    data.parse(path, format=RDFLIB_FORMATS[fmt])
    return {str(g.identifier): g for g in data.graphs() if len(g)}


def union(path: Path, fmt: str) -> rdflib.Graph:
    merged = rdflib.Graph()
    for g in graphs(path, fmt).values():
        for triple in g:
            merged.add(triple)
    return merged


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_parses_with_rdflib_and_pyoxigraph(
    rdf_dumps: dict[str, Path], fmt: str
) -> None:
    in_rdflib = union(rdf_dumps[fmt], fmt)
    in_oxigraph = {
        (q.subject, q.predicate, q.object)
        for q in pyoxigraph.parse(path=str(rdf_dumps[fmt]), format=OXIGRAPH_FORMATS[fmt])
    }
    assert len(in_rdflib) == len(in_oxigraph) > 1000


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_the_named_graphs_are_the_ontology_the_facts_and_one_provenance_per_article(
    rdf_dumps: dict[str, Path], fmt: str
) -> None:
    iris = Iris(BASE)
    named = set(graphs(rdf_dumps[fmt], fmt))
    expected = {iris.graph("ontology"), iris.graph("facts"), iris.graph("dataset")}
    expected |= {iris.provenance(a) for a in ARTICLE_IDS}
    assert named == expected, "every triple in a named graph, none in the default graph"
    assert not named & {iris.article(a) for a in ARTICLE_IDS}


def test_every_triple_is_in_exactly_one_graph(rdf_dumps: dict[str, Path]) -> None:
    quads = list(pyoxigraph.parse(path=str(rdf_dumps["nq"]), format=pyoxigraph.RdfFormat.N_QUADS))
    triples = Counter((q.subject, q.predicate, q.object) for q in quads)
    repeated = [t for t, n in triples.items() if n > 1]
    assert not repeated, repeated[:3]
    ntriples = {
        (q.subject, q.predicate, q.object)
        for q in pyoxigraph.parse(path=str(rdf_dumps["nt"]), format=pyoxigraph.RdfFormat.N_TRIPLES)
    }
    assert ntriples == set(triples), "N-Triples is the union"


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_no_line_is_repeated(rdf_dumps: dict[str, Path], fmt: str) -> None:
    lines = rdf_dumps[fmt].read_bytes().splitlines()
    assert len(lines) == len(set(lines)) > 1000


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_exports_are_byte_identical(
    rdf_dumps: dict[str, Path], loaded_store: Store, tmp_path: Path, fmt: str
) -> None:
    again = write_export(loaded_store, tmp_path / f"again.{fmt}", fmt)
    assert again.read_bytes() == rdf_dumps[fmt].read_bytes()


def test_the_dataset_description_counts_what_the_file_holds(rdf_dumps: dict[str, Path]) -> None:
    """VoID: the dump's triple count is the number of N-Triples lines; each graph's, its quads."""
    void = "http://rdfs.org/ns/void#"
    g = union(rdf_dumps["nt"], "nt")
    dataset = rdflib.URIRef(Iris(BASE).graph("dataset") + "#dataset")
    assert (dataset, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) in g
    lines = rdf_dumps["nt"].read_bytes().splitlines()
    assert int(g.value(dataset, rdflib.URIRef(void + "triples"))) == len(lines)
    per_graph = Counter(
        q.graph_name.value
        for q in pyoxigraph.parse(path=str(rdf_dumps["nq"]), format=pyoxigraph.RdfFormat.N_QUADS)
    )
    for subset in g.objects(dataset, rdflib.URIRef(void + "subset")):
        assert int(g.value(subset, rdflib.URIRef(void + "triples"))) == per_graph[str(subset)]
    assert {str(s) for s in g.objects(dataset, rdflib.URIRef(void + "subset"))} == set(per_graph)


def test_trig_opens_each_graph_once(rdf_dumps: dict[str, Path]) -> None:
    text = rdf_dumps["trig"].read_text(encoding="utf-8")
    opened = re.findall(r"^(\S+) \{$", text, re.MULTILINE)
    assert len(opened) == len(set(opened)) == len(ARTICLE_IDS) + 3


def test_prefixes_cover_every_namespace(rdf_dumps: dict[str, Path]) -> None:
    """Turtle writes no full IRI where a prefix would do (the ontology's own IRIs aside)."""
    text = rdf_dumps["ttl"].read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    for own in (ONTOLOGY, ONTOLOGY_VERSION_IRI):  # no local name to prefix
        body = body.replace(f"<{own}>", "")
    assert "<http" not in body


def test_json_ld_is_compacted_with_a_context(rdf_dumps: dict[str, Path]) -> None:
    compact = json.loads(rdf_dumps["jsonld"].read_text(encoding="utf-8"))
    assert compact["@context"]["schema"] == "https://schema.org/"
    assert {"@id": "entity:mark-esper"}.items() <= next(
        n for n in compact["@graph"] if n["@id"] == "entity:mark-esper"
    ).items()
    assert len(rdf_dumps["jsonld"].read_bytes().splitlines()) > 500, "a node per line"
    expanded = json.loads(rdf_dumps["jsonld-expanded"].read_text(encoding="utf-8"))
    assert isinstance(expanded, list) and "@context" not in expanded[0]
    assert isomorphic(union(rdf_dumps["jsonld"], "jsonld"), union(rdf_dumps["nt"], "nt"))


# Predicates whose values are codes or identifiers, not text in a language.
NOT_TEXT = {
    "http://purl.org/dc/terms/identifier",
    KG + "sha256",
    KG + "outlet",
    "https://schema.org/inLanguage",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://www.w3.org/2002/07/owl#versionInfo",
    "http://www.w3.org/ns/dcat#version",
    "http://rdfs.org/ns/void#uriSpace",
}


def test_every_natural_language_literal_has_a_language(rdf_dumps: dict[str, Path]) -> None:
    g = union(rdf_dumps["nt"], "nt")
    untagged = {
        str(p)
        for _, p, o in g
        if isinstance(o, rdflib.Literal)
        and o.datatype in (None, rdflib.XSD.string)
        and o.language is None
    }
    assert untagged <= NOT_TEXT
    quotes = {o.language for o in g.objects(None, rdflib.URIRef("http://www.w3.org/ns/prov#value"))}
    assert quotes == {"fr"}  # every article's metadata: "languages: [fr]" first


def test_a_quote_and_its_links_are_in_its_articles_provenance_graph(
    rdf_dumps: dict[str, Path],
) -> None:
    data = rdflib.Dataset()
    data.parse(rdf_dumps["trig"], format="trig")
    rows = data.query(
        PREFIXES
        + """
        SELECT ?g ?article ?quote WHERE {
          GRAPH <https://w3id.org/kg-us-morocco/graph/facts> {
            ?esper kg:signed ?agreement ; schema:name "Mark Esper"@fr .
            ?fact rdf:subject ?esper ; rdf:predicate kg:signed ; rdf:object ?agreement .
            ?agreement kg:durationYears 10 .
          }
          GRAPH ?g {
            ?fact prov:wasDerivedFrom ?source .
            ?source prov:value ?quote ; prov:wasQuotedFrom ?a .
            ?a dcterms:identifier ?article .
          }
        }"""
    )
    found = {(str(g), str(a), str(q)) for g, a, q in rows}
    assert found, "Mark Esper signed the 10-year agreement (article 004)"
    article = "004_5699831b890fa017"
    assert {(g, a) for g, a, _ in found} == {(Iris(BASE).provenance(article), article)}
    assert any("Mark Esper a signé" in q for _, _, q in found)


def test_a_quote_is_one_node_shared_by_the_facts_it_supports(rdf_dumps: dict[str, Path]) -> None:
    g = union(rdf_dumps["ttl"], "ttl")
    rows = g.query(
        PREFIXES
        + """
        SELECT ?text (COUNT(DISTINCT ?source) AS ?nodes) (COUNT(DISTINCT ?fact) AS ?facts)
        WHERE { ?fact prov:wasDerivedFrom ?source . ?source prov:value ?text ;
                      prov:wasQuotedFrom ?article . }
        GROUP BY ?article ?text"""
    )
    counts = [(int(nodes), int(facts)) for _, nodes, facts in rows]
    assert all(nodes == 1 for nodes, _ in counts), "one node per quoted span"
    assert any(facts > 1 for _, facts in counts), "some quote supports several facts"


def plain_and_stated(g: rdflib.Graph) -> tuple[set, dict[str, tuple]]:
    """The dump's plain triples of kg predicates, and each statement's triple by fact id."""
    predicates = {rdflib.URIRef(iri) for iri in PREDICATE_IRI.values()}
    plain = {t for t in g if t[1] in predicates and (t[0], rdflib.RDF.type, None) in g}
    stated = {}
    for fact in g.subjects(rdflib.RDF.type, rdflib.RDF.Statement):
        triple = tuple(g.value(fact, rdflib.RDF[p]) for p in ("subject", "predicate", "object"))
        stated[str(g.value(fact, rdflib.URIRef("http://purl.org/dc/terms/identifier")))] = triple
    return plain, stated


def test_plain_triples_hold_only_the_facts_the_articles_assert(
    rdf_dumps: dict[str, Path], seeds_dir: Path
) -> None:
    """A claim (`stated_by`) or a fact that did not simply happen (modality other than actual)
    is a statement only; every asserted fact is a plain triple too."""
    corpus = load_corpus(seeds_dir)
    plain, stated = plain_and_stated(union(rdf_dumps["ttl"], "ttl"))
    asserted = [f for f in corpus.facts if asserted_fact(f)]
    others = [f for f in corpus.facts if not asserted_fact(f)]
    assert {f.stated_by is None for f in others} == {True, False}, "claims, plans and the like"
    assert {stated[f.id] for f in asserted} == plain
    also_asserted = {stated[f.id] for f in asserted}  # "the US cooperates with Morocco", say
    for fact in others:
        assert stated[fact.id] not in plain - also_asserted, fact.id
    # 002: '"Le Maroc est un partenaire et un fournisseur de sécurité établi [...]", a déclaré
    # Blinken.' is Blinken's word, not the article's.
    praise = stated["blinken-praised-morocco"]
    assert praise == tuple(
        rdflib.URIRef(i)
        for i in (Iris(BASE).entity("antony-blinken"), KG + "praised", Iris(BASE).entity("morocco"))
    )
    assert praise not in plain
    # 002: "il présidera une importante réunion [...] sur la lutte contre Daesh": a plan.
    plan = stated["blinken-chaired-coalition-meeting-marrakech"]
    assert plan[1] == rdflib.URIRef(KG + "chaired") and plan not in plain


def asserted_fact(fact: Fact) -> bool:
    """The truth model: modality actual and no stated_by."""
    return fact.modality == vocab.ACTUAL and fact.stated_by is None


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_each_fact_links_to_its_quotes(rdf_dumps: dict[str, Path], fmt: str) -> None:
    g = union(rdf_dumps[fmt], fmt)
    rows = g.query(
        PREFIXES
        + """
        SELECT ?quote ?article WHERE {
          ?agreement kg:durationYears ?years .
          ?fact rdf:subject ?agreement ; rdf:predicate kg:durationYears ; rdf:object ?years ;
                prov:wasDerivedFrom ?source .
          ?source prov:value ?quote ; prov:wasQuotedFrom/dcterms:identifier ?article .
          ?esper schema:name "Mark Esper"@fr ; kg:signed ?agreement .
        }"""
    )
    quotes = {str(q) for q, _ in rows}
    assert any("d’une durée de 10 ans" in q for q in quotes)
    assert {str(a) for _, a in rows} == {"004_5699831b890fa017"}


def test_every_fact_and_entity_of_the_store_is_in_the_dump(
    rdf_dumps: dict[str, Path], loaded_store: Store
) -> None:
    g = union(rdf_dumps["ttl"], "ttl")
    identifiers = {
        str(o) for o in g.objects(None, rdflib.URIRef("http://purl.org/dc/terms/identifier"))
    }
    fact_ids = {
        row[0]
        for row in loaded_store.query(
            "MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN DISTINCT r.id"
        ).rows
    }
    entity_ids = {row[0] for row in loaded_store.query("MATCH (n) RETURN n.id").rows}
    assert fact_ids | entity_ids <= identifiers


def test_names_and_aliases_are_labelled_in_french_and_english(rdf_dumps: dict[str, Path]) -> None:
    g = union(rdf_dumps["ttl"], "ttl")
    daesh = next(
        s
        for s, o in g.subject_objects(rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
        if str(o) == "Daech"
    )
    pref = {(str(o), o.language) for o in g.objects(daesh, rdflib.SKOS.prefLabel)}
    assert {lang for _, lang in pref} == {"fr", "en"}
    aliases = {str(o) for o in g.objects(daesh, rdflib.SKOS.altLabel)}
    assert {"Daech", "Daesh"} <= aliases  # articles 002 and 003 spell it both ways
    assert (daesh, rdflib.RDF.type, rdflib.URIRef("https://schema.org/Organization")) in g


def test_the_ontology_describes_every_kg_predicate(rdf_dumps: dict[str, Path]) -> None:
    g = union(rdf_dumps["ttl"], "ttl")
    for predicate in vocab.PREDICATES.values():
        if not predicate.rdf_term.startswith("kg:"):
            continue
        term = rdflib.URIRef(KG + predicate.rdf_term.removeprefix("kg:"))
        labels = {o.language for o in g.objects(term, rdflib.RDFS.label)}
        assert labels == {"fr", "en"}, predicate.name
        assert g.value(term, rdflib.RDFS.comment) is not None, predicate.name
        assert g.value(term, rdflib.RDFS.domain) is not None, predicate.name
        assert g.value(term, rdflib.RDFS.range) is not None, predicate.name


def test_base_iri_is_configurable(run_kg, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    result = run_kg("export", "--format", "nt", "--base", "http://example.org/kg/", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "<http://example.org/kg/entity/mark-esper>" in text
    assert BASE + "entity/" not in text


def test_progress_reaches_every_node(loaded_store: Store, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with (tmp_path / "g.nt").open("wb") as stream:
        export(loaded_store, stream, ExportOptions(format="nt", progress=lambda *a: seen.append(a)))
    total = loaded_store.query("MATCH (n) RETURN count(n)").rows[0][0]
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


# --- SHACL ----------------------------------------------------------------------------------


def test_shipped_shapes_are_the_vocabularys() -> None:
    shipped = rdflib.Graph().parse(Path(__file__).parent.parent / "kg/rdf/shapes.ttl")
    assert isomorphic(shipped, shapes()), "regenerate: python -m kg.rdf.shacl > kg/rdf/shapes.ttl"


@pytest.mark.parametrize("fmt", ["ttl", "trig"])
def test_the_export_conforms(rdf_dumps: dict[str, Path], fmt: str) -> None:
    report = validate_file(rdf_dumps[fmt])
    assert report.conforms, report.violations


def test_planted_violations_are_reported(
    run_kg, rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    iris = Iris(BASE)
    lines = rdf_dumps["nt"].read_text(encoding="utf-8").splitlines(keepends=True)
    label = f"<{iris.entity('tunisia')}> <https://schema.org/name> "
    broken = [line for line in lines if not line.startswith(label)]
    assert len(broken) == len(lines) - 1
    # A visit to an organization, stated without any quote.
    broken.append(f"<{iris.entity('mark-esper')}> <{KG}visited> <{iris.entity('dgst')}> .\n")
    bad = tmp_path / "bad.nt"
    bad.write_text("".join(broken), encoding="utf-8")

    result = run_kg("validate", "--rdf", str(bad))
    assert result.exit_code == 2
    errors = result.stderr
    assert f"<{iris.entity('tunisia')}> <https://schema.org/name>" in errors
    assert (
        f"a visited triple of {iris.entity('mark-esper')} has no asserted statement with a quote"
        in errors
    )
    visited = f"<{iris.entity('mark-esper')}> <{KG}visited>: matches none of the allowed kinds"
    assert f"{visited} (<{iris.entity('dgst')}>)" in errors  # visited's range
    assert "3 problem(s) found" in errors


# --- import ---------------------------------------------------------------------------------


def sources_as_sets(graph: dict) -> dict:
    """A graph dump with each fact's sources (parallel `articles`/`quotes` lists) sorted: RDF
    keeps them as a set, and TriG groups them by article."""

    def sort_sources(props: dict) -> dict:
        props = dict(props)
        for key in [k for k in props if k == "articles" or k.endswith("_articles")]:
            quotes = key.removesuffix("articles") + "quotes"
            pairs = sorted(zip(props[key], props[quotes], strict=True))
            props[key], props[quotes] = [a for a, _ in pairs], [q for _, q in pairs]
        return props

    def key(row: list) -> str:
        return json.dumps(row, sort_keys=True, ensure_ascii=False)

    nodes = [[labels, sort_sources(props)] for labels, props in graph["nodes"]]
    relationships = [[*row[:3], sort_sources(row[3])] for row in graph["relationships"]]
    return {"nodes": sorted(nodes, key=key), "relationships": sorted(relationships, key=key)}


def without_text(graph: dict) -> dict:
    """A graph dump with the article nodes' text, and what stands in for it when an import
    had none, left out: a dump carries the text only when exported --with-text."""
    gone = {"text", "quote_exacts", "quote_prefixes", "quote_suffixes"}
    nodes = [
        [labels, {k: v for k, v in props.items() if k not in gone}]
        for labels, props in graph["nodes"]
    ]
    return {**graph, "nodes": nodes}


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_isomorphic(
    rdf_dumps: dict[str, Path], fmt: str, clean_falkordb: Store, tmp_path: Path, loaded_store: Store
) -> None:
    from kg.rdf.importer import import_rdf

    import_rdf(clean_falkordb, rdf_dumps[fmt], fmt=fmt, reset=True)
    again = write_export(clean_falkordb, tmp_path / f"again.{fmt}", fmt)
    first, second = graphs(rdf_dumps[fmt], fmt), graphs(again, fmt)
    assert first.keys() == second.keys()
    for name, graph in first.items():
        assert isomorphic(graph, second[name]), name
    expected = without_text(sources_as_sets(dump(loaded_store)))
    assert without_text(sources_as_sets(dump(clean_falkordb))) == expected


def test_a_triple_in_several_graphs_is_read_once(
    rdf_dumps: dict[str, Path], clean_falkordb: Store, loaded_store: Store, tmp_path: Path
) -> None:
    """Dumps of an older layout copied each fact into the graph of every article citing it."""
    from kg.rdf.importer import import_rdf

    lines = rdf_dumps["nq"].read_text(encoding="utf-8").splitlines(keepends=True)
    facts = f"<{Iris(BASE).graph('facts')}> .\n"
    copies = [
        line.removesuffix(facts) + f"<{Iris(BASE).provenance(ARTICLE_IDS[0])}> .\n"
        for line in lines
        if line.endswith(facts)
    ]
    assert copies
    path = tmp_path / "copied.nq"
    path.write_text("".join(lines + copies), encoding="utf-8")
    import_rdf(clean_falkordb, path, reset=True)
    expected = without_text(sources_as_sets(dump(loaded_store)))
    assert without_text(sources_as_sets(dump(clean_falkordb))) == expected


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_a_dump_read_in_pieces_by_two_processes_comes_back_whole(
    rdf_dumps: dict[str, Path],
    fmt: str,
    clean_falkordb: Store,
    loaded_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large line-based dump is parsed in pieces by two processes at once; here every
    dump is large, and its pieces a few lines each."""
    from kg.rdf import importer

    monkeypatch.setattr(importer, "SPLIT_AT", 1)
    monkeypatch.setattr(importer, "MIN_PIECE", 1000)
    importer.import_rdf(clean_falkordb, rdf_dumps[fmt], reset=True)
    expected = without_text(sources_as_sets(dump(loaded_store)))
    assert without_text(sources_as_sets(dump(clean_falkordb))) == expected


@pytest.mark.parametrize(
    "broken", [[-3], [3, -3]], ids=["in-the-helpers-first-piece", "in-both-processes-pieces"]
)
def test_a_syntax_error_read_in_pieces_is_refused_with_the_first_line(
    rdf_dumps: dict[str, Path],
    broken: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lines broken (from 1, or from the end) in this process's first piece and the last
    piece, the helper's first: a reader from the start meets the first."""
    from kg.errors import InvalidInput
    from kg.rdf import importer

    monkeypatch.setattr(importer, "SPLIT_AT", 1)
    monkeypatch.setattr(importer, "MIN_PIECE", 1000)
    lines = rdf_dumps["nt"].read_text(encoding="utf-8").splitlines(keepends=True)
    numbers = [n if n > 0 else len(lines) + 1 + n for n in broken]
    for number in numbers:
        lines[number - 1] = "this is not N-Triples\n"
    bad = tmp_path / "bad.nt"
    bad.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        importer.read_dump(bad, "nt")
    line = min(numbers)
    assert str(refused.value).startswith(f"{bad}:{line}: Parser error at line {line} ")


def test_the_pieces_of_a_helper_that_died_are_read_here(
    rdf_dumps: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper claims two pieces and dies: the import reads them itself."""
    from kg.rdf import importer

    whole = importer.read_resources(rdf_dumps["nt"], "nt")

    def claims_then_dies(*args: object) -> None:
        pieces = args[3]
        assert isinstance(pieces, importer._Pieces)
        pieces.claim(from_back=True)
        pieces.claim(from_back=True)
        os._exit(1)

    monkeypatch.setattr(importer, "SPLIT_AT", 1)
    monkeypatch.setattr(importer, "MIN_PIECE", 1000)
    monkeypatch.setattr(importer, "_read_from_back", claims_then_dies)
    assert importer.read_resources(rdf_dumps["nt"], "nt") == whole


E = "http://e.org/"
# Lines the reader cuts at their spaces when it knows their pieces, and those it leaves to
# the parser: escapes, tabs, comments, blank nodes, line ends, a tag in capitals, a literal
# that holds what looks like the end of a line; every triple repeated so the second is read
# with its pieces known.
UNUSUAL_LINES = [
    f'<{E}s> <{E}p> "a \\"b\\" \\\\ c\\n\\té"@fr .',
    f'<{E}s> <{E}p> "\\u00e9t\\U000000e9" .',
    f"<{E}\\u00e9> <{E}p> <{E}o\\u00e9> .",
    f"<{E}s>\t<{E}p>  <{E}o> .",
    f"<{E}s> <{E}p> <{E}o> . # a comment",
    "# a line of comment",
    "",
    f"<{E}s> <{E}p> <{E}o2> .\r",
    f"<{E}s> <{E}p> <{E}o3>.",
    f'<{E}s> <{E}p> "Upper"@EN-us .',
    f'<{E}s> <{E}p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    f'<{E}s> <{E}p> "plain" .',
    f'<{E}s> <{E}p> "a <{E}x> . b" .',
    f'<{E}s> <{E}p> " .@fr ." .',
    f"_:b <{E}p> <{E}o> .",
    f"<{E}s> <{E}p> _:b .",
]
UNUSUAL_QUADS = [
    f"<{E}s> <{E}p> <{E}o> <{E}g> .",
    f'<{E}s> <{E}p> "a b" <{E}g> .',
    f'<{E}s> <{E}p> "a"@fr <{E}g> .',
    f'<{E}s> <{E}p> "a <{E}g>"@fr .',
    f"<{E}s> <{E}p> <{E}o> _:g .",
]


def parsed_resources(path: Path, fmt: str) -> dict[str, dict[str, list]]:
    """What the parser reads, filed by subject and predicate as the importer keeps it."""
    resources: dict[str, dict[str, list]] = {}
    for quad in pyoxigraph.parse(path=str(path), format=OXIGRAPH_FORMATS[fmt]):
        if isinstance(quad.subject, pyoxigraph.BlankNode):
            continue
        term = quad.object
        if isinstance(term, pyoxigraph.NamedNode):
            value = term.value
        elif isinstance(term, pyoxigraph.Literal):
            value = (term.value, term.language, term.datatype.value)
        else:
            value = (term.value,)
        props = resources.setdefault(quad.subject.value, {})
        values = props.setdefault(quad.predicate.value, [])
        if value not in values:
            values.append(value)
    return resources


@pytest.mark.parametrize("fmt", ["nt", "nq"])
@pytest.mark.parametrize("pieces", [False, True], ids=["whole", "pieces-small-chunks"])
def test_a_line_based_dump_is_read_as_the_parser_reads_it(
    rdf_dumps: dict[str, Path],
    fmt: str,
    pieces: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kg.rdf import importer

    if pieces:  # and read in chunks shorter than most lines
        monkeypatch.setattr(importer, "SPLIT_AT", 1)
        monkeypatch.setattr(importer, "MIN_PIECE", 1000)
        monkeypatch.setattr(importer, "CHUNK", 100)
    unusual = UNUSUAL_LINES + (UNUSUAL_QUADS if fmt == "nq" else [])
    path = tmp_path / f"unusual.{fmt}"
    dump_lines = rdf_dumps[fmt].read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(unusual + dump_lines + unusual) + "\n", encoding="utf-8")
    assert importer.read_resources(path, fmt) == parsed_resources(path, fmt)


BROKEN_LINES = [
    f'<{E}s> <{E}p> "a"b" .',
    f'<{E}s> <{E}p> "a"@toolongtagname .',
    f'<{E}s> <{E}p> "a"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .',
    f"<s> <{E}p> <{E}o> .",
    f"<{E}s> <{E}p> <{E}o> <{E}g> .",
    f"<{E}s> <{E}p> <{E}o> .x",
    f'<{E}s> <{E}p> "a\\q" .',
    f"<{E}s x> <{E}p> <{E}o> .",
]


@pytest.mark.parametrize("broken", BROKEN_LINES)
def test_a_broken_line_is_refused_as_the_parser_refuses_it(
    rdf_dumps: dict[str, Path], broken: str, tmp_path: Path
) -> None:
    from kg.errors import InvalidInput
    from kg.rdf import importer

    lines = rdf_dumps["nt"].read_text(encoding="utf-8").splitlines()
    lines.insert(20, broken)
    lines.insert(10, f"<{E}s> <{E}p> <{E}o> .")  # its subject and predicate known before it
    path = tmp_path / "broken.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SyntaxError) as parser:
        list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert parser.value.lineno == 22
    with pytest.raises(InvalidInput) as refused:
        importer.read_resources(path, "nt")
    assert str(refused.value) == f"{path}:22: {parser.value.msg}"


def test_round_trip_on_each_backend(
    rdf_dumps: dict[str, Path], store: Store, tmp_path: Path, loaded_store: Store
) -> None:
    """Import the TriG dump into each store (Neo4j in a container where Docker answers)."""
    from kg.rdf.importer import import_rdf

    import_rdf(store, rdf_dumps["trig"], reset=True)
    again = write_export(store, tmp_path / "again.trig", "trig")
    first, second = graphs(rdf_dumps["trig"], "trig"), graphs(again, "trig")
    assert first.keys() == second.keys()
    assert all(isomorphic(graph, second[name]) for name, graph in first.items())
    expected = without_text(sources_as_sets(dump(loaded_store)))
    assert without_text(sources_as_sets(dump(store))) == expected


def test_import_rdf_command(run_kg, rdf_dumps: dict[str, Path], falkordb_data_dir: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(falkordb_data_dir),
            "import-rdf",
            str(rdf_dumps["trig"]),
            "--reset",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"name": "Person"' in result.stdout


def test_a_dump_with_a_syntax_error_is_refused_with_its_line(
    run_kg, rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    lines = rdf_dumps["nt"].read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = "this is not N-Triples\n"
    bad = tmp_path / "bad.nt"
    bad.write_text("".join(lines), encoding="utf-8")
    before = run_kg("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json").stdout
    result = run_kg("import-rdf", str(bad), "--reset")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:7: ")
    assert "Traceback" not in result.output
    assert run_kg("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json").stdout == before


def test_a_fact_outside_the_vocabulary_is_refused(
    run_kg, rdf_dumps: dict[str, Path], tmp_path: Path
) -> None:
    iris = Iris(BASE)
    text = rdf_dumps["nt"].read_text(encoding="utf-8")
    statement = f"<{iris.fact('esper-visited-tunisia')}> <{RDF}predicate> "
    assert statement + f"<{KG}visited>" in text
    text = text.replace(statement + f"<{KG}visited>", statement + f"<{KG}invaded>")
    bad = tmp_path / "bad.nt"
    bad.write_text(text, encoding="utf-8")
    result = run_kg("import-rdf", str(bad))
    assert result.exit_code == 2
    assert f"<{KG}invaded> is not in the kg vocabulary" in result.stderr


def test_a_dump_of_unknown_format_is_refused(run_kg, tmp_path: Path) -> None:
    path = tmp_path / "graph.xml"
    path.write_text("<rdf/>", encoding="utf-8")
    result = run_kg("import-rdf", str(path))
    assert result.exit_code == 2
    assert "cannot tell the RDF format" in result.stderr
