"""The export's own N-Triples text and its bounded reads of the store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from kg import readback, vocab
from kg.errors import KgError
from kg.exporters import ExportOptions
from kg.rdf import export as rdf_export
from kg.rdf.export import export, quoted
from kg.stores import Statement, Store

FORMATS = {"nt": RdfFormat.N_TRIPLES, "ttl": RdfFormat.TURTLE, "nq": RdfFormat.N_QUADS}

# Every character the N-Triples grammar (ECHAR, UCHAR) or pyoxigraph escapes, and some it
# writes as themselves.
AWKWARD = "".join(map(chr, [*range(0x20), 0x7F, 0xFFFE, 0xFFFF])) + '"\\ é – 😀 \u2028 x'


def test_a_literal_reads_back_as_its_text_and_is_written_as_pyoxigraph_writes_it() -> None:
    line = f"<http://example.org/s> <http://example.org/p> {quoted(AWKWARD)} .\n".encode()
    (quad,) = parse(line, format=RdfFormat.N_TRIPLES)
    assert quad.object == Literal(AWKWARD)
    triple = Triple(
        NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), quad.object
    )
    assert serialize([triple], format=RdfFormat.N_TRIPLES) == line


def test_the_n_triples_dump_is_in_pyoxigraphs_own_form(rdf_dumps: dict[str, Path]) -> None:
    # Parsed and written again by pyoxigraph, the dump comes back byte for byte.
    text = rdf_dumps["nt"].read_bytes()
    again = serialize(
        (quad.triple for quad in parse(text, format=RdfFormat.N_TRIPLES)),
        format=RdfFormat.N_TRIPLES,
    )
    assert again == text


def test_relationships_read_in_small_pieces_are_the_same_in_the_same_order(
    loaded_store: Store,
) -> None:
    # However few rows a query may return, a group's relationships are all read, in order.
    for page in readback.node_pages(loaded_store, page_size=7, read_page=20):
        whole = list(readback.relationships_from(loaded_store, page))
        assert list(readback.relationships_from(loaded_store, page, rows=1)) == whole
        assert whole == sorted(
            whole, key=lambda r: (r.subject, r.type, r.object, r.props.get("id") or "")
        )


def test_groups_are_the_nodes_in_order_whatever_the_page_of_ids(loaded_store: Store) -> None:
    # The groups hand out the nodes `node_pages` reads, in the same order (readback's
    # docstring), however many ids a query brings: a page smaller than a label, and the
    # export's own.
    nodes = [(n.label, n.id) for page in readback.node_pages(loaded_store) for n in page]
    assert len(nodes) > 3
    for read_page in (3, readback.ID_PAGE):
        groups = list(readback.groups(loaded_store, read_page=read_page))
        assert [(g.label, id) for g in groups for id in g.ids] == nodes
        assert all(0 < len(g.ids) <= min(read_page, readback.PAGE_SIZE) for g in groups)


def _store_a_person_whose_id_holds_a_space(store: Store) -> None:
    store.replace(
        [
            Statement(
                f"CREATE (:{vocab.PERSON} {{id: 'mark esper', name: 'Mark Esper', "
                "label_fr: 'Mark Esper', label_en: 'Mark Esper'})"
            )
        ],
        unique_ids=vocab.node_labels(),
        reset=True,
    )


def test_an_id_that_cannot_be_an_iri_is_one_error(clean_falkordb: Store) -> None:
    _store_a_person_whose_id_holds_a_space(clean_falkordb)
    with pytest.raises(KgError, match="cannot be part of an IRI: 'mark esper'"):
        export(clean_falkordb, io.BytesIO(), ExportOptions(format="nt"))


@pytest.mark.parametrize("fmt", ["nt", "ttl", "nq"])
def test_worker_processes_write_the_same_bytes_as_one_process(
    loaded_store: Store, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Groups written apart and put end to end (Turtle's prefixes once) are the dump one
    # writer gives: small groups, so that the seeds make many.
    monkeypatch.setattr(readback, "PAGE_SIZE", 7)
    monkeypatch.setattr(readback, "ARTICLE_PAGE", 2)
    dumps = []
    for parallel_from in (10**9, 0):
        monkeypatch.setattr(rdf_export, "PARALLEL_FROM", parallel_from)
        out = io.BytesIO()
        export(loaded_store, out, ExportOptions(format=fmt))
        dumps.append(out.getvalue())
    assert dumps[0] == dumps[1]
    parse(dumps[1], format=FORMATS[fmt])  # and it parses


def test_an_error_in_a_worker_process_is_the_users_error(
    clean_falkordb: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(rdf_export, "PARALLEL_FROM", 0)
    _store_a_person_whose_id_holds_a_space(clean_falkordb)
    with pytest.raises(KgError, match="cannot be part of an IRI: 'mark esper'"):
        with (tmp_path / "out.nt").open("wb") as out:
            export(clean_falkordb, out, ExportOptions(format="nt"))
