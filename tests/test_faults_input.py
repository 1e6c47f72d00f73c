"""The fault suite, inputs and output files: every malformed seed, dump, query or output path
is one `error:` line with the right exit code, and leaves the graph and the files as they were.

Each case was once a crash, a hang or a silent change (issue 11). The seed cases edit a copy
of the curated seeds and run `kg load --reset` against a store holding the curated graph.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kg.cli import app
from kg.stores import StoreConfig, connect
from tests.graph_dump import dump

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ESPER_TOUR = "facts/esper-tour.yaml"
PEOPLE = "entities/people.yaml"
ARTICLE_001 = "001_a250b41e4e6ce1db"


def kg(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def assert_one_error(result: Result, code: int, *fragments: str) -> None:
    """Exit `code`, no traceback, one line starting `error:`, and each fragment on stderr."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of its own, holding the curated graph."""
    directory = tmp_path_factory.mktemp("faults")
    result = kg("--data-dir", str(directory), "load", "--reset", "--seeds", str(SEEDS))
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture(scope="module")
def curated_graph(data_dir: Path) -> dict:
    return graph_of(data_dir)


def graph_of(data_dir: Path) -> dict:
    with connect(StoreConfig(data_dir=data_dir)) as store:
        return dump(store)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_refused(data_dir: Path, curated: dict, seeds: Path, *fragments: str) -> None:
    """`kg load --reset` of the broken seeds exits 2 with one error line; the graph is intact."""
    result = kg("--data-dir", str(data_dir), "load", "--reset", "--seeds", str(seeds))
    assert_one_error(result, 2, *fragments)
    assert graph_of(data_dir) == curated


# --- identifiers -----------------------------------------------------------------------------


def test_fact_id_ending_in_a_newline(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # `$` matched before a final newline: this id validated, and its node crashed the server.
    edit(seeds / ESPER_TOUR, "- id: morocco-agreement-duration", '- id: "morocco-agreement\\n"')
    load_refused(
        data_dir, curated_graph, seeds, "esper-tour.yaml:556:", "id must be a lowercase slug"
    )


def test_entity_id_ending_in_a_newline(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    path = seeds / PEOPLE
    text = path.read_text(encoding="utf-8")
    first_id = text.split("- id: ", 1)[1].split("\n", 1)[0]
    edit(path, f"- id: {first_id}\n", f'- id: "{first_id}\\n"\n')
    load_refused(data_dir, curated_graph, seeds, "people.yaml:", "id must be a lowercase slug")


def test_impossible_date(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / "facts" / "esper-tour.yaml", '"2020-10-01"', '"2022-13-45"')
    load_refused(data_dir, curated_graph, seeds, "'2022-13-45' is not YYYY, YYYY-MM or YYYY-MM-DD")


def test_date_ending_in_a_newline(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / "facts" / "esper-tour.yaml", '"2020-10-01"', '"2020-10-01\\n"')
    load_refused(data_dir, curated_graph, seeds, "'2020-10-01\\n' is not YYYY")


def test_article_id_that_is_not_a_kg_id(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    articles = seeds / "articles"
    for suffix in (".txt", ".yaml"):
        (articles / f"{ARTICLE_001}{suffix}").rename(articles / f"{ARTICLE_001}-x{suffix}")
    load_refused(data_dir, curated_graph, seeds, f"article id '{ARTICLE_001}-x' is not NNN_")


# --- characters ------------------------------------------------------------------------------


def test_escaped_nul_in_a_string(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # Validation passed; the load failed without naming the file.
    edit(seeds / ESPER_TOUR, "  value: 10\n", '  value: 10\n  note: "ten\\0years"\n')
    load_refused(
        data_dir, curated_graph, seeds, "esper-tour.yaml:560:", "a control character (U+0000)"
    )


def test_raw_control_character_in_a_seed_file(
    data_dir: Path, curated_graph: dict, seeds: Path
) -> None:
    edit(seeds / ESPER_TOUR, "Cet accord décennal", "Cet accord\x07 décennal")
    load_refused(
        data_dir, curated_graph, seeds, "esper-tour.yaml:564:", "a control character (U+0007)"
    )


def test_lone_surrogate(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # A string no UTF-8 store can keep (UnicodeEncodeError on load).
    edit(seeds / ESPER_TOUR, "  value: 10\n", '  value: 10\n  note: "ten \\ud800years"\n')
    load_refused(data_dir, curated_graph, seeds, "esper-tour.yaml:560:", "invalid YAML")


def test_control_character_in_an_article(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    path = seeds / "articles" / f"{ARTICLE_001}.txt"
    text = path.read_text(encoding="utf-8").split("\n")
    text[2] = "\x00" + text[2]
    path.write_text("\n".join(text), encoding="utf-8")
    load_refused(
        data_dir, curated_graph, seeds, f"{ARTICLE_001}.txt:3:", "a control character (U+0000)"
    )


# --- YAML ------------------------------------------------------------------------------------


def test_duplicate_key(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # YAML keeps the last of two equal keys: the first value would vanish without a word.
    edit(seeds / ESPER_TOUR, "  value: 10\n", "  value: 10\n  value: 12\n")
    load_refused(
        data_dir,
        curated_graph,
        seeds,
        "esper-tour.yaml:560:",
        "duplicate key 'value' (first on line 559)",
    )


def test_deeply_nested_yaml(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    (seeds / "facts" / "deep.yaml").write_text("[" * 20_000 + "]" * 20_000 + "\n")
    load_refused(data_dir, curated_graph, seeds, "deep.yaml:1:", "invalid YAML")


def test_empty_article_metadata(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # A 0-byte metadata file erased the article's headline, languages and dates.
    (seeds / "articles" / f"{ARTICLE_001}.yaml").write_bytes(b"")
    load_refused(data_dir, curated_graph, seeds, f"{ARTICLE_001}.yaml:1:", "the file is empty")


# --- values ----------------------------------------------------------------------------------


def test_integer_beyond_64_bits(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / ESPER_TOUR, "  value: 10\n", "  value: 99999999999999999999\n")
    load_refused(data_dir, curated_graph, seeds, "esper-tour.yaml:556:", "does not fit in 64 bits")


def test_list_value_on_a_literal_fact(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    edit(seeds / ESPER_TOUR, "  value: 10\n", "  value: [10, 11]\n")
    load_refused(
        data_dir,
        curated_graph,
        seeds,
        "esper-tour.yaml:556:",
        "field 'value' must be text or a whole number",
    )


def test_quote_running_into_boilerplate(data_dir: Path, curated_graph: dict, seeds: Path) -> None:
    # Line 2 of article 001 declared page furniture; a quote from the end of line 1 into
    # line 2 cites it.
    edit(
        seeds / "articles" / f"{ARTICLE_001}.yaml",
        "boilerplate: []",
        "boilerplate:\n  - line: 2\n    reason: test\n",
    )
    (seeds / "facts" / "spanning.yaml").write_text(
        "- id: pompeo-met-bourita-spanning\n"
        "  subject: mike-pompeo\n"
        "  predicate: met\n"
        "  object: nasser-bourita\n"
        "  sources:\n"
        f"    - article: {ARTICLE_001}\n"
        '      quote: "entre le Maroc et les Etats-Unis. Dans un communiqué conjoint"\n',
        encoding="utf-8",
    )
    load_refused(data_dir, curated_graph, seeds, "spanning.yaml:1:", "runs into boilerplate line 2")
