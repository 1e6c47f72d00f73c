"""Curating a new article: `kg add-article` registers it, `kg suggest` drafts its curation.

What `kg suggest` must find was read in the articles (quoted beside each expectation); the
walkthrough test runs README's "Adding a sixth article" section as written.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from kg import nlp
from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ESPER_IN_MOROCCO = SEEDS / "articles" / "004_5699831b890fa017.txt"
README = ROOT / "README.md"
WALKTHROUGH = "## Adding a sixth article"


def kg(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def draft_of(*args: str) -> dict:
    result = kg("suggest", *args)
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)


def test_suggest_finds_the_curated_entities_an_article_names() -> None:
    # 004, line 1: "Mark Esper était au Maroc, après être passé par la Tunisie et l'Algérie";
    # line 3: "le ministre marocain des Affaires étrangères, Nasser Bourita"; line 7: "Mark Esper
    # a signé à Rabat [...] avec le ministre délégué [...], Abdellatif Loudiyi"; line 13:
    # "sous la houlette de l’Africom"; line 15: "ce vendredi à Bouznika".
    draft = draft_of(str(ESPER_IN_MOROCCO), "--seeds", str(SEEDS))
    assert draft["article"] == ESPER_IN_MOROCCO.stem
    lines = {entity["id"]: entity["lines"] for entity in draft["known"]}
    read = {
        "mark-esper": [1, 7],
        "morocco": [1],
        "tunisia": [1, 7],
        "algeria": [1],
        "nasser-bourita": [3],
        "rabat": [7],
        "abdellatif-loudiyi": [7],
        "africom": [13],
        "bouznika": [15],
    }
    for entity, seen_on in read.items():
        assert entity in lines, entity
        assert set(seen_on) <= set(lines[entity]), (entity, lines[entity])
    quotes = [fact["sources"][0]["quote"] for fact in draft["facts"]]
    assert (
        "Mark Esper était au Maroc, après être passé par la Tunisie et l'Algérie dans la semaine."
        in quotes
    )


def test_suggest_proposes_a_name_no_alias_covers(tmp_path: Path, french_model: None) -> None:
    # Leïla Haddad is named in no seed article; Nasser Bourita and Rabat are curated.
    interview = "La journaliste Leïla Haddad a interrogé Nasser Bourita à Rabat."
    article = tmp_path / "interview.txt"
    article.write_text(f"{interview}\nSelon Haddad, l’entretien a duré une heure.\n", "utf-8")
    draft = draft_of(str(article), "--seeds", str(SEEDS))
    [candidate] = draft["entities"]
    assert candidate["id"] == "leila-haddad"
    assert candidate["type"] == "Person"
    assert candidate["aliases"] == ["Leïla Haddad", "Haddad"]
    assert {e["id"] for e in draft["known"]} == {"nasser-bourita", "rabat"}
    [stub] = draft["facts"]  # the second sentence names one person only
    assert stub["subject"] is None and stub["predicate"] is None
    assert stub["sources"] == [{"article": "interview", "quote": interview}]


def test_add_article_registers_the_text_byte_for_byte(seeds_copy: Path, tmp_path: Path) -> None:
    text = "Rabat, le 2 avril 2022.\r\nUn texte court\u00a0: deux lignes, fin de ligne Windows.\r\n"
    source = tmp_path / "new.txt"
    source.write_bytes(text.encode("utf-8"))
    result = kg(
        "add-article", str(source), "--seeds", str(seeds_copy), "--date", "2022-04-02=2 avril 2022"
    )
    assert result.exit_code == 0, result.output
    article_id = result.stdout.strip()
    assert re.fullmatch(r"005_[0-9a-f]{16}", article_id)
    assert (seeds_copy / "articles" / f"{article_id}.txt").read_bytes() == source.read_bytes()
    meta = yaml.safe_load((seeds_copy / "articles" / f"{article_id}.yaml").read_text())
    assert meta["dates"] == [{"value": "2022-04-02", "text": "2 avril 2022"}]
    assert kg("validate", "--seeds", str(seeds_copy)).exit_code == 0


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("again.txt", ESPER_IN_MOROCCO.read_bytes(), "already registered as article 004_"),
        ("latin1.txt", "Fès et Meknès".encode("latin-1"), "not UTF-8"),
        ("article.md", b"Rabat", "a .txt file"),
        ("blank.txt", b"\n \n", "empty"),
    ],
)
def test_add_article_refuses_and_writes_nothing(
    seeds_copy: Path, tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = {p.name: p.read_bytes() for p in (seeds_copy / "articles").iterdir()}
    result = kg("add-article", str(source), "--seeds", str(seeds_copy))
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in (seeds_copy / "articles").iterdir()} == before


# --- README's walkthrough, run as written ----------------------------------------------------

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def walkthrough() -> str:
    readme = README.read_text(encoding="utf-8")
    if WALKTHROUGH not in readme:
        pytest.fail(f"{README.name} has no section {WALKTHROUGH!r}")
    section = readme.split(WALKTHROUGH, 1)[1]
    return re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]


def test_the_walkthrough_adds_a_sixth_article_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, french_model: None
) -> None:
    """Each ```text block is saved as article.txt, each ```sh line runs (exit code as its
    comment says, else 0), each ```yaml block is appended to the file its first line names."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    env = {"KG_DATA_DIR": str(tmp_path / "data")}
    section = walkthrough()
    outputs: dict[str, Result] = {}
    appended: dict[str, dict] = {}
    for kind, body in BLOCK.findall(section):
        if kind == "text":
            Path("article.txt").write_text(body, encoding="utf-8")
        elif kind == "yaml":
            target, _, records = body.partition("\n")
            path = Path(target.removeprefix("# "))
            existing = path.read_text(encoding="utf-8")
            path.write_text(existing.rstrip("\n") + "\n" + records, encoding="utf-8")
            appended[path.parent.name] = yaml.safe_load(records)
        else:
            for line in filter(None, body.splitlines()):
                expected = re.search(r"#\s*exits (\d+)", line)
                args = shlex.split(line, comments=True)
                assert args[0] == "kg", line
                result = kg(*args[1:], env=env)
                assert result.exit_code == int(expected.group(1) if expected else 0), (
                    line,
                    result.output,
                )
                outputs[args[1]] = result

    article_id = outputs["add-article"].stdout.strip()
    assert f"seeds/articles/{article_id}.txt" in section
    draft = yaml.safe_load(Path("draft.yaml").read_text(encoding="utf-8"))
    # The entity and the fact the section curates are the draft's candidate and stub.
    [entity], [fact] = appended["entities"], appended["facts"]
    candidate = next(c for c in draft["entities"] if c["id"] == entity["id"])
    assert candidate["aliases"] == entity["aliases"]
    quote = fact["sources"][0]["quote"]
    assert any(quote in stub["sources"][0]["quote"] for stub in draft["facts"])

    result = kg(
        "cypher",
        "MATCH (s {id: $subject})-[r]->(o {id: $object}) "
        "RETURN type(r) AS predicate, r.id AS id, r.articles AS articles, r.quotes AS quotes",
        "-p",
        f"subject={fact['subject']}",
        "-p",
        f"object={fact['object']}",
        "--format",
        "json",
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout) == [
        {
            "predicate": fact["predicate"].upper(),
            "id": fact["id"],
            "articles": [article_id],
            "quotes": [quote],
        }
    ]
    assert quote in outputs["show"].stdout


# Last: it empties the recognizer's cache, and loading the model takes seconds.
def test_suggest_without_spacy_still_finds_known_entities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now fails
    nlp.pipeline.cache_clear()
    try:
        result = kg("suggest", str(ESPER_IN_MOROCCO), "--seeds", str(SEEDS))
    finally:
        nlp.pipeline.cache_clear()
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "pip install -e '.[nlp]'" in line]
    assert len(notes) == 1
    draft = yaml.safe_load(result.stdout)
    assert draft["entities"] == []
    assert {"mark-esper", "abdellatif-loudiyi"} <= {e["id"] for e in draft["known"]}
