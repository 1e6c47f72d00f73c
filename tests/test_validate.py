"""Each class of seed error is caught, named with its file and line, and exits 2.

The fixture is a small corpus built on the real article 000 (the 4th session of
the Strategic Dialogue) with a few entities and one fact read from it; each test
breaks one thing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.validate import sha256_line

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "000_c4cfe20b68dc0c98"

ENTITIES = """\
- id: nasser-bourita
  type: Person
  name: Nasser Bourita
  label_fr: Nasser Bourita
  label_en: Nasser Bourita
  aliases: [Nasser Bourita]
  titles: [ministre des Affaires étrangères]
- id: mike-pompeo
  type: Person
  name: Mike Pompeo
  label_fr: Mike Pompeo
  label_en: Mike Pompeo
  aliases: [Mike Pompeo]
- id: morocco
  type: Country
  name: Morocco
  label_fr: Maroc
  label_en: Morocco
  aliases: [Maroc]
- id: strategic-dialogue-session-4
  type: Event
  kind: dialogue_session
  name: 4th session of the Morocco–US Strategic Dialogue
  label_fr: 4e session du Dialogue stratégique Maroc–États-Unis
  label_en: 4th session of the Morocco–US Strategic Dialogue
  aliases: [4ème session du Dialogue stratégique]
- id: washington
  type: Place
  kind: city
  name: Washington
  label_fr: Washington
  label_en: Washington
  aliases: [Washington]
"""

FACTS = """\
- id: bourita-co-chaired-session-4
  subject: nasser-bourita
  predicate: co_chaired
  object: strategic-dialogue-session-4
  modality: actual
  sources:
    - article: 000_c4cfe20b68dc0c98
      quote: "une rencontre co-présidée par le ministre des Affaires étrangères, Nasser Bourita"
- id: session-4-held-in-washington
  subject: strategic-dialogue-session-4
  predicate: held_in
  object: washington
  modality: actual
  sources:
    - article: 000_c4cfe20b68dc0c98
      quote: "ont souligné, mardi à Washington"
"""

META = """\
headline: "Un « danger » évoqué par le ministre des affaires étrangères"
headline_line: 1
languages: [fr]
"""


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    articles = root / "articles"
    articles.mkdir(parents=True)
    source = ROOT / "seeds" / "articles" / f"{ARTICLE}.txt"
    shutil.copyfile(source, articles / source.name)
    (articles / "SHA256SUMS").write_text(sha256_line(source))
    (articles / f"{ARTICLE}.yaml").write_text(META)
    (root / "entities").mkdir()
    (root / "entities" / "all.yaml").write_text(ENTITIES)
    (root / "facts").mkdir()
    (root / "facts" / "all.yaml").write_text(FACTS)
    return root


def validate(seeds: Path):
    return CliRunner().invoke(app, ["validate", "--seeds", str(seeds)])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new, 1))


def assert_invalid(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_the_fixture_is_valid(seeds: Path) -> None:
    result = validate(seeds)
    assert result.exit_code == 0, result.output
    assert "1 articles, 5 entities, 2 facts" in result.stderr


def test_article_numbers_go_past_999(seeds: Path) -> None:
    # kg.articles: "NNN one past the highest number in use", so the thousandth article is 1000.
    wide = "1" + ARTICLE
    for path in sorted(seeds.rglob("*")):
        if path.is_file():
            path.write_text(path.read_text(encoding="utf-8").replace(ARTICLE, wide), "utf-8")
            if ARTICLE in path.name:
                path.rename(path.with_name(path.name.replace(ARTICLE, wide)))
    result = validate(seeds)
    assert result.exit_code == 0, result.output
    assert "1 articles, 5 entities, 2 facts" in result.stderr


def test_yaml_syntax_error_names_file_and_line(seeds: Path) -> None:
    edit(seeds / "facts" / "all.yaml", "  predicate: held_in", "  predicate: [held_in")
    assert_invalid(validate(seeds), "all.yaml:", "invalid YAML")


def test_unknown_field_is_a_schema_error(seeds: Path) -> None:
    edit(seeds / "entities" / "all.yaml", "  name: Mike Pompeo", "  name: Mike Pompeo\n  nmae: x")
    assert_invalid(validate(seeds), "entities/all.yaml:8:", "unknown field 'nmae'")


def test_missing_required_field(seeds: Path) -> None:
    edit(seeds / "entities" / "all.yaml", "  label_en: Mike Pompeo\n", "")
    assert_invalid(validate(seeds), "entities/all.yaml:8:", "missing field 'label_en'")


def test_unknown_type_and_kind(seeds: Path) -> None:
    edit(seeds / "entities" / "all.yaml", "  type: Country", "  type: Nation")
    edit(seeds / "entities" / "all.yaml", "  kind: city", "  kind: village")
    assert_invalid(
        validate(seeds), "unknown type 'Nation'", "kind 'village' is not a kind of Place"
    )


def test_reference_to_unknown_entity(seeds: Path) -> None:
    edit(seeds / "facts" / "all.yaml", "  object: washington", "  object: rabat")
    assert_invalid(validate(seeds), "facts/all.yaml:9:", "unknown object 'rabat'")


def test_unknown_predicate(seeds: Path) -> None:
    edit(seeds / "facts" / "all.yaml", "predicate: held_in", "predicate: took_place_in")
    assert_invalid(validate(seeds), "facts/all.yaml:9:", "unknown predicate 'took_place_in'")


def test_domain_violation(seeds: Path) -> None:
    # A country cannot be held in a place: held_in takes events, exercises and agreements.
    edit(
        seeds / "facts" / "all.yaml",
        "  subject: strategic-dialogue-session-4",
        "  subject: morocco",
    )
    assert_invalid(validate(seeds), "facts/all.yaml:9:", "subject 'morocco' is a Country")


def test_range_violation(seeds: Path) -> None:
    edit(
        seeds / "facts" / "all.yaml",
        "  object: strategic-dialogue-session-4",
        "  object: mike-pompeo",
    )
    assert_invalid(validate(seeds), "facts/all.yaml:1:", "object 'mike-pompeo' is a Person")


def test_every_fact_says_whether_it_happened(seeds: Path) -> None:
    edit(seeds / "facts" / "all.yaml", "  modality: actual\n", "")
    assert_invalid(validate(seeds), "facts/all.yaml:1:", "missing field 'modality'")


def test_modality_is_one_of_the_vocabulary(seeds: Path) -> None:
    # "Blinken ... présidera une importante réunion": announced, which is not a modality name.
    edit(seeds / "facts" / "all.yaml", "  modality: actual", "  modality: announced")
    assert_invalid(validate(seeds), "facts/all.yaml:1:", "modality 'announced' is not one of")


def test_literal_predicate_value_is_checked(seeds: Path) -> None:
    (seeds / "facts" / "all.yaml").write_text(
        FACTS
        + """\
