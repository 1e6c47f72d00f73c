"""Quotes anchored in their article's text, as W3C Web Annotation selectors.

The expected places are computed here from the article files, by finding the sentence copied
below into each test, and compared with what the export says, as rdflib, pyoxigraph and
Apache Jena (ARQ) read it. With `--with-text` the dump carries each article's text, and a
SPARQL query recovers every quote's exact text from it by the offsets alone.

The two quotes: article 004, "Mark Esper a signé à Rabat un accord de coopération militaire
d’une durée de 10 ans" (fact esper-signed-morocco-agreement); article 003, "un discours au
cimetière militaire américain de Carthage, « où sont enterrés [...] », a indiqué l’AFP"
(fact carthage-speech-held-in-cemetery), which the article writes with no-break spaces inside
the guillemets where the curated quote has plain spaces.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from kg.exporters import ExportOptions
from kg.rdf.export import export
from kg.stores import Store
from kg.text import fold_space
from kg.validate import load_corpus
from tests import test_sparql_jena
from tests.graph_dump import dump
from tests.test_rdf import BASE, sources_as_sets, without_text

arq = test_sparql_jena.arq  # Jena's ARQ command line, as the twins' test runs it

ARTICLES = Path(__file__).parent.parent / "seeds" / "articles"
PREFIXES = """
PREFIX kg: <https://w3id.org/kg-us-morocco/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
NBSP = "\u00a0"
# (fact, article, the quote as curated, the span as the article writes it)
QUOTES = [
    (
        "esper-signed-morocco-agreement",
        "004_5699831b890fa017",
        "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans",
        "Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 ans",
    ),
    (
        "carthage-speech-held-in-cemetery",
        "003_23f9d90b709144ca",
        "un discours au cimetière militaire américain de Carthage, « où sont enterrés des soldats"
        " américains morts en Afrique du Nord pendant la Seconde Guerre mondiale », a indiqué"
        " l’AFP",
        f"un discours au cimetière militaire américain de Carthage, «{NBSP}où sont enterrés des"
        " soldats américains morts en Afrique du Nord pendant la Seconde Guerre"
        f" mondiale{NBSP}», a indiqué l’AFP",
    ),
]
# A quote's selectors, found from the fact it supports.
SELECTORS = (
    PREFIXES
    + """
SELECTOR_QUERY
SELECT ?exact ?prefix ?suffix ?start ?end WHERE {
  ?fact dcterms:identifier "FACT" ; prov:wasDerivedFrom ?quote .
  ?quote prov:value ?value ; oa:hasSource ?article ; oa:hasSelector ?by_quote, ?by_position .
  ?article dcterms:identifier "ARTICLE" .
  ?by_quote a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?by_quote oa:prefix ?prefix }
  OPTIONAL { ?by_quote oa:suffix ?suffix }
  ?by_position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""
).replace("SELECTOR_QUERY\n", "")
# Every quote's exact text, and the article's text at its positions (SUBSTR counts from 1).
RECOVERED = (
    PREFIXES
    + """
SELECT ?quote ?id ?value ?exact ?at WHERE {
  ?quote a kg:Quote ; prov:value ?value ; oa:hasSource ?article ;
         oa:hasSelector ?by_quote, ?by_position .
  ?article schema:text ?text ; dcterms:identifier ?id .
  ?by_quote oa:exact ?exact .
  ?by_position oa:start ?start ; oa:end ?end .
  BIND (SUBSTR(?text, ?start + 1, ?end - ?start) AS ?at)
}"""
)


def expected(article: str, span: str) -> dict[str, object]:
    """The selectors of `span`, worked out from the article's file."""
    text = (ARTICLES / f"{article}.txt").read_bytes().decode("utf-8")
    start = text.find(span)
    assert start >= 0 and text.find(span, start + 1) < 0, "the span stands once in the article"
    end = start + len(span)
    return {
        "exact": span,
        "prefix": text[max(0, start - 32) : start],
        "suffix": text[end : end + 32],
        "start": start,
        "end": end,
    }


@pytest.fixture(scope="module")
def with_text(loaded_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seeds exported `--with-text`, in Turtle and TriG."""
    directory = tmp_path_factory.mktemp("with-text")
    paths = {}
    for fmt in ("ttl", "trig"):
        paths[fmt] = directory / f"graph.{fmt}"
        with paths[fmt].open("wb") as stream:
            export(loaded_store, stream, ExportOptions(format=fmt, with_text=True))
    return paths


def selectors_query(fact: str, article: str) -> str:
    return SELECTORS.replace("FACT", fact).replace("ARTICLE", article)


def plain(row: dict[str, object]) -> dict[str, object]:
    """A row of strings and numbers, its offsets as integers."""
    return {k: int(v) if k in ("start", "end") else v for k, v in row.items() if v is not None}


@pytest.mark.parametrize(("fact", "article", "quote", "span"), QUOTES, ids=["004", "003"])
def test_selectors_place_the_quote_in_its_article(
    rdf_dumps: dict[str, Path],
    arq: list[str],
    tmp_path: Path,
    fact: str,
    article: str,
    quote: str,
    span: str,
) -> None:
    want = expected(article, span)
    query = selectors_query(fact, article)

    g = rdflib.Graph().parse(rdf_dumps["ttl"], format="turtle")
    rows = [
        plain({k: (str(v) if v is not None else None) for k, v in row.asdict().items()})
        for row in g.query(query)
    ]
    assert rows == [want]

    store = pyoxigraph.Store()
    store.bulk_load(path=str(rdf_dumps["nq"]), format=pyoxigraph.RdfFormat.N_QUADS)
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    rows = [plain({n: s[n].value if s[n] is not None else None for n in names}) for s in solutions]
    assert rows == [want]

    columns, rows = test_sparql_jena.run_arq(arq, rdf_dumps["ttl"], query, tmp_path)
    assert [plain(dict(zip(columns, row, strict=True))) for row in rows] == [want]

    values = g.query(
        selectors_query(fact, article).replace("SELECT ?exact", "SELECT ?value ?exact")
    )
    assert [str(row.value) for row in values] == [quote], "prov:value: the quote as curated"


def test_exact_is_the_articles_text_where_the_curated_quote_differs(
    rdf_dumps: dict[str, Path],
) -> None:
    _, article, quote, span = QUOTES[1]
    assert quote != span and fold_space(quote) == fold_space(span)
    g = rdflib.Graph().parse(rdf_dumps["ttl"], format="turtle")
    (row,) = g.query(selectors_query(QUOTES[1][0], article))
    assert str(row.exact) == span
    assert row.exact.language == "fr"


def test_with_text_carries_each_articles_text_and_its_digest(with_text: dict[str, Path]) -> None:
    g = rdflib.Graph().parse(with_text["ttl"], format="turtle")
    rows = g.query(
        PREFIXES
        + """SELECT ?id ?text ?sha256 (SHA256(STR(?text)) AS ?digest) WHERE {
             ?article a schema:NewsArticle ; dcterms:identifier ?id ; schema:text ?text ;
                      kg:sha256 ?sha256 }"""
    )
    found = {str(r.id): r for r in rows}
    assert sorted(found) == sorted(p.stem for p in ARTICLES.glob("*.txt"))
    for article, row in found.items():
        raw = (ARTICLES / f"{article}.txt").read_bytes()
        assert str(row.text) == raw.decode("utf-8")
        assert row.text.language == "fr"
        assert str(row.sha256) == str(row.digest) == hashlib.sha256(raw).hexdigest()


def test_without_the_option_the_text_is_left_out(rdf_dumps: dict[str, Path]) -> None:
    for fmt in ("ttl", "trig", "nq"):
        assert "<https://schema.org/text>" not in rdf_dumps[fmt].read_text(encoding="utf-8")
        assert "schema:text" not in rdf_dumps[fmt].read_text(encoding="utf-8")


def distinct_quotes(seeds_dir: Path) -> set[tuple[str, str]]:
    """(article, quote) of every source of the curated facts."""
    corpus = load_corpus(seeds_dir)
    return {(s.article, s.quote) for fact in corpus.facts for s in fact.sources}


def test_sparql_recovers_every_quote_from_the_text_by_its_offsets(
    with_text: dict[str, Path], seeds_dir: Path, arq: list[str], tmp_path: Path
) -> None:
    quotes = distinct_quotes(seeds_dir)

    columns = ["quote", "id", "value", "exact", "at"]

    def check(rows: list[tuple[str, ...]]) -> None:
        assert len(rows) == len({quote for quote, *_ in rows}) == len(quotes)
        assert {(article, value) for _, article, value, _, _ in rows} == quotes
        for _, _, value, exact, at in rows:
            assert at == exact and fold_space(value) == fold_space(exact)

    g = rdflib.Graph().parse(with_text["ttl"], format="turtle")
    check([tuple(str(t) for t in row) for row in g.query(RECOVERED)])

    store = pyoxigraph.Store()
    store.bulk_load(path=str(with_text["trig"]), format=pyoxigraph.RdfFormat.TRIG)
    solutions = store.query(RECOVERED, use_default_graph_as_union=True)
    check([tuple(s[n].value for n in columns) for s in solutions])

    names, rows = test_sparql_jena.run_arq(arq, with_text["ttl"], RECOVERED, tmp_path)
    assert names == columns
    check([tuple(row) for row in rows])


def test_the_text_and_its_selectors_conform(with_text: dict[str, Path]) -> None:
    from kg.rdf.shacl import validate_file

    for path in with_text.values():
        report = validate_file(path)
        assert report.conforms, report.violations[:5]


def test_export_with_text_on_the_command_line(run_kg, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    result = run_kg("export", "--format", "nt", "--with-text", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = (ARTICLES / "004_5699831b890fa017.txt").read_text(encoding="utf-8")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    assert f'<https://schema.org/text> "{escaped}"@fr .' in out.read_text(encoding="utf-8")


def test_with_text_is_refused_for_a_format_that_is_not_rdf(run_kg, tmp_path: Path) -> None:
    out = tmp_path / "graph.cypher"
    result = run_kg("export", "--format", "cypher", "--with-text", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --with-text is for the RDF formats")
    assert not out.exists()


# --- import ---------------------------------------------------------------------------------


def test_a_dump_with_text_comes_back_whole(
    with_text: dict[str, Path], clean_falkordb: Store, loaded_store: Store, tmp_path: Path
) -> None:
    from kg.rdf.importer import import_rdf

    import_rdf(clean_falkordb, with_text["trig"], reset=True)
    assert sources_as_sets(dump(clean_falkordb)) == sources_as_sets(dump(loaded_store))
    again = tmp_path / "again.trig"
    with again.open("wb") as stream:
        export(clean_falkordb, stream, ExportOptions(format="trig", base=BASE, with_text=True))
    assert again.read_bytes() == with_text["trig"].read_bytes()


def test_a_dump_without_text_keeps_the_selectors(
    rdf_dumps: dict[str, Path], clean_falkordb: Store, loaded_store: Store, tmp_path: Path
) -> None:
    from kg.rdf.importer import import_rdf

    import_rdf(clean_falkordb, rdf_dumps["nq"], reset=True)
    assert without_text(sources_as_sets(dump(clean_falkordb))) == without_text(
        sources_as_sets(dump(loaded_store))
    )
    again = tmp_path / "again.nq"
    with again.open("wb") as stream:
        export(clean_falkordb, stream, ExportOptions(format="nq", base=BASE))
    assert again.read_bytes() == rdf_dumps["nq"].read_bytes()


def test_a_dump_older_than_selectors_is_read(
    rdf_dumps: dict[str, Path], clean_falkordb: Store, loaded_store: Store, tmp_path: Path
) -> None:
    """The previous layout: quotes with their text and article, no Web Annotation terms."""
    from kg.rdf.importer import import_rdf

    lines = rdf_dumps["nq"].read_text(encoding="utf-8").splitlines(keepends=True)
    old = [
        line
        for line in lines
        if "<http://www.w3.org/ns/oa#" not in line
        and "-text-quote>" not in line
        and "-text-position>" not in line
    ]
    assert len(old) < len(lines)
    path = tmp_path / "old.nq"
    path.write_text("".join(old), encoding="utf-8")
    import_rdf(clean_falkordb, path, reset=True)

    def unplaced(graph: dict) -> dict:
        """The article nodes' quotes as a set, their places left out."""
        places = {"quote_starts", "quote_ends"}
        nodes = [
            [
                labels,
                {k: sorted(v) if k == "quotes" else v for k, v in props.items() if k not in places},
            ]
            for labels, props in graph["nodes"]
        ]
        return sources_as_sets({**graph, "nodes": nodes})

    assert unplaced(dump(clean_falkordb)) == unplaced(without_text(dump(loaded_store)))
    again = tmp_path / "again.nq"
    with again.open("wb") as stream:
        export(clean_falkordb, stream, ExportOptions(format="nq", base=BASE))
    # Beside the old lines, each quote is a Web Annotation segment of its article, with no
    # selector (and the description of the dump counts the new lines).
    dataset = "<https://w3id.org/kg-us-morocco/graph/dataset> .\n"
    new = [
        line
        for line in again.read_text(encoding="utf-8").splitlines(keepends=True)
        if line not in old and not line.endswith(dataset)
    ]
    quotes = {line.split()[0] for line in old if "<http://www.w3.org/ns/prov#value>" in line}
    assert len(new) == 2 * len(quotes)
    for line in new:
        assert line.split()[0] in quotes
        assert "<http://www.w3.org/ns/oa#hasSource>" in line or "oa#SpecificResource>" in line


def in_the_text(dump: str, old: str, new: str) -> str:
    """The Turtle `dump` with `old` replaced by `new` in article 004's text alone."""
    lines = dump.splitlines(keepends=True)
    (at,) = [
        n
        for n, line in enumerate(lines)
        if line.startswith("\tschema:text \"Le secrétaire d'État américain à la Défense a terminé")
    ]
    lines[at] = lines[at].replace(old, new)
    return "".join(lines)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda text: in_the_text(text, "Mark Esper a signé", "Mark Esper a signe"), "kg:sha256"),
        (
            lambda text: text.replace(
                '"Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 '
                'ans"@fr ;\n\toa:prefix',
                '"Mark Esper a signé à Rabat un accord de coopération militaire d’une durée de 10 '
                'ans."@fr ;\n\toa:prefix',
                1,
            ),
            "is not the quote",
        ),
    ],
    ids=["text-not-its-digest", "exact-not-the-span"],
)
def test_an_import_refuses_a_text_or_a_span_that_does_not_match(
    run_kg, with_text: dict[str, Path], tmp_path: Path, change, problem: str
) -> None:
    text = with_text["ttl"].read_text(encoding="utf-8")
    broken = change(text)
    assert broken != text
    path = tmp_path / "broken.ttl"
    path.write_text(broken, encoding="utf-8")
    result = run_kg("import-rdf", str(path))
    assert result.exit_code == 2
    assert problem in result.stderr
    assert "Traceback" not in result.output
