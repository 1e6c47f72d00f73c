"""Finding an entity by what a reader would type: `kg show`, `kg viz --entity` and saved
queries' `(entity)` parameters all go through kg.show.find_entity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import show
from kg.errors import InvalidInput
from kg.show import find_entity


@pytest.mark.parametrize(
    ("typed", "entity"),
    [
        # 004, line 7: "avec le ministre délégué [...], Abdellatif Loudiyi".
        ("Loudiyi", "abdellatif-loudiyi"),
        # 004, line 15: "celui du maréchal Khalifa Haftar": the man, not his camp.
        ("haftar", "khalifa-haftar"),
        ("HAFTAR", "khalifa-haftar"),
        # 003 names "le président Kaïs Saïed" (004: "Kais Ssaied").
        ("Kais Saied", "kais-saied"),
        ("saied", "kais-saied"),
        ("Saïed", "kais-saied"),
        # 004, line 9: "Abdellatif Hammouchi, patron de la DGSN et de la DGST".
        ("Hammouchi", "abdellatif-hammouchi"),
        ("mark-esper", "mark-esper"),
        ("Mark Esper", "mark-esper"),
        # 001: "‘Etat islamique’ (Daech)".
        ("l’État islamique", "daech"),
    ],
)
def test_an_entity_is_found_by_id_name_alias_or_word(loaded_store, typed, entity) -> None:
    assert find_entity(loaded_store, typed)[0] == entity


def test_a_word_of_several_names_lists_candidates(run_kg) -> None:
    # Bourita, Loudiyi and others are "ministre"; no entity is named so.
    result = run_kg("show", "Ministre")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "did you mean:" in result.stderr
    listed = result.stderr.split("did you mean:")[1]
    assert 1 <= listed.count("(") <= 5
    assert "abdellatif-loudiyi" in listed or "nasser-bourita" in listed


def test_an_ambiguous_word_names_the_candidates(loaded_store) -> None:
    # 004 names two men Abdellatif: Loudiyi (line 7) and Hammouchi (line 9).
    with pytest.raises(InvalidInput, match="'Abdellatif' names several entities") as error:
        find_entity(loaded_store, "Abdellatif")
    assert "abdellatif-loudiyi" in str(error.value)
    assert "abdellatif-hammouchi" in str(error.value)


def test_an_unknown_name_is_refused_with_exit_2(loaded_store) -> None:
    with pytest.raises(InvalidInput, match="no entity is named 'Nobody Atall'"):
        find_entity(loaded_store, "Nobody Atall")


def test_saved_queries_and_viz_take_the_same_names(run_kg, tmp_path: Path) -> None:
    # README: kg query evidence -p entity=Esper -p other=Loudiyi
    result = run_kg("query", "evidence", "-p", "entity=Esper", "-p", "other=Loudiyi", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)
    page = tmp_path / "haftar.html"
    assert run_kg("viz", "--entity", "haftar", "-o", str(page)).exit_code == 0
    assert "Khalifa Haftar" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        # 004, line 7: "avec le ministre délégué [...], Abdellatif Loudiyi".
        ("Loudyi", "abdellatif-loudiyi"),
        # 004, line 9: "Abdellatif Hammouchi, patron de la DGSN et de la DGST".
        ("hamouchi", "abdellatif-hammouchi"),
    ],
)
def test_suggestions_read_page_by_page_are_those_of_one_read(
    loaded_store, monkeypatch: pytest.MonkeyPatch, typed: str, first: str
) -> None:
    # The names are read a page of one label at a time (a million facts name 437,000
    # entities, more than one query may hold): pages of one entity change nothing.
    def refusal() -> str:
        with pytest.raises(InvalidInput, match=f"no entity is named '{typed}'") as error:
            find_entity(loaded_store, typed)
        return str(error.value)

    whole = refusal()
    monkeypatch.setattr(show, "NAMES_PAGE", 1)
    assert refusal() == whole
    first_listed = whole.split("did you mean: ")[1].split("), ")[0]
    assert f"({first}, Person" in first_listed
