"""The one matcher for names and quotes (kg.text): folding, word boundaries, longest match,
offsets back to the original text, verbatim quotes; and the mentions it gives the graph."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg import graph
from kg.seeds import read_corpus
from kg.text import Names, Text, fold_words, search_key, words

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(SEEDS)


def found(names: Names, text: str) -> list[tuple[str, tuple]]:
    """(original text, owners) of every mention, left to right."""
    return [(text[h.start : h.end], h.owners) for h in names.find(text)]


def test_case_accents_and_punctuation_are_folded() -> None:
    assert search_key("L’État  islamique") == search_key("l'etat ISLAMIQUE") == "l etat islamique"
    assert search_key("“Etats-Unis”") == "etats-unis"
    assert words("Kaïs Saïed") == ["kais", "saied"]
    names = Names([("Etats-Unis", "us"), ("Kais Saied", "saied")])
    text = "les ÉTATS-UNIS et le président Kaïs  Saïed"
    assert found(names, text) == [("ÉTATS-UNIS", ("us",)), ("Kaïs  Saïed", ("saied",))]


def test_a_hyphen_joins_words() -> None:
    names = Names([("Royaume", "ma"), ("Maroc", "ma")])
    assert found(names, "le Royaume-Uni et le Maroc-USA") == []
    assert found(names, "le Royaume, le royaume.") == [("Royaume", ("ma",)), ("royaume", ("ma",))]


def test_a_name_is_whole_words_only() -> None:
    names = Names([("Maroc", "ma"), ("Africom", "af")])
    assert found(names, "les Marocains de l’Africom") == [("Africom", ("af",))]


def test_the_longest_of_overlapping_names_wins() -> None:
    names = Names(
        [("Maghreb", "maghreb"), ("Al-Qaida au Maghreb islamique", "aqmi"), ("AQMI", "aqmi")]
    )
    text = "notamment Al-Qaida au Maghreb islamique (AQMI) au Maghreb"
    assert found(names, text) == [
        ("Al-Qaida au Maghreb islamique", ("aqmi",)),
        ("AQMI", ("aqmi",)),
        ("Maghreb", ("maghreb",)),
    ]
    # Longest, not leftmost: "B C D" beats "A B" that starts first.
    names = Names([("a b", 1), ("b c d", 2)])
    assert found(names, "a b c d") == [("b c d", (2,))]


def test_offsets_map_back_through_odd_characters() -> None:
    # A decomposed accent, a ligature and "ß" fold to other lengths than they are written.
    text = "Re\u0301union a\u0300 la Straße, ﬁn de l’E\u0301tat islamique"
    names = Names([("Réunion", 1), ("Strasse", 2), ("fin", 3), ("Etat islamique", 4)])
    assert found(names, text) == [
        ("Re\u0301union", (1,)),
        ("Straße", (2,)),
        ("ﬁn", (3,)),
        ("E\u0301tat islamique", (4,)),
    ]


def test_offsets_map_back_on_random_text() -> None:
    pieces = ["Maroc", "Mark Esper", "l’État", "  ", "\n", " - ", "«", "Straße", "ﬁ", "é", "x"]
    names = Names([("Maroc", "ma"), ("Mark Esper", "me"), ("Etat", "et"), ("Strasse", "st")])
    rng = random.Random(13)
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(12))
        for hit in names.find(text):
            assert search_key(text[hit.start : hit.end]) == hit.key, (text, hit)
        folded = fold_words(text)
        assert all(0 <= folded.source(i) < len(text) for i in range(len(folded.text)))


def test_a_quote_matches_across_white_space_only() -> None:
    text = Text("Mark Esper a signé\nà  Rabat un accord. Mark Esper a signé")
    assert text.find_quote("a signé à Rabat") == (11, 27)  # "a signé\nà  Rabat"
    assert text.find_quote("A SIGNÉ à Rabat") is None
    assert text.find_quote("a signe a Rabat") is None
    # An occurrence in the preferred spans wins over an earlier one.
    assert text.find_quote("Mark Esper a signé") == (0, 18)
    assert text.find_quote("Mark Esper a signé", within=[(30, 60)]) == (39, 57)


def test_one_mention_of_aqmi_and_none_of_the_maghreb_in_the_strategic_dialogue(corpus) -> None:
    # 001, line 2: "notamment Al-Qaida au Maghreb islamique (AQMI) et ‘Etat islamique’ (Daech)".
    article = corpus.articles["001_a250b41e4e6ce1db"]
    start = article.text.index("Al-Qaida au Maghreb islamique")
    end = article.text.index("(Daech)") + len("(Daech)")
    named = [
        (article.text[h.start : h.end], h.owners)
        for h in corpus.text.mentions(article.id)
        if start <= h.start < end
    ]
    assert named == [
        ("Al-Qaida au Maghreb islamique", ("aqmi",)),
        ("AQMI", ("aqmi",)),
        ("Etat islamique", ("daech",)),
        ("Daech", ("daech",)),
    ]
    assert ("001_a250b41e4e6ce1db", "maghreb") not in graph.mentions(corpus)


def test_mentions_use_the_matcher_case_and_accents_aside(corpus) -> None:
    # 004, line 7: "avec le ministre délégué [...], Abdellatif Loudiyi"; line 15: "celui du
    # maréchal Khalifa Haftar". 002 says "Royaume" for Morocco ("le Royaume a le plein
    # soutien"), never "Royaume-Uni".
    pairs = graph.mentions(corpus)
    assert ("004_5699831b890fa017", "abdellatif-loudiyi") in pairs
    assert ("002_38e63fbca77dbf72", "morocco") in pairs
