"""`kg coverage` accounts for every name in every content sentence, and skipped mentions are
validated. The corpus is a short text written for these tests (its Karim Benali is invented);
each expectation quotes the sentence it is read from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kg import nlp
from kg.cli import app
from kg.coverage import SKIPPED, UNACCOUNTED, USED, coverage
from kg.errors import ValidationFailed
from kg.validate import load_corpus

ARTICLE = "000_0123456789abcdef"
TEXT = """\
Karim Benali a rencontré Mark Esper à Rabat pendant la Seconde Guerre mondiale.
Le Royaume-Uni n'était pas invité.
Selon l’AFP, Esper se rendra ensuite à Tunis.
"""
META = """\
headline: null
languages: [fr]
skipped:
  - quote: "Le Royaume-Uni n'était pas invité."
    reason: a country that was not there
skipped_mentions:
  - text: Rabat
    line: 1
    reason: where they met; no fact needed
"""
ENTITIES = """\
- {id: karim-benali, type: Person, name: Karim Benali, label_fr: Karim Benali,
   label_en: Karim Benali, aliases: [Karim Benali]}
- {id: mark-esper, type: Person, name: Mark Esper, label_fr: Mark Esper,
   label_en: Mark Esper, aliases: [Mark Esper, Esper]}
- {id: rabat, type: Place, kind: city, name: Rabat, label_fr: Rabat, label_en: Rabat,
   aliases: [Rabat]}
- {id: afp, type: Organization, name: AFP, label_fr: AFP, label_en: AFP, aliases: [AFP]}
- {id: tunis, type: Place, kind: city, name: Tunis, label_fr: Tunis, label_en: Tunis,
   aliases: [Tunis]}
"""
FACTS = """\
- id: benali-met-esper
  subject: karim-benali
  predicate: met
  object: mark-esper
  modality: actual
  sources:
    - {article: 000_0123456789abcdef, quote: "Karim Benali a rencontré Mark Esper"}
- id: esper-visited-tunis
  subject: mark-esper
  predicate: visited
  object: tunis
  modality: actual
  sources:
    - {article: 000_0123456789abcdef, quote: "Esper se rendra ensuite à Tunis"}
"""


def write_seeds(root: Path, meta: str = META, entities: str = ENTITIES) -> Path:
    for folder, name, text in [
        ("articles", f"{ARTICLE}.txt", TEXT),
        ("articles", f"{ARTICLE}.yaml", meta),
        ("entities", "all.yaml", entities),
        ("facts", "all.yaml", FACTS),
    ]:
        (root / "seeds" / folder).mkdir(parents=True, exist_ok=True)
        (root / "seeds" / folder / name).write_text(text, encoding="utf-8")
    return root / "seeds"


def kg(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def without_spacy(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now fails
    nlp.pipeline.cache_clear()
    yield
    nlp.pipeline.cache_clear()


def statuses(seeds: Path, cache: Path | None = None) -> dict[tuple[int, str], str]:
    (report,) = coverage(load_corpus(seeds), cache).articles
    return {(m.line, m.text): m.status for m in report.mentions}


def test_every_alias_mention_is_used_skipped_or_unaccounted(tmp_path: Path, without_spacy) -> None:
    seeds = write_seeds(tmp_path)
    result = coverage(load_corpus(seeds))
    assert result.nlp_missing and "pip install -e '.[nlp]'" in result.nlp_missing
    (report,) = result.articles
    assert {(m.line, m.text): m.status for m in report.mentions} == {
        # "Karim Benali a rencontré Mark Esper à Rabat": both are the met fact's ends; Rabat
        # is listed in skipped_mentions.
        (1, "Karim Benali"): USED,
        (1, "Mark Esper"): USED,
        (1, "Rabat"): SKIPPED,
        # "Selon l’AFP, Esper se rendra ensuite à Tunis.": the visit's ends; no fact is
        # about the AFP.
        (3, "AFP"): UNACCOUNTED,
        (3, "Esper"): USED,
        (3, "Tunis"): USED,
    }
    assert report.no_fact == {"rabat": ["where they met; no fact needed"], "afp": []}
    assert not report.accounted


def test_names_no_alias_covers_come_from_spacy(tmp_path: Path, french_model) -> None:
    seeds = write_seeds(tmp_path)
    found = statuses(seeds, tmp_path / "cache")
    # "pendant la Seconde Guerre mondiale": a name, and no entity has it.
    assert found[(1, "Seconde Guerre mondiale")] == UNACCOUNTED
    # The sentence naming the Royaume-Uni is skipped whole: its names are skipped too.
    assert all(s == SKIPPED for (line, _), s in found.items() if line == 2)
    # The answers are cached: the same figures come back without spaCy.
    sys.modules["spacy"], saved = None, sys.modules.get("spacy")
    nlp.pipeline.cache_clear()
    try:
        assert statuses(seeds, tmp_path / "cache") == found
    finally:
        sys.modules["spacy"] = saved
        nlp.pipeline.cache_clear()


def test_the_review_lists_facts_quoting_a_future_verb(tmp_path: Path, french_model) -> None:
    seeds = write_seeds(tmp_path)
    (report,) = coverage(load_corpus(seeds), tmp_path / "cache").articles
    # "Esper se rendra ensuite à Tunis": a plan, quoted by a fact stated as a visit.
    assert [(r.fact, r.line, r.verb, r.form) for r in report.review] == [
        ("esper-visited-tunis", 3, "rendra", "Fut")
    ]


def test_coverage_json_lists_what_is_unaccounted(tmp_path: Path, without_spacy) -> None:
    seeds = write_seeds(tmp_path)
    result = kg(
        "--data-dir", str(tmp_path / "data"), "coverage", "--seeds", str(seeds), "-f", "json"
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["mentions_unaccounted"] == 1
    assert row["unaccounted"] == [{"line": 3, "text": "AFP", "entities": ["afp"], "label": None}]
    assert {"entity": "afp", "reasons": []} in row["no_fact"]
    assert "unaccounted 000_0123456789abcdef:3: 'AFP' (afp)" in result.stderr


@pytest.mark.parametrize(
    ("skip", "problem"),
    [
        ("{text: Casablanca, reason: r}", "skipped mention 'Casablanca' is not in the article"),
        ("{text: Rabat, line: 3, reason: r}", "skipped mention 'Rabat' is not on line 3"),
        ("{text: Rabat}", "reason"),
    ],
)
def test_a_skipped_mention_must_name_a_real_mention(
    tmp_path: Path, skip: str, problem: str
) -> None:
    seeds = write_seeds(
        tmp_path, meta=f"headline: null\nlanguages: [fr]\nskipped_mentions: [{skip}]\n"
    )
    with pytest.raises(ValidationFailed) as error:
        load_corpus(seeds)
    assert problem in str(error.value)
    assert f"{ARTICLE}.yaml" in str(error.value)


def test_an_alias_only_inside_a_hyphenated_name_occurs_in_no_article(tmp_path: Path) -> None:
    # "Le Royaume-Uni n'était pas invité.": a hyphen joins, so no "Royaume" stands there.
    royaume = (
        "- {id: morocco, type: Country, name: Morocco, label_fr: Maroc, label_en: Morocco,\n"
        "   aliases: [Royaume]}\n"
    )
    seeds = write_seeds(tmp_path, entities=ENTITIES + royaume)
    with pytest.raises(ValidationFailed, match="alias 'Royaume' occurs in no article"):
        load_corpus(seeds)