- id: session-4-date
  subject: strategic-dialogue-session-4
  predicate: date
  value: "mardi"
  modality: actual
  sources:
    - article: 000_c4cfe20b68dc0c98
      quote: "mardi à Washington"
"""
    )
    assert_invalid(validate(seeds), "facts/all.yaml:17:", "'mardi' is not YYYY")


def test_alias_clash_ignores_case_and_accents(seeds: Path) -> None:
    # "MAROC" and "Maroc" are one surface form: it may name one entity only.
    edit(
        seeds / "entities" / "all.yaml", "  aliases: [Washington]", "  aliases: [Washington, MAROC]"
    )
    result = validate(seeds)
    assert_invalid(result, "alias 'MAROC' is also an alias of 'morocco'")


def test_alias_must_occur_in_an_article(seeds: Path) -> None:
    edit(
        seeds / "entities" / "all.yaml",
        "  aliases: [Mike Pompeo]",
        "  aliases: [Mike Pompeo, Pompeo Mike]",
    )
    assert_invalid(
        validate(seeds), "entities/all.yaml:8:", "alias 'Pompeo Mike' occurs in no article"
    )


def test_duplicate_fact_under_another_id(seeds: Path) -> None:
    duplicate = FACTS.split("- id: session-4-held-in-washington")[0].replace(
        "bourita-co-chaired-session-4", "bourita-co-chaired-again"
    )
    (seeds / "facts" / "more.yaml").write_text(duplicate)
    assert_invalid(
        validate(seeds), "facts/more.yaml:1:", "duplicate of fact 'bourita-co-chaired-session-4'"
    )


def test_duplicate_fact_id(seeds: Path) -> None:
    edit(
        seeds / "facts" / "all.yaml",
        "- id: session-4-held-in-washington",
        "- id: bourita-co-chaired-session-4",
    )
    assert_invalid(validate(seeds), "facts/all.yaml:9:", "id already used at")


def test_quote_must_be_verbatim(seeds: Path) -> None:
    # The article writes "co-présidée"; a quote without the accent is not the article's text.
    edit(seeds / "facts" / "all.yaml", "une rencontre co-présidée", "une rencontre co-presidee")
    assert_invalid(
        validate(seeds), "facts/all.yaml:1:", "quote not found verbatim in 000_c4cfe20b68dc0c98"
    )


def test_quote_may_differ_in_white_space_only(seeds: Path) -> None:
    edit(
        seeds / "facts" / "all.yaml", "une rencontre co-présidée", "une   rencontre\\n co-présidée"
    )
    result = validate(seeds)
    assert result.exit_code == 0, result.output


def test_changed_article_is_caught(seeds: Path) -> None:
    path = seeds / "articles" / f"{ARTICLE}.txt"
    path.write_bytes(path.read_bytes().replace(b"Pompeo", b"Pompeio", 1))
    assert_invalid(validate(seeds), "SHA256SUMS:1:", "differs from the published article")


def test_article_without_metadata(seeds: Path) -> None:
    (seeds / "articles" / f"{ARTICLE}.yaml").unlink()
    assert_invalid(validate(seeds), f"{ARTICLE}.txt:1:", "no metadata file")


def test_quote_in_boilerplate_is_refused(seeds: Path) -> None:
    (seeds / "articles" / f"{ARTICLE}.yaml").write_text(
        META + "boilerplate:\n  - line: 2\n    reason: test\n"
    )
    assert_invalid(validate(seeds), "facts/all.yaml:9:", "lies only in boilerplate lines")


def test_missing_seeds_directory(tmp_path: Path) -> None:
    assert_invalid(validate(tmp_path / "nowhere"), "no such seeds directory")


def test_a_person_the_article_never_names_may_have_no_alias(seeds: Path) -> None:
    # Article 004: "Ce dernier a également rencontré le chef d’état-major": a person met but
    # never named; his title is no name a reader would search for.
    entities = seeds / "entities" / "all.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8")
        + """\
- id: moroccan-chief-of-staff
  type: Person
  name: Chef d’état-major marocain (non nommé)
  label_fr: Chef d’état-major marocain
  label_en: Moroccan chief of staff
  aliases: []
""",
        encoding="utf-8",
    )
    assert validate(seeds).exit_code == 0


def test_a_place_needs_a_name(seeds: Path) -> None:
    # 000: "ont souligné, mardi à Washington": places are always named.
    edit(seeds / "entities" / "all.yaml", "  aliases: [Washington]", "  aliases: []")
    assert_invalid(validate(seeds), "entities/all.yaml:", "a Place needs at least one alias")
