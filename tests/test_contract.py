"""The graph contract (kg.contract) both ways: what the loader writes, every reader gets back."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from kg import contract, vocab
from kg.stores.falkordb import FalkorDBStore
from kg.validate import load_corpus

PACKAGE = Path(contract.__file__).parent


def test_every_curated_fact_reads_back_as_the_seeds_state_it(
    loaded_store: FalkorDBStore, seeds_dir: Path
) -> None:
    curated = {
        fact.id: (
            fact.subject,
            fact.predicate,
            fact.object,
            fact.value,
            fact.qualifiers,
            [(source.article, source.quote) for source in fact.sources],
        )
        for fact in load_corpus(seeds_dir).facts
    }
    read = {}
    for label in vocab.ENTITY_TYPES:
        for entity_id, props in loaded_store.query(
            f"MATCH (n:{vocab.check_label(label)}) RETURN n.id, properties(n)"
        ).rows:
            for fact in contract.literal_facts(props):
                read[fact.id] = (
                    entity_id,
                    fact.predicate,
                    None,
                    fact.value,
                    fact.qualifiers,
                    list(fact.sources()),
                )
    for rel_type, subject, obj, props in loaded_store.query(
        f"MATCH (s)-[r]->(o) WHERE type(r) <> '{vocab.MENTIONS}' "
        "RETURN type(r), s.id, o.id, properties(r)"
    ).rows:
        fact = contract.relationship_fact(rel_type, props)
        read[fact.id] = (subject, fact.predicate, obj, None, fact.qualifiers, list(fact.sources()))

    assert read == curated


def test_a_literal_fact_is_its_predicate_and_the_keys_beside_it(
    loaded_store: FalkorDBStore,
) -> None:
    # Article 002: "Antony Blinken, le secrétaire d'État américain, a annoncé un nouveau voyage
    # dans ce pays d'Afrique du Nord en mai": the Marrakech meeting is planned for May (2022).
    keys = [
        contract.literal_key("date", part) for part in ("fact", "articles", "quotes", "modality")
    ]
    rows = loaded_store.query(
        f"MATCH (n:{vocab.EVENT} {{id: 'coalition-meeting-marrakech'}}) "
        f"RETURN n.date, n.{keys[0]}, n.{keys[1]}, n.{keys[2]}, n.{keys[3]}"
    ).rows
    assert len(rows) == 1
    value, fact_id, articles, quotes, modality = rows[0]
    assert value == "2022-05" and modality == "planned" and fact_id
    assert "a annoncé un nouveau voyage dans ce pays d'Afrique du Nord en mai" in quotes
    assert len(articles) == len(quotes) and all(a.startswith("002_") for a in articles)


def test_no_other_module_spells_the_contract_keys() -> None:
    # `<p>_fact`, `<p>_articles`, `<p>_quotes`, the relationships' `.articles`/`.quotes` and
    # an article's `quote_starts`, `quote_ends`... appear in the strings of kg.contract only.
    spelled = re.compile(
        r"(\}|\w|['\"])_(fact|articles|quotes|modality)\b|\b[a-z]\.(articles|quotes)\b"
        r"|\bquote_(starts|ends|exacts|prefixes|suffixes)\b"
    )
    allowed = {"no_fact", "sources_per_fact", "min_articles"}  # report fields, a parameter
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "contract.py":
            continue
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
        for token in tokens:
            if token.type != tokenize.STRING:
                continue
            for match in spelled.finditer(token.string):
                word = token.string[max(0, match.start() - 10) : match.end()].split()[-1]
                if not any(word.endswith(a) for a in allowed):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{token.start[0]}: {word}")
    assert offenders == []
